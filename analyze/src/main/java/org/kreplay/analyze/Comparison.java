package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before against after: which findings a change fixed, introduced or left, and for every deferral
 * row whether its latency moved, with a Mann-Whitney U test (does one side tend to be larger?), a
 * two-sample Kolmogorov-Smirnov test (do the distributions differ at all?), Cliff's delta as the
 * effect size, a tail test (are more values above the other side's p99 / p99.9 than chance allows?
 * Fisher's exact test, one-sided, on the exceedance counts), and a verdict a CI gate can use.
 *
 * <p>The samples come from the rows' HdrHistograms (every recorded value at its bucket's
 * representative, so ties are common and handled by both tests); a side with more than {@link
 * #MAX_SAMPLES} values is thinned proportionally bucket by bucket, which keeps its shape and only
 * makes the p-values more conservative.
 */
public final class Comparison {
  /** Below this many values on either side a row gets {@link Verdict#NOT_ENOUGH_SAMPLES}. */
  public static final int MIN_SAMPLES = 8;
  /** Values per side fed to the tests. */
  public static final int MAX_SAMPLES = 20_000;
  /** Significance level of the verdicts. */
  public static final double ALPHA = 0.01;
  /** |Cliff's delta| below this is "negligible" (Romano et al. 2006): no change worth a verdict. */
  public static final double NEGLIGIBLE_EFFECT = 0.147;

  /** What happened to a finding. */
  public enum Change {
    NEW("new"), FIXED("fixed"), UNCHANGED("unchanged");

    private final String label;

    Change(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A finding on one side or both, matched by signature. */
  public record FindingChange(Change change, Finding finding, long beforeCount, long afterCount) {}

  /**
   * A distinct problem among the kernel reports of the logs on one side or both, matched by the
   * splat signature (kind, culprit, lock classes); {@code bucket} is the after side's when both have it.
   */
  public record ReportChange(Change change, SplatBucket bucket, long beforeCount, long afterCount) {}

  /** What a latency row did. */
  public enum Verdict {
    SLOWER("slower"), SLOWER_TAIL("slower tail"), FASTER("faster"), FASTER_TAIL("faster tail"),
    NO_SIGNIFICANT_CHANGE("no significant change"), NOT_ENOUGH_SAMPLES("not enough samples"),
    ONLY_BEFORE("only before"), ONLY_AFTER("only after");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** Slower in the bulk or in the tail: what a slowdown gate fails on and the summaries count as slower. */
    public boolean regression() {
      return this == SLOWER || this == SLOWER_TAIL;
    }

    /** Faster in the bulk or in the tail, without a regression. */
    public boolean improvement() {
      return this == FASTER || this == FASTER_TAIL;
    }

    /** What the verdict means, in one line, for the legend of every human-readable report. */
    public String meaning() {
      return switch (this) {
        case SLOWER -> "after's values tend to be larger (Mann-Whitney p < " + ALPHA + ", |δ| ≥ " + NEGLIGIBLE_EFFECT + ")";
        case SLOWER_TAIL -> "the bulk is not slower, but significantly more after values lie above before's p99 or"
            + " p99.9 (one-sided Fisher exact p < " + ALPHA + ")";
        case FASTER -> "after's values tend to be smaller and its tail did not grow";
        case FASTER_TAIL -> "no change in the bulk, but significantly more before values lie above after's p99 or p99.9";
        case NO_SIGNIFICANT_CHANGE -> "neither the bulk nor the tail moved significantly (or only negligibly)";
        case NOT_ENOUGH_SAMPLES -> "fewer than " + MIN_SAMPLES + " values on a side (the tail tests need "
            + TAIL_SAMPLES + ", p99.9 " + String.format(java.util.Locale.ROOT, "%,d", TAIL_999_SAMPLES) + ")";
        case ONLY_BEFORE -> "a deferral seen before only (one the change removed)";
        case ONLY_AFTER -> "a deferral seen after only (one the change introduced)";
      };
    }
  }

  /**
   * One tail test of a row at one percentile (p99 or p99.9), both ways: how many values of each
   * side lie above before's percentile (slower: after has significantly more of them) and above
   * after's (faster: before has significantly more). Thresholds are in ns; p-values are Fisher's
   * exact test, one-sided, on the 2×2 table of above/not-above counts.
   */
  public record TailTest(String percentile, long beforeThresholdNs, long beforeAboveBefore, long afterAboveBefore,
      double slowerP, long afterThresholdNs, long beforeAboveAfter, long afterAboveAfter, double fasterP) {}
  /** One side of a latency row: count and percentiles in ns. */
  public record Side(long count, long p50, long p90, long p99, long max, long mean) {
    static final Side NONE = new Side(0, 0, 0, 0, 0, 0);

    static Side of(DeferralRow r) {
      if (r == null || r.count() == 0) return NONE;
      return new Side(r.count(), r.percentileNs(50), r.percentileNs(90), r.percentileNs(99), r.maxNs(), r.meanNs());
    }
  }

  /**
   * A deferral row on both sides. p-values are NaN when no test was run; {@code effect} is Cliff's
   * delta (-1: every after value below every before value … +1: every one above); {@code tails}
   * holds the p99 test (both sides ≥ {@link #TAIL_SAMPLES} values) and the p99.9 test (both ≥
   * {@link #TAIL_999_SAMPLES}), or is empty.
   */
  public record LatencyChange(Mechanism mechanism, DeferralRow.Metric metric, String key, String classLabel,
      Side before, Side after, double mannWhitneyP, double kolmogorovSmirnovP, double effect, List<TailTest> tails,
      Verdict verdict) {
    /** (after − before) / before of a percentile, or NaN when before is 0. */
    public double shift(long before, long after) {
      return before == 0 ? Double.NaN : (after - before) / (double) before;
    }

    /** The rank test's direction alone: SLOWER, FASTER or NO_SIGNIFICANT_CHANGE (NaN p: no change). */
    public Verdict bulk() {
      if (Double.isNaN(mannWhitneyP) || mannWhitneyP >= ALPHA || Math.abs(effect) < NEGLIGIBLE_EFFECT) {
        return Verdict.NO_SIGNIFICANT_CHANGE;
      }
      return effect > 0 ? Verdict.SLOWER : Verdict.FASTER;
    }

    /** Smallest one-sided p that after's tail is heavier, NaN without a tail test. */
    public double tailSlowerP() {
      return tails.stream().mapToDouble(TailTest::slowerP).min().orElse(Double.NaN);
    }

    /** Smallest one-sided p that before's tail is heavier, NaN without a tail test. */
    public double tailFasterP() {
      return tails.stream().mapToDouble(TailTest::fasterP).min().orElse(Double.NaN);
    }

    /** The p-value of the tail test in the direction the tail moved (the smaller of the two), NaN without one. */
    public double tailP() {
      return tails.isEmpty() ? Double.NaN : Math.min(tailSlowerP(), tailFasterP());
    }

    /** Whether the tail grew significantly (Bonferroni over the percentiles tested). */
    public boolean tailSlower() {
      return !tails.isEmpty() && tailSlowerP() < ALPHA / tails.size();
    }

    public boolean tailFaster() {
      return !tails.isEmpty() && tailFasterP() < ALPHA / tails.size();
    }

    /**
     * The bulk moved one way and the tail significantly the other (faster in the rank test while
     * more after values lie above before's p99, or the reverse): the verdict goes by the worse.
     */
    public boolean tailDisagrees() {
      Verdict b = bulk();
      return (b == Verdict.FASTER && tailSlower()) || (b == Verdict.SLOWER && tailFaster());
    }
  }

  /** Values per side for a p99 tail test (one percent is at least one value). */
  public static final int TAIL_SAMPLES = 100;
  /** Values per side for a p99.9 tail test. */
  public static final int TAIL_999_SAMPLES = 1000;

  private final List<FindingChange> findings;
  private final List<ReportChange> reports;
  private final List<LatencyChange> latencies;
  private final AnalysisResult before;
  private final AnalysisResult after;
  private final SplatResult beforeLogs;
  private final SplatResult afterLogs;
  /** Lock dependencies (each side's graph walked once): how many each side has, and the edges only one has. */
  private final int lockDependenciesBefore;
  private final int lockDependenciesAfter;
  private final List<LockDependency> lockDependenciesGone;
  private final List<LockDependency> lockDependenciesNew;

  private Comparison(AnalysisResult before, AnalysisResult after, SplatResult beforeLogs, SplatResult afterLogs) {
    this.before = before;
    this.after = after;
    this.beforeLogs = beforeLogs;
    this.afterLogs = afterLogs;
    this.findings = Collections.unmodifiableList(compareFindings(before.findings(), after.findings()));
    this.reports = Collections.unmodifiableList(compareReports(beforeLogs, afterLogs));
    this.latencies = Collections.unmodifiableList(compareLatencies(before.deferrals(), after.deferrals()));
    List<LockDependency> b = Analyzer.lockDependencies(before);
    List<LockDependency> a = Analyzer.lockDependencies(after);
    this.lockDependenciesBefore = b.size();
    this.lockDependenciesAfter = a.size();
    this.lockDependenciesGone = onlyIn(b, a);
    this.lockDependenciesNew = onlyIn(a, b);
  }

  /** The dependencies of {@code side} the {@code other} has not, in {@code side}'s order. */
  private static List<LockDependency> onlyIn(List<LockDependency> side, List<LockDependency> other) {
    java.util.Set<String> labels = new java.util.HashSet<>();
    for (LockDependency d : other) labels.add(d.label());
    List<LockDependency> out = new ArrayList<>();
    for (LockDependency d : side) if (!labels.contains(d.label())) out.add(d);
    return Collections.unmodifiableList(out);
  }

  /** Two sides that are traces only. */
  public static Comparison of(AnalysisResult before, AnalysisResult after) {
    return new Comparison(before, after, new SplatResult(), new SplatResult());
  }

  /**
   * Two sides each made of traces (analysed) and kernel logs (their reports grouped); either part
   * of a side may be empty.
   */
  public static Comparison of(AnalysisResult before, SplatResult beforeLogs, AnalysisResult after,
      SplatResult afterLogs) {
    return new Comparison(before, after, beforeLogs, afterLogs);
  }

  public AnalysisResult before() {
    return before;
  }

  public AnalysisResult after() {
    return after;
  }

  /** The kernel logs' reports of the before side (empty when it has no logs). */
  public SplatResult beforeLogs() {
    return beforeLogs;
  }

  public SplatResult afterLogs() {
    return afterLogs;
  }

  /**
   * The lock dependencies (held → taken) one side has and the other has not: {@code NEW} only
   * after, {@code FIXED} only before — a fix that breaks a lock-order cycle shows as its edge gone.
   * Sorted by held, then taken class.
   */
  public List<LockDependency> lockDependencies(Change change) {
    if (change == Change.UNCHANGED) throw new IllegalArgumentException("new or fixed");
    return change == Change.NEW ? lockDependenciesNew : lockDependenciesGone;
  }

  /** How many lock dependencies the before side has, or the after side. */
  public int lockDependencyCount(boolean afterSide) {
    return afterSide ? lockDependenciesAfter : lockDependenciesBefore;
  }

  /** Whether either side had kernel logs, so the report needs a kernel-reports section. */
  public boolean hasLogs() {
    return !beforeLogs.logs().isEmpty() || !afterLogs.logs().isEmpty();
  }

  /** Kernel-report problems: new first, then fixed, then unchanged; within each most reports first. */
  public List<ReportChange> reports() {
    return reports;
  }

  public List<ReportChange> reports(Change change) {
    List<ReportChange> out = new ArrayList<>();
    for (ReportChange r : reports) if (r.change() == change) out.add(r);
    return out;
  }

  /** New first, then fixed, then unchanged; within each as {@link Findings#all()} orders them. */
  public List<FindingChange> findings() {
    return findings;
  }

  public List<FindingChange> findings(Change change) {
    List<FindingChange> out = new ArrayList<>();
    for (FindingChange f : findings) if (f.change() == change) out.add(f);
    return out;
  }

  /** Every deferral row present on either side: by mechanism and metric, overall rows first, busiest first. */
  public List<LatencyChange> latencies() {
    return latencies;
  }

  public LatencyChange latency(Mechanism m, DeferralRow.Metric metric, String key) {
    for (LatencyChange c : latencies) {
      if (c.mechanism() == m && c.metric() == metric && c.key().equals(key)) return c;
    }
    return null;
  }

  // ---- findings

  private static List<FindingChange> compareFindings(Findings before, Findings after) {
    List<FindingChange> news = new ArrayList<>();
    List<FindingChange> fixed = new ArrayList<>();
    List<FindingChange> same = new ArrayList<>();
    for (Finding a : after.all()) {
      Finding b = before.get(a.signature());
      if (b == null) news.add(new FindingChange(Change.NEW, a, 0, a.count()));
      else same.add(new FindingChange(Change.UNCHANGED, a, b.count(), a.count()));
    }
    for (Finding b : before.all()) {
      if (after.get(b.signature()) == null) fixed.add(new FindingChange(Change.FIXED, b, b.count(), 0));
    }
    List<FindingChange> all = new ArrayList<>(news);
    all.addAll(fixed);
    all.addAll(same);
    return all;
  }

  private static List<ReportChange> compareReports(SplatResult before, SplatResult after) {
    List<ReportChange> news = new ArrayList<>();
    List<ReportChange> fixed = new ArrayList<>();
    List<ReportChange> same = new ArrayList<>();
    for (SplatBucket a : after.buckets()) {
      SplatBucket b = before.get(a.signature());
      if (b == null) news.add(new ReportChange(Change.NEW, a, 0, a.count()));
      else same.add(new ReportChange(Change.UNCHANGED, a, b.count(), a.count()));
    }
    for (SplatBucket b : before.buckets()) {
      if (after.get(b.signature()) == null) fixed.add(new ReportChange(Change.FIXED, b, b.count(), 0));
    }
    List<ReportChange> all = new ArrayList<>(news);
    all.addAll(fixed);
    all.addAll(same);
    return all;
  }

  // ---- latencies

  private static List<LatencyChange> compareLatencies(DeferralStats before, DeferralStats after) {
    Map<String, DeferralRow[]> rows = new LinkedHashMap<>();
    for (DeferralRow r : after.rows()) rows.computeIfAbsent(id(r), k -> new DeferralRow[2])[1] = r;
    for (DeferralRow r : before.rows()) rows.computeIfAbsent(id(r), k -> new DeferralRow[2])[0] = r;
    List<LatencyChange> out = new ArrayList<>();
    for (DeferralRow[] pair : rows.values()) out.add(LatencyTests.compare(pair[0], pair[1]));
    // Report order: by mechanism and metric, overall rows first, then the busiest keys.
    out.sort(java.util.Comparator.comparing((LatencyChange l) -> l.mechanism().ordinal())
        .thenComparing(l -> l.metric().ordinal())
        .thenComparing(l -> !DeferralStats.isAggregate(l.key()))
        .thenComparing(l -> DeferralStats.isAggregate(l.key()) ? l.key() : "")
        .thenComparing(l -> -Math.max(l.before().count(), l.after().count()))
        .thenComparing(LatencyChange::key));
    return out;
  }

  private static String id(DeferralRow r) {
    return r.mechanism().name() + '\0' + r.metric().name() + '\0' + r.key();
  }
}
