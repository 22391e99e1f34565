package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Each mechanism pairs enqueue and execution by identity; leftovers are counted, not dropped. */
class DeferralPairingTest {
  private static DeferralRow row(AnalysisResult r, Mechanism m, String key) {
    DeferralRow row = r.deferrals().find(m, DeferralRow.Metric.LATENCY, key);
    assertThat(row).as(m.label() + " " + key).isNotNull();
    return row;
  }

  private static DeferralRow runtime(AnalysisResult r, Mechanism m, String key) {
    DeferralRow row = r.deferrals().find(m, DeferralRow.Metric.RUNTIME, key);
    assertThat(row).as(m.label() + " runtime " + key).isNotNull();
    return row;
  }

  @Test
  void workqueueLatencyAndRunTimeByWorkStruct() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 10, "irq").queueWork(100, 0xA, "vmstat_update")
        .queueWork(105, 0xB, "psi_avgs_work")
        .queueWork(110, 0xA, "vmstat_update") // still pending: waits from the first enqueue
        .on(0, 41, "kworker/0:1").executeWork(150, 0xA, "vmstat_update").endWork(170, 0xA, "vmstat_update")
        .executeWork(180, 0xB, "psi_avgs_work").endWork(181, 0xB, "psi_avgs_work")
        .executeWork(200, 0xC, "flush_to_ldisc") // queued before the trace began
        .queueWork(300, 0xD, "never_runs")
        .analyze();
    DeferralRow vm = row(r, Mechanism.WORKQUEUE, "vmstat_update");
    assertThat(vm.count()).isEqualTo(1);
    assertThat(vm.minNs()).isEqualTo(50_000);
    assertThat(runtime(r, Mechanism.WORKQUEUE, "vmstat_update").maxNs()).isEqualTo(20_000);
    assertThat(row(r, Mechanism.WORKQUEUE, "psi_avgs_work").maxNs()).isEqualTo(75_000);
    assertThat(row(r, Mechanism.WORKQUEUE, "flush_to_ldisc").unmatchedExecute()).isEqualTo(1);
    assertThat(row(r, Mechanism.WORKQUEUE, "never_runs").unmatchedEnqueue()).isEqualTo(1);
    DeferralRow all = row(r, Mechanism.WORKQUEUE, DeferralRow.ALL);
    assertThat(all.count()).isEqualTo(2);
    assertThat(all.meanNs()).isEqualTo(62_500);
    assertThat(all.unmatchedExecute()).isEqualTo(1);
    assertThat(all.unmatchedEnqueue()).isEqualTo(1);
  }

  @Test
  void hrtimerLatenessIsNowMinusSoftexpiresWithTheModeClass() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 0, "<idle>").flags("d.h1.")
        .hrtimerStart(10, 0x1, "tick_nohz_handler", 1_000_000, 0x8) // ABS|HARD
        .hrtimerExpire(1000, 0x1, "tick_nohz_handler", 1_002_500)
        .hrtimerStart(1001, 0x1, "tick_nohz_handler", 5_000_000, 0x0) // restart from __run_hrtimer: bare ABS
        .hrtimerExpire(5000, 0x1, "tick_nohz_handler", 5_000_700)
        .hrtimerInit(6000, 0x2, 0x4) // set up SOFT
        .hrtimerStart(6001, 0x2, "watchdog_timer_fn", 9_000_000, 0x0)
        .flags("..s1.").hrtimerExpire(9000, 0x2, "watchdog_timer_fn", 9_000_010)
        .flags(".....").hrtimerStart(9100, 0x3, "hrtimer_wakeup", 12_000_000, 0x0) // plain
        .hrtimerExpire(12000, 0x3, "hrtimer_wakeup", 12_000_004)
        .hrtimerStart(13000, 0x4, "it_real_fn", 20_000_000, -1) // the input does not show the mode
        .hrtimerCancel(14000, 0x4)
        .analyze();
    DeferralRow tick = row(r, Mechanism.HRTIMER, "tick_nohz_handler");
    assertThat(tick.count()).isEqualTo(2);
    assertThat(tick.minNs()).isEqualTo(700);
    assertThat(tick.maxNs()).isEqualTo(2_500);
    assertThat(tick.classLabel()).isEqualTo("hard");
    assertThat(row(r, Mechanism.HRTIMER, "watchdog_timer_fn").classLabel()).isEqualTo("soft");
    assertThat(row(r, Mechanism.HRTIMER, "hrtimer_wakeup").classLabel()).isEqualTo("plain");
    assertThat(r.deferrals().find(Mechanism.HRTIMER, DeferralRow.Metric.LATENCY, "it_real_fn"))
        .as("a cancelled timer is not pending at the end").isNull();
    assertThat(row(r, Mechanism.HRTIMER, DeferralRow.ALL).unmatchedEnqueue()).isZero();
  }

  @Test
  void timerWheelCancelRightBeforeExpiryStillPairs() throws IOException {
    // HZ=250: one jiffy = 4 ms; the trace spans 400 ms of jiffies so HZ can be detected.
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>")
        .timerStart(0, 0x10, "process_timeout", 1002, 1000)
        .timerCancel(12_000, 0x10) // expire_timers() detaches with a cancel event first
        .timerExpire(12_001, 0x10, "process_timeout", 1003)
        .timerStart(20_000, 0x11, "delayed_work_timer_fn", 1100, 1005)
        .timerExpire(400_000, 0x11, "delayed_work_timer_fn", 1100)
        .timerStart(400_100, 0x12, "never_fires", 2000, 1100)
        .analyze();
    assertThat(r.summary().hz()).isEqualTo(250);
    DeferralRow pt = row(r, Mechanism.TIMER, "process_timeout");
    assertThat(pt.unit()).isEqualTo("ns");
    assertThat(pt.maxNs()).as("1 jiffy late at HZ=250").isEqualTo(4_000_000);
    assertThat(row(r, Mechanism.TIMER, "delayed_work_timer_fn").maxNs()).isZero();
    assertThat(row(r, Mechanism.TIMER, "never_fires").unmatchedEnqueue()).isEqualTo(1);
  }

  @Test
  void timerLatenessStaysInJiffiesWhenHzCannotBeTold() throws IOException {
    AnalysisResult r = new Events()
        .timerStart(0, 0x10, "process_timeout", 1002, 1000)
        .timerExpire(10, 0x10, "process_timeout", 1004)
        .analyze();
    assertThat(r.summary().hz()).isZero();
    DeferralRow pt = row(r, Mechanism.TIMER, "process_timeout");
    assertThat(pt.unit()).isEqualTo("jiffies");
    assertThat(pt.maxNs()).isEqualTo(2);
  }

  @Test
  void softirqFromTheFirstRaisePerCpuAndVector() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").softirqRaise(10, 1).softirqRaise(12, 1)
        .on(1, 0, "<idle>").softirqRaise(11, 1)
        .on(0, 0, "<idle>").softirqEntry(20, 1).softirqExit(26, 1)
        .on(1, 0, "<idle>").softirqEntry(41, 1).softirqExit(42, 1)
        .softirqEntry(50, 7).softirqExit(51, 7) // raised before the trace
        .softirqRaise(60, 9) // never served
        .analyze();
    DeferralRow timer = row(r, Mechanism.SOFTIRQ, "TIMER");
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.minNs()).isEqualTo(10_000);
    assertThat(timer.maxNs()).isEqualTo(30_000);
    assertThat(runtime(r, Mechanism.SOFTIRQ, "TIMER").maxNs()).isEqualTo(6_000);
    assertThat(row(r, Mechanism.SOFTIRQ, "SCHED").unmatchedExecute()).isEqualTo(1);
    assertThat(row(r, Mechanism.SOFTIRQ, "RCU").unmatchedEnqueue()).isEqualTo(1);
  }

  @Test
  void irqWorkRaisedThroughTheFunctionTracerRunsAtTheNextSelfIpi() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 7, "bpf").function(100, "irq_work_queue", "srcu_funnel_gp_start")
        .function(101, "irq_work_queue", "rcu_preempt_deferred_qs_irqrestore")
        .flags("d.h1.").vectorEntry(105, "irq_work")
        .analyze();
    // two raises, both run by the one irq_work_entry at 105 µs
    assertThat(row(r, Mechanism.IRQ_WORK, "srcu_funnel_gp_start").maxNs()).isEqualTo(5_000);
    assertThat(row(r, Mechanism.IRQ_WORK, "rcu_preempt_deferred_qs_irqrestore").maxNs()).isEqualTo(4_000);
  }

  @Test
  void irqWorkCallbacksSeenByTheFunctionTracerAreKeyedByCallbackAndWhereTheyRan() throws IOException {
    // PREEMPT_RT: the self-IPI runs the HARD work; the other waits for the irq_work/0 thread.
    AnalysisResult r = new Events()
        .on(0, 7, "bpf").function(100, "irq_work_queue", "push_rt_tasks")
        .function(110, "irq_work_queue", "srcu_funnel_gp_start")
        .flags("d.h1.").vectorEntry(120, "irq_work")
        .function(121, "rto_push_irq_work_func", "irq_work_single")
        .vectorExit(125, "irq_work")
        .on(0, 15, "irq_work/0").flags(".....").function(300, "srcu_irq_work", "irq_work_single")
        .analyze();
    DeferralRow hard = row(r, Mechanism.IRQ_WORK, "rto_push_irq_work_func");
    assertThat(hard.maxNs()).isEqualTo(21_000);
    assertThat(hard.classLabel()).isEqualTo("hard");
    DeferralRow thread = row(r, Mechanism.IRQ_WORK, "srcu_irq_work");
    assertThat(thread.maxNs()).isEqualTo(190_000);
    assertThat(thread.classLabel()).isEqualTo("thread");
    // the IPI did not take the raises for itself: callbacks were visible
    assertThat(r.deferrals().find(Mechanism.IRQ_WORK, DeferralRow.Metric.LATENCY, "push_rt_tasks")).isNull();
  }

  @Test
  void rcuCallbacksByRcuHead() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 0, "<idle>").flags("d.h1.").rcuCallback(100, 0x77, "__put_task_struct_rcu_cb")
        .flags("..s1.").rcuInvoke(30_100, 0x77, "__put_task_struct_rcu_cb")
        .analyze();
    DeferralRow rcu = row(r, Mechanism.RCU, "__put_task_struct_rcu_cb");
    assertThat(rcu.count()).isEqualTo(1);
    assertThat(rcu.maxNs()).isEqualTo(30_000_000);
  }

  @Test
  void wakeupUntilTheWokenTaskIsSwitchedIn() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").waking(100, 3890, "cyclictest", 19)
        .switchTo(105, 0, 3890, "cyclictest", 19)
        .waking(106, 3890, "cyclictest", 19) // woken while running: nothing to wait for
        .switchTo(110, 1, 0, "swapper/0", 120) // goes to sleep
        .waking(200, 50, "kworker/0:1", 120)
        .switchTo(230, 0, 50, "kworker/0:1", 120)
        .switchTo(240, 1, 3890, "cyclictest", 19) // slept at 110, no wakeup seen: lost
        .analyze();
    DeferralRow cyc = row(r, Mechanism.WAKEUP, "cyclictest");
    assertThat(cyc.count()).isEqualTo(1);
    assertThat(cyc.maxNs()).isEqualTo(5_000);
    assertThat(cyc.classLabel()).isEqualTo("rt");
    assertThat(cyc.unmatchedExecute()).isEqualTo(1);
    assertThat(cyc.alreadyRunning()).as("the waking at 106").isEqualTo(1);
    assertThat(row(r, Mechanism.WAKEUP, "kworker/0:1").maxNs()).isEqualTo(30_000);
    assertThat(row(r, Mechanism.WAKEUP, "all rt").count()).isEqualTo(1);
    assertThat(row(r, Mechanism.WAKEUP, "all normal").count()).isEqualTo(1);
  }

  @Test
  void aWakeupOfATaskStillOnItsCpuIsCountedApartOnceForBothOfItsTracepoints() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 0, "<idle>").switchTo(100, 0, 300, "worker", 120) // worker runs on CPU 1
        .on(0, 10, "waker").waking(101, 300, "worker", 120).wakeup(102, 300, "worker", 120)
        .waking(103, 300, "worker", 120) // and again, still running
        .on(1, 300, "worker").switchTo(110, 0, 0, "swapper/1", 120) // preempted, not asleep
        .on(0, 10, "waker").wakeup(111, 300, "worker", 120) // the rest of the second one
        .on(1, 0, "<idle>").switchTo(120, 0, 300, "worker", 120)
        .analyze();
    DeferralRow w = row(r, Mechanism.WAKEUP, "worker");
    assertThat(w.count()).as("nothing waited").isZero();
    assertThat(w.alreadyRunning()).isEqualTo(2);
    assertThat(row(r, Mechanism.WAKEUP, "all").alreadyRunning()).isEqualTo(2);
    assertThat(row(r, Mechanism.WAKEUP, "all normal").alreadyRunning()).isEqualTo(2);
    assertThat(w.unmatchedEnqueue() + w.unmatchedExecute() + w.acrossGap()).isZero();
  }

  @Test
  void aWakingThatRacesWithTheTasksOwnSwitchOutIsARealWakeupFromItsSchedWakeup() throws IOException {
    // try_to_wake_up() sees the task still on its CPU, waits until it has switched out (asleep),
    // then makes it runnable: sched_wakeup after the switch (traces/stress-ng-deadline, pid 5597).
    AnalysisResult r = new Events()
        .on(1, 0, "<idle>").switchTo(100, 0, 5597, "stress-ng-mmapf", 120)
        .on(0, 5573, "stress-ng-mmapf").waking(200, 5597, "stress-ng-mmapf", 120)
        .on(1, 5597, "stress-ng-mmapf").switchTo(200, 2, 5608, "stress-ng-mmapf", 120)
        .on(0, 5573, "stress-ng-mmapf").wakeup(208, 5597, "stress-ng-mmapf", 120)
        .on(1, 5608, "stress-ng-mmapf").switchTo(300, 1, 5597, "stress-ng-mmapf", 120)
        .analyze();
    DeferralRow w = row(r, Mechanism.WAKEUP, "stress-ng-mmapf");
    assertThat(w.count()).isEqualTo(1);
    assertThat(w.maxNs()).isEqualTo(92_000);
    assertThat(w.alreadyRunning()).isZero();
    assertThat(w.unmatchedExecute()).isZero();
  }

  @Test
  void aTaskSeenRunningWithoutATracedSwitchEndsItsWakeupUnmeasured() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 0, "<idle>").waking(100, 68, "tokio-rt-worker", 110)
        .on(1, 68, "tokio-rt-worker").other(5_000, "kmem_cache_free") // it runs: the switch was not traced
        .switchTo(6_000, 1, 0, "swapper/1", 120)
        .analyze();
    DeferralRow w = row(r, Mechanism.WAKEUP, "tokio-rt-worker");
    assertThat(w.count()).isZero();
    assertThat(w.acrossGap()).isEqualTo(1);
  }

  @Test
  void lostEventsBetweenEnqueueAndExecutionAreNotPaired() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 10, "a").queueWork(100, 0xA, "vmstat_update").softirqRaise(101, 1)
        .lost(150, 0, 42)
        .on(0, 41, "kworker/0:1").executeWork(200, 0xA, "vmstat_update")
        .on(0, 0, "<idle>").softirqEntry(201, 1)
        .queueWork(300, 0xB, "after_the_gap").executeWork(310, 0xB, "after_the_gap")
        .analyze();
    assertThat(row(r, Mechanism.WORKQUEUE, "vmstat_update").count()).isZero();
    assertThat(row(r, Mechanism.WORKQUEUE, "vmstat_update").acrossGap()).isEqualTo(1);
    assertThat(row(r, Mechanism.SOFTIRQ, "TIMER").acrossGap()).isEqualTo(1);
    assertThat(row(r, Mechanism.WORKQUEUE, "after_the_gap").count()).isEqualTo(1);
    assertThat(r.summary().lostMarkers()).isEqualTo(1);
  }
}
