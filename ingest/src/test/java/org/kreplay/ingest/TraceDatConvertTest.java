package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code kreplay convert} of a trace.dat: the canonical CSV and JSON Lines, which keep each event's
 * body text, read back to the same events — header, flags, body, stack, and the typed fields the
 * analysis uses.
 */
class TraceDatConvertTest {
  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({
    "src/test/resources/tracedat/sched-irq-v7-zstd.dat, csv",
    "src/test/resources/tracedat/kmem-stacks-v7-zstd.dat, jsonl",
    "src/test/resources/tracedat/timer-wq-v7-none-global.dat, csv",
    "src/test/resources/tracedat/mixed-v6.dat.xz, jsonl",
    "../traces/cyclictest/trace.dat, csv",
  })
  void convertedEventsReadBackTheSame(String path, String to) throws IOException {
    List<TraceEvent> original = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceReader r = Traces.open(path, ReadOptions.defaults())) {
      EventWriter w = to.equals("csv") ? EventWriter.csv(out) : EventWriter.jsonl(out);
      for (TraceEvent e; (e = r.next()) != null; ) {
        w.write(e);
        original.add(e.copy());
      }
      w.close();
      assertThat(r.stats().skippedTotal()).isZero();
    }
    int i = 0;
    try (TraceReader r = Traces.open(path + "." + to, new ByteArrayInputStream(out.toByteArray()), ReadOptions.defaults())) {
      for (TraceEvent e; (e = r.next()) != null; i++) {
        TraceEvent o = original.get(i);
        assertThat(describe(e)).as("%s event #%d", path, i).isEqualTo(describe(o));
      }
      assertThat(r.stats().skippedTotal()).isZero();
    }
    assertThat(i).isEqualTo(original.size()).isPositive();
  }

  private static String describe(TraceEvent e) {
    return EventFields.all(e);
  }
}
