package org.kreplay.ingest.internal.tracedat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;

/**
 * Any bytes read as a trace.dat end in events or a {@link TraceFormatException}. In the normal
 * build this runs the inputs under {@code TraceDatFuzzTestInputs/} (regression mode); with
 * {@code JAZZER_FUZZ=1} it fuzzes from them.
 */
class TraceDatFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void readsAnyBytesCleanly(byte[] data) throws IOException {
    for (boolean strict : new boolean[] {false, true}) {
      ReadOptions o = ReadOptions.defaults().readAhead(false).strict(strict);
      try (TraceDatReader r = new TraceDatReader("fuzz", ByteSource.of(data), o,
          new TraceInfo("fuzz", TraceFormat.TRACE_DAT))) {
        for (TraceEvent e; (e = r.next()) != null; ) {
          e.body(); // rendering must not fail either
        }
        if (r.stats().accountedLines() != r.stats().lines()) throw new AssertionError("records not all accounted");
      } catch (TraceFormatException expected) {
        // a clean refusal
      }
    }
  }
}
