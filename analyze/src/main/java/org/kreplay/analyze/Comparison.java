package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Before against after: which findings a change fixed, introduced or left, and for every deferral
 * row whether its latency moved, with a Mann-Whitney U test (does one side tend to be larger?), a
 * two-sample Kolmogorov-Smirnov test (do the distributions differ at all?), Cliff's delta as the
 * effect size, and a verdict a CI gate can use.
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
    FASTER("faster"), SLOWER("slower"), NO_SIGNIFICANT_CHANGE("no significant change"),
    NOT_ENOUGH_SAMPLES("not enough samples"), ONLY_BEFORE("only before"), ONLY_AFTER("only after");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

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
   * delta (-1: every after value below every before value … +1: every one above).
   */
  public record LatencyChange(Mechanism mechanism, DeferralRow.Metric metric, String key, String classLabel,
      Side before, Side after, double mannWhitneyP, double kolmogorovSmirnovP, double effect, Verdict verdict) {
    /** (after − before) / before of a percentile, or NaN when before is 0. */
    public double shift(long before, long after) {
      return before == 0 ? Double.NaN : (after - before) / (double) before;
    }

    /**
     * The bulk moved one way and the tail the other: "faster" by the rank test while p99 grew by
     * half or more (or the reverse), with enough values on both sides for a p99 to mean something.
     * A kernel engineer wants to see that next to the verdict, not find it in the columns.
     */
    public boolean tailDisagrees() {
      if (before.count() < TAIL_SAMPLES || after.count() < TAIL_SAMPLES || before.p99() == 0) return false;
      double p99 = shift(before.p99(), after.p99());
      return (verdict == Verdict.FASTER && p99 >= 0.5) || (verdict == Verdict.SLOWER && p99 <= -1.0 / 3);
    }
  }

  /** Values per side for p99 to be worth comparing (one percent is at least one value). */
  public static final int TAIL_SAMPLES = 100;

  private final List<FindingChange> findings;
  private final List<ReportChange> reports;
  private final List<LatencyChange> latencies;
  private final AnalysisResult before;
  private final AnalysisResult after;
  private final SplatResult beforeLogs;
  private final SplatResult afterLogs;

  private Comparison(AnalysisResult before, AnalysisResult after, SplatResult beforeLogs, SplatResult afterLogs) {
    this.before = before;
    this.after = after;
    this.beforeLogs = beforeLogs;
    this.afterLogs = afterLogs;
    this.findings = Collections.unmodifiableList(compareFindings(before.findings(), after.findings()));
    this.reports = Collections.unmodifiableList(compareReports(beforeLogs, afterLogs));
    this.latencies = Collections.unmodifiableList(compareLatencies(before.deferrals(), after.deferrals()));
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
    for (DeferralRow[] pair : rows.values()) out.add(compare(pair[0], pair[1]));
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

  static LatencyChange compare(DeferralRow before, DeferralRow after) {
    DeferralRow any = after != null ? after : before;
    String cls = after != null && !after.classLabel().isEmpty() ? after.classLabel()
        : before != null ? before.classLabel() : "";
    Side b = Side.of(before);
    Side a = Side.of(after);
    if (b.count() == 0 || a.count() == 0) {
      Verdict v = b.count() == 0 && a.count() == 0 ? Verdict.NOT_ENOUGH_SAMPLES
          : b.count() == 0 ? Verdict.ONLY_AFTER : Verdict.ONLY_BEFORE;
      return new LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, Double.NaN, Double.NaN, Double.NaN, v);
    }
    if (b.count() < MIN_SAMPLES || a.count() < MIN_SAMPLES) {
      return new LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, Double.NaN, Double.NaN, Double.NaN,
          Verdict.NOT_ENOUGH_SAMPLES);
    }
    double[] x = samples(before.stats());
    double[] y = samples(after.stats());
    MannWhitneyUTest.Result mw = MannWhitneyUTest.withDefaults().test(x, y);
    double ksP = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC).test(x, y).getPValue();
    // U counts pairs (x_i, y_j) with x_i > y_j (ties half): delta = P(y > x) − P(y < x).
    double effect = 1.0 - 2.0 * mw.getStatistic() / ((double) x.length * y.length);
    Verdict v;
    if (mw.getPValue() >= ALPHA || Math.abs(effect) < NEGLIGIBLE_EFFECT) v = Verdict.NO_SIGNIFICANT_CHANGE;
    else v = effect > 0 ? Verdict.SLOWER : Verdict.FASTER;
    return new LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, mw.getPValue(), ksP, effect, v);
  }

  /** The histogram's values, thinned proportionally to at most MAX_SAMPLES (largest remainder). */
  static double[] samples(LatencyStats stats) {
    long total = stats.count();
    double scale = total <= MAX_SAMPLES ? 1.0 : MAX_SAMPLES / (double) total;
    List<long[]> buckets = new ArrayList<>();
    stats.forEachBucket((value, count) -> buckets.add(new long[] {value, count}));
    int n = 0;
    long[] take = new long[buckets.size()];
    double[] rest = new double[buckets.size()];
    for (int i = 0; i < take.length; i++) {
      double want = buckets.get(i)[1] * scale;
      take[i] = (long) want;
      rest[i] = want - take[i];
      n += take[i];
    }
    int target = (int) Math.min(total, MAX_SAMPLES);
    while (n < target) { // hand out the remainder to the largest fractions, deterministically
      int best = 0;
      for (int i = 1; i < rest.length; i++) if (rest[i] > rest[best]) best = i;
      take[best]++;
      rest[best] = -1;
      n++;
    }
    double[] out = new double[n];
    int k = 0;
    for (int i = 0; i < take.length; i++) {
      for (long j = 0; j < take[i]; j++) out[k++] = buckets.get(i)[0];
    }
    return out;
  }
}
