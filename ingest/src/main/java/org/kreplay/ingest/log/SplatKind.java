package org.kreplay.ingest.log;

/**
 * The kinds of kernel report ("splat") kreplay recognises in a log, each with the header the kernel
 * prints for it. Labels shared with analyze's {@code FindingKind} are spelled the same.
 */
public enum SplatKind {
  SLEEP_IN_ATOMIC("sleep-in-atomic", "BUG: sleeping function called from invalid context", true),
  INVALID_WAIT_CONTEXT("invalid-wait-context", "[ BUG: Invalid wait context ]", true),
  SCHEDULE_WHILE_ATOMIC("schedule-while-atomic", "BUG: scheduling while atomic", false),
  CIRCULAR_DEPENDENCY("circular-dependency", "WARNING: possible circular locking dependency detected", true),
  RECURSIVE_LOCKING("recursive-locking", "WARNING: possible recursive locking detected", true),
  INCONSISTENT_LOCK_STATE("inconsistent-lock-state", "WARNING: inconsistent lock state", true),
  IRQ_SAFE_TO_UNSAFE("irq-safe-to-unsafe", "WARNING: %s-safe -> %s-unsafe lock order detected", true),
  IRQ_LOCK_INVERSION("irq-lock-inversion", "WARNING: possible irq lock inversion dependency detected", true),
  BAD_UNLOCK_BALANCE("bad-unlock-balance", "WARNING: bad unlock balance detected!", true),
  SUSPICIOUS_RCU_USAGE("suspicious-rcu-usage", "WARNING: suspicious RCU usage", true),
  SMP_PROCESSOR_ID_PREEMPTIBLE("smp-processor-id-preemptible",
      "BUG: using smp_processor_id() in preemptible [%08x] code: %s/%d", false),
  SPINLOCK_BUG("spinlock-bug", "BUG: spinlock %s on CPU#%d, %s/%d", false),
  WORKQUEUE_LOCKUP("workqueue-lockup", "BUG: workqueue lockup - pool ... stuck for %ds!", false),
  SOFT_LOCKUP("soft-lockup", "watchdog: BUG: soft lockup - CPU#%d stuck for %ds! [%s:%d]", false),
  RCU_STALL("rcu-stall", "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks: / self-detected stall on CPU", false),
  HUNG_TASK("hung-task", "INFO: task %s:%d blocked for more than %ld seconds.", false),
  WARNING("warning", "WARNING: CPU: %d PID: %d at %s:%d %pS", false),
  BUG("bug", "BUG: ... / kernel BUG at %s:%d!", false),
  OOPS("oops", "Oops: / general protection fault / BUG: unable to handle page fault / Unable to handle kernel ...", false),
  /**
   * A call trace with no report header in front of it: {@code dump_stack()} output ("CPU: N PID: N Comm:"
   * then "Call Trace:"), or a report whose header was not posted (the seed's put_task_struct splat).
   */
  STACK_DUMP("stack-dump", "CPU: %d PID: %d Comm: %s ... Call Trace: (no header)", false),
  /**
   * A report that starts at one of the further headers syzkaller reads ({@code ReportHeaders}: "Kernel
   * panic - not syncing", "PANIC: double fault", "BUG kmalloc-8 (…): Object already free", "SYZFAIL:", …),
   * which kreplay does not read in detail: its title and blamed frame come from syzkaller's rules.
   */
  OTHER_REPORT("other-report", "a further header syzkaller reads (Kernel panic, PANIC:, BUG <cache>, ...)", false);

  private final String label;
  private final String kernelHeader;
  private final boolean lockdep;

  SplatKind(String label, String kernelHeader, boolean lockdep) {
    this.label = label;
    this.kernelHeader = kernelHeader;
    this.lockdep = lockdep;
  }

  /** Stable name used in signatures and outputs ("sleep-in-atomic"). */
  public String label() {
    return label;
  }

  /** The kernel's header for this kind, with printf placeholders where the kernel has them. */
  public String kernelHeader() {
    return kernelHeader;
  }

  /**
   * Whether lockdep prints it (its held-lock list, lock lines with {@code {usage}-{outer:inner}} and
   * "stack backtrace:" follow the header). The sleeping-function report is lockdep-adjacent: it prints
   * the held locks too.
   */
  public boolean isLockdep() {
    return lockdep;
  }

  /** Whether a report of this kind is expected to carry a call trace (a workqueue lockup need not). */
  public boolean expectsCallTrace() {
    return this != WORKQUEUE_LOCKUP;
  }

  public static SplatKind fromLabel(String label) {
    for (SplatKind k : values()) {
      if (k.label.equals(label)) return k;
    }
    throw new IllegalArgumentException("unknown splat kind '" + label + "'");
  }
}
