package org.kreplay.analyze.internal.deferral;

import static org.kreplay.analyze.DeferralRow.ALL;
import static org.kreplay.analyze.DeferralRow.CLASS_NORMAL;
import static org.kreplay.analyze.DeferralRow.CLASS_RT;
import static org.kreplay.analyze.DeferralRow.CLASS_UNKNOWN_MODE;

import org.kreplay.analyze.Blame;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.DeferralSample;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.ingest.TraceEvent;

/**
 * Where every tracker records what it paired: a latency or run-time sample on its key's row, its
 * mechanism's "all" row and its class's row (with the two events when a row keeps it among its
 * worst), and what could not be paired — no enqueue, pending at the end, across lost events.
 */
final class Samples {
  /** The class rows' keys, made once: a sample is recorded for most events of a trace. */
  private static final String ALL_RT = ALL + " rt";
  private static final String ALL_NORMAL = ALL + " normal";
  private final DeferralStats stats;
  private final ContextTracker contexts;
  /** The input, and whether its positions are byte offsets, for the worst samples. */
  private final String source;
  private final boolean byteOffsets;
  /** Told each paired latency, for the timeline's flow arrows; null without one. */
  private final TimelineListener timeline;
  /** For the timer-wheel sample being recorded: when it was due (see {@link #timerSample}). */
  private long timerDueTs = Long.MIN_VALUE;

  Samples(DeferralStats stats, ContextTracker contexts, String source, boolean byteOffsets, TimelineListener timeline) {
    this.timeline = timeline;
    this.stats = stats;
    this.contexts = contexts;
    this.source = source;
    this.byteOffsets = byteOffsets;
  }

  DeferralStats stats() {
    return stats;
  }

  /** Whether events were lost on either CPU since the enqueue: the pair cannot be measured. */
  boolean crossesGap(long enqueueTs, int enqueueCpu, int executeCpu) {
    return contexts.gapSince(enqueueCpu, enqueueTs) || contexts.gapSince(executeCpu, enqueueTs);
  }

  boolean gapSince(int cpu, long ts) {
    return contexts.gapSince(cpu, ts);
  }

  boolean isRunning(int pid) {
    return contexts.isRunning(pid);
  }

  /** A sample between an entry of {@code table} (the enqueue) and the event {@code e} (the execution). */
  void sample(Mechanism m, Metric metric, String key, int cls, long value, PendingTable table, int slot, TraceEvent e) {
    sample(m, metric, key, cls, value, table.timestamp(slot), table.originCpu(slot), table.pid(slot),
        table.comm(slot), table.position(slot), e.timestamp(), e.cpu(), e.pid(), e.comm(), e.line());
  }

  /**
   * A timer-wheel sample: {@code lateJiffies} late, its wait blamed from {@code dueTs} (when the
   * trace first showed the jiffy it was due in; Long.MIN_VALUE when unknown) to its execution.
   */
  void timerSample(String key, long lateJiffies, long dueTs, PendingTable table, int slot, TraceEvent e) {
    timerDueTs = dueTs;
    try {
      sample(Mechanism.TIMER, Metric.LATENCY, key, 0, lateJiffies, table, slot, e);
    } finally {
      timerDueTs = Long.MIN_VALUE;
    }
  }

  /**
   * Records a sample on its key's row, its mechanism's "all" row and its class's row; the two
   * events' facts become a {@link DeferralSample} only when a row keeps it among its worst.
   */
  void sample(Mechanism m, Metric metric, String key, int cls, long value, long enqTs, int enqCpu, int enqPid,
      String enqComm, long enqPos, long exTs, int exCpu, int exPid, String exComm, long exPos) {
    if (value < 0) value = 0;
    if (timeline != null && metric == Metric.LATENCY) {
      // Timer-wheel lateness is in jiffies until HZ is known: the flow carries none.
      timeline.deferral(m, key, enqTs, enqCpu, exTs, exCpu, m == Mechanism.TIMER ? -1 : value);
    }
    DeferralRow k = stats.row(m, metric, key);
    k.stats().record(value);
    k.addClass(cls);
    DeferralRow all = stats.row(m, metric, ALL);
    all.stats().record(value);
    DeferralRow byClass = null;
    if ((cls & CLASS_RT) != 0 || (cls & CLASS_NORMAL) != 0) {
      byClass = stats.row(m, metric, (cls & CLASS_RT) != 0 ? ALL_RT : ALL_NORMAL);
      byClass.stats().record(value);
      byClass.addClass(cls);
    }
    // the blame, once, if a row keeps the sample in its tail or among its worst
    // not the timer wheel's: its lateness in jiffies is mostly 0 or 1, a p99 tail of nearly every sample
    boolean tail = m != Mechanism.TIMER
        && (k.wantsTail(value) || all.wantsTail(value) || (byClass != null && byClass.wantsTail(value)));
    boolean worst = k.wantsWorst(value) || all.wantsWorst(value) || (byClass != null && byClass.wantsWorst(value));
    Blame blame = tail || worst ? blame(m, value, exCpu, exTs) : Blame.NONE;
    if (m != Mechanism.TIMER) {
      tail(k, value, blame);
      tail(all, value, blame);
      if (byClass != null) tail(byClass, value, blame);
    }
    if (worst) {
      DeferralSample s = new DeferralSample(key, value, source, byteOffsets,
          new DeferralSample.Event(enqTs, enqCpu, enqPid, enqComm, enqPos),
          new DeferralSample.Event(exTs, exCpu, exPid, exComm, exPos), blame);
      k.offerWorst(s);
      all.offerWorst(s);
      if (byClass != null) byClass.offerWorst(s);
    }
  }

