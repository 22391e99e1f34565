package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a trace.dat says about itself, as {@link Traces#open} reports it (recording commands: tracedat/README.md). */
class TraceDatInfoTest {
  static final String RES = "src/test/resources/tracedat/";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "sched-irq-v7-zstd.dat, zstd, local",
    "timer-wq-v7-none-global.dat, none, global",
    "mixed-v6.dat.xz, xz, local",
    "date-v7-zstd.dat, zstd, local",
  })
  void describesItself(String file, String compression, String clock) throws IOException {
    try (TraceReader r = Traces.open(RES + file, ReadOptions.defaults())) {
      while (r.next() != null) {
        // read to the end
      }
      TraceInfo info = r.info();
      assertThat(info.format()).isEqualTo(TraceFormat.TRACE_DAT);
      assertThat(info.compression()).isEqualTo(compression);
      assertThat(info.clock()).isEqualTo(clock);
      assertThat(info.declaredCpus()).isEqualTo(2);
      assertThat(info.flagsFormat()).contains("kernel 6.18");
    }
  }

  @Test
  void instancesAreChosenByName() throws IOException {
    long top = count(ReadOptions.defaults());
    long kreplay = count(ReadOptions.defaults().instance("kreplay"));
    assertThat(top).isPositive();
    assertThat(kreplay).isPositive().isNotEqualTo(top);
    assertThatThrownBy(() -> count(ReadOptions.defaults().instance("nope")))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("no buffer instance named 'nope' (instances: kreplay)");
  }

  private static long count(ReadOptions o) throws IOException {
    long n = 0;
    try (TraceReader r = Traces.open(RES + "instance-v7-zstd.dat", o)) {
      while (r.next() != null) n++;
    }
    return n;
  }

  @Test
  void filtersApplyBeforeDecoding() throws IOException {
    java.util.BitSet cpu1 = new java.util.BitSet();
    cpu1.set(1);
    long all = 0;
    long inWindow = 0;
    long first = -1;
    try (TraceReader r = Traces.open(RES + "sched-irq-v7-zstd.dat", ReadOptions.defaults())) {
      for (TraceEvent e; (e = r.next()) != null; ) {
        if (first < 0) first = e.timestamp();
        all++;
        if (e.cpu() == 1 && e.timestamp() >= first + 10_000_000 && e.timestamp() <= first + 30_000_000) inWindow++;
      }
    }
    ReadOptions o = ReadOptions.defaults().cpus(cpu1).timeRange(first + 10_000_000, first + 30_000_000);
    long n = 0;
    try (TraceReader r = Traces.open(RES + "sched-irq-v7-zstd.dat", o)) {
      for (TraceEvent e; (e = r.next()) != null; n++) {
        assertThat(e.cpu()).isEqualTo(1);
        assertThat(e.timestamp()).isBetween(first + 10_000_000, first + 30_000_000);
      }
      assertThat(r.stats().filtered()).as("records read and left out by time").isPositive();
    }
    assertThat(n).isEqualTo(inWindow).isPositive().isLessThan(all);
  }
}
