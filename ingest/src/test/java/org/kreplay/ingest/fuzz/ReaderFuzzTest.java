package org.kreplay.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/**
 * Coverage-guided fuzzing of everything {@link Traces#open} reads (text, canonical CSV/JSONL,
 * compressed). In the normal build this runs the inputs under src/test/resources as regression
 * cases; `JAZZER_FUZZ=1 ./mvnw test -pl ingest -Dtest=ReaderFuzzTest` fuzzes for real. Any
 * exception other than a located TraceFormatException, or a line not accounted for, is a bug.
 */
class ReaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyBytes(byte[] data) throws IOException {
    try (TraceReader r = Traces.open("fuzz", new ByteArrayInputStream(data), ReadOptions.defaults())) {
      long events = 0;
      for (TraceEvent e; (e = r.next()) != null; ) {
        events++;
        e.body();
      }
      InputStats s = r.stats();
      if (r.info().format() != org.kreplay.ingest.TraceFormat.CANONICAL_CSV) {
        assertThat(s.accountedLines()).isEqualTo(s.lines());
      }
      assertThat(events).isLessThanOrEqualTo(s.lines());
    } catch (TraceFormatException e) {
      assertThat(e.getMessage()).startsWith("fuzz:");
    }
  }
}
