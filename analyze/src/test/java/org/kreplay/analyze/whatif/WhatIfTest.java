package org.kreplay.analyze.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes.RunsIn;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/**
 * {@code whatif} on a hand-built PREEMPT_RT timeline where every answer is exact: seed 1's HARD
 * hrtimer callback frees a task_struct in hardirq on CPU 1 at 5000.000111 (four findings, one run
 * of the code), and the trace goes on to show when each mechanism would have run it.
 */
class WhatIfTest {
  private static final String HEADER = String.join("\n",
      "# tracer: nop",
      "#",
      "#                                _-------=> irqs-off/BH-disabled",
      "#                               / _------=> need-resched",
      "#                              | / _-----=> need-resched-lazy",
      "#                              || / _----=> hardirq/softirq",
      "#                              ||| / _---=> preempt-depth",
      "#                              |||| / _--=> preempt-lazy-depth",
      "#                              ||||| / _-=> migrate-disable",
      "#                              |||||| /     delay",
      "#           TASK-PID     CPU#  |||||||  TIMESTAMP  FUNCTION",
      "#              | |         |   |||||||      |         |",
      "");

  /** The occurrence: seed 1's callback, its free and the sleeping stock_lock in hardirq. */
  private static final String OCCURRENCE = String.join("\n",
      "           other-300     [000] .......  4999.990000: kmem_cache_free: call_site=x+0x1/0x2 ptr=0000000000000001 name=filp",
      "            life-2848    [001] .......  4999.950000: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=00000000e1d2c3b4 name=filp",
      "            life-2848    [001] .......  4999.950001: lock_acquire: 00000000f00d5a10 stock_lock",
      "            life-2848    [001] ......1  4999.950002: lock_release: 00000000f00d5a10 stock_lock",
      "            life-2848    [001] d..h...  5000.000100: local_timer_entry: vector=236",
      "            life-2848    [001] d..h...  5000.000102: hrtimer_expire_entry: hrtimer=00000000b7e2c9a0 function=inactive_task_timer now=5000000101834",
      "            life-2848    [001] d..h...  5000.000111: kmem_cache_free: call_site=inactive_task_timer+0x1ad/0x340 ptr=00000000c4d3e000 name=task_struct",
      "            life-2848    [001] d..h...  5000.000112: lock_acquire: 00000000f00d5a10 stock_lock",
      "            life-2848    [001] d..h..1  5000.000114: lock_release: 00000000f00d5a10 stock_lock",
      "            life-2848    [001] d..h...  5000.000115: hrtimer_expire_exit: hrtimer=00000000b7e2c9a0",
      "            life-2848    [001] d..h...  5000.000116: local_timer_exit: vector=236",
      "            life-2848    [001] .......  5000.000120: kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache",
      "");

  /**
   * What follows on both CPUs: kworker/1:1 runs 40 µs after the occurrence; kworker/u4:2 on CPU 0
   * at +189 µs; CPU 0's context switch at +389 µs ends the grace period (CPU 1 passed one at +40);
   * CPU 1's next tick at +989 µs, then irq_work/1 (+1009), rcuc/1 (+1039) and kworker/1:1 again (+1089).
   */
  private static final String AFTER = String.join("\n",
      "            life-2848    [001] d...2..  5000.000151: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=kworker/1:1 next_pid=80 next_prio=120",
      "     kworker/1:1-80      [001] d...2..  5000.000160: sched_switch: prev_comm=kworker/1:1 prev_pid=80 prev_prio=120 prev_state=I ==> next_comm=life next_pid=2848 next_prio=120",
      "           other-300     [000] d...2..  5000.000300: sched_switch: prev_comm=other prev_pid=300 prev_prio=120 prev_state=R+ ==> next_comm=kworker/u4:2 next_pid=90 next_prio=120",
      "    kworker/u4:2-90      [000] d...2..  5000.000310: sched_switch: prev_comm=kworker/u4:2 prev_pid=90 prev_prio=120 prev_state=I ==> next_comm=other next_pid=300 next_prio=120",
      "           other-300     [000] d...2..  5000.000500: sched_switch: prev_comm=other prev_pid=300 prev_prio=120 prev_state=R+ ==> next_comm=other2 next_pid=301 next_prio=120",
      "            life-2848    [001] d..h...  5000.001100: local_timer_entry: vector=236",
      "            life-2848    [001] d..h...  5000.001105: local_timer_exit: vector=236",
      "            life-2848    [001] d...2..  5000.001120: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=irq_work/1 next_pid=25 next_prio=98",
      "      irq_work/1-25      [001] d...2..  5000.001140: sched_switch: prev_comm=irq_work/1 prev_pid=25 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=120",
      "            life-2848    [001] d...2..  5000.001150: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=rcuc/1 next_pid=21 next_prio=98",
      "          rcuc/1-21      [001] d...2..  5000.001160: sched_switch: prev_comm=rcuc/1 prev_pid=21 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=120",
      "            life-2848    [001] d...2..  5000.001200: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=kworker/1:1 next_pid=80 next_prio=120",
      "     kworker/1:1-80      [001] d...2..  5000.001210: sched_switch: prev_comm=kworker/1:1 prev_pid=80 prev_prio=120 prev_state=I ==> next_comm=life next_pid=2848 next_prio=120",
      "");

