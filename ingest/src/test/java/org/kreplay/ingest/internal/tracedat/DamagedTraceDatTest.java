package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/**
 * Damaged trace.dat files — cut at many places, bytes flipped in headers and pages, length fields
 * set to wrong values — give a {@link TraceFormatException} naming a byte offset, or a result with
 * the damage counted; never another exception, a hang, or an allocation a corrupt length asked
 * for (the build runs tests with a small heap). Positions come from {@link SplittableRandom} with
 * the seed in every case name and message.
 */
class DamagedTraceDatTest {
  static final long SEED = 0x6b72_6570_6c61_7944L;
  static final int CASES_PER_FILE = 40;

  static final String[] FILES = {"sched-irq-v7-zstd", "timer-wq-v7-none-global", "mixed-v6", "kmem-stacks-v7-zstd"};

  /** What reading a damaged file gave. */
  static final class Outcome {
    Throwable error;
    long events;
    InputStats stats;
    long allocated;
  }

  /** A read may allocate at most this much, whatever a corrupt length asks for (the files are small). */
  static final long MAX_ALLOCATION = 96L << 20;

  static Outcome read(byte[] data, boolean strict) {
    Outcome o = new Outcome();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      long before = threads.getCurrentThreadAllocatedBytes();
      ReadOptions opts = ReadOptions.defaults().readAhead(false).strict(strict);
      try (TraceDatReader r = new TraceDatReader("damaged", ByteSource.of(data), opts,
          new TraceInfo("damaged", TraceFormat.TRACE_DAT))) {
        for (TraceEvent e; (e = r.next()) != null; ) o.events++;
        o.stats = r.stats();
      } catch (Throwable t) {
        o.error = t;
      }
      o.allocated = threads.getCurrentThreadAllocatedBytes() - before;
    });
    return o;
  }

  private static final java.util.Map<String, Long> FULL = new java.util.concurrent.ConcurrentHashMap<>();

  static long fullEvents(String file) throws IOException {
    Long n = FULL.get(file);
    if (n == null) {
      Outcome o = read(SyntheticTraceDatTest.recorded(file), false);
      assertThat(o.error).isNull();
      n = o.events;
      FULL.put(file, n);
    }
    return n;
  }

  /** The outcome is one of the two allowed ones, and the counts add up. */
  static void assertClean(Outcome o, String what) {
    assertThat(o.allocated).as("%s: bytes allocated by the read", what).isLessThan(MAX_ALLOCATION);
    if (o.error != null) {
      assertThat(o.error).as("%s: only a TraceFormatException may escape", what).isInstanceOf(TraceFormatException.class);
      assertThat(((TraceFormatException) o.error).problem().line()).as("%s: byte offset", what).isNotNegative();
      return;
    }
    assertThat(o.stats.accountedLines()).as("%s: every record accounted", what).isEqualTo(o.stats.lines());
  }

  // ---- truncation

  static Stream<Arguments> cuts() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String f : FILES) {
      int len = SyntheticTraceDatTest.recorded(f).length;
      SplittableRandom r = new SplittableRandom(SEED ^ f.hashCode());
      for (int i = 0; i < CASES_PER_FILE; i++) {
        // Half in the metadata at the front, half anywhere.
        int at = i % 2 == 0 ? r.nextInt(Math.min(len, 8192)) : r.nextInt(len);
        out.add(Arguments.of(f, at));
      }
      out.add(Arguments.of(f, len - 1));
      out.add(Arguments.of(f, 0));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} cut at {1} (seed 0x6b726570" + "6c617944)")
  @MethodSource("cuts")
  void truncatedFileFailsCleanlyOrReportsTheLoss(String file, int at) throws IOException {
    byte[] data = java.util.Arrays.copyOf(SyntheticTraceDatTest.recorded(file), at);
    String what = file + " cut at " + at + " (seed " + Long.toHexString(SEED) + ")";
    Outcome o = read(data, false);
    assertClean(o, what);
    long full = fullEvents(file);
    if (o.error == null && o.events < full) {
      assertThat(o.stats.skippedTotal()).as("%s: %d of %d events, so damage must be reported", what, o.events, full)
          .isPositive();
    }
    Outcome strict = read(data, true);
    assertClean(strict, what + " --strict");
    if (strict.error == null) {
      assertThat(strict.events).as("%s --strict: no error, so nothing may be missing", what).isEqualTo(full);
    }
  }

  // ---- flipped bytes

  static Stream<Arguments> flips() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String f : FILES) {
      int len = SyntheticTraceDatTest.recorded(f).length;
      SplittableRandom r = new SplittableRandom(SEED * 31 + f.hashCode());
      for (int i = 0; i < CASES_PER_FILE; i++) {
        int at = i % 2 == 0 ? r.nextInt(Math.min(len, 8192)) : r.nextInt(len);
        int xor = 1 + r.nextInt(255);
        out.add(Arguments.of(f, at, xor));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} byte {1} ^ {2} (seed 0x6b7265706c617944)")
  @MethodSource("flips")
  void flippedByteFailsCleanly(String file, int at, int xor) throws IOException {
    byte[] data = SyntheticTraceDatTest.recorded(file).clone();
    data[at] ^= (byte) xor;
    String what = file + " byte " + at + " ^ " + xor + " (seed " + Long.toHexString(SEED) + ")";
    assertClean(read(data, false), what);
    assertClean(read(data, true), what + " --strict");
  }

  // ---- wrong lengths

  static Stream<Arguments> lengths() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String f : FILES) {
      byte[] data = SyntheticTraceDatTest.recorded(f);
      List<LengthFields.Field> fields = LengthFields.of(data);
      SplittableRandom r = new SplittableRandom(SEED + f.hashCode());
      for (LengthFields.Field x : fields) {
        long[] values = {0, x.value() - 4, x.value() + 4, x.value() * 2 + 1, -1L, 1L << 40, r.nextLong()};
        for (long v : values) out.add(Arguments.of(f, x, v));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("lengths")
  void wrongLengthFailsCleanly(String file, LengthFields.Field field, long value) throws IOException {
    byte[] data = SyntheticTraceDatTest.recorded(file).clone();
    field.set(data, value);
    String what = file + " " + field + " set to " + value;
    Outcome o = read(data, false);
    assertClean(o, what);
    assertClean(read(data, true), what + " --strict");
  }

  // ---- through the public API, from a stream (spooled to a temporary file)

  static Stream<Arguments> streamCuts() throws IOException {
    List<Arguments> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(SEED);
    int len = SyntheticTraceDatTest.recorded("mixed-v6").length;
    // From 16 bytes on the content is recognised as a trace.dat.
    for (int i = 0; i < 10; i++) out.add(Arguments.of(16 + r.nextInt(len - 16)));
    return out.stream();
  }

  @ParameterizedTest(name = "mixed-v6 from a stream, cut at {0}")
  @MethodSource("streamCuts")
  void streamedDamagedFileFailsClealy(int at) throws IOException {
    byte[] data = java.util.Arrays.copyOf(SyntheticTraceDatTest.recorded("mixed-v6"), at);
    Throwable error = null;
    long events = 0;
    InputStats stats = null;
    try (TraceReader r = Traces.open("cut.dat", new ByteArrayInputStream(data), ReadOptions.defaults())) {
      for (TraceEvent e; (e = r.next()) != null; ) events++;
      stats = r.stats();
    } catch (Throwable t) {
      error = t;
    }
    String what = "stream cut at " + at + " (seed " + Long.toHexString(SEED) + ")";
    if (error != null) {
      assertThat(error).as(what).isInstanceOf(TraceFormatException.class);
    } else if (events < fullEvents("mixed-v6")) {
      assertThat(stats.skippedTotal()).as("%s: events lost without a report", what).isPositive();
    }
  }
}
