package org.kreplay.ingest.internal.tracedat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.fuzz.ReaderContract;

/**
 * Any bytes read as a trace.dat keep {@link ReaderContract}: events, or a refusal naming the byte
 * offset; every record accounted for; {@code --strict} stops at the first record the lenient read
 * skipped. In the normal build this runs the inputs under {@code TraceDatFuzzTestInputs/}
 * (regression mode); {@code bench/fuzz.sh} fuzzes from them.
 */
class TraceDatFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void readsAnyBytesCleanly(byte[] data) throws IOException {
    // The reader reads the bytes in place (as it reads a file), not from the stream.
    ReaderContract.check((in, options) -> new TraceDatReader("fuzz", ByteSource.of(data), options,
        new TraceInfo("fuzz", TraceFormat.TRACE_DAT)), data, -1);
  }
}