  private static WhatIfResult whatIf(Path dir, String body, String what, String... vias) throws IOException {
    Path trace = dir.resolve("trace.txt");
    Files.writeString(trace, HEADER + body);
    Catalog catalog = Catalog.builtin();
    List<Via> list = new ArrayList<>();
    for (String v : vias) list.add(Via.parse(v, catalog));
    try (TraceReader reader = Traces.open(trace.toString(), ReadOptions.defaults())) {
      return WhatIf.predict(reader, AnalysisOptions.defaults(), what, list, Analyzer.Progress.NONE);
    }
  }

  private static Prediction via(WhatIfResult r, String label) {
    return r.predictions().stream().filter(p -> p.via().label().equals(label)).findFirst().orElseThrow();
  }

  /** The one replayed latency of a prediction, in µs. */
  private static long us(WhatIfResult r, String label) {
    Prediction p = via(r, label);
    assertThat(p.replayed().count()).as(label).isEqualTo(1);
    assertThat(p.unresolved()).as(label).isZero();
    assertThat(p.replayed().min()).as(label).isEqualTo(p.replayed().max());
    return p.replayed().max() / 1000;
  }

  @Test
  void eachMechanismRunsWhenTheTraceShowsItsStepsDone(@TempDir Path dir) throws IOException {
    WhatIfResult r = whatIf(dir, OCCURRENCE + AFTER, "inactive_task_timer", "workqueue", "workqueue:unbound",
        "call_rcu", "irq_work-lazy", "irq_work", "delayed-work:1", "kthread");
    assertThat(r.rt()).isTrue();
    assertThat(r.occurrences()).as("four findings, one run of the code").isEqualTo(1);
    assertThat(r.cpus()).containsExactly(1);
    assertThat(r.foundAs()).isEqualTo("the code of its findings");
    assertThat(r.findingKinds()).contains("sleep-in-atomic", "rt-alloc-in-atomic");
    assertThat(us(r, "workqueue")).isEqualTo(40);
    assertThat(us(r, "workqueue:unbound")).isEqualTo(189);
    assertThat(us(r, "kthread")).as("the CPU's next context switch").isEqualTo(40);
    // the grace period ends with CPU 0's switch at +389 µs, the tick after it is CPU 1's at +989 µs
    assertThat(us(r, "call_rcu")).isEqualTo(1039);
    assertThat(us(r, "irq_work-lazy")).as("the next tick, then irq_work/1").isEqualTo(1009);
    assertThat(us(r, "irq_work")).as("the hardirq's exit, interrupts on after it").isEqualTo(5);
    assertThat(us(r, "delayed-work:1")).as("one tick, then kworker/1:1").isEqualTo(1089);
  }

  /**
   * A grace period ends when the last CPU passes a quiescent state: CPU 0 switches only after CPU
   * 1's first tick (and not to kworker/u4:2 before), so the callback waits for the tick after that one (+1989 µs), then rcuc/1.
   */
  @Test
  void aGracePeriodEndsWithTheLastCpusContextSwitch(@TempDir Path dir) throws IOException {
    String late = AFTER.replace("5000.000500: sched_switch: prev_comm=other", "5000.001300: sched_switch: prev_comm=other")
        + String.join("\n",
            "            life-2848    [001] d..h...  5000.002100: local_timer_entry: vector=236",
            "            life-2848    [001] d..h...  5000.002105: local_timer_exit: vector=236",
            "            life-2848    [001] d...2..  5000.002150: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=rcuc/1 next_pid=21 next_prio=98",
            "");
    // the moved line now comes after CPU 1's events of 5000.0011xx: put the trace back in time order
    List<String> lines = new ArrayList<>(List.of(late.split("\n")));
    lines.removeIf(l -> l.contains("kworker/u4:2")); // CPU 0's only switch is the late one
    lines.sort(java.util.Comparator.comparing(l -> l.substring(l.indexOf("] ") + 10, l.indexOf(": "))));
    WhatIfResult r = whatIf(dir, OCCURRENCE + String.join("\n", lines) + "\n", "inactive_task_timer", "call_rcu");
    assertThat(us(r, "call_rcu")).isEqualTo(2039);
  }

