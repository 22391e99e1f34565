package org.kreplay.ingest.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.fuzz.FuzzInputs;
import org.kreplay.ingest.fuzz.ReaderContract;

/**
 * The canonical JSON Lines reader on any bytes keeps {@link ReaderContract}. The normal build runs
 * the inputs under {@code CanonicalJsonlFuzzTestInputs/} (`kreplay convert --to jsonl` of slices of
 * the recordings, hand-written variants, and every input the fuzzer once broke it with);
 * {@code bench/fuzz.sh} fuzzes from them.
 */
class CanonicalJsonlFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readsAnyJsonl(byte[] data) throws IOException {
    byte[] input = FuzzInputs.readerInput(data);
    ReaderContract.check((in, options) -> new CanonicalJsonlReader("fuzz", in, options,
        new TraceInfo("fuzz", TraceFormat.CANONICAL_JSONL)), input, FuzzInputs.lines(input));
  }
}
