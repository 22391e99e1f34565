package org.kreplay.analyze;

import java.util.List;

/**
 * The latency of one deferral key (a work function, timer callback, softirq vector, woken task…)
 * or of all of one mechanism ({@link #key()} = "all"), with the enqueues and executions that could
 * not be paired.
 */
public final class DeferralRow implements java.io.Serializable {
  /** Key of the row that aggregates every key of a mechanism and metric. */
  public static final String ALL = "all";

  private final Mechanism mechanism;
  private final Metric metric;
  private final String key;
  private final LatencyStats stats;
  private final WorstSamples worst;
  private int classes;
  private long unmatchedEnqueue;
  private long unmatchedExecute;
  private long acrossGap;
  private long alreadyRunning;
  /** Nanoseconds per recorded unit: 1, or a jiffy for timer-wheel rows (0 = HZ unknown). */
  private long unitNs = 1;
  /** How fine the samples are, in ns: 1000 when they are differences of µs timestamps. */
  private long resolutionNs = 1;

  /** What a row measures. */
  public enum Metric {
    /** From enqueue to the start of execution (for timers: how late they expired). */
    LATENCY("latency"),
    /** From the start of execution to its end. */
    RUNTIME("runtime");

    private final String label;

    Metric(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Class bits a row can carry; see {@link #classLabel()}. */
  public static final int CLASS_HARD = 1;
  public static final int CLASS_SOFT = 1 << 1;
  public static final int CLASS_PLAIN = 1 << 2;
  public static final int CLASS_UNKNOWN_MODE = 1 << 3;
  public static final int CLASS_RT = 1 << 4;
  public static final int CLASS_NORMAL = 1 << 5;
  /** irq_work run in task context (the irq_work/N thread on PREEMPT_RT). */
  public static final int CLASS_THREAD = 1 << 6;

  /** Samples kept per row unless asked otherwise ({@code --worst N}). */
  public static final int DEFAULT_WORST = 5;

  public DeferralRow(Mechanism mechanism, Metric metric, String key, int significantDigits) {
    this(mechanism, metric, key, significantDigits, DEFAULT_WORST);
  }

  /** @param worst how many of the largest samples to keep with their events (0: none) */
  public DeferralRow(Mechanism mechanism, Metric metric, String key, int significantDigits, int worst) {
    this.mechanism = mechanism;
    this.metric = metric;
    this.key = key;
    this.stats = new LatencyStats(significantDigits);
    this.worst = new WorstSamples(worst);
  }

  private final TailBlame tail = new TailBlame();
  private boolean tracksTail = true;
  /** For a chain's row ({@link Mechanism#CHAIN}, one key): where its time went, stage by stage; else null. */
  private ChainStages stages;

  /** The segments of this chain row's time, or null (not a chain, or the all row of every chain). */
  public ChainStages stages() {
    return stages;
  }

  /** Adds a chain sample's segment times (see {@link ChainStages}). */
  public void recordStages(List<String> segments, long[] ns) {
    if (stages == null) stages = new ChainStages(segments);
    stages.record(ns);
  }

  /** This row keeps no blame of its tail (one of many keys; see {@link DeferralStats#TAILED_KEYS}). */
  void trackNoTail() {
    tracksTail = false;
  }

  /** Whether a sample of {@code value} may be in the row's p99 tail, so its blame is wanted. */
  public boolean wantsTail(long value) {
    return tracksTail && tail.wants(value);
  }

  /**
   * Adds a sample's blame to the row's tail; every 256 samples the threshold follows half the
   * running p99 (see {@link TailBlame}).
   */
  public void addTail(long value, Blame b) {
    tail.add(value, b);
  }

  /** After each recorded sample: keeps the tail's threshold at half the running p99. */
  public void followTail() {
    // not from the first samples: a trace's start (a workload starting up) is often its worst
    if ((stats.count() & 255) == 0 && stats.count() >= 4096) tail.raiseThreshold(stats.percentile(99) / 2);
  }

  /** What the CPUs did while the samples above p99 waited, or null (no blamed sample, or a timer row). */
  public TailBlame.Tail tailBlame() {
    if (stats.count() == 0 || unitNs > 1 || !tracksTail) return null;
    return tail.tail(stats.percentile(99));
  }

  public Mechanism mechanism() {
    return mechanism;
  }

  public Metric metric() {
    return metric;
  }

  public String key() {
    return key;
  }

  /** The samples in recorded units (see {@link #unit()}); use the {@code *Ns} accessors for output. */
  public LatencyStats stats() {
    return stats;
  }

  /**
   * "ns", or "jiffies" for a timer-wheel row whose trace did not reveal HZ (then the {@code *Ns}
   * accessors return jiffies).
   */
  public String unit() {
    return unitNs == 0 ? "jiffies" : "ns";
  }

  /** Sets how many nanoseconds one recorded unit is (timer rows record jiffies). */
  public void setUnitNs(long unitNs) {
    this.unitNs = unitNs;
  }

  public long unitNs() {
    return unitNs;
  }

  /**
   * The samples' resolution in ns (1, or 1000 for latencies between the µs timestamps of the
   * kernel's text): percentiles are given at it, not at the histogram bucket's edge.
   */
  public long resolutionNs() {
    return resolutionNs;
  }

  public void setResolutionNs(long ns) {
    this.resolutionNs = Math.max(1, ns);
  }

  private long scale(long v) {
    return unitNs <= 1 ? v : v * unitNs;
  }

  public long count() {
    return stats.count();
  }

  public long minNs() {
    return scale(stats.min());
  }

  public long maxNs() {
    return scale(stats.max());
  }

  public long meanNs() {
    return Math.round(stats.mean() * Math.max(1, unitNs));
  }

  public long percentileNs(double p) {
    return scale(stats.percentile(p, unitNs > 1 ? 1 : resolutionNs));
  }

  /**
   * The row's largest samples with the events they were measured between, worst first, in ns
   * (jiffies for a timer row whose HZ is unknown); at most the capacity the row was made with.
   */
  public java.util.List<DeferralSample> worst() {
    java.util.List<DeferralSample> out = new java.util.ArrayList<>();
    for (DeferralSample s : worst.list()) out.add(s.scaled(unitNs));
    return out;
  }

  /** Whether a sample of {@code value} (in recorded units) would be among the worst kept. */
  public boolean wantsWorst(long value) {
    return worst.wants(value);
  }

  /** Offers a sample (value in recorded units) to the worst kept. */
  public void offerWorst(DeferralSample s) {
    worst.offer(s);
  }

  /** Enqueues still waiting when the trace ended. */
  public long unmatchedEnqueue() {
    return unmatchedEnqueue;
  }

  /** Executions whose enqueue happened before the trace began (or was not traced). */
  public long unmatchedExecute() {
    return unmatchedExecute;
  }

  /** Pairs not measured because events were lost between enqueue and execution. */
  public long acrossGap() {
    return acrossGap;
  }

  /**
   * Wakeups of a task that had not slept since it last ran (sched_waking while it was still on a
   * CPU): nothing waited, so they are counted here and are not latency samples.
   */
  public long alreadyRunning() {
    return alreadyRunning;
  }

  public int classes() {
    return classes;
  }

  /**
   * For hrtimers the mode the timers were started with: "hard" (HRTIMER_MODE_HARD: hardirq even on
   * PREEMPT_RT), "soft" (softirq), "plain" (neither bit: hardirq on a non-RT kernel, softirq on
   * PREEMPT_RT), "?" (the input does not show the mode); "hard" wins over "plain" because bare-mode
   * starts are often restarts of a HARD timer. For wakeups "rt" (priority below 100, i.e. RT or
   * deadline), "normal", or "rt+normal". For irq_work "hard" (ran in the self-IPI) or "thread"
   * (ran in task context, the irq_work/N thread on PREEMPT_RT). Empty for other mechanisms and
   * the "all" rows.
   */
  public String classLabel() {
    StringBuilder sb = new StringBuilder();
    // A timer started with HARD or SOFT somewhere was set up that way: bare-mode starts of the
    // same function are restarts or starts seen before the mode was known.
    if ((classes & (CLASS_HARD | CLASS_SOFT)) != 0) {
      append(sb, CLASS_HARD, "hard");
      append(sb, CLASS_SOFT, "soft");
    } else if ((classes & CLASS_PLAIN) != 0) {
      sb.append("plain");
    } else if ((classes & CLASS_UNKNOWN_MODE) != 0) {
      sb.append('?');
    }
    append(sb, CLASS_THREAD, "thread");
    append(sb, CLASS_RT, "rt");
    append(sb, CLASS_NORMAL, "normal");
    return sb.toString();
  }

  private void append(StringBuilder sb, int bit, String label) {
    if ((classes & bit) == 0) return;
    if (sb.length() > 0) sb.append('+');
    sb.append(label);
  }

  // ---- recording, for the analysis

  public void addClass(int bits) {
    classes |= bits;
  }

  public void countUnmatchedEnqueue(long n) {
    unmatchedEnqueue += n;
  }

  public void countUnmatchedExecute() {
    unmatchedExecute++;
  }

  public void countAcrossGap() {
    acrossGap++;
  }

  public void countAlreadyRunning() {
    alreadyRunning++;
  }

  /**
   * Adds another row of the same mechanism, metric and key; rows recorded in different units
   * (timer rows of traces with different HZ) cannot be added.
   */
  public DeferralRow add(DeferralRow other) {
    if (stats.count() > 0 && other.stats.count() > 0 && unitNs != other.unitNs) {
      throw new IllegalArgumentException("cannot merge " + mechanism.label() + " rows recorded at different HZ");
    }
    if (stats.count() == 0) unitNs = other.unitNs;
    stats.add(other.stats);
    worst.addAll(other.worst);
    tail.add(other.tail);
    tracksTail &= other.tracksTail; // a tail one side did not keep is not whole
    classes |= other.classes;
    unmatchedEnqueue += other.unmatchedEnqueue;
    unmatchedExecute += other.unmatchedExecute;
    acrossGap += other.acrossGap;
    alreadyRunning += other.alreadyRunning;
    // the stages of one chain; the all row of every chain has none
    if (other.stages != null && key.equals(other.key)) stages = stages == null ? other.stages.copy() : stages.add(other.stages);
    resolutionNs = Math.max(resolutionNs, other.resolutionNs);
    return this;
  }
}