  @Test
  void theContextEachMechanismRunsInSaysWhetherTheFindingsGo(@TempDir Path dir) throws IOException {
    WhatIfResult r = whatIf(dir, OCCURRENCE + AFTER, "inactive_task_timer", "call_rcu", "irq_work", "irq_work-lazy");
    assertThat(via(r, "call_rcu").runsIn()).as("rcuc/1 on PREEMPT_RT").isEqualTo(RunsIn.TASK);
    assertThat(via(r, "call_rcu").verdict().fixes()).isTrue();
    assertThat(via(r, "irq_work-lazy").verdict().fixes()).as("irq_work/1 on PREEMPT_RT").isTrue();
    Prediction.Verdict hard = via(r, "irq_work").verdict();
    assertThat(hard.fixes()).isFalse();
    assertThat(hard.why()).startsWith("still hardirq context: ").contains("sleep-in-atomic");
  }

  @Test
  void aTraceThatEndsTooSoonLeavesTheOccurrenceUnresolved(@TempDir Path dir) throws IOException {
    WhatIfResult r = whatIf(dir, OCCURRENCE, "inactive_task_timer", "workqueue", "irq_work");
    assertThat(via(r, "workqueue").replayed().count()).isZero();
    assertThat(via(r, "workqueue").unresolved()).isEqualTo(1);
    assertThat(via(r, "workqueue").observed()).as("the trace has no work items to stand in").isNull();
    assertThat(us(r, "irq_work")).isEqualTo(5);
  }

  /**
   * Without findings, each run of a callback of that name is an occurrence: two runs of a timer
   * callback wait for the same kworker run, followed together, each with its own latency.
   */
  @Test
  void runsOfACallbackWaitingForTheSameStepEachKeepTheirLatency(@TempDir Path dir) throws IOException {
    String body = String.join("\n",
        "            life-2848    [001] d...1..  5000.000010: hrtimer_start: hrtimer=00000000b7e2c9a0 function=foo_timer_fn expires=5000000100000 softexpires=5000000100000 mode=REL",
        "            life-2848    [001] d..h...  5000.000100: local_timer_entry: vector=236",
        "            life-2848    [001] d..h...  5000.000101: hrtimer_expire_entry: hrtimer=00000000b7e2c9a0 function=foo_timer_fn now=5000000101000",
        "            life-2848    [001] d..h...  5000.000105: hrtimer_expire_exit: hrtimer=00000000b7e2c9a0",
        "            life-2848    [001] d...1..  5000.000106: hrtimer_start: hrtimer=00000000b7e2c9a0 function=foo_timer_fn expires=5000000200000 softexpires=5000000200000 mode=REL",
        "            life-2848    [001] d..h...  5000.000107: local_timer_exit: vector=236",
        "            life-2848    [001] d..h...  5000.000200: local_timer_entry: vector=236",
        "            life-2848    [001] d..h...  5000.000201: hrtimer_expire_entry: hrtimer=00000000b7e2c9a0 function=foo_timer_fn now=5000000201000",
        "            life-2848    [001] d..h...  5000.000205: hrtimer_expire_exit: hrtimer=00000000b7e2c9a0",
        "            life-2848    [001] d..h...  5000.000207: local_timer_exit: vector=236",
        "            life-2848    [001] d...2..  5000.000501: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=kworker/1:1 next_pid=80 next_prio=120",
        "");
    WhatIfResult r = whatIf(dir, body, "foo_timer_fn", "workqueue");
    assertThat(r.foundAs()).isEqualTo("a hrtimer callback");
    assertThat(r.occurrences()).isEqualTo(2);
    Prediction p = via(r, "workqueue");
    assertThat(p.replayed().count()).isEqualTo(2);
    assertThat(p.replayed().min() / 1000).isEqualTo(300);
    assertThat(p.replayed().max() / 1000).isEqualTo(400);
  }

