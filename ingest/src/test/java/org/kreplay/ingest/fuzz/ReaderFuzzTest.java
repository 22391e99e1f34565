package org.kreplay.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Traces;

/**
 * What {@link Traces#open} does before any reader sees the bytes: decompression (gzip, xz, zstd) and
 * the choice of format by content. On any bytes it ends in a reader that keeps
 * {@link ReaderContract}, or a located refusal; and reading ahead on a second thread (the default)
 * gives exactly what reading on one thread gives. Each reader also has a target of its own that the
 * fuzzer drives directly ({@code FtraceTextFuzzTest}, {@code CanonicalCsvFuzzTest}, …).
 */
class ReaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyBytes(byte[] data) throws IOException {
    ReaderContract.Opener open = (in, options) -> Traces.open("fuzz", in, options);
    ReaderContract.Outcome one = ReaderContract.check(open, data, -1);
    ReaderContract.Outcome ahead = ReaderContract.read(open, data, ReadOptions.defaults(), -1);
    assertThat(ahead.events()).as("events read ahead").isEqualTo(one.events());
    assertThat(ahead.digest()).as("the same events read ahead").isEqualTo(one.digest());
    assertThat(ahead.refusal() == null).as("refused read ahead").isEqualTo(one.refusal() == null);
    if (one.refusal() == null) {
      assertThat(ahead.stats().lines()).isEqualTo(one.stats().lines());
      assertThat(ahead.stats().skippedTotal()).isEqualTo(one.stats().skippedTotal());
    }
  }
}
