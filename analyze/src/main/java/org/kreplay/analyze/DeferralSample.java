package org.kreplay.analyze;

import java.util.Comparator;

/**
 * One measured deferral, kept because it is among its row's worst: the latency (or run time) and
 * the two events it was measured between, each with where it is in the input, so that a headline
 * number can be looked up in the trace.
 *
 * @param key the deferral key it was measured for (an "all" row keeps samples of every key)
 * @param latencyNs the measured value in ns (for a timer-wheel row whose HZ is unknown, jiffies)
 * @param source the input file both events came from
 * @param byteOffsets whether positions are byte offsets into a binary input (trace.dat), not lines
 * @param enqueue the first event: the enqueue (queue_work, hrtimer_start, softirq_raise, sched_waking…),
 *     or for a run-time row the start of execution
 * @param execute the second event: the start of execution, or for a run-time row its end
 * @param blame what the executing CPU did in the interval ({@link Blame#NONE} when unknown)
 */
public record DeferralSample(String key, long latencyNs, String source, boolean byteOffsets, Event enqueue, Event execute,
    Blame blame) implements java.io.Serializable {
  public DeferralSample {
    if (blame == null) blame = Blame.NONE;
  }

  /** A sample without a breakdown. */
  public DeferralSample(String key, long latencyNs, String source, boolean byteOffsets, Event enqueue, Event execute) {
    this(key, latencyNs, source, byteOffsets, enqueue, execute, Blame.NONE);
  }

  /**
   * One end of a sample: when, on which CPU, in which task, and its position in {@link #source()}
   * (a 1-based line, or a byte offset; 0 when the input has neither).
   */
  public record Event(long timestampNs, int cpu, int pid, String comm, long position) implements java.io.Serializable {}

  /** Worst first; equal values in input order, so merged results do not depend on merge order. */
  public static final Comparator<DeferralSample> WORST_FIRST = Comparator.comparingLong(DeferralSample::latencyNs)
      .reversed()
      .thenComparing(DeferralSample::source)
      .thenComparing(DeferralSample::key)
      .thenComparingLong(s -> s.execute().timestampNs())
      .thenComparingLong(s -> s.execute().position());

  /** "trace.txt:1234", "trace.dat@5678", or the file alone when the position is unknown. */
  public String where(Event e) {
    if (e.position() <= 0) return source;
    return source + (byteOffsets ? "@" : ":") + e.position();
  }

  DeferralSample scaled(long unitNs) {
    return unitNs <= 1 ? this : new DeferralSample(key, latencyNs * unitNs, source, byteOffsets, enqueue, execute, blame);
  }
}
