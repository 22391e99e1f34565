package org.kreplay.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kreplay.ingest.TestTraces.readResource;
import static org.kreplay.ingest.TestTraces.readText;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.ReadLimits;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TestTraces.Result;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceFormatException;

/**
 * The text reader on real lines (the same 87 events of traces/cyclictest rendered four ways) and on
 * hand-written lines for the variants that recording on one kernel cannot produce.
 */
class FtraceTextReaderTest {
  private static final String[] RENDERINGS = {
    "text/cyclictest-trace.txt", "text/cyclictest-report.txt", "text/cyclictest-report-l.txt",
    "text/cyclictest-report-R.txt"
  };

  @Test
  void everyRenderingOfTheSameEventsReadsToTheSameEvents() throws IOException {
    Result kernel = readResource(RENDERINGS[0], ReadOptions.defaults());
    assertThat(kernel.events()).hasSize(87);
    assertThat(kernel.info().format()).isEqualTo(TraceFormat.FTRACE_TEXT);
    for (String r : RENDERINGS) {
      Result other = readResource(r, ReadOptions.defaults());
      assertThat(other.stats().skippedTotal()).as(r).isZero();
      assertThat(other.events()).as(r).hasSize(87);
      for (int i = 0; i < 87; i++) {
        TraceEvent k = kernel.event(i);
        TraceEvent o = other.event(i);
        String where = r + " event " + i + ": " + o;
        assertThat(o.timestamp()).as(where).isEqualTo(k.timestamp());
        assertThat(o.cpu()).as(where).isEqualTo(k.cpu());
        assertThat(o.pid()).as(where).isEqualTo(k.pid());
        // report -l cuts the comm to 8 characters
        assertThat(k.comm()).as(where).startsWith(o.comm());
        assertThat(o.name()).as(where).isEqualTo(k.name());
        assertThat(o.kind()).as(where).isEqualTo(k.kind());
        assertThat(o.vector()).as(where).isEqualTo(k.vector());
        assertThat(o.nextPid()).as(where).isEqualTo(k.nextPid());
        assertThat(o.prevPid()).as(where).isEqualTo(k.prevPid());
        assertThat(o.prevState()).as(where).isEqualTo(k.prevState());
        assertThat(o.nextPrio()).as(where).isEqualTo(k.nextPrio());
        assertThat(o.now()).as(where).isEqualTo(k.now());
        if (!r.endsWith("-R.txt")) {
          // report -R prints %ps arguments of some events as raw addresses
          assertThat(o.function()).as(where).isEqualTo(k.function());
        }
      }
    }
  }

  @Test
  void reportRenderingsShareRawPointersWhileTracefsHashesThem() throws IOException {
    Result report = readResource(RENDERINGS[1], ReadOptions.defaults());
    Result raw = readResource(RENDERINGS[3], ReadOptions.defaults());
    for (int i = 0; i < report.events().size(); i++) {
      assertThat(raw.event(i).address()).as("event " + i).isEqualTo(report.event(i).address());
    }
    TraceEvent work = first(report.events(), EventKind.WORKQUEUE_QUEUE_WORK);
    assertThat(work.address()).isEqualTo(0xffffffff8307f9b8L);
    assertThat(work.function()).isEqualTo("psi_avgs_work");
    assertThat(work.workqueue()).isEqualTo("events");
    assertThat(work.targetCpu()).isEqualTo(0);
  }

  @Test
  void flagsAreBitsWhereTheRendererShowsThemAndUnknownWhereNot() throws IOException {
    Result kernel = readResource(RENDERINGS[0], ReadOptions.defaults());
    Result latency = readResource(RENDERINGS[2], ReadOptions.defaults());
    Result plain = readResource(RENDERINGS[1], ReadOptions.defaults());
    assertThat(latency.info().format()).isEqualTo(TraceFormat.TRACE_CMD_REPORT_LATENCY);
    assertThat(plain.info().format()).isEqualTo(TraceFormat.TRACE_CMD_REPORT);
    for (int i = 0; i < kernel.events().size(); i++) {
      int k = kernel.event(i).flags();
      int l = latency.event(i).flags();
      String where = "event " + i + ": " + kernel.event(i);
      assertThat(ContextFlags.bhKnown(k)).as(where).isTrue();
      assertThat(ContextFlags.bhKnown(l)).as(where).isFalse();
      assertThat(ContextFlags.nmiKnown(l)).as(where).isFalse();
      assertThat(ContextFlags.irqsOff(l)).as(where).isEqualTo(ContextFlags.irqsOff(k));
      assertThat(ContextFlags.hardirq(l)).as(where).isEqualTo(ContextFlags.hardirq(k));
      assertThat(ContextFlags.softirq(l)).as(where).isEqualTo(ContextFlags.softirq(k));
      assertThat(ContextFlags.preemptDepth(l)).as(where).isEqualTo(ContextFlags.preemptDepth(k));
      assertThat(ContextFlags.migrateDisable(l)).as(where).isEqualTo(ContextFlags.migrateDisable(k));
      assertThat(plain.event(i).flags()).as("report without flags: " + where).isEqualTo(ContextFlags.UNKNOWN);
    }
  }

