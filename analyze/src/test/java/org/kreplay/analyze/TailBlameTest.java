package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The tail's value buckets, what the tail sums, and when it can say it is exact. */
class TailBlameTest {
  static LongStream seeds() {
    return LongStream.of(1, 7, 42, 1234567, 0x5DEECE66DL);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyValueFallsInABucketAtMostOneSixteenthWide(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 100_000; i++) {
      long v = r.nextInt(4) == 0 ? r.nextInt(100) : (long) Math.exp(r.nextDouble() * 40);
      int k = TailBlame.bucket(v);
      assertThat(TailBlame.lowerBound(k)).as("seed %d, value %d", seed, v).isLessThanOrEqualTo(v);
      assertThat(TailBlame.lowerBound(k + 1)).as("seed %d, value %d", seed, v).isGreaterThan(v);
      long width = TailBlame.lowerBound(k + 1) - TailBlame.lowerBound(k);
      assertThat(width * 16).as("seed %d, value %d", seed, v).isLessThanOrEqualTo(Math.max(16, TailBlame.lowerBound(k)));
    }
  }

  private static Blame blame(String what, long ns) {
    return new Blame(List.of(new Blame.Share(what, ns)));
  }

  @Test
  void theTailSumsTheSamplesFromTheP99sBucket() {
    TailBlame t = new TailBlame();
    for (int i = 0; i < 990; i++) t.add(5_000, blame("task stress/300", 5_000));
    for (int i = 0; i < 10; i++) t.add(100_000, blame("irq 28 (dev)", 100_000));
    TailBlame.Tail tail = t.tail(100_000);
    assertThat(tail.samples()).isEqualTo(10);
    assertThat(tail.exact()).isTrue();
    assertThat(tail.blame().shares()).containsExactly(new Blame.Share("irq 28 (dev)", 1_000_000));
    assertThat(tail.fromNs()).isLessThanOrEqualTo(100_000).isGreaterThan(100_000 * 15 / 16);
  }

  @Test
  void aThresholdAboveTheFinalP99MakesTheTailApproximate() {
    TailBlame t = new TailBlame();
    t.raiseThreshold(50_000); // the running p99 was high early on
    assertThat(t.wants(20_000)).isFalse();
    t.add(60_000, blame("idle", 60_000));
    TailBlame.Tail tail = t.tail(30_000); // ... and lower at the end: samples of 30-50 µs were not kept
    assertThat(tail.exact()).isFalse();
    assertThat(t.tail(60_000).exact()).isTrue();
  }

  @Test
  void mergingAddsBucketsAndKeepsTheHigherThreshold() {
    TailBlame a = new TailBlame();
    a.add(100_000, blame("idle", 100_000));
    TailBlame b = new TailBlame();
    b.raiseThreshold(10_000);
    b.add(100_000, blame("idle", 100_000));
    b.add(100_000, blame("softirq TIMER", 100_000));
    TailBlame.Tail tail = a.add(b).tail(100_000);
    assertThat(tail.samples()).isEqualTo(3);
    assertThat(tail.blame().shares()).containsExactly(new Blame.Share("idle", 200_000),
        new Blame.Share("softirq TIMER", 100_000));
  }

  /** However spread the samples, at most MAX_BUCKETS buckets are kept: the lowest go, and say so. */
  @Test
  void aRowKeepsABoundedNumberOfBuckets() {
    TailBlame t = new TailBlame();
    for (long v = 1_000; v < 1_000_000_000L; v = v * 21 / 20) t.add(v, blame("idle", v));
    TailBlame.Tail high = t.tail(500_000_000L);
    assertThat(high.exact()).isTrue();
    assertThat(t.tail(2_000).exact()).as("the lowest buckets were let go").isFalse();
    assertThat(t.wants(2_000)).isFalse();
  }

  /** The aggregate rows and the first TAILED_KEYS key rows keep a tail; later keys do not. */
  @Test
  void onlyTheFirstKeysOfAMechanismKeepATail() {
    DeferralStats stats = new DeferralStats();
    for (int k = 0; k < DeferralStats.TAILED_KEYS + 10; k++) {
      DeferralRow r = stats.row(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "comm" + k);
      r.stats().record(1_000);
      if (r.wantsTail(1_000)) r.addTail(1_000, blame("idle", 1_000));
    }
    DeferralRow all = stats.row(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, DeferralRow.ALL);
    all.stats().record(1_000);
    all.addTail(1_000, blame("idle", 1_000));
    assertThat(all.tailBlame()).isNotNull();
    assertThat(stats.find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "comm0").tailBlame()).isNotNull();
    assertThat(stats.find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "comm" + (DeferralStats.TAILED_KEYS - 1)).tailBlame())
        .isNotNull();
    assertThat(stats.find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "comm" + DeferralStats.TAILED_KEYS).tailBlame()).isNull();
  }
}
