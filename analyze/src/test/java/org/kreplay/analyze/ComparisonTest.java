package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Before/after: findings matched by signature, latency rows tested for a shift. */
class ComparisonTest {
  private static DeferralRow row(String key, long[] valuesNs) {
    DeferralRow r = new DeferralRow(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, key, 3);
    for (long v : valuesNs) r.stats().record(v);
    return r;
  }

  /** Log-normal-ish latencies around {@code medianNs}, as real deferrals look. */
  private static long[] latencies(long seed, int n, long medianNs) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] v = new long[n];
    for (int i = 0; i < n; i++) v[i] = Math.max(1, (long) (medianNs * Math.exp(0.5 * gaussian(rnd))));
    return v;
  }

  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 42, 20261122})
  void aThirtyPercentSlowdownIsSignificantAndPointsTheRightWay(long seed) {
    var c = LatencyTests.compare(row("w", latencies(seed, 2000, 50_000)), row("w", latencies(seed + 1, 2000, 65_000)));
    assertThat(c.verdict()).as("seed %d", seed).isEqualTo(Comparison.Verdict.SLOWER);
    assertThat(c.mannWhitneyP()).as("seed %d", seed).isLessThan(1e-6);
    assertThat(c.kolmogorovSmirnovP()).as("seed %d", seed).isLessThan(1e-6);
    assertThat(c.effect()).as("seed %d", seed).isBetween(0.2, 0.6);
    assertThat(c.shift(c.before().p50(), c.after().p50())).as("seed %d", seed).isBetween(0.2, 0.4);
    var back = LatencyTests.compare(row("w", latencies(seed + 1, 2000, 65_000)), row("w", latencies(seed, 2000, 50_000)));
    assertThat(back.verdict()).isEqualTo(Comparison.Verdict.FASTER);
    assertThat(back.effect()).isCloseTo(-c.effect(), org.assertj.core.data.Offset.offset(1e-9));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 99, 31337})
  void twoDrawsFromTheSameDistributionShowNoChange(long seed) {
    var c = LatencyTests.compare(row("w", latencies(seed, 3000, 40_000)), row("w", latencies(seed + 100, 3000, 40_000)));
    assertThat(c.verdict()).as("seed %d", seed).isEqualTo(Comparison.Verdict.NO_SIGNIFICANT_CHANGE);
    assertThat(Math.abs(c.effect())).as("seed %d", seed).isLessThan(Comparison.NEGLIGIBLE_EFFECT);
  }

  @Test
  void aRowAgainstItselfIsNoChangeWithPValueOne() {
    long[] v = latencies(5, 500, 10_000);
    var c = LatencyTests.compare(row("w", v), row("w", v));
    assertThat(c.verdict()).isEqualTo(Comparison.Verdict.NO_SIGNIFICANT_CHANGE);
    assertThat(c.mannWhitneyP()).isGreaterThan(0.99);
    assertThat(c.effect()).isEqualTo(0.0);
  }

  @Test
  void fewSamplesOrOneSidedRowsGetNoTest() {
    var few = LatencyTests.compare(row("w", new long[] {1, 2, 3}), row("w", latencies(3, 100, 1000)));
    assertThat(few.verdict()).isEqualTo(Comparison.Verdict.NOT_ENOUGH_SAMPLES);
    assertThat(few.mannWhitneyP()).isNaN();
    var onlyAfter = LatencyTests.compare(null, row("call_rcu", latencies(3, 100, 1000)));
    assertThat(onlyAfter.verdict()).isEqualTo(Comparison.Verdict.ONLY_AFTER);
    assertThat(onlyAfter.before().count()).isZero();
    var onlyBefore = LatencyTests.compare(row("gone", latencies(3, 100, 1000)), null);
    assertThat(onlyBefore.verdict()).isEqualTo(Comparison.Verdict.ONLY_BEFORE);
  }

  /** n evenly spread values from 1,000 ns up, with {@code outliers} of them (spread through the middle) set to 10 ms. */
  private static long[] spread(int n, int outliers) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) v[i] = 1_000 + i;
    for (int k = 0; k < outliers; k++) v[n / 4 + k * 7] = 10_000_000;
    return v;
  }

  @Test
  void aHeavierTailWithTheBulkUnchangedIsASlowerTailAndTheReverseAFasterTail() {
    // 100 of 2,000 values become 10 ms: the ranks barely move, the share above before's p99 quintuples
    var c = LatencyTests.compare(row("w", spread(2000, 0)), row("w", spread(2000, 100)));
    assertThat(c.bulk()).isEqualTo(Comparison.Verdict.NO_SIGNIFICANT_CHANGE);
    assertThat(c.verdict()).isEqualTo(Comparison.Verdict.SLOWER_TAIL);
    assertThat(c.verdict().regression()).isTrue();
    Comparison.TailTest p99 = c.tails().get(0);
    assertThat(p99.percentile()).isEqualTo("p99");
    assertThat(p99.beforeAboveBefore()).isBetween(15L, 20L);
    assertThat(p99.afterAboveBefore()).isBetween(p99.beforeAboveBefore() + 90, p99.beforeAboveBefore() + 100);
    assertThat(p99.slowerP()).isLessThan(1e-10);
    assertThat(p99.fasterP()).isGreaterThan(0.5);
    assertThat(c.tailP()).isEqualTo(c.tailSlowerP());
    var back = LatencyTests.compare(row("w", spread(2000, 100)), row("w", spread(2000, 0)));
    assertThat(back.verdict()).isEqualTo(Comparison.Verdict.FASTER_TAIL);
    assertThat(back.verdict().improvement()).isTrue();
    assertThat(back.tailFasterP()).isLessThan(1e-10);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 17, 20261203})
  void aFasterBulkWithATailThatExplodedIsASlowerTailNotFaster(long seed) {
    // as under a competing load: the bulk earlier, 5% of the values a thousand times later
    long[] after = latencies(seed + 1, 2000, 20_000);
    for (int i = 0; i < 100; i++) after[i] = 20_000_000;
    var c = LatencyTests.compare(row("w", latencies(seed, 2000, 50_000)), row("w", after));
    assertThat(c.bulk()).as("seed %d", seed).isEqualTo(Comparison.Verdict.FASTER);
    assertThat(c.verdict()).as("seed %d", seed).isEqualTo(Comparison.Verdict.SLOWER_TAIL);
    assertThat(c.tailDisagrees()).isTrue();
  }

  @Test
  void aTailSeenOnlyAtP999NeedsAThousandValuesASide() {
    // 20 of 5,000 values at 10 ms: too few to move the share above p99 (≈70 vs 50), plenty above p99.9 (≈25 vs 5)
    var c = LatencyTests.compare(row("w", spread(5000, 0)), row("w", spread(5000, 20)));
    assertThat(c.tails()).extracting(Comparison.TailTest::percentile).containsExactly("p99", "p99.9");
    assertThat(c.tails().get(0).slowerP()).isGreaterThan(Comparison.ALPHA);
    assertThat(c.tails().get(1).slowerP()).isLessThan(Comparison.ALPHA / 2);
    assertThat(c.verdict()).isEqualTo(Comparison.Verdict.SLOWER_TAIL);
    // with 999 values a side there is no p99.9 test, and at p99 four outliers are not significant
    var small = LatencyTests.compare(row("w", spread(999, 0)), row("w", spread(999, 4)));
    assertThat(small.tails()).extracting(Comparison.TailTest::percentile).containsExactly("p99");
    assertThat(small.verdict()).isEqualTo(Comparison.Verdict.NO_SIGNIFICANT_CHANGE);
  }

  @Test
  void belowAHundredValuesASideThereIsNoTailTest() {
    // 5 of 99 values at 10 ms would be a tail, but one percent of 99 is less than one value
    var c = LatencyTests.compare(row("w", spread(99, 0)), row("w", spread(99, 5)));
    assertThat(c.tails()).isEmpty();
    assertThat(c.tailP()).isNaN();
    assertThat(c.verdict()).isEqualTo(Comparison.Verdict.NO_SIGNIFICANT_CHANGE);
    var few = LatencyTests.compare(row("w", spread(7, 0)), row("w", spread(2000, 100)));
    assertThat(few.verdict()).isEqualTo(Comparison.Verdict.NOT_ENOUGH_SAMPLES);
    assertThat(few.tails()).isEmpty();
  }

  @Test
  void everyVerdictHasAOneLineMeaning() {
    for (Comparison.Verdict v : Comparison.Verdict.values()) assertThat(v.meaning()).isNotBlank().doesNotContain("\n");
    assertThat(Comparison.Verdict.SLOWER_TAIL.meaning()).contains("p99", "Fisher");
  }

  @Test
  void largeSidesAreThinnedKeepingTheirShape() {
    DeferralRow big = row("w", latencies(11, 200_000, 30_000));
    double[] s = LatencyTests.samples(big.stats());
    assertThat(s).hasSize(Comparison.MAX_SAMPLES);
    java.util.Arrays.sort(s);
    double median = s[s.length / 2];
    assertThat(median).isCloseTo(big.percentileNs(50), org.assertj.core.data.Percentage.withPercentage(2));
  }

  @Test
  void findingsAreNewFixedOrUnchangedBySignature() {
    AnalysisResult before = new AnalysisResult();
    AnalysisResult after = new AnalysisResult();
    Finding fixed = finding("fixed_fn", FindingKind.SLEEP_IN_ATOMIC);
    Finding kept = finding("kept_fn", FindingKind.CIRCULAR_DEPENDENCY);
    Finding fresh = finding("new_fn", FindingKind.INVALID_WAIT_CONTEXT);
    before.findings().report(fixed, "b");
    before.findings().report(kept, "b");
    before.findings().report(finding("kept_fn", FindingKind.CIRCULAR_DEPENDENCY), "b");
    after.findings().report(finding("kept_fn", FindingKind.CIRCULAR_DEPENDENCY), "a");
    after.findings().report(fresh, "a");
    Comparison c = Comparison.of(before, after);
    assertThat(c.findings()).extracting(f -> f.change().label() + " " + f.finding().culprit())
        .containsExactly("new new_fn", "fixed fixed_fn", "unchanged kept_fn");
    Comparison.FindingChange same = c.findings(Comparison.Change.UNCHANGED).get(0);
    assertThat(same.beforeCount()).isEqualTo(2);
    assertThat(same.afterCount()).isEqualTo(1);
  }

  private static Finding finding(String culprit, FindingKind kind) {
    return new Finding(kind, Finding.signature(kind, culprit, List.of("L")), culprit, List.of(culprit), List.of("L"),
        "task", "msg", "fix", Finding.Certainty.CERTAIN, "non-RT kernel", List.of(), "t", 1000);
  }
}