  @Test
  void headerFactsAreRead() throws IOException {
    Result kernel = readResource(RENDERINGS[0], ReadOptions.defaults());
    assertThat(kernel.info().tracer()).isEqualTo("nop");
    assertThat(kernel.info().declaredCpus()).isEqualTo(2);
    assertThat(kernel.info().entriesInBuffer()).isEqualTo(73840);
    assertThat(kernel.info().overwrittenEvents()).isZero();
    assertThat(kernel.stats().headerLines()).isEqualTo(12);
    assertThat(kernel.stats().accountedLines()).isEqualTo(kernel.stats().lines());
  }

  @Test
  void commsWithSpacesAndDashesAnchorOnPidAndCpu() throws IOException {
    Result r = readText(String.join("\n",
        " Web Content-2711    [002] d..2.  5245.339213: sched_switch: prev_comm=Web Content prev_pid=2711 prev_prio=120 prev_state=S ==> next_comm=kworker/u16:1 next_pid=77 next_prio=120",
        " kworker/u16:1-77      [002] .....  5245.339220: workqueue_execute_start: work struct 000000007a1c4b0d: function flush_to_ldisc",
        "           <...>-3534    [000] .N.1.  5245.339221: sched_waking: comm=my-task 2 pid=3535 prio=120 target_cpu=001",
        "",
        "          <idle>-0       [003] d.h1.  5245.339222: irq_handler_entry: irq=28 name=radeon"));
    assertThat(r.events()).hasSize(4);
    TraceEvent sw = r.event(0);
    assertThat(sw.comm()).isEqualTo("Web Content");
    assertThat(sw.pid()).isEqualTo(2711);
    assertThat(sw.cpu()).isEqualTo(2);
    assertThat(sw.timestamp()).isEqualTo(5245_339213000L);
    assertThat(sw.prevComm()).isEqualTo("Web Content");
    assertThat(sw.prevState()).isEqualTo(1);
    assertThat(sw.nextComm()).isEqualTo("kworker/u16:1");
    assertThat(sw.nextPid()).isEqualTo(77);
    assertThat(r.event(1).comm()).isEqualTo("kworker/u16:1");
    assertThat(r.event(1).address()).isEqualTo(0x7a1c4b0dL);
    assertThat(r.event(1).function()).isEqualTo("flush_to_ldisc");
    assertThat(r.event(2).comm()).isEqualTo("<...>");
    assertThat(r.event(2).nextComm()).isEqualTo("my-task 2");
    assertThat(r.event(2).nextPid()).isEqualTo(3535);
    assertThat(r.event(2).targetCpu()).isEqualTo(1);
    assertThat(r.event(3).comm()).isEqualTo("<idle>");
    assertThat(r.event(3).handlerName()).isEqualTo("radeon");
    assertThat(r.stats().blankLines()).isEqualTo(1);
  }

  @Test
  void tgidColumnAndOldFiveDigitPids() throws IOException {
    Result r = readText(String.join("\n",
        "            bash-1977  (   1977) [000] d..3.  4216.813003: sched_waking: comm=sshd pid=1976 prio=120 target_cpu=001",
        "          <idle>-0     (-------) [001] d..2.  4216.813010: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=sshd next_pid=1976 next_prio=120",
        "            bash-1977  [000] d..3  4216.813011: softirq_raise: vec=9 [action=RCU]"));
    assertThat(r.events()).hasSize(3);
    assertThat(r.event(0).tgid()).isEqualTo(1977);
    assertThat(r.event(1).tgid()).isEqualTo(TraceEvent.UNKNOWN);
    assertThat(r.event(1).prevState()).isZero();
    assertThat(r.event(2).vector()).isEqualTo(9);
    assertThat(ContextFlags.migrateKnown(r.event(2).flags())).as("4-column flags").isFalse();
  }

