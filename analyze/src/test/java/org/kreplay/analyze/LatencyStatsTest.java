package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyStatsTest {
  /** Samples spanning ns to seconds, log-uniform like real latencies. */
  private static long[] samples(SplittableRandom rnd, int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) v[i] = (long) Math.pow(10, rnd.nextDouble(0, 9.5));
    return v;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 99, 2026})
  void percentilesAreWithinTheStatedPrecisionOfTheExactOnes(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int digits : new int[] {2, 3}) {
      long[] v = samples(rnd, 5000);
      LatencyStats s = new LatencyStats(digits);
      for (long x : v) s.record(x);
      long[] sorted = v.clone();
      Arrays.sort(sorted);
      assertThat(s.count()).isEqualTo(v.length);
      assertThat(s.min()).isEqualTo(sorted[0]);
      assertThat(s.max()).isEqualTo(sorted[sorted.length - 1]);
      assertThat(s.sum()).isEqualTo(Arrays.stream(v).sum());
      double tolerance = Math.pow(10, -digits) * 2;
      for (double p : new double[] {50, 90, 99, 99.9}) {
        // nearest rank, as HdrHistogram counts it
        long exact = sorted[Math.max(0, (int) (p / 100 * sorted.length + 0.5) - 1)];
        assertThat((double) s.percentile(p))
            .as("seed %d digits %d p%s", seed, digits, p)
            .isCloseTo(exact, org.assertj.core.data.Offset.offset(Math.max(1.0, exact * tolerance)));
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 11, 12345})
  void mergingEqualsRecordingEverythingInOne(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] a = samples(rnd, 3000);
    long[] b = samples(rnd, 1000);
    LatencyStats left = new LatencyStats(2);
    LatencyStats right = new LatencyStats(2);
    LatencyStats whole = new LatencyStats(2);
    for (long x : a) {
      left.record(x);
      whole.record(x);
    }
    for (long x : b) {
      right.record(x);
      whole.record(x);
    }
    left.add(right);
    assertThat(left.count()).isEqualTo(whole.count());
    assertThat(left.min()).isEqualTo(whole.min());
    assertThat(left.max()).isEqualTo(whole.max());
    assertThat(left.sum()).isEqualTo(whole.sum());
    for (double p : new double[] {1, 25, 50, 75, 90, 99, 99.9, 100}) {
      assertThat(left.percentile(p)).as("seed %d p%s", seed, p).isEqualTo(whole.percentile(p));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 42, 777, 2026})
  void samplesOfWholeMicrosecondsGiveExactPercentilesNotBucketEdges(long seed) {
    // Latencies between the kernel text's µs timestamps: every sample a multiple of 1000 ns.
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] v = new long[2000];
    for (int i = 0; i < v.length; i++) v[i] = rnd.nextLong(0, 60) * 1000 + (rnd.nextInt(20) == 0 ? rnd.nextLong(60, 3000) * 1000 : 0);
    LatencyStats s = new LatencyStats(2);
    for (long x : v) s.record(x);
    long[] sorted = v.clone();
    Arrays.sort(sorted);
    for (double p : new double[] {50, 90, 99, 99.9}) {
      long exact = sorted[Math.max(0, (int) (p / 100 * sorted.length + 0.5) - 1)];
      long at = s.percentile(p, 1000);
      assertThat(at % 1000).as("seed %d p%s: %d is a whole µs", seed, p, at).isZero();
      // exact where the bucket is narrower than a µs (below 128 µs at two digits), else within its width
      if (exact < 128_000) assertThat(at).as("seed %d p%s", seed, p).isEqualTo(exact);
      else assertThat((double) at).as("seed %d p%s", seed, p).isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 0.01 + 1000));
    }
    // the bucket edge is what the plain percentile gives: 13 µs reads as 13,055 ns
    LatencyStats one = new LatencyStats(2);
    one.record(13_000);
    one.record(13_000);
    one.record(14_000);
    assertThat(one.percentile(50)).isEqualTo(13_055);
    assertThat(one.percentile(50, 1000)).isEqualTo(13_000);
  }
}
