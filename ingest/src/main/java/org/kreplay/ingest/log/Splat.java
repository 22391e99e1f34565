package org.kreplay.ingest.log;

import java.util.List;
import java.util.Map;

/**
 * One kernel report ("splat") read from a log, as a value: what kind it is and its header, then its
 * parts as small records — {@link Where} in the input, the {@link Task} it happened in, the
 * {@link Kernel}, the {@link AtomicFacts} it prints, its {@link Lockdep} section, its
 * {@link Stacks}, its {@link Damage}, and its {@link Text} as printed. The log reader builds them.
 *
 * <p>Values the report does not print are -1 (numbers), null (objects) or empty (lists, maps).
 *
 * @param header the header line exactly as printed (without the log prefix)
 * @param location the source location the header names ("kernel/locking/spinlock_rt.c:48" of a
 *     sleeping-function report, "mm/slub.c:294" of "kernel BUG at", the file:line of a WARNING), or null
 * @param facts every {@code key: value} the report prints, raw, first occurrence of each key, in order
 */
public record Splat(SplatKind kind, String header, String location, Map<String, String> facts, Where where,
    Task task, Kernel kernel, AtomicFacts atomic, Lockdep lockdep, Stacks stacks, Damage damage, Text text) implements java.io.Serializable {

  public Splat {
    if (kind == null) throw new IllegalArgumentException("a splat needs a kind");
  }

  /**
   * Where the report is in the input.
   *
   * @param source the input's name as given ("dmesg.txt", "-" for stdin)
   * @param firstLine 1-based line of the report's first line (its "cut here" or "=====" banner if it has one)
   * @param lastLine 1-based line of the report's last line
   * @param timestamp seconds since boot from the header's {@code [ 123.456789]} (or /dev/kmsg) timestamp, or -1
   * @param wallTime the header line's wall-clock prefix as printed (dmesg -T, syslog, journal), or null
   */
  public record Where(String source, long firstLine, long lastLine, double timestamp, String wallTime) implements java.io.Serializable {}

  /**
   * The task and CPU the report happened on.
   *
   * @param callerTag the printk caller tag of the header line ("T123", "C1"), or null
   */
  public record Task(int cpu, int pid, String comm, String callerTag) implements java.io.Serializable {}

  /**
   * The kernel that printed the report.
   *
   * @param release from the "CPU:" line or lockdep's ident line ("6.8.0-rc4-rt4"), or null
   * @param taint flags as printed ("G W", "G IOE"); "" for "Not tainted"; null when not printed
   * @param hardware the "Hardware name:" line, or null
   */
  public record Kernel(String release, String taint, String hardware) implements java.io.Serializable {}

  /**
   * What the report says of the atomic context (__might_resched(), "scheduling while atomic").
   *
   * @param preemptCount preempt_count() as printed ("preempt_count: 10001", "scheduling while atomic:
   *     c/1/0x00000002"), or -1
   * @param expectedPreemptCount the count __might_resched() expected ("expected: 0"), or -1
   * @param inAtomic "in_atomic(): 1" as a boolean, or null
   * @param irqsDisabled "irqs_disabled(): 1" (arm64 prints 128) as a boolean, or null
   * @param rcuNestDepth "RCU nest depth: N", or -1
   * @param expectedRcuNestDepth the RCU nest depth __might_resched() expected, or -1
   * @param preemptionDisabledAt the function after "Preemption disabled at:", or null
   */
  public record AtomicFacts(int preemptCount, int expectedPreemptCount, Boolean inAtomic, Boolean irqsDisabled,
      int rcuNestDepth, int expectedRcuNestDepth, String preemptionDisabledAt) implements java.io.Serializable {
    /** The decoded {@link #preemptCount()}, or null when unknown. */
    public PreemptCount decodedPreemptCount() {
      return preemptCount < 0 ? null : PreemptCount.of(preemptCount);
    }
  }

  /**
   * The locks a report names (lockdep's reports, and the held-lock list other reports print).
   *
   * @param heldLocks the task's "N locks held by comm/pid:" list (one entry per {@code #N}), empty for
   *     "no locks held" or when the report prints none
   * @param heldLocksDeclared the N of "N locks held by", 0 for "no locks held", -1 when there is no list
   * @param acquiring the lock being taken: "is trying to acquire lock:", "is trying to lock:", "is trying to acquire:"
   * @param holding "but task is already holding lock:" / "and this task is already holding:"
   * @param lock the subject lock: "takes:" of an inconsistent-lock-state report, "just changed the state
   *     of lock:" of an irq-lock-inversion, the lock a bad-unlock-balance report "is trying to release"
   * @param safeLock the irq-safe lock of an irq-safe-to-unsafe or irq-lock-inversion report, or null
   * @param unsafeLock the irq-unsafe lock of an irq-safe-to-unsafe or irq-lock-inversion report, or null
   * @param chain a circular-dependency report's chain, as printed (from the held lock down to #0)
   * @param usageTransition "{HARDIRQ-ON-W} -> {IN-HARDIRQ-W}" of an inconsistent-lock-state report, or null
   * @param irqEventStamps "irq event stamp" and the "hardirqs/softirqs last enabled/disabled at" lines, raw
   */
  public record Lockdep(List<LockLine> heldLocks, int heldLocksDeclared, LockLine acquiring, LockLine holding,
      LockLine lock, LockLine safeLock, LockLine unsafeLock, List<ChainLink> chain, String usageTransition,
      Map<String, String> irqEventStamps) implements java.io.Serializable {}

  /**
   * The report's stacks.
   *
   * @param frames the call trace, innermost frame first, as printed ("Call Trace:", "Call trace:",
   *     "stack backtrace:", an x86 "RIP: 0010:" line where it stands)
   * @param others every other stack the report prints, in order
   */
  public record Stacks(List<Frame> frames, List<LabeledStack> others) implements java.io.Serializable {}

  /**
   * What kept the report from being read whole.
   *
   * @param truncated the input ended, or the next report began, before the report's end
   * @param corrupted parts are damaged (unparseable lines, timestamps going backwards, stray bytes)
   * @param problems why, each as "source:line: reason[: excerpt]"
   */
  public record Damage(boolean truncated, boolean corrupted, List<String> problems) implements java.io.Serializable {}

  /**
   * The report's lines as the kernel printed them, log prefix removed (bounded; what syzkaller's
   * parser reads).
   *
   * @param cut whether {@link #lines()} is shorter than the report (cut at its bound, or dropped)
   */
  public record Text(List<String> lines, boolean cut) implements java.io.Serializable {
    /** No text yet: the log reader adds it once the report's text is complete. */
    public static final Text NONE = new Text(List.of(), false);

    public Text {
      lines = List.copyOf(lines);
    }
  }

  /** This report without its text (kept results need not hold every line of every report). */
  public Splat withoutText() {
    return text.lines().isEmpty() ? this : withText(new Text(List.of(), true));
  }

  /** This report with {@code text}. */
  public Splat withText(Text text) {
    return new Splat(kind, header, location, facts, where, task, kernel, atomic, lockdep, stacks, damage, text);
  }

  @Override
  public String toString() {
    return kind.label() + " at " + where.source() + ":" + where.firstLine() + "-" + where.lastLine() + ": " + header;
  }
}
