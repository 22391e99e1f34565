package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --from/--until relative to the trace (+N after its first event, -N before its last, N% of its
 * span): parsed in one place, placed per input from its first and last timestamps, the last found
 * from the file's end where the format allows.
 */
class RelativeWindowTest {
  /** A v6 trace.dat, its pages uncompressed (their last ones can be read alone) once unpacked from xz. */
  private static final Path V6_XZ = Path.of("..", "traces", "cyclictest", "trace-v6.dat.xz");
  @TempDir static Path tmp;
  private static Path dat;
  /** zstd chunks: read through. */
  private static final Path ZSTD_DAT = Path.of("..", "traces", "cyclictest-loaded", "trace.dat");
  private static final Path TEXT_XZ = Path.of("..", "traces", "cyclictest", "trace.txt.xz");

  @Test
  void timesParseWithSignsUnitsAndPercentages() {
    assertThat(TimeBound.parse("--from", "411.0").resolve(0, 0)).isEqualTo(411_000_000_000L);
    assertThat(TimeBound.parse("--from", "+1.5s").resolve(10_000_000_000L, 20_000_000_000L)).isEqualTo(11_500_000_000L);
    assertThat(TimeBound.parse("--until", "-2s").resolve(10_000_000_000L, 20_000_000_000L)).isEqualTo(18_000_000_000L);
    assertThat(TimeBound.parse("--until", "-250ms").resolve(0, 1_000_000_000L)).isEqualTo(750_000_000L);
    assertThat(TimeBound.parse("--from", "+3us").resolve(100, 0)).isEqualTo(3_100L);
    assertThat(TimeBound.parse("--from", "+7ns").resolve(100, 0)).isEqualTo(107L);
    assertThat(TimeBound.parse("--from", "25%").resolve(1_000, 5_000)).isEqualTo(2_000L);
    assertThat(TimeBound.parse("--until", "100%").resolve(1_000, 5_000)).isEqualTo(5_000L);
    assertThat(TimeBound.parse("--from", "+1s").needsLast()).isFalse();
    assertThat(TimeBound.parse("--from", "-1s").needsLast()).isTrue();
    for (String bad : new String[] {"-2x", "", "+", "s", "101%", "-5%", "1..2", "+-1s", "abc"}) {
      assertThatThrownBy(() -> TimeBound.parse("--until", bad)).as(bad)
          .hasMessage("--until: '" + bad + "' is not a time (e.g. 411.0, +1.5s, -2s, 25%)");
    }
  }

  @org.junit.jupiter.api.BeforeAll
  static void unpack() throws IOException {
    dat = unxz(V6_XZ, tmp.resolve("trace-v6.dat"));
  }

  private static Path unxz(Path from, Path to) throws IOException {
    try (InputStream in = org.kreplay.ingest.internal.Decompression.wrap(
        org.kreplay.ingest.internal.Decompression.buffered(Files.newInputStream(from)), "xz")) {
      Files.copy(in, to);
    }
    return to;
  }

