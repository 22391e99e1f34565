package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kreplay.ingest.TestTraces.Result;

/**
 * A kprobe's stacktrace trigger records the probed call's stack under the handler's own frames,
 * and fires also when the probe's event filter drops the hit (traces/rt-vm/rec/rt/control-cyclictest,
 * line 105: a {@code rt_spin_lock} stack with irqs on after a {@code sched_migrate_task} with irqs
 * off). Such a stack is an event of its own, with its own flags, without the handler's frames,
 * whichever event came before it; other stacks still go to their event.
 */
class ProbeStackTest {
  /** The catalog's probe frames, as the commands pass them (the ingest module does not read the catalog). */
  private static final Predicate<String> PROBE =
      Set.of("kprobe_trace_func", "kprobe_dispatcher", "kprobe_ftrace_handler", "ftrace_trampoline")::contains;

  private static ReadOptions options(boolean readAhead) {
    return ReadOptions.defaults().readAhead(readAhead).probeFrames(PROBE);
  }

  private static final String FILTERED_HIT = String.join("\n",
      "       ktimers/0-15      [000] d...3..    15.542958: sched_migrate_task: comm=rcu_preempt pid=17 prio=98 orig_cpu=0 dest_cpu=1",
      "       ktimers/0-15      [000] .....11    15.543014: <stack trace>",
      " => kprobe_trace_func",
      " => kprobe_dispatcher",
      " => kprobe_ftrace_handler",
      " => 0xffffffffc020e0c8",
      " => rt_spin_lock",
      " => __local_bh_disable_ip",
      " => run_timersd",
      " => smpboot_thread_fn",
      " => kthread",
      " => ret_from_fork",
      "       ktimers/0-15      [000] ...s.12    15.543028: softirq_entry: vec=1 [action=TIMER]",
      "");

  @ParameterizedTest(name = "readAhead={0}")
  @ValueSource(booleans = {false, true})
  void aProbeStackAfterAnotherEventIsTheProbedCallInItsOwnContext(boolean readAhead) throws IOException {
    Result r = TestTraces.readText(FILTERED_HIT, options(readAhead));
    assertThat(r.events()).extracting(TraceEvent::name).containsExactly("sched_migrate_task", "kernel_stack", "softirq_entry");
    assertThat(r.event(0).stack().depth()).as("not the migration's stack").isZero();
    TraceEvent stack = r.event(1);
    assertThat(stack.stack().frames()).as("handler frames and trampoline dropped")
        .containsExactly("rt_spin_lock", "__local_bh_disable_ip", "run_timersd", "smpboot_thread_fn", "kthread", "ret_from_fork");
    assertThat(ContextFlags.irqsOff(stack.flags())).as("the stack line's flags, not the migration's").isFalse();
    assertThat(ContextFlags.preemptDepth(stack.flags())).isZero();
    assertThat(stack.timestamp()).isEqualTo(15_543_014_000L);
    assertThat(stack.line()).isEqualTo(2);
    assertThat(r.stats().events()).isEqualTo(3);
    assertThat(r.stats().stackFrames()).isEqualTo(10);
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines()).isEqualTo(13);
  }

  @ParameterizedTest(name = "readAhead={0}")
  @ValueSource(booleans = {false, true})
  void withoutTheCatalogsProbeFramesTheStackGoesToTheEventBeforeIt(boolean readAhead) throws IOException {
    Result r = TestTraces.readText(FILTERED_HIT, ReadOptions.defaults().readAhead(readAhead));
    assertThat(r.events()).extracting(TraceEvent::name).containsExactly("sched_migrate_task", "softirq_entry");
    assertThat(r.event(0).stack().frame(0)).isEqualTo("kprobe_trace_func");
  }

  @ParameterizedTest(name = "readAhead={0}")
  @ValueSource(booleans = {false, true})
  void aHitAndItsStackAreTwoEventsInTheSameContextAndOtherStacksStillAttach(boolean readAhead) throws IOException {
    Result r = TestTraces.readText(String.join("\n",
        "             cat-146     [000] d..h...    24.524279: rtlock: (rt_spin_lock+0x0/0x60) lock=0xffffffffc0210440",
        "         rtvm_s2-125     [001] d...1..    24.524280: kmem_cache_free: call_site=f+0x1/0x2 ptr=0000000000000001 name=filp",
        "             cat-146     [000] d..h...    24.525830: <stack trace>",
        " => ftrace_trampoline",
        " => rt_spin_lock",
        " => rtvm_s1_put_obj",
        " => rtvm_s1_timer_fn",
        "         rtvm_s2-125     [001] d...1..    24.525831: <stack trace>",
        " => kmem_cache_free",
        " => rtvm_s2_thread_fn",
        ""), options(readAhead));
    assertThat(r.events()).extracting(TraceEvent::name).containsExactly("rtlock", "kmem_cache_free", "kernel_stack");
    assertThat(r.event(0).stack().depth()).isZero();
    assertThat(r.event(1).stack().frames()).containsExactly("kmem_cache_free", "rtvm_s2_thread_fn");
    TraceEvent stack = r.event(2);
    assertThat(stack.cpu()).isZero();
    assertThat(stack.stack().frames()).containsExactly("rt_spin_lock", "rtvm_s1_put_obj", "rtvm_s1_timer_fn");
    assertThat(ContextFlags.hardirq(stack.flags())).isTrue();
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
  }
}
