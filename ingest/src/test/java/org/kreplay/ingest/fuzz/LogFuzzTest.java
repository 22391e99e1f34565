package org.kreplay.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.internal.Decompression;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;
import org.kreplay.ingest.log.Splat;

/**
 * The kernel-log reader on any bytes (every prefix style, report kind and compression
 * {@link KernelLogs#open} takes) hands out reports in the order they begin, each inside the input's
 * lines, or refuses the input with a located {@link TraceFormatException}; no other exception. Every
 * line is accounted for, as many as an independent count finds, and {@code --strict} stops at the
 * first line the lenient read skipped. The content sniffer gets the same bytes. The normal build runs
 * the inputs under {@code LogFuzzTestInputs/} (the kernel logs of the ingest tests, and every input
 * the fuzzer once broke it with); {@code bench/fuzz.sh} fuzzes from them.
 */
class LogFuzzTest {
  /** What one read gave. */
  private record Outcome(int reports, InputStats stats, TraceFormatException refusal) {}

  @FuzzTest(maxDuration = "30s")
  void anyBytes(byte[] data) throws IOException {
    byte[] input = FuzzInputs.readerInput(data);
    KernelLogs.looksLikeKernelLog(input, input.length);
    long lines = compressed(input) ? -1 : FuzzInputs.lines(input);
    Outcome lenient = read(input, ReadOptions.defaults(), lines);
    Outcome strict = read(input, ReadOptions.defaults().strict(true), lines);
    if (lenient.refusal() != null) {
      assertThat(strict.refusal()).as("strict refuses what lenient refuses").isNotNull();
      return;
    }
    InputStats st = lenient.stats();
    if (lines >= 0) assertThat(st.lines()).as("lines counted").isEqualTo(lines);
    assertThat(st.accountedLines()).as("lines accounted for").isEqualTo(st.lines());
    for (InputProblem p : st.examples()) {
      assertThat(p.source()).isEqualTo("fuzz");
      assertThat(p.line()).isBetween(1L, st.lines());
    }
    if (st.skippedTotal() == 0) {
      assertThat(strict.refusal()).as("strict read of a log without problems").isNull();
      assertThat(strict.reports()).isEqualTo(lenient.reports());
    } else {
      assertThat(strict.refusal()).as("strict stops at a skipped line").isNotNull();
      assertThat(strict.refusal().problem().line()).isEqualTo(st.examples().get(0).line());
      assertThat(strict.reports()).isLessThanOrEqualTo(lenient.reports());
    }
  }

  private static Outcome read(byte[] input, ReadOptions options, long lines) throws IOException {
    int reports = 0;
    try (LogReader r = KernelLogs.open("fuzz", new ByteArrayInputStream(input), options)) {
      long lastFirst = 0;
      for (Splat s; (s = r.next()) != null; ) {
        reports++;
        assertThat(s.where().firstLine()).as("reports in the order they begin").isGreaterThanOrEqualTo(Math.max(1, lastFirst));
        assertThat(s.where().lastLine()).isGreaterThanOrEqualTo(s.where().firstLine());
        if (lines >= 0) assertThat(s.where().lastLine()).as("report inside the input").isLessThanOrEqualTo(lines);
        assertThat(s.damage().truncated() || s.damage().corrupted()).isEqualTo(!s.damage().problems().isEmpty());
        for (Frame f : s.stacks().frames()) assertThat(f.function()).isNotEmpty();
        s.atomic().decodedPreemptCount();
        s.toString();
        lastFirst = s.where().firstLine();
      }
      return new Outcome(reports, r.stats(), null);
    } catch (TraceFormatException e) {
      assertThat(e.problem().source()).isEqualTo("fuzz");
      return new Outcome(reports, null, e);
    }
  }

  private static boolean compressed(byte[] input) throws IOException {
    return !Decompression.detect(new BufferedInputStream(new ByteArrayInputStream(input))).equals("none");
  }
}