  @Test
  void timestampsOfSixAndNineDecimalsAndCounterClocks() throws IOException {
    Result r = readText(String.join("\n",
        "  a-1 [000] ..... 12.000001: sched_waking: comm=b pid=2 prio=120 target_cpu=000",
        "  a-1 [000] ..... 12.000001234: sched_waking: comm=b pid=2 prio=120 target_cpu=000",
        "  a-1 [000] ..... 123456789012: sched_waking: comm=b pid=2 prio=120 target_cpu=000"));
    assertThat(r.event(0).timestamp()).isEqualTo(12_000_001_000L);
    assertThat(r.event(1).timestamp()).isEqualTo(12_000_001_234L);
    assertThat(r.event(2).timestamp()).isEqualTo(123456789012L);
  }

  @Test
  void traceCmd33ReportHasBracketsAndLibtraceeventFlags() throws IOException {
    Result r = readText(String.join("\n",
        "cpus=4",
        "          <idle>-0     [001] d.h1. 98765.432100: local_timer_entry:    vector=236"));
    assertThat(r.info().format()).isEqualTo(TraceFormat.TRACE_CMD_REPORT);
    TraceEvent e = r.only();
    assertThat(e.kind()).isEqualTo(EventKind.VECTOR_ENTRY);
    assertThat(e.handlerName()).isEqualTo("local_timer");
    assertThat(ContextFlags.hardirq(e.flags())).isTrue();
    assertThat(ContextFlags.nmiKnown(e.flags())).isFalse();
    assertThat(r.info().declaredCpus()).isEqualTo(4);
  }

  @Test
  void headerlessTracePipeIsKernelText() throws IOException {
    Result r = readText("     cyclictest-3890    [000] d..2.   411.010307: sched_switch: prev_comm=cyclictest prev_pid=3890 prev_prio=19 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n");
    assertThat(r.info().format()).isEqualTo(TraceFormat.FTRACE_TEXT);
    assertThat(ContextFlags.bhKnown(r.only().flags())).as("no legend, no b/D: BH unknown").isFalse();
    assertThat(ContextFlags.nmiKnown(r.only().flags())).isTrue();
  }

  @Test
  void kernelStackFramesAttachToTheEventBefore() throws IOException {
    Result r = readText(String.join("\n",
        "  stress-ng-2100  [001] d.h1.   100.000010: hrtimer_expire_entry: hrtimer=00000000aa function=inactive_task_timer now=99000",
        "  stress-ng-2100  [001] d.h1.   100.000012: kmem_cache_free: call_site=__put_task_struct+0x7a/0x140 ptr=00000000bb name=task_struct",
        "  stress-ng-2100  [001] d.h1.   100.000013: <stack trace>",
        " => kmem_cache_free+0x357/0x560",
        " => inactive_task_timer+0x1ad/0x340",
        " => __run_hrtimer",
        "  stress-ng-2100  [001] d.h1.   100.000020: hrtimer_expire_exit: hrtimer=00000000aa"));
    assertThat(r.events()).hasSize(3);
    TraceEvent free = r.event(1);
    assertThat(free.kind()).isEqualTo(EventKind.KMEM_CACHE_FREE);
    assertThat(free.function()).isEqualTo("__put_task_struct");
    assertThat(free.cacheName()).isEqualTo("task_struct");
    assertThat(free.stack().frames()).containsExactly("kmem_cache_free", "inactive_task_timer", "__run_hrtimer");
    assertThat(r.event(0).stack().depth()).isZero();
    assertThat(r.stats().stackFrames()).isEqualTo(4); // the marker line and three frames
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
  }

  @Test
  void traceCmdKernelStackEventsAttachToo() throws IOException {
    Result r = readText(String.join("\n",
        "cpus=2",
        "      stress-ng-2100  [001]   100.000012: kmem_cache_free:      (__put_task_struct+0x7a) call_site=__put_task_struct+0x7a ptr=0xffff88810 name=task_struct",
        "      stress-ng-2100  [001]   100.000013: kernel_stack:         <stack trace >",
        "=> kmem_cache_free (ffffffff812a1b57)",
        "=> inactive_task_timer (ffffffff8110c0ad)"));
    assertThat(r.only().stack().frames()).containsExactly("kmem_cache_free", "inactive_task_timer");
  }