  /** Adds the sample to the row's tail if the row keeps it there, and moves the row's tail threshold on. */
  private static void tail(DeferralRow r, long value, Blame blame) {
    if (r.wantsTail(value)) r.addTail(value, blame);
    r.followTail();
  }

  /**
   * What the executing CPU did in the {@code value} ns before the execution: the wait from enqueue
   * (or expiry) to execution, or a run time. Timer-wheel lateness is in jiffies: its wait runs from
   * when the trace first showed the jiffy it was due in.
   */
  private Blame blame(Mechanism m, long value, int exCpu, long exTs) {
    long from = m == Mechanism.TIMER ? timerDueTs : exTs - value;
    if (m != Mechanism.TIMER && value <= 0 || from == Long.MIN_VALUE || from >= exTs) return Blame.NONE;
    CpuContext c = contexts.existing(exCpu);
    return c == null ? Blame.NONE : c.blame(from, exTs);
  }

  /**
   * A deferral chain, first enqueue to last execution, with its segments' times (see {@link
   * ChainLinks}). Its stages are on their own rows already: no blame (the stages may have run on
   * several CPUs) and no flow arrow of its own on the timeline.
   */
  void chainSample(String key, java.util.List<String> segments, long[] segmentNs, long value, long enqTs, int enqCpu,
      int enqPid, String enqComm, long enqPos, long exTs, int exCpu, int exPid, String exComm, long exPos) {
    DeferralRow k = stats.row(Mechanism.CHAIN, Metric.LATENCY, key);
    if (crossesGap(enqTs, enqCpu, exCpu)) {
      k.countAcrossGap();
      return;
    }
    k.stats().record(Math.max(0, value));
    k.recordStages(segments, segmentNs);
    if (k.wantsWorst(value)) {
      k.offerWorst(new DeferralSample(key, Math.max(0, value), source, byteOffsets,
          new DeferralSample.Event(enqTs, enqCpu, enqPid, enqComm, enqPos),
          new DeferralSample.Event(exTs, exCpu, exPid, exComm, exPos)));
    }
  }

  /**
   * The end of the trace for chains: the rows that end in a periodic callback go (see {@link
   * ChainLinks}), and the "all" row is the sum of the rest.
   */
  void finishChains(java.util.Set<String> periodicStages) {
    java.util.List<DeferralRow> kept = new java.util.ArrayList<>();
    for (DeferralRow r : stats.rows()) {
      if (r.mechanism() != Mechanism.CHAIN || r.metric() != Metric.LATENCY || r.key().equals(ALL)) continue;
      String last = r.key().substring(r.key().lastIndexOf(" → ") + 3);
      if (periodicStages.contains(last)) stats.remove(Mechanism.CHAIN, Metric.LATENCY, r.key());
      else kept.add(r);
    }
    if (kept.isEmpty()) return;
    DeferralRow all = stats.row(Mechanism.CHAIN, Metric.LATENCY, ALL);
    for (DeferralRow r : kept) all.add(r);
  }

  void unmatchedExecute(Mechanism m, String key, int cls) {
    DeferralRow k = stats.row(m, Metric.LATENCY, key);
    k.countUnmatchedExecute();
    if (cls != CLASS_UNKNOWN_MODE) k.addClass(cls);
    stats.row(m, Metric.LATENCY, ALL).countUnmatchedExecute();
  }

  void acrossGap(Mechanism m, String key) {
    stats.row(m, Metric.LATENCY, key).countAcrossGap();
    stats.row(m, Metric.LATENCY, ALL).countAcrossGap();
  }

  /** A wakeup of a task that was still running: it waited for nothing. */
  void alreadyRunning(String key, int cls) {
    DeferralRow k = stats.row(Mechanism.WAKEUP, Metric.LATENCY, key);
    k.countAlreadyRunning();
    k.addClass(cls);
    stats.row(Mechanism.WAKEUP, Metric.LATENCY, ALL).countAlreadyRunning();
    DeferralRow byClass = stats.row(Mechanism.WAKEUP, Metric.LATENCY, (cls & CLASS_RT) != 0 ? ALL_RT : ALL_NORMAL);
    byClass.countAlreadyRunning();
    byClass.addClass(cls);
  }

  void unmatchedEnqueue(Mechanism m, String key, int cls) {
    DeferralRow k = stats.row(m, Metric.LATENCY, key);
    k.countUnmatchedEnqueue(1);
    k.addClass(cls);
    stats.row(m, Metric.LATENCY, ALL).countUnmatchedEnqueue(1);
  }

  static String orUnknown(String s) {
    return s == null ? "?" : s;
  }
}
