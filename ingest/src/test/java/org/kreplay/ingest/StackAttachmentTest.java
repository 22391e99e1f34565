package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.TestTraces.Result;

/**
 * {@code options/stacktrace} writes each event's kernel stack as a ring-buffer entry of its own,
 * right after the event on its CPU. The kernel's text merges the CPUs by time, so another CPU's
 * events can come between an event and its stack; an interrupt can come between them on the same
 * CPU in every form. Either way the stack is the event's frames, not an event: the text and the
 * trace.dat of one recording give the same events with the same stacks.
 */
class StackAttachmentTest {
  private static final Path STACKS = Path.of("..", "traces", "stress-ng-deadline", "stacks");

  @Test
  void aStackAfterAnotherCpusEventStillBelongsToItsOwnCpusEvent() throws IOException {
    Result r = TestTraces.readText(String.join("\n",
        "  a-10  [000] d.h1.   100.000010: kmem_cache_free: call_site=f+0x1/0x2 ptr=0000000000000001 name=task_struct",
        "  b-20  [001] .....   100.000011: kmem_cache_free: call_site=g+0x1/0x2 ptr=0000000000000002 name=filp",
        "  a-10  [000] d.h1.   100.000012: <stack trace>",
        " => kmem_cache_free",
        " => inactive_task_timer",
        "  b-20  [001] .....   100.000013: <stack trace>",
        " => kmem_cache_free",
        " => __fput",
        ""));
    assertThat(r.events()).extracting(TraceEvent::kind).containsExactly(EventKind.KMEM_CACHE_FREE, EventKind.KMEM_CACHE_FREE);
    assertThat(r.event(0).stack().frames()).containsExactly("kmem_cache_free", "inactive_task_timer");
    assertThat(r.event(1).stack().frames()).containsExactly("kmem_cache_free", "__fput");
    assertThat(r.stats().events()).isEqualTo(2);
    assertThat(r.stats().stackFrames()).isEqualTo(6); // two marker lines, four frames
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
  }

  @Test
  void aStackAfterAnInterruptOnItsCpuBelongsToTheEventInItsContext() throws IOException {
    // traces/stress-ng-deadline/stacks/trace.txt, 588.734101: the timer interrupt came between the
    // free and its stack; the interrupt's events have theirs, the task-context stack is the free's.
    Result r = TestTraces.readText(String.join("\n",
        "  m-7320  [000] .....   588.734101: kmem_cache_free: call_site=unlink_anon_vmas+0x173/0x1e0 ptr=0000000000000001 name=anon_vma_chain",
        "  m-7320  [000] d.h3.   588.734108: local_timer_entry: vector=236",
        "  m-7320  [000] d.h3.   588.734133: <stack trace>",
        " => __sysvec_apic_timer_interrupt",
        "  m-7320  [000] d.h3.   588.734148: local_timer_exit: vector=236",
        "  m-7320  [000] d.h3.   588.734151: <stack trace>",
        " => __sysvec_apic_timer_interrupt",
        "  m-7320  [000] .....   588.734159: <stack trace>",
        " => kmem_cache_free",
        " => unlink_anon_vmas",
        ""));
    assertThat(r.events()).extracting(TraceEvent::name).containsExactly("kmem_cache_free", "local_timer_entry",
        "local_timer_exit");
    assertThat(r.event(0).stack().frames()).containsExactly("kmem_cache_free", "unlink_anon_vmas");
    assertThat(r.event(2).stack().frames()).containsExactly("__sysvec_apic_timer_interrupt");
  }

