package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged inputs (flipped, deleted, inserted and repeated bytes in a real trace) never crash the
 * readers, never hang, and never lose track of a line: lenient reading accounts for every line,
 * strict reading fails only with a located TraceFormatException. Seeds are in the test names.
 */
class HostileInputTest {
  static LongStream seeds() {
    return LongStream.rangeClosed(1, 60);
  }

  private static byte[] input(long seed) throws IOException {
    String[] sources = {"text/cyclictest-trace.txt", "text/cyclictest-report-l.txt", "text/special-events.txt"};
    byte[] clean = TestTraces.resource(sources[(int) (seed % sources.length)]).readAllBytes();
    if (seed % 5 == 0) {
      // also the canonical formats
      var events = TestTraces.read("x", new ByteArrayInputStream(clean), ReadOptions.defaults()).events();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (EventWriter w = seed % 10 == 0 ? EventWriter.csv(out) : EventWriter.jsonl(out)) {
        for (TraceEvent e : events) w.write(e);
      }
      clean = out.toByteArray();
    }
    return HostileInputs.mutate(clean, new SplittableRandom(seed));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @Timeout(60)
  void lenientReadingAccountsForEveryLine(long seed) throws IOException {
    byte[] data = input(seed);
    TestTraces.Result r;
    try {
      r = TestTraces.read("mutated", new ByteArrayInputStream(data), ReadOptions.defaults());
    } catch (TraceFormatException e) {
      // Only a file that cannot be read at all may fail in lenient mode, and then at a location.
      assertThat(e.getMessage()).as("seed " + seed).startsWith("mutated:");
      return;
    }
    InputStats s = r.stats();
    assertThat(s.accountedLines()).as("seed " + seed + ": " + s.skipped()).isEqualTo(s.lines());
    for (InputProblem p : s.examples()) {
      assertThat(p.line()).as("seed " + seed).isBetween(1L, s.lines());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @Timeout(60)
  void strictReadingFailsOnlyWithALocation(long seed) throws IOException {
    byte[] data = input(seed);
    try {
      TestTraces.read("mutated", new ByteArrayInputStream(data), ReadOptions.defaults().strict(true));
    } catch (TraceFormatException e) {
      assertThat(e.getMessage()).as("seed " + seed).matches("(?s)mutated(:\\d+)?: .*"); // no line number: the input as a whole
      assertThat(e.problem().line()).as("seed " + seed).isGreaterThanOrEqualTo(0);
    }
  }
}
