package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A row keeps its N largest samples, and merging rows keeps the N largest of all, in any order. */
class DeferralRowWorstTest {
  private static DeferralSample sample(String source, long value, long ts) {
    return new DeferralSample("k", value, source, false, new DeferralSample.Event(ts - value, 0, 1, "a", 1),
        new DeferralSample.Event(ts, 1, 2, "b", 2));
  }

  private static DeferralRow row(String source, long seed, int n, List<DeferralSample> all) {
    DeferralRow r = new DeferralRow(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "all", 3, 5);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      long v = 1 + rnd.nextLong(1_000); // many ties: the order among equal values must still be fixed
      DeferralSample s = sample(source, v, 1_000_000 + i);
      r.stats().record(v);
      all.add(s);
      if (r.wantsWorst(v)) r.offerWorst(s);
    }
    return r;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 77, 20261203})
  void aRowKeepsItsFiveLargestAndMergingKeepsTheFiveLargestOfBoth(long seed) {
    List<DeferralSample> all = new ArrayList<>();
    DeferralRow a = row("a.txt", seed, 10_000, all);
    List<DeferralSample> onlyA = new ArrayList<>(all);
    DeferralRow b = row("b.txt", seed + 1, 7_000, all);
    onlyA.sort(DeferralSample.WORST_FIRST);
    assertThat(a.worst()).as("seed %d", seed).isEqualTo(onlyA.subList(0, 5));
    assertThat(a.worst().get(0).latencyNs()).isEqualTo(a.maxNs());
    all.sort(DeferralSample.WORST_FIRST);
    List<DeferralSample> expected = all.subList(0, 5);
    DeferralRow ab = new DeferralRow(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "all", 3, 5).add(a).add(b);
    DeferralRow ba = new DeferralRow(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "all", 3, 5).add(b).add(a);
    assertThat(ab.worst()).as("seed %d", seed).isEqualTo(expected).isEqualTo(ba.worst());
    assertThat(ab.worst()).isSortedAccordingTo(Comparator.comparingLong(DeferralSample::latencyNs).reversed());
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {0, 1, 3})
  void theCapacityBoundsWhatIsKept(int n) {
    DeferralRow r = new DeferralRow(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "all", 3, n);
    for (int i = 1; i <= 100; i++) if (r.wantsWorst(i)) r.offerWorst(sample("x", i, i * 10L));
    assertThat(r.worst()).extracting(DeferralSample::latencyNs)
        .containsExactlyElementsOf(n == 0 ? List.of() : List.of(100L, 99L, 98L).subList(0, n));
  }
}