  @Test
  void aStackWithoutAnEventOfItsCpuBeforeItStandsAlone() throws IOException {
    Result r = readText(String.join("\n",
        "  a-10  [000] d..1.   100.000010: sched_waking: comm=b pid=11 prio=120 target_cpu=000",
        "  c-12  [001] d.h1.   100.000011: <stack trace>",
        " => hrtimer_interrupt",
        "  a-10  [000] d..1.   100.000012: <user stack trace>",
        " => <00007f0c1a2b3c4d>"));
    assertThat(r.events()).hasSize(2);
    assertThat(r.event(1).kind()).isEqualTo(EventKind.KERNEL_STACK);
    assertThat(r.event(1).cpu()).isEqualTo(1);
    assertThat(r.event(1).stack().frames()).containsExactly("hrtimer_interrupt");
    assertThat(r.event(0).stack().depth()).as("user stacks are not kernel frames").isZero();
  }

  @Test
  void aStackAfterAnEventThatCannotBeDecodedIsSkippedWithItReadingAheadOrNot() throws IOException {
    String text = String.join("\n",
        "  a-10  [000] d..1.   100.000010: sched_waking: comm=b pid=11 prio=120 target_cpu=000",
        "  c-12  [001] d.h1.   100.000011: kmem_cache_free: call_site=__put_task_struct+0x7a/0x140 ptr=x y",
        "  c-12  [001] d.h1.   100.000012: <stack trace>",
        " => kmem_cache_free+0x357/0x560",
        " => inactive_task_timer+0x1ad/0x340",
        "  c-12  [001] d.h1.   100.000013: sched_waking: comm=b pid=11 prio=120 target_cpu=001");
    for (boolean ahead : new boolean[] {false, true}) {
      Result r = readText(text, ReadOptions.defaults().readAhead(ahead));
      assertThat(r.events()).as("read ahead: %s", ahead).extracting(TraceEvent::line).containsExactly(1L, 6L);
      assertThat(r.stats().skipped()).containsOnlyKeys("undecodable kmem_cache_free body");
      assertThat(r.stats().stackFrames()).isEqualTo(3);
      assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
    }
  }

  @Test
  void theStackLimitIsTheCallersWhenGiven() throws IOException {
    StringBuilder text = new StringBuilder("  a-10  [000] d..1.   100.000010: sched_waking: comm=b pid=11 prio=120 target_cpu=000\n");
    text.append("  a-10  [000] d..1.   100.000011: <stack trace>\n");
    for (int i = 0; i < 12; i++) text.append(" => f").append(i).append("+0x1/0x10\n");
    ReadLimits limits = ReadLimits.builder().maxStackFrames(8).build();
    Result r = readText(text.toString(), ReadOptions.defaults().readAhead(false).limits(limits));
    assertThat(r.only().stack().depth()).isEqualTo(8);
    assertThat(r.stats().skipped()).containsExactly(java.util.Map.entry("stack deeper than 8 frames", 4L));
  }

  @Test
  void limitsOutOfRangeAreRefusedByName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReadLimits.builder().maxReportLocks(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxReportLocks must be between 1 and 65536, not 0");
    assertThat(ReadLimits.defaults().rebuild().maxLineLength(4096).build().maxLineLength()).isEqualTo(4096);
  }