  /** The first and last event timestamps by reading every event. */
  private static long[] readSpan(String path) throws IOException {
    long first = Long.MIN_VALUE;
    long last = Long.MIN_VALUE;
    try (TraceReader r = Traces.open(path, ReadOptions.defaults())) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        if (e.kind().isMarker()) continue;
        if (first == Long.MIN_VALUE) first = e.timestamp();
        last = Math.max(last, e.timestamp());
      }
    }
    return new long[] {first, last};
  }

  @Test
  void aTraceDatsEndComesFromItsLastPages() throws IOException {
    TraceSpan span = Traces.span(dat.toString(), ReadOptions.defaults());
    long[] read = readSpan(dat.toString());
    assertThat(span.how()).isEqualTo(TraceSpan.How.LAST_PAGES);
    assertThat(span.firstNs()).isEqualTo(read[0]);
    assertThat(span.lastNs()).isEqualTo(read[1]);
    // the last pages of each CPU's data, not the 10 MB file (its pages are 4 KiB)
    assertThat(span.bytesRead()).isPositive().isLessThanOrEqualTo(2 * 4096 * 4).isLessThan(Files.size(dat) / 100);

    TraceSpan zstd = Traces.span(ZSTD_DAT.toString(), ReadOptions.defaults());
    assertThat(zstd.lastNs()).isEqualTo(readSpan(ZSTD_DAT.toString())[1]);
  }

  @Test
  void anUncompressedTextsEndComesFromItsTailAndACompressedOnesFromAFirstPass(@TempDir Path dir) throws IOException {
    Path text = unxz(TEXT_XZ, dir.resolve("trace.txt"));
    long[] read = readSpan(text.toString());
    TraceSpan tail = Traces.span(text.toString(), ReadOptions.defaults());
    assertThat(tail.how()).isEqualTo(TraceSpan.How.TAIL);
    assertThat(tail.firstNs()).isEqualTo(read[0]);
    assertThat(tail.lastNs()).isEqualTo(read[1]).isEqualTo(413_964_347_000L);
    assertThat(tail.bytesRead()).isLessThan(Files.size(text) / 10);

    TraceSpan xz = Traces.span(TEXT_XZ.toString(), ReadOptions.defaults());
    assertThat(xz.how()).isEqualTo(TraceSpan.How.FIRST_PASS);
    assertThat(xz.lastNs()).isEqualTo(read[1]);
  }

  private static long[] windowRead(String path, String from, String until) throws IOException {
    ReadOptions o = ReadOptions.defaults().window(from == null ? null : TimeBound.parse("--from", from),
        until == null ? null : TimeBound.parse("--until", until));
    return readSpanWith(Traces.open(path, o));
  }

  private static long[] readSpanWith(TraceReader r) throws IOException {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    try (r) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        if (e.kind().isMarker()) continue;
        first = Math.min(first, e.timestamp());
        last = Math.max(last, e.timestamp());
      }
    }
    return new long[] {first, last};
  }

  /** Every event timestamp, in input order. */
  private static long[] timestamps(String path) throws IOException {
    java.util.List<Long> ts = new java.util.ArrayList<>();
    try (TraceReader r = Traces.open(path, ReadOptions.defaults())) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) if (!e.kind().isMarker()) ts.add(e.timestamp());
    }
    return ts.stream().mapToLong(Long::longValue).toArray();
  }

  /** The first and last timestamp inside [from, until]. */
  private static long[] inside(long[] ts, long from, long until) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (long t : ts) {
      if (t < from || t > until) continue;
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    return new long[] {first, last};
  }

  @Test
  void relativeWindowsSelectFromTheTracesOwnEnds() throws IOException {
    for (String path : new String[] {dat.toString(), ZSTD_DAT.toString(), TEXT_XZ.toString()}) {
      long[] ts = timestamps(path);
      long first = ts[0];
      long last = java.util.Arrays.stream(ts).max().orElseThrow();
      assertThat(windowRead(path, "+0.5s", "-250ms")).as(path)
          .containsExactly(inside(ts, first + 500_000_000L, last - 250_000_000L));
      long span = last - first;
      assertThat(windowRead(path, "25%", "75%")).as(path)
          .containsExactly(inside(ts, first + span / 4, first + Math.round(span * 0.75)));
      assertThat(windowRead(path, "+100ms", null)).as(path).containsExactly(inside(ts, first + 100_000_000L, last));
    }
  }

  @Test
  void aStreamPlacesPlusNAtItsFirstEventAndCannotPlaceItsEnd() throws IOException {
    long[] all = readSpan(TEXT_XZ.toString());
    ReadOptions plus = ReadOptions.defaults().window(TimeBound.parse("--from", "+1s"), TimeBound.parse("--until", "+1500ms"));
    long[] w = readSpanWith(Traces.open("-", Files.newInputStream(TEXT_XZ), plus));
    assertThat(w[0]).isGreaterThanOrEqualTo(all[0] + 1_000_000_000L).isLessThan(all[0] + 1_010_000_000L);
    assertThat(w[1]).isLessThanOrEqualTo(all[0] + 1_500_000_000L).isGreaterThan(all[0] + 1_490_000_000L);
    // the shared options were not placed: each input is placed on its own first event
    assertThat(plus.fromNs()).isEqualTo(Long.MIN_VALUE);

    ReadOptions end = ReadOptions.defaults().window(null, TimeBound.parse("--until", "-2s"));
    assertThatThrownBy(() -> Traces.open("-", Files.newInputStream(TEXT_XZ), end))
        .isInstanceOf(TimeBound.NotPlaceable.class)
        .hasMessageStartingWith("--until -2s: the end of standard input is not known before it is read");
  }
}
