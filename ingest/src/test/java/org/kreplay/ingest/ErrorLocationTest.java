package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every unusable line is reported at its own line number, and reading carries on after it. */
class ErrorLocationTest {
  private static final String TRACE = String.join("\n",
      "# tracer: nop",                                                                           // 1
      "  a-1 [000] d..1. 1.000001: softirq_raise: vec=1 [action=TIMER]",                         // 2
      "this line is not a trace line at all",                                                     // 3
      "  a-1 [000] d..1. 1.00000x: softirq_raise: vec=1 [action=TIMER]",                         // 4
      "  a-1 [000] dQ.1. 1.000003: softirq_raise: vec=1 [action=TIMER]",                         // 5
      "  a-1 [000] d..1. 1.000004: sched_switch: prev_comm=a prev_pid=1",                        // 6
      " => orphan_frame",                                                                         // 7
      "  a-1 [0x0] d..1. 1.000005: softirq_raise: vec=1 [action=TIMER]",                         // 8
      "CPU:zz [LOST 3 EVENTS]",                                                                   // 9
      "  a-1 [000] d..1. 1.000006: softirq_entry: vec=1 [action=TIMER]",                         // 10
      "");

  @Test
  void lenientReadingCountsEachBadLineWhereItIs() throws IOException {
    TestTraces.Result r = TestTraces.readText(TRACE);
    assertThat(r.events()).extracting(TraceEvent::timestamp).containsExactly(1_000_001_000L, 1_000_006_000L);
    List<InputProblem> p = r.stats().examples();
    assertThat(p).extracting(InputProblem::line).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(p).extracting(InputProblem::reason).containsExactly(
        "not an event line", "malformed timestamp", "malformed flags column", "undecodable sched_switch body",
        "stack frame without a stack trace", "malformed CPU column", "malformed lost-events line");
    assertThat(p.get(1).excerpt()).isEqualTo("a-1 [000] d..1. 1.00000x: softirq_raise: vec=1 [action=TIMER]");
    assertThat(p.get(0).toString()).isEqualTo("test.txt:3: not an event line: this line is not a trace line at all");
    assertThat(r.stats().skippedTotal()).isEqualTo(7);
    assertThat(r.stats().lines()).isEqualTo(10);
    assertThat(r.stats().accountedLines()).isEqualTo(10);
  }

  @Test
  void strictReadingStopsAtTheFirstBadLine() {
    assertThatThrownBy(() -> TestTraces.readText(TRACE, ReadOptions.defaults().strict(true)))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage("test.txt:3: not an event line: this line is not a trace line at all");
  }

  @Test
  void strictReadingDeliversEverythingBeforeTheBadLine() throws IOException {
    String trace = "  a-1 [000] d..1. 1.000001: softirq_raise: vec=1\n".repeat(5000)
        + "  a-1 [000] d..1. 1.000002: softirq_raise: vec=oops\n";
    int[] seen = {0};
    assertThatThrownBy(() -> {
      try (TraceReader r = Traces.open("big.txt", new java.io.ByteArrayInputStream(trace.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          ReadOptions.defaults().strict(true))) {
        while (r.next() != null) seen[0]++;
      }
    }).isInstanceOf(TraceFormatException.class).hasMessageStartingWith("big.txt:5001: undecodable softirq_raise body");
    assertThat(seen[0]).isEqualTo(5000);
  }
}