  @Test
  void withoutAFlagsColumnTheContextIsUnknownAndAStackAfterAnInterruptStaysAnEventOfItsOwn() throws IOException {
    Result r = TestTraces.readText(String.join("\n",
        "cpus=2",
        "  m-7320  [000]   588.734101: kmem_cache_free:      (unlink_anon_vmas+0x173) call_site=unlink_anon_vmas+0x173 ptr=0x1 name=anon_vma_chain",
        "  n-7321  [001]   588.734102: local_timer_entry:    vector=236",
        "  m-7320  [000]   588.734103: kernel_stack:         <stack trace >",
        "=> kmem_cache_free (ffffffff81649f33)",
        "  m-7320  [000]   588.734108: local_timer_entry:    vector=236",
        "  m-7320  [000]   588.734133: kernel_stack:         <stack trace >",
        "=> __sysvec_apic_timer_interrupt (ffffffff8225a8a0)",
        "  m-7320  [000]   588.734148: local_timer_exit:     vector=236",
        "  m-7320  [000]   588.734151: kernel_stack:         <stack trace >",
        "=> __sysvec_apic_timer_interrupt (ffffffff8225a8a0)",
        "  m-7320  [000]   588.734159: kernel_stack:         <stack trace >",
        "=> kmem_cache_free (ffffffff81649f33)",
        ""));
    assertThat(r.event(0).stack().frames()).as("interleaved CPUs: still attached").containsExactly("kmem_cache_free");
    assertThat(r.events()).extracting(TraceEvent::name).containsExactly("kmem_cache_free", "local_timer_entry",
        "local_timer_entry", "local_timer_exit", "kernel_stack");
    assertThat(r.event(4).stack().frames()).as("its own stack").containsExactly("kmem_cache_free");
    assertThat(r.event(3).stack().frames()).containsExactly("__sysvec_apic_timer_interrupt");
  }

  /**
   * cpu, µs timestamp, name and frames of every event: what both forms of one recording must agree
   * on (the kernel's text rounds the ns clock to the nearest µs: ns2usecs() adds 500).
   */
  private static List<String> events(Result r, boolean ns) {
    List<String> out = new ArrayList<>();
    for (TraceEvent e : r.events()) {
      long us = ns ? (e.timestamp() + 500) / 1000 : e.timestamp() / 1000;
      // __x64_sys_sched_yield and __do_sys_sched_yield share an address in kallsyms: the kernel
      // printed one, trace.dat's symbol table names the other (3 sched_switch stacks).
      out.add(e.cpu() + " " + us + " " + e.name() + " " + e.stack().frames().toString().replace("__x64_sys_", "__do_sys_"));
    }
    return out;
  }

  private static Map<String, Long> byName(Result r) {
    Map<String, Long> n = new TreeMap<>();
    for (TraceEvent e : r.events()) n.merge(e.name(), 1L, Long::sum);
    return n;
  }

  @Test
  void theTextAndTheTraceDatOfTheStackRecordingGiveTheSameEventsWithTheSameStacks() throws IOException {
    Result text = TestTraces.read("trace.txt.xz", java.nio.file.Files.newInputStream(STACKS.resolve("trace.txt.xz")),
        ReadOptions.defaults());
    Result dat;
    try (TraceReader r = Traces.open(STACKS.resolve("trace.dat").toString(), ReadOptions.defaults())) {
      List<TraceEvent> all = new ArrayList<>();
      for (TraceEvent e; (e = r.next()) != null; ) all.add(e.copy());
      dat = new Result(all, r.stats(), r.info());
    }
    // traces/stress-ng-deadline/README.md: 12,267 events and 12,267 stack entries (24,534 in the buffer)
    assertThat(text.stats().events()).isEqualTo(12_267);
    assertThat(dat.stats().events()).isEqualTo(12_267);
    assertThat(byName(text)).isEqualTo(byName(dat)).doesNotContainKey("kernel_stack")
        .containsEntry("kmem_cache_free", 6948L).containsEntry("sched_switch", 1257L);
    assertThat(text.events()).allSatisfy(e -> assertThat(e.stack().depth()).as(e.name() + " @" + e.line()).isPositive());
    assertThat(events(text, false)).isEqualTo(events(dat, true));
    assertThat(text.stats().accountedLines()).isEqualTo(text.stats().lines());
  }
}
