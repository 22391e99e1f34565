package org.kreplay.ingest.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.fuzz.FuzzInputs;
import org.kreplay.ingest.fuzz.ReaderContract;

/**
 * The canonical CSV reader on any bytes keeps {@link ReaderContract}, lines counted as CSV ends
 * them (CR LF, LF or CR). The normal build runs the inputs under {@code CanonicalCsvFuzzTestInputs/}
 * (`kreplay convert --to csv` of slices of the recordings, hand-written variants, and every input the
 * fuzzer once broke it with); {@code bench/fuzz.sh} fuzzes from them.
 */
class CanonicalCsvFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readsAnyCsv(byte[] data) throws IOException {
    byte[] input = FuzzInputs.readerInput(data);
    ReaderContract.check((in, options) -> new CanonicalCsvReader("fuzz", in, options,
        new TraceInfo("fuzz", TraceFormat.CANONICAL_CSV)), input, FuzzInputs.csvLines(input));
  }
}
