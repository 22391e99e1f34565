package org.kreplay.analyze;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import java.util.Locale;

/**
 * The catalog's entries and the typed values they hold, as {@link Catalog} answers with them.
 * Files give the values as words ({@code effect: lock}, {@code irq: save}, {@code why: irq_entry});
 * the loader turns each into its enum here, refusing a word that is none of them with its file
 * and line, so code compares enums, never strings.
 */
public final class CatalogTypes {
  private CatalogTypes() {}

  /** What calling a function does, for the rules (catalog field {@code effect}). */
  public enum Effect {
    LOCK, TRYLOCK, UNLOCK, ALLOC, FREE, MAY_SLEEP, ENQUEUE, CONTEXT, RT_DEFERS;

    /** lock or trylock: the function takes a lock (its {@code irq} field says what it does to interrupts). */
    public boolean takesLock() {
      return this == LOCK || this == TRYLOCK;
    }
  }

  /** What a lock function does to interrupts on a non-RT kernel (catalog field {@code irq}). */
  public enum IrqMode {
    NONE, IRQ, SAVE, BH;

    /** spin_lock_irq() / spin_lock_irqsave(): hard interrupts are off once it returns. */
    public boolean disablesIrqs() {
      return this == IRQ || this == SAVE;
    }
  }

  /** The context a function enters or runs its callee in (catalog field {@code context}). */
  public enum ContextKind {
    HARDIRQ, SOFTIRQ, NMI, IRQ_THREAD, KSOFTIRQD, HRTIMER_CALLBACK, IRQ_WORK_CALLBACK, RCU_CALLBACK,
    WORKQUEUE_WORKER, TASK_EXIT
  }

  /** How a name is matched: as a whole, or as the start of a name. */
  public enum Match { EXACT, PREFIX }

  /** The HRTIMER_MODE an hrtimer callback's timer is set up with. */
  public enum HrtimerMode {
    HARD(0x8), SOFT(0x4), PLAIN(0);

    private final int bits;

    HrtimerMode(int bits) {
      this.bits = bits;
    }

    /** The HRTIMER_MODE_HARD / HRTIMER_MODE_SOFT bits (include/linux/hrtimer.h). */
    public int bits() {
      return bits;
    }
  }

  /** contention_begin's LCB_F_* flags, bit 0 first (include/trace/events/lock.h). */
  public enum ContentionFlag {
    SPIN, READ, WRITE, RT, PERCPU, MUTEX;

    /** Whether the tracepoint's {@code flags} value has this bit. */
    public boolean isSet(int flags) {
      return (flags & (1 << ordinal())) != 0;
    }
  }

  /** An interrupt's request flag that keeps its handler out of a thread (include/linux/interrupt.h). */
  public enum IrqFlag { NO_THREAD, PERCPU, ONESHOT }

  /** Why a frame is infrastructure rather than a culprit (catalog field {@code why}). */
  public enum SkipReason {
    LOCKDEP(true, false, true),
    LOCKING(false, false, false),
    ALLOCATOR(false, false, false),
    DEBUG(false, false, true),
    DUMP_STACK(false, false, true),
    PRINTK(false, false, true),
    TRACING(true, false, false),
    PROBE(true, false, false),
    IRQ_ENTRY(false, false, false),
    SCHEDULER(false, true, false),
    RCU_INFRA(false, true, false),
    HRTIMER_INFRA(false, true, false),
    WORKQUEUE_INFRA(false, true, false),
    WAITQUEUE(false, false, false),
    /** A user's entry without a reason. */
    OTHER(false, false, false);

    private final boolean tracing;
    private final boolean runsWork;
    private final boolean reporting;

    SkipReason(boolean tracing, boolean runsWork, boolean reporting) {
      this.tracing = tracing;
      this.runsWork = runsWork;
      this.reporting = reporting;
    }

    /** The tracer's, a probe handler's or lockdep's own frames: the innermost of a traced stack, not the story. */
    public boolean tracing() {
      return tracing;
    }

    /** A subsystem frame that runs others' work (RCU batches, timers, work items, the scheduler): the culprit beyond an interrupt entry. */
    public boolean runsWork() {
      return runsWork;
    }

    /** The code that prints a report (dump_stack, lockdep's printing, printk, debug checks): leading frames of a report's trace. */
    public boolean reporting() {
      return reporting;
    }

