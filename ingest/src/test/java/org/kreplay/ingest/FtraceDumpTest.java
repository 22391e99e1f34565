package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.TestTraces.Result;

/**
 * With {@code ftrace_dump_on_oops} the kernel prints its trace buffer on the console when it
 * oopses or panics, in the latency format behind the log's prefix. A console log that holds one
 * opens as that trace (format "ftrace dump in a kernel log"), every event at its line of the log.
 */
class FtraceDumpTest {
  /** The VM's console when S1's HARD hrtimer found the module's spinlock_t held (panic_on_warn). */
  private static final Path CONTENDED = Path.of("..", "traces", "rt-vm", "rec", "rt", "s1-contended", "console.log.xz");

  private static Result read(Path p, ReadOptions options) throws IOException {
    List<TraceEvent> events = new ArrayList<>();
    try (TraceReader r = Traces.open(p.toString(), options)) {
      for (TraceEvent e; (e = r.next()) != null; ) events.add(e.copy());
      return new Result(events, r.stats(), r.info());
    }
  }

  @Test
  void aConsoleLogWithADumpReadsAsTheDumpsEventsAtTheirLinesOfTheLog() throws IOException {
    Result r = read(CONTENDED, ReadOptions.defaults()
        .probeFrames(Set.of("kprobe_trace_func", "kprobe_dispatcher", "kprobe_ftrace_handler")::contains));
    assertThat(r.info().format()).isEqualTo(TraceFormat.FTRACE_DUMP);
    assertThat(r.info().preemptRt()).as("7 flag columns: lazy preemption, PREEMPT_RT").isTrue();
    assertThat(r.stats().skippedTotal()).isZero();
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
    TraceEvent first = r.event(0);
    // [   18.058436] ksoftirq-29        1d...1.. 45936us : rcu_utilization: Start context switch
    assertThat(first.line()).isEqualTo(423);
    assertThat(first.cpu()).isEqualTo(1);
    assertThat(first.pid()).isEqualTo(29);
    assertThat(first.comm()).isEqualTo("ksoftirq");
    assertThat(first.timestamp()).isEqualTo(45_936_000L);
    assertThat(ContextFlags.irqsOff(first.flags())).isTrue();
    assertThat(first.name()).isEqualTo("rcu_utilization");
    // the probe's stacks (line 1142 on) are events of their own, without the handler's frames
    TraceEvent stack = r.events().stream().filter(e -> e.kind() == EventKind.KERNEL_STACK).findFirst().orElseThrow();
    assertThat(stack.stack().frame(0)).isNotEqualTo("kprobe_trace_func");
    assertThat(r.events()).extracting(TraceEvent::name).contains("contention_begin", "hrtimer_expire_entry");
  }

  @Test
  void aDelayMarkAStackAndALostEventsNoteAreTheDumpsAndOtherLinesAreNot() throws IOException {
    String log = String.join("\n",
        "[    1.000000] Linux version 6.1.0-57-rt-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_RT Debian 6.1.192-3",
        "[   18.058436] Dumping ftrace buffer:",
        "[   18.058436] ---------------------------------",
        "[   18.058436]   <idle>-0         0d..h1.. 47532us+: local_timer_entry: vector=236",
        "[   18.058436] CPU:1 [LOST 12 EVENTS]",
        "[   18.058436]   <idle>-0         0d..h1.. 47540us!: <stack trace>",
        "[   18.058436]  => __sysvec_apic_timer_interrupt",
        "[   18.058436]  => sysvec_apic_timer_interrupt",
        "[   18.058436] ---------------------------------",
        "[   18.060000] Kernel Offset: disabled",
        "");
    Path f = java.nio.file.Files.createTempFile("console", ".log");
    try {
      java.nio.file.Files.writeString(f, log);
      assertThat(Traces.hasFtraceDump(f)).isTrue();
      Result d = read(f, ReadOptions.defaults());
      assertThat(d.events()).extracting(TraceEvent::name).containsExactly("local_timer_entry", "lost_events");
      assertThat(d.event(0).line()).isEqualTo(4);
      assertThat(d.event(0).stack().frames()).containsExactly("__sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt");
      assertThat(d.stats().skippedTotal()).isZero();
      java.nio.file.Files.writeString(f, "[    1.000000] Linux version 6.1.0 #1 SMP\n[    2.000000] usb 1-1: new device 42us: ok\n");
      assertThat(Traces.hasFtraceDump(f)).isFalse();
    } finally {
      java.nio.file.Files.delete(f);
    }
  }
}
