package org.kreplay.analyze;

/** The violations kreplay detects, with the kernel's own report header for each. */
public enum FindingKind {
  SLEEP_IN_ATOMIC("sleep-in-atomic", "BUG: sleeping function called from invalid context"),
  INVALID_WAIT_CONTEXT("invalid-wait-context", "[ BUG: Invalid wait context ]"),
  SCHEDULE_WHILE_ATOMIC("schedule-while-atomic", "BUG: scheduling while atomic"),
  /** On PREEMPT_RT the allocator's own rt_spin_lock() prints the might_sleep() report. */
  RT_ALLOC_IN_ATOMIC("rt-alloc-in-atomic", "BUG: sleeping function called from invalid context"),
  RECURSIVE_LOCKING("recursive-locking", "WARNING: possible recursive locking detected"),
  CIRCULAR_DEPENDENCY("circular-dependency", "WARNING: possible circular locking dependency detected"),
  IRQ_SAFE_TO_UNSAFE("irq-safe-to-unsafe", "WARNING: irq-safe -> irq-unsafe lock order detected"),
  INCONSISTENT_LOCK_STATE("inconsistent-lock-state", "WARNING: inconsistent lock state"),
  IRQ_LOCK_INVERSION("irq-lock-inversion", "WARNING: possible irq lock inversion dependency detected"),
  BAD_UNLOCK_BALANCE("bad-unlock-balance", "WARNING: bad unlock balance detected!");

  private final String label;
  private final String kernelHeader;

  FindingKind(String label, String kernelHeader) {
    this.label = label;
    this.kernelHeader = kernelHeader;
  }

  /** Stable name used in signatures and outputs ("invalid-wait-context"). */
  public String label() {
    return label;
  }

  /** The header line the kernel prints for this kind of report. */
  public String kernelHeader() {
    return kernelHeader;
  }

  public static FindingKind fromLabel(String label) {
    for (FindingKind k : values()) {
      if (k.label.equals(label)) return k;
    }
    throw new IllegalArgumentException("unknown finding kind '" + label + "'");
  }
}