  /** Lock-order findings go with any deferral (the callback runs without the caller's locks); a bad unlock stays. */
  @Test
  void lockOrderFindingsGoWithAnyDeferralAndContextOnesOnlyWithTaskContext() {
    var order = java.util.EnumSet.of(org.kreplay.analyze.FindingKind.CIRCULAR_DEPENDENCY);
    assertThat(WhatIf.verdict(order, RunsIn.HARDIRQ).fixes()).isTrue();
    assertThat(WhatIf.verdict(order, RunsIn.HARDIRQ).why()).isEqualTo("fixes: runs without the locks held where the code ran");
    var sleep = java.util.EnumSet.of(org.kreplay.analyze.FindingKind.SLEEP_IN_ATOMIC);
    assertThat(WhatIf.verdict(sleep, RunsIn.SOFTIRQ).why()).isEqualTo("still softirq context: sleep-in-atomic stay");
    assertThat(WhatIf.verdict(sleep, RunsIn.TASK).fixes()).isTrue();
    var waitContext = java.util.EnumSet.of(org.kreplay.analyze.FindingKind.INVALID_WAIT_CONTEXT);
    assertThat(WhatIf.verdict(waitContext, RunsIn.SOFTIRQ).why()).as("a spinlock_t is not a sleep")
        .isEqualTo("fixes: softirq context may take a spinlock_t");
    assertThat(WhatIf.verdict(waitContext, RunsIn.TASK).why()).isEqualTo("fixes: task context may sleep");
    var unlock = java.util.EnumSet.of(org.kreplay.analyze.FindingKind.BAD_UNLOCK_BALANCE);
    assertThat(WhatIf.verdict(unlock, RunsIn.TASK).why()).isEqualTo("bad-unlock-balance stay");
  }

  /**
   * A runner the trace never shows (no kworker runs after the occurrence; the CPU switches to
   * another task 75 µs later) ends where the woken kworker could first have run: that switch,
   * counted as modeled.
   */
  @Test
  void aRunnerTheTraceNeverShowsEndsWhereItCouldFirstHaveRun(@TempDir Path dir) throws IOException {
    String after = String.join("\n",
        "            life-2848    [001] d...2..  5000.000186: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=other next_pid=301 next_prio=120",
        "           other-301     [001] .......  5000.000190: kmem_cache_free: call_site=x+0x1/0x2 ptr=0000000000000002 name=filp",
        "           other-301     [001] .......  5000.030000: kmem_cache_free: call_site=x+0x1/0x2 ptr=0000000000000003 name=filp",
        "");
    WhatIfResult r = whatIf(dir, OCCURRENCE + after, "inactive_task_timer", "workqueue");
    Prediction p = via(r, "workqueue");
    assertThat(p.replayed().count()).isEqualTo(1);
    assertThat(p.modeled()).isEqualTo(1);
    assertThat(p.replayed().max() / 1000).as("the switch at +75 µs").isEqualTo(75);
  }

  /**
   * Before the occurrence CPU 1 switched to life, a CFS task, and the trace woke kworker/1:2 and
   * ktimers/1, which ran 30 µs and 20 µs later. After it no kworker or ktimers runs. Under RT rules
   * a woken CFS kworker preempts a CFS task at the CPU's first preemptible moment (the hardirq's
   * exit at +5 µs), no sooner than the 30 µs the trace shows a kworker's wakeup taking; through
   * hrtimer+workqueue, ktimers/1 is modeled the same way (+5 µs, no sooner than 20 µs after its
   * step began) and the work item's step starts there: +5 + 20 + 30 µs.
   */
  @Test
  void onRtAWokenCfsRunnerPreemptsACfsTaskAfterTheWakeupCostTheTraceShows(@TempDir Path dir) throws IOException {
    String before = String.join("\n",
        "           other-300     [001] d...2..  4999.900000: sched_switch: prev_comm=other prev_pid=300 prev_prio=120 prev_state=S ==> next_comm=life next_pid=2848 next_prio=120",
        "            life-2848    [001] d...2..  4999.910000: sched_wakeup: comm=kworker/1:2 pid=81 prio=120 target_cpu=001",
        "            life-2848    [001] d...2..  4999.910030: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=kworker/1:2 next_pid=81 next_prio=120",
        "     kworker/1:2-81      [001] d...2..  4999.910040: sched_wakeup: comm=ktimers/1 pid=20 prio=98 target_cpu=001",
        "     kworker/1:2-81      [001] d...2..  4999.910060: sched_switch: prev_comm=kworker/1:2 prev_pid=81 prev_prio=120 prev_state=I ==> next_comm=ktimers/1 next_pid=20 next_prio=98",
        "       ktimers/1-20      [001] d...2..  4999.910070: sched_switch: prev_comm=ktimers/1 prev_pid=20 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=120",
        "");
    String after = String.join("\n",
        "            life-2848    [001] d...2..  5000.000200: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=other next_pid=300 next_prio=120",
        "           other-300     [001] .......  5000.030000: kmem_cache_free: call_site=x+0x1/0x2 ptr=0000000000000003 name=filp",
        "");
    WhatIfResult r = whatIf(dir, before + OCCURRENCE + after, "inactive_task_timer", "workqueue", "hrtimer+workqueue");
    assertThat(r.rt()).isTrue();
    assertThat(us(r, "workqueue")).as("the hardirq's exit at +5 µs, no sooner than the 30 µs wakeup").isEqualTo(30);
    assertThat(via(r, "workqueue").modeled()).isEqualTo(1);
    assertThat(us(r, "hrtimer+workqueue")).as("irqs on +5, ktimers/1 +20, kworker +30").isEqualTo(55);
    assertThat(via(r, "hrtimer+workqueue").modeled()).isEqualTo(1);
  }

