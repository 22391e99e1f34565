package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.FisherExactTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The statistics behind one latency row's verdict (Commons Statistics): Mann-Whitney U and
 * Kolmogorov-Smirnov on the two histograms' values, Cliff's delta, and Fisher's exact test on
 * the exceedances above each side's p99 and p99.9.
 */
final class LatencyTests {
  private LatencyTests() {}

  static Comparison.LatencyChange compare(DeferralRow before, DeferralRow after) {
    DeferralRow any = after != null ? after : before;
    String cls = after != null && !after.classLabel().isEmpty() ? after.classLabel()
        : before != null ? before.classLabel() : "";
    Comparison.Side b = Comparison.Side.of(before);
    Comparison.Side a = Comparison.Side.of(after);
    if (b.count() == 0 || a.count() == 0) {
      Comparison.Verdict v = b.count() == 0 && a.count() == 0 ? Comparison.Verdict.NOT_ENOUGH_SAMPLES
          : b.count() == 0 ? Comparison.Verdict.ONLY_AFTER : Comparison.Verdict.ONLY_BEFORE;
      return new Comparison.LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, Double.NaN, Double.NaN, Double.NaN,
          List.of(), v);
    }
    if (b.count() < Comparison.MIN_SAMPLES || a.count() < Comparison.MIN_SAMPLES) {
      return new Comparison.LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, Double.NaN, Double.NaN, Double.NaN,
          List.of(), Comparison.Verdict.NOT_ENOUGH_SAMPLES);
    }
    double[] x = samples(before.stats());
    double[] y = samples(after.stats());
    MannWhitneyUTest.Result mw = MannWhitneyUTest.withDefaults().test(x, y);
    double ksP = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC).test(x, y).getPValue();
    // U counts pairs (x_i, y_j) with x_i > y_j (ties half): delta = P(y > x) − P(y < x).
    double effect = 1.0 - 2.0 * mw.getStatistic() / ((double) x.length * y.length);
    List<Comparison.TailTest> tails = new ArrayList<>();
    if (b.count() >= Comparison.TAIL_SAMPLES && a.count() >= Comparison.TAIL_SAMPLES) tails.add(tail("p99", 99, before, after));
    if (b.count() >= Comparison.TAIL_999_SAMPLES && a.count() >= Comparison.TAIL_999_SAMPLES) tails.add(tail("p99.9", 99.9, before, after));
    Comparison.LatencyChange tested = new Comparison.LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, mw.getPValue(), ksP,
        effect, List.copyOf(tails), Comparison.Verdict.NO_SIGNIFICANT_CHANGE);
    return new Comparison.LatencyChange(any.mechanism(), any.metric(), any.key(), cls, b, a, mw.getPValue(), ksP, effect,
        List.copyOf(tails), verdict(tested));
  }

  /** A regression in the bulk or the tail wins over an improvement in the other. */
  private static Comparison.Verdict verdict(Comparison.LatencyChange l) {
    Comparison.Verdict bulk = l.bulk();
    if (bulk == Comparison.Verdict.SLOWER) return Comparison.Verdict.SLOWER;
    if (l.tailSlower()) return Comparison.Verdict.SLOWER_TAIL;
    if (bulk == Comparison.Verdict.FASTER) return Comparison.Verdict.FASTER;
    if (l.tailFaster()) return Comparison.Verdict.FASTER_TAIL;
    return Comparison.Verdict.NO_SIGNIFICANT_CHANGE;
  }

  /**
   * Exceedance counts above each side's percentile and Fisher's exact test on them, one-sided each
   * way. A value counts as above a threshold only when its whole histogram bucket is, so values
   * tied with the percentile's bucket never count (the same bucket layout on both sides: a row has
   * the same precision everywhere).
   */
  static Comparison.TailTest tail(String name, double percentile, DeferralRow before, DeferralRow after) {
    LatencyStats bs = before.stats();
    LatencyStats as = after.stats();
    long beforeTop = bs.percentileBucketTop(percentile);
    long afterTop = as.percentileBucketTop(percentile);
    long bAboveB = bs.countAbove(beforeTop);
    long aAboveB = as.countAbove(beforeTop);
    long bAboveA = bs.countAbove(afterTop);
    long aAboveA = as.countAbove(afterTop);
    double slower = fisherGreater(aAboveB, as.count(), bAboveB, bs.count());
    double faster = fisherGreater(bAboveA, bs.count(), aAboveA, as.count());
    return new Comparison.TailTest(name, before.percentileNs(percentile), bAboveB, aAboveB, slower, after.percentileNs(percentile),
        bAboveA, aAboveA, faster);
  }

  /** One-sided p that the first group's share above is larger than the second's. */
  static double fisherGreater(long above1, long n1, long above2, long n2) {
    // Counts beyond int are scaled down proportionally, which only weakens the test.
    double scale = Math.max(n1, n2) > Integer.MAX_VALUE / 4 ? (Integer.MAX_VALUE / 4.0) / Math.max(n1, n2) : 1.0;
    int a1 = (int) Math.round(above1 * scale);
    int m1 = (int) Math.round(n1 * scale);
    int a2 = (int) Math.round(above2 * scale);
    int m2 = (int) Math.round(n2 * scale);
    int[][] table = {{a1, m1 - a1}, {a2, m2 - a2}};
    return FisherExactTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(table).getPValue();
  }

  /** The histogram's values, thinned proportionally to at most Comparison.MAX_SAMPLES (largest remainder). */
  static double[] samples(LatencyStats stats) {
    long total = stats.count();
    double scale = total <= Comparison.MAX_SAMPLES ? 1.0 : Comparison.MAX_SAMPLES / (double) total;
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
    int target = (int) Math.min(total, Comparison.MAX_SAMPLES);
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
