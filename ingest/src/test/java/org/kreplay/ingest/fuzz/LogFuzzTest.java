package org.kreplay.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;
import org.kreplay.ingest.log.Splat;

/**
 * Coverage-guided fuzzing of the kernel-log reader (every prefix style, report kind and compression
 * {@link KernelLogs#open} takes). In the normal build this runs the inputs under src/test/resources as
 * regression cases; `JAZZER_FUZZ=1 ./mvnw test -pl ingest -Dtest=LogFuzzTest` fuzzes for real. Any
 * exception other than a located TraceFormatException, a line not accounted for, or a splat outside
 * the input's lines is a bug. The content sniffer gets the same bytes.
 */
class LogFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyBytes(byte[] data) throws IOException {
    KernelLogs.looksLikeKernelLog(data, data.length);
    try (LogReader r = KernelLogs.open("fuzz", new ByteArrayInputStream(data), ReadOptions.defaults())) {
      long lastFirst = 0;
      for (Splat s; (s = r.next()) != null; ) {
        assertThat(s.firstLine()).isGreaterThanOrEqualTo(Math.max(1, lastFirst));
        assertThat(s.lastLine()).isGreaterThanOrEqualTo(s.firstLine());
        assertThat(s.truncated() || s.corrupted()).isEqualTo(!s.problems().isEmpty());
        for (Frame f : s.frames()) assertThat(f.function()).isNotEmpty();
        s.decodedPreemptCount();
        s.toString();
        lastFirst = s.firstLine();
      }
      InputStats st = r.stats();
      assertThat(st.accountedLines()).isEqualTo(st.lines());
      assertThat(lastFirst).isLessThanOrEqualTo(st.lines());
    } catch (TraceFormatException e) {
      assertThat(e.getMessage()).startsWith("fuzz:");
    }
  }
}
