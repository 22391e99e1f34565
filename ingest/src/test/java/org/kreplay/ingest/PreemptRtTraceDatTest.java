package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A recording on Debian's 6.1 PREEMPT_RT kernel (traces/rt-vm, issue 11's rig): its trace.dat says so
 * (the lazy-preemption common field; the UNAME option names only the release "6.1.0-57-rt-amd64"), as
 * its text does (7 flag columns).
 */
class PreemptRtTraceDatTest {
  private static final Path S1 = Path.of("..", "traces", "rt-vm", "rec", "rt", "s1-bug");

  @ParameterizedTest(name = "{0}")
  @CsvSource({"trace.dat", "trace.txt.xz"})
  void aPreemptRtRecordingSaysItIsOne(String file) throws IOException {
    try (TraceReader r = Traces.open(S1.resolve(file).toString(), ReadOptions.defaults())) {
      assertThat(r.next()).isNotNull();
      assertThat(r.info().preemptRt()).as(file).isTrue();
    }
  }

  @Test
  void aNonRtTraceDatDoesNotSaySo() throws IOException {
    try (TraceReader r = Traces.open(Path.of("..", "traces", "cyclictest", "trace.dat").toString(), ReadOptions.defaults())) {
      assertThat(r.next()).isNotNull();
      assertThat(r.info().preemptRt()).isNotEqualTo(Boolean.TRUE);
    }
  }
}