    /** The word catalogs use ("irq_entry"). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a deferred callback runs: interrupt, softirq or process context. */
  public enum RunsIn {
    HARDIRQ, SOFTIRQ, TASK;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One thing a deferral mechanism waits for before its callback runs, as {@code kreplay whatif}
   * replays it: interrupts back on, the CPU's next tick, as many ticks as the delay in jiffies, a
   * grace period (every CPU through a quiescent state), the CPU's next scheduling point, a thread
   * whose comm matches {@code pattern} switched in ({@code {cpu}} the CPU; a CFS thread, or an RT
   * one, which runs as soon as the CPU can be preempted), or a softirq entered.
   */
  public record WaitStep(Kind kind, String pattern) {
    public enum Kind { IRQS_ON, TICK, JIFFIES, GRACE_PERIOD, SCHEDULE, THREAD, RT_THREAD, SOFTIRQ }

    @Override
    public String toString() {
      return switch (kind) {
        case THREAD -> "thread " + pattern;
        case RT_THREAD -> "rt-thread " + pattern;
        case SOFTIRQ -> "softirq " + pattern;
        default -> kind.name().toLowerCase(Locale.ROOT);
      };
    }
  }

  /**
   * How a deferral mechanism runs what it was handed ({@code kreplay whatif --via NAME}): what it
   * waits for and the context its callback runs in, on a non-RT kernel and on PREEMPT_RT, and the
   * measured rows ({@code observed}) that stand in where the trace cannot replay it.
   */
  public record DeferralMechanismEntry(String name, List<WaitStep> waits, List<WaitStep> rtWaits, RunsIn runsIn,
      RunsIn rtRunsIn, Mechanism observed, String source) {
    public List<WaitStep> waits(boolean rt) {
      return rt ? rtWaits : waits;
    }

    public RunsIn runsIn(boolean rt) {
      return rt ? rtRunsIn : runsIn;
    }

    /** Whether a delay in jiffies is part of the mechanism ({@code delayed-work:JIFFIES}). */
    public boolean takesJiffies() {
      return waits.stream().anyMatch(w -> w.kind() == WaitStep.Kind.JIFFIES);
    }
  }

  /** A lock class entry. */
  public record LockClassEntry(String name, LockType type, String source, Match match, String note) {}

  /** A function entry: what it does, and for lock functions which lock type and interrupt mode. */
  public record FunctionEntry(String name, Effect effect, LockType lockType, Boolean read, IrqMode irq,
      ContextKind context, Mechanism mechanism, boolean rtOnly, String source) {}

  /** An hrtimer callback and the mode its timer is set up with. */
  public record HrtimerEntry(String name, HrtimerMode mode, String source) {}

  /**
   * What the lock code has disabled when it emits contention_begin with this flag (RT, MUTEX): the
   * event's flags then show its wait_lock, not the caller.
   */
  public record ContentionEntry(ContentionFlag flag, boolean irqsOff, int preempt, String source) {}

  /** A fact that is a name and its source: an RT-only thread prefix, a scheduler function, a gfp flag. */
  public record NamedFact(String name, String source) {}

  /** An irq_work callback and whether it is IRQ_WORK_HARD_IRQ. */
  public record IrqWorkEntry(String name, boolean hard, String source) {}

  /** A device or IPI interrupt handler name and its threading flags. */
  public record IrqEntry(String name, List<IrqFlag> flags, String source) {}

  /** A frame (or frame prefix) that is infrastructure, not a culprit. */
  public record SkipEntry(String name, Match match, SkipReason why) {}

  /** A frame syzkaller never blames (linux.go's linuxStackParams.skipPatterns), as a regex. */
  public record BlameSkipEntry(String pattern, String why, String source) {}

  /** A line with an oops header that does not start a report (linux.go's oops suppressions). */
  public record ReportIgnoreEntry(String header, String pattern, String source) {}

  /** One of syzkaller's report-reading rules (stack starts, frame regexes, title normalisation, …). */
  public record ReportRuleEntry(String rule, String pattern, String value, String source) {}

  /** One of syzkaller's oops formats: the header, title regex, title format and stack parts. */
  public record ReportTitleEntry(String header,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> title, List<String> report, String fmt, List<String> alt,
      List<String> stack, List<String> stack2, List<String> skip, String extractor, Boolean noStackTrace,
      Boolean corrupted, String source) {}
}
