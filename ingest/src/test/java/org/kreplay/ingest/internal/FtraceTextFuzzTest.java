package org.kreplay.ingest.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.fuzz.FuzzInputs;
import org.kreplay.ingest.fuzz.ReaderContract;

/**
 * The ftrace text reader (tracefs {@code trace}, {@code trace-cmd report}, {@code -l}, {@code -R}) on
 * any bytes keeps {@link ReaderContract}. The normal build runs the inputs under
 * {@code FtraceTextFuzzTestInputs/} (slices of the recordings in traces/, the seed scenarios, and every
 * input the fuzzer once broke it with); {@code bench/fuzz.sh} fuzzes from them.
 */
class FtraceTextFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readsAnyText(byte[] data) throws IOException {
    byte[] input = FuzzInputs.readerInput(data);
    ReaderContract.check((in, options) -> new FtraceTextReader("fuzz", in, options,
        new TraceInfo("fuzz", TraceFormat.FTRACE_TEXT), false), input, FuzzInputs.lines(input));
  }
}