  /**
   * The callback's interrupt comes while CPU 1 idles: a woken kworker runs as soon as the CPU is
   * back in idle out of the interrupt (idle reschedules there), +5 µs, though the trace shows no
   * kworker and no later switch; the trace has woken no thread, so no wakeup cost is added.
   */
  @Test
  void aCfsRunnerWokenOverIdleRunsOnceTheInterruptEnds(@TempDir Path dir) throws IOException {
    String before = "            life-2848    [001] d...2..  4999.900000: sched_switch: prev_comm=life prev_pid=2848"
        + " prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n";
    String occurrence = OCCURRENCE.replace("            life-2848    [001]", "          <idle>-0       [001]");
    String after = "          <idle>-0       [001] d....1.  5000.030000: cpu_idle: state=1 cpu_id=1\n";
    WhatIfResult r = whatIf(dir, before + occurrence + after, "inactive_task_timer", "workqueue");
    assertThat(us(r, "workqueue")).isEqualTo(5);
    assertThat(via(r, "workqueue").modeled()).isEqualTo(1);
  }

  /**
   * A woken kworker does not get the CPU when it switches to an RT thread (rcuc/1, prio 98, at +40
   * µs): that thread runs first, and the kworker could first run at the switch back to life (+60).
   */
  @Test
  void aCfsRunnerWaitsForAnRtThreadTheCpuSwitchesTo(@TempDir Path dir) throws IOException {
    String after = String.join("\n",
        "            life-2848    [001] d...2..  5000.000151: sched_switch: prev_comm=life prev_pid=2848 prev_prio=120 prev_state=R+ ==> next_comm=rcuc/1 next_pid=21 next_prio=98",
        "          rcuc/1-21      [001] d...2..  5000.000171: sched_switch: prev_comm=rcuc/1 prev_pid=21 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=120",
        "            life-2848    [001] .......  5000.030000: kmem_cache_free: call_site=x+0x1/0x2 ptr=0000000000000003 name=filp",
        "");
    WhatIfResult r = whatIf(dir, OCCURRENCE + after, "inactive_task_timer", "workqueue");
    assertThat(us(r, "workqueue")).as("the switch back to life, not the one to rcuc/1").isEqualTo(60);
    assertThat(via(r, "workqueue").modeled()).isEqualTo(1);
  }

  @Test
  void codeThatIsNotInTheTraceHasNoOccurrence(@TempDir Path dir) throws IOException {
    WhatIfResult r = whatIf(dir, OCCURRENCE + AFTER, "no_such_function", "workqueue");
    assertThat(r.occurrences()).isZero();
    assertThat(r.foundAs()).isEqualTo("not found");
  }

  @Test
  void viaWordsAreCheckedAgainstTheCatalog() {
    Catalog c = Catalog.builtin();
    assertThat(Via.parse("delayed-work:4", c).jiffies()).isEqualTo(4);
    assertThat(Via.parse("workqueue:highpri", c).label()).isEqualTo("workqueue:highpri");
    assertThatThrownBy(() -> Via.parse("delayed-work", c)).hasMessageContaining("delayed-work:1");
    assertThatThrownBy(() -> Via.parse("delayed-work:0", c)).hasMessageContaining("1 or more");
    assertThatThrownBy(() -> Via.parse("tasklet", c)).hasMessageContaining("known: workqueue,")
        .hasMessageContaining("delayed-work:JIFFIES");
  }
}