  @Test
  void aStackDeeperThanAnyKernelRecordsIsCutAndTheRestCounted() throws IOException {
    StringBuilder text = new StringBuilder("  a-10  [000] d..1.   100.000010: sched_waking: comm=b pid=11 prio=120 target_cpu=000\n");
    text.append("  a-10  [000] d..1.   100.000011: <stack trace>\n");
    int frames = ReadLimits.defaults().maxStackFrames() + 100;
    for (int i = 0; i < frames; i++) text.append(" => f").append(i).append("+0x1/0x10\n");
    Result r = readText(text.toString(), ReadOptions.defaults().readAhead(false));
    assertThat(r.only().stack().depth()).isEqualTo(ReadLimits.defaults().maxStackFrames());
    assertThat(r.stats().skipped()).containsExactly(java.util.Map.entry("stack deeper than 4096 frames", 100L));
    assertThat(r.stats().examples().get(0).line()).isEqualTo(2 + ReadLimits.defaults().maxStackFrames() + 1);
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines()).isEqualTo(frames + 2);
  }

  @Test
  void lostEventsAndLateBuffersBecomeMarkers() throws IOException {
    Result r = readText(String.join("\n",
        "# tracer: nop",
        "##### CPU 3 buffer started ####",
        "  a-10  [003] d..1.   100.000010: sched_waking: comm=b pid=11 prio=120 target_cpu=003",
        "CPU:3 [LOST 1234 EVENTS]",
        "  a-10  [003] d..1.   100.000020: sched_waking: comm=b pid=11 prio=120 target_cpu=003",
        "CPU:1 [EVENTS DROPPED]",
        "CPU:0 [17 EVENTS DROPPED]"));
    assertThat(r.events()).extracting(TraceEvent::kind).containsExactly(
        EventKind.CPU_BUFFER_STARTED, EventKind.SCHED_WAKING, EventKind.LOST_EVENTS,
        EventKind.SCHED_WAKING, EventKind.LOST_EVENTS, EventKind.LOST_EVENTS);
    assertThat(r.event(2).cpu()).isEqualTo(3);
    assertThat(r.event(2).lostEvents()).isEqualTo(1234);
    assertThat(r.event(2).timestamp()).as("a marker sits at the time of the event before it").isEqualTo(100_000_010_000L);
    assertThat(r.event(4).lostEvents()).isEqualTo(-1);
    assertThat(r.event(5).lostEvents()).isEqualTo(17);
    assertThat(r.stats().lostEvents()).isEqualTo(1251);
    assertThat(r.stats().lostEventsUnknownCount()).isEqualTo(1);
    assertThat(r.stats().markers()).isEqualTo(4);
  }

  @Test
  void functionTracerEntriesOfBothRenderers() throws IOException {
    Result kernel = readText("  bash-10 [000] d..1. 1.000001: irq_work_queue <-srcu_funnel_gp_start\n");
    assertThat(kernel.only().kind()).isEqualTo(EventKind.FUNCTION);
    assertThat(kernel.only().function()).isEqualTo("irq_work_queue");
    assertThat(kernel.only().parent()).isEqualTo("srcu_funnel_gp_start");
    Result report = readText("cpus=1\n  bash-10 [000] 1.000001: function:             irq_work_queue+0x4/0x20 <-- srcu_funnel_gp_start+0x100/0x200\n");
    assertThat(report.only().function()).isEqualTo("irq_work_queue");
    assertThat(report.only().parent()).isEqualTo("srcu_funnel_gp_start");
  }

  @Test
  void unknownEventsKeepTheirBody() throws IOException {
    Result r = readText("  a-1 [000] ..... 1.000001: my_probe: foo=1 bar=two words\n");
    assertThat(r.only().kind()).isEqualTo(EventKind.OTHER);
    assertThat(r.only().name()).isEqualTo("my_probe");
    assertThat(r.only().body()).isEqualTo("foo=1 bar=two words");
  }

  @Test
  void filtersApplyBeforeDecodingAndAreCounted() throws IOException {
    String text = String.join("\n",
        "  a-1 [000] ..... 1.000001: softirq_raise: vec=1 [action=TIMER]",
        "  a-1 [001] ..... 1.000002: softirq_raise: vec=2 [action=NET_TX]",
        "  a-1 [001] ..... 1.000003: <stack trace>",
        " => f",
        "  a-1 [001] ..... 2.000000: softirq_raise: vec=3 [action=NET_RX]",
        "  a-1 [000] ..... 3.000000: softirq_raise: this body is not decodable");
    java.util.BitSet cpu1 = new java.util.BitSet();
    cpu1.set(1);
    Result r = readText(text, ReadOptions.defaults().cpus(cpu1).timeRange(1_000_000_000L, 1_500_000_000L));
    assertThat(r.only().vector()).isEqualTo(2);
    assertThat(r.only().stack().frames()).containsExactly("f");
    assertThat(r.stats().filtered()).isEqualTo(3);
    assertThat(r.stats().skippedTotal()).as("the undecodable body is on a filtered CPU").isZero();
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
  }

  @Test
  void latencyFormatTracesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> readText(String.join("\n",
        "# tracer: irqsoff",
        "#",
        "# irqsoff latency trace v1.1.5 on 6.1.0",
        "  ps-6143    2d..1  259us+: trace_hardirqs_on <-do_idle")))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("test.txt:3: latency-format output");
  }

  private static TraceEvent first(List<TraceEvent> events, EventKind kind) {
    return events.stream().filter(e -> e.kind() == kind).findFirst().orElseThrow();
  }
}
