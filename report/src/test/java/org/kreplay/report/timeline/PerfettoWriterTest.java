package org.kreplay.report.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.report.timeline.TrackWriter.Arg;
import org.kreplay.report.timeline.TrackWriter.Kind;

class PerfettoWriterTest {
  /** A trace with more distinct names than the writer interns: the rest go inline and still read. */
  @Test
  void namesPastTheInternedLimitAreWrittenInline() throws Exception {
    int n = PerfettoWriter.MAX_INTERNED + 3;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Track cpu = new Track(1, "CPU 0", null, Kind.SLICES, 0, 0);
    try (PerfettoWriter w = new PerfettoWriter(bytes)) {
      w.declare(cpu);
      for (int i = 0; i < n; i++) {
        w.instant(1_000L + i, cpu, "work " + i, "deferral", List.of(new Arg("latency_ns", i)), 0, 0);
      }
    }
    PerfettoFile f = PerfettoFile.decode(bytes.toByteArray());

    assertThat(f.instants).hasSize(n);
    assertThat(f.instants.get(0).name()).isEqualTo("work 0");
    assertThat(f.instants.get(n - 1).name()).isEqualTo("work " + (n - 1));
    assertThat(f.instants.get(n - 1).category()).isEqualTo("deferral");
    assertThat(f.instants.get(n - 1).args()).containsEntry("latency_ns", (long) (n - 1));
    long inline = f.packets.stream().filter(p -> p.hasTrackEvent() && p.getTrackEvent().hasName()).count();
    assertThat(inline).as("events named inline, past the interned limit").isEqualTo(3);
  }
}
