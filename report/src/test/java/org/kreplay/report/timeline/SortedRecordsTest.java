package org.kreplay.report.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records in trace order with late ones among them (the arrows' starts) come out sorted by
 * timestamp, ties in arrival order, as long as a late one is at most the hold-back old; beyond
 * that it is written as it comes and counted.
 */
class SortedRecordsTest {
  static LongStream seeds() {
    return LongStream.range(1, 21);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void lateRecordsWithinTheHoldBackArePutInPlace(long seed) throws IOException {
    Random rnd = new Random(seed);
    int held = 1 + rnd.nextInt(64);
    List<long[]> in = new ArrayList<>(); // ts, arrival
    List<long[]> out = new ArrayList<>();
    SortedRecords sorted = new SortedRecords((b, off, len) -> out.add(in.get((int) decode(b, off))), held);
    long ts = 0;
    long[] clock = new long[2_000]; // the trace's time at each arrival
    for (int i = 0; i < 2_000; i++) {
      ts += rnd.nextInt(3); // ties happen
      clock[i] = ts;
      // a late record goes back at most held/2 arrivals in the trace's time: within the hold-back
      long t = rnd.nextInt(5) == 0 && i > held ? clock[i - 1 - rnd.nextInt(held / 2 + 1)] : ts;
      in.add(new long[] {t, i});
      sorted.add(t, encode(i));
    }
    sorted.flush();
    List<long[]> expected = new ArrayList<>(in);
    expected.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    assertThat(out).as("seed %d, hold-back %d", seed, held).containsExactlyElementsOf(expected);
    assertThat(sorted.outOfOrder()).isZero();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aRecordOlderThanTheHoldBackIsWrittenAndCounted(long seed) throws IOException {
    List<Long> out = new ArrayList<>();
    SortedRecords sorted = new SortedRecords((b, off, len) -> out.add(decode(b, off)), 4);
    for (long t = 100; t < 110; t++) sorted.add(t, encode(t));
    sorted.add(seed, encode(seed)); // far older than the four held
    sorted.flush();
    assertThat(out).hasSize(11).contains(seed);
    assertThat(sorted.outOfOrder()).isEqualTo(1);
  }

  private static byte[] encode(long v) {
    return java.nio.ByteBuffer.allocate(8).putLong(v).array();
  }

  private static long decode(byte[] b, int off) {
    return java.nio.ByteBuffer.wrap(b, off, 8).getLong();
  }

  /**
   * Records of every length from 1 to 300 bytes, through a ring that starts small (so that it
   * grows, and records wrap around its end) and late records among them: each comes out whole,
   * byte for byte, in timestamp order.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void recordsOfAnyLengthComeOutWhole(long seed) throws IOException {
    Random rnd = new Random(seed);
    int held = 50 + rnd.nextInt(150); // late records go back a few timestamps: always within it
    List<byte[]> in = new ArrayList<>();
    List<long[]> order = new ArrayList<>(); // ts, arrival
    List<byte[]> out = new ArrayList<>();
    SortedRecords sorted = new SortedRecords((b, off, len) -> out.add(java.util.Arrays.copyOfRange(b, off, off + len)),
        held, new RecordRing(2, 16));
    long ts = 0;
    for (int i = 0; i < 3_000; i++) {
      ts += rnd.nextInt(4);
      long t = rnd.nextInt(7) == 0 ? Math.max(0, ts - rnd.nextInt(3)) : ts;
      byte[] record = new byte[1 + rnd.nextInt(300)];
      rnd.nextBytes(record);
      byte[] padded = new byte[record.length + 10]; // the record sits inside a larger array, as the writers' do
      System.arraycopy(record, 0, padded, 5, record.length);
      in.add(record);
      order.add(new long[] {t, i});
      sorted.add(t, padded, 5, record.length);
    }
    sorted.flush();
    List<long[]> expected = new ArrayList<>(order);
    expected.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    assertThat(out).as("seed %d, hold-back %d", seed, held).hasSize(in.size());
    assertThat(sorted.outOfOrder()).isZero();
    for (int k = 0; k < out.size(); k++) {
      assertThat(out.get(k)).as("seed %d, record %d", seed, k).isEqualTo(in.get((int) expected.get(k)[1]));
    }
  }

  /**
   * Late records each older than the one before (a run of their own each): past {@link
   * SortedRecords#MAX_RUNS} runs they go into the heap, and runs and heap together still give the
   * records in order, mixed with the ones in trace order among them.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void lateRecordsBeyondTheRunsGoToTheHeapInOrder(long seed) throws IOException {
    Random rnd = new Random(seed);
    List<long[]> in = new ArrayList<>(); // ts, arrival
    List<long[]> out = new ArrayList<>();
    SortedRecords sorted = new SortedRecords((b, off, len) -> out.add(in.get((int) decode(b, off))), 10_000);
    int lates = SortedRecords.MAX_RUNS * 2 + rnd.nextInt(SortedRecords.MAX_RUNS);
    long ts = 1_000_000;
    for (int i = 0; i < 3 * lates; i++) {
      long t = i % 3 == 2 ? 1_000_000 - i * 10L - rnd.nextInt(5) : ts++; // falling: a new run each, until full
      in.add(new long[] {t, i});
      sorted.add(t, encode(i));
    }
    sorted.flush();
    List<long[]> expected = new ArrayList<>(in);
    expected.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    assertThat(out).as("seed %d, %d late", seed, lates).containsExactlyElementsOf(expected);
    assertThat(sorted.outOfOrder()).isZero();
  }
}
