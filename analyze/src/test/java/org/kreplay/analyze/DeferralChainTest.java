package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deferrals handed on (a stage's callback queues the next) as one row: on hand-built timelines
 * where the chain, its total and each segment are known to the microsecond.
 */
class DeferralChainTest {
  private static final String HRTIMER_TO_WORK = "hrtimer:schedule_page_work_fn → workqueue:fill_page_cache_func";

  private static List<DeferralRow> chains(AnalysisResult r) {
    List<DeferralRow> out = new ArrayList<>();
    for (DeferralRow row : r.deferrals().rows()) {
      if (row.mechanism() == Mechanism.CHAIN && !row.key().equals(DeferralRow.ALL)) out.add(row);
    }
    return out;
  }

  private static DeferralRow chain(AnalysisResult r, String key) {
    DeferralRow row = r.deferrals().find(Mechanism.CHAIN, DeferralRow.Metric.LATENCY, key);
    assertThat(row).as("chain row " + key + " among " + chains(r).stream().map(DeferralRow::key).toList()).isNotNull();
    return row;
  }

  /** Each segment's mean in µs, in order. */
  private static List<Long> segmentsUs(DeferralRow row) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < row.stages().segments().size(); i++) out.add(row.stages().meanNs(i) / 1000);
    return out;
  }

  /** Seed 2's fix: the hrtimer's callback queues the work item, in hardirq on the CPU that armed it. */
  private static Events hrtimerThenWork() {
    return new Events()
        .on(2, 312, "kfree_scale_thr").flags("d..1.").hrtimerStart(107, 0xa1, "schedule_page_work_fn", 107_000, 1)
        .flags("d.h..").vectorEntry(150, "local_timer").hrtimerExpire(151, 0xa1, "schedule_page_work_fn", 151_000)
        .flags("d.h1.").queueWork(153, 0xb1, "fill_page_cache_func")
        .flags("d.h..").hrtimerExpireExit(155, 0xa1).vectorExit(156, "local_timer")
        .flags("d..2.").switchTo(170, 0, 97, "kworker/2:1H", 100)
        .on(2, 97, "kworker/2:1H").flags(".....").executeWork(180, 0xb1, "fill_page_cache_func")
        .endWork(195, 0xb1, "fill_page_cache_func");
  }

  @Test
  void anHrtimerWhoseCallbackQueuesAWorkItemIsOneRowFromTheStartToTheWork() throws IOException {
    AnalysisResult r = hrtimerThenWork().analyze();
    DeferralRow row = chain(r, HRTIMER_TO_WORK);
    assertThat(row.count()).isEqualTo(1);
    assertThat(row.maxNs()).isEqualTo(73_000); // hrtimer_start at 107 µs to execute_start at 180 µs
    assertThat(row.stages().segments()).containsExactly("hrtimer wait", "in schedule_page_work_fn", "workqueue wait");
    assertThat(segmentsUs(row)).containsExactly(44L, 2L, 27L);
    assertThat(row.stages().share(0) + row.stages().share(1) + row.stages().share(2)).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-9));
    DeferralSample s = row.worst().get(0);
    assertThat(s.enqueue().timestampNs()).isEqualTo(107_000);
    assertThat(s.execute().pid()).isEqualTo(97);
    // the stages keep their own rows
    assertThat(r.deferrals().find(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "fill_page_cache_func").maxNs())
        .isEqualTo(27_000);
  }

  @Test
  void aTimerThatReArmsItselfIsNotAChain() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags("d..1.").hrtimerStart(10, 0xe1L, "tick_nohz_handler", 1_000_000, 1)
        .flags("d.h..").vectorEntry(1_000, "local_timer").hrtimerExpire(1_001, 0xe1L, "tick_nohz_handler", 1_001_000)
        .hrtimerStart(1_002, 0xe1L, "tick_nohz_handler", 2_000_000, 1).hrtimerExpireExit(1_003, 0xe1L)
        .vectorExit(1_004, "local_timer")
        .vectorEntry(2_000, "local_timer").hrtimerExpire(2_001, 0xe1L, "tick_nohz_handler", 2_001_000)
        .hrtimerExpireExit(2_003, 0xe1L).vectorExit(2_004, "local_timer")
        .analyze();
    assertThat(r.deferrals().find(Mechanism.HRTIMER, DeferralRow.Metric.LATENCY, "tick_nohz_handler").count())
        .isEqualTo(2);
    assertThat(chains(r)).isEmpty();
  }

  @Test
  void aDelayedWorkThatRequeuesItselfThroughItsTimerIsACycleNotAChain() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 30, "kworker/0:1").flags(".....").queueWork(10, 0xe2, "vmstat_update")
        .executeWork(20, 0xe2, "vmstat_update")
        .flags("d..1.").timerStart(21, 0xe3, "delayed_work_timer_fn", 1001, 1000) // queue_delayed_work(itself)
        .flags(".....").endWork(22, 0xe2, "vmstat_update")
        .flags("..s1.").softirqEntry(4_000, 1).timerExpire(4_001, 0xe3, "delayed_work_timer_fn", 1001)
        .queueWork(4_002, 0xe2, "vmstat_update").softirqExit(4_003, 1)
        .flags(".....").executeWork(4_010, 0xe2, "vmstat_update").endWork(4_012, 0xe2, "vmstat_update")
        .analyze();
    assertThat(r.deferrals().find(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "vmstat_update").count())
        .isEqualTo(2);
    assertThat(chains(r)).isEmpty();
  }

  @Test
  void aPeriodicTimerStartedFromACallbackWasNotHandedWork() throws IOException {
    // hrtimer_wakeup wakes an RT task, whose enqueue starts the RT bandwidth timer for a second
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags("d..1.").hrtimerStart(10, 0xa3, "hrtimer_wakeup", 100_000, 1)
        .flags("d.h..").vectorEntry(100, "local_timer").hrtimerExpire(101, 0xa3, "hrtimer_wakeup", 101_000)
        .flags("d.h2.").hrtimerStart(102, 0xa4, "sched_rt_period_timer", 1_000_101_000, 1)
        .flags("d.h..").hrtimerExpireExit(103, 0xa3).vectorExit(104, "local_timer")
        .vectorEntry(1_000_101, "local_timer")
        .hrtimerExpire(1_000_102, 0xa4, "sched_rt_period_timer", 1_000_102_000).hrtimerExpireExit(1_000_110, 0xa4)
        .hrtimerStart(1_000_111, 0xa4, "sched_rt_period_timer", 2_000_101_000, 1) // HRTIMER_RESTART
        .vectorExit(1_000_112, "local_timer")
        .analyze();
    assertThat(chains(r)).isEmpty();
  }

  @Test
  void anInterruptDuringAWorkItemDoesNotHandOnForTheWork() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 50, "kworker/1:1").flags(".....").queueWork(10, 0xc1, "first_fn")
        .executeWork(20, 0xc1, "first_fn")
        .flags("d.h..").irqEntry(30, 28).flags("d.h1.").queueWork(31, 0xc2, "from_irq_fn").flags("d.h..").irqExit(32, 28)
        .flags(".....").queueWork(40, 0xc3, "second_fn") // the work item itself queues this one
        .endWork(45, 0xc1, "first_fn")
        .executeWork(50, 0xc2, "from_irq_fn").endWork(55, 0xc2, "from_irq_fn")
        .executeWork(60, 0xc3, "second_fn").endWork(65, 0xc3, "second_fn")
        .analyze();
    assertThat(chains(r)).extracting(DeferralRow::key).containsExactly("workqueue:first_fn → workqueue:second_fn");
    DeferralRow row = chain(r, "workqueue:first_fn → workqueue:second_fn");
    assertThat(row.maxNs()).isEqualTo(50_000);
    // two stages of one mechanism: the waits say whose
    assertThat(row.stages().segments())
        .containsExactly("workqueue wait (first_fn)", "in first_fn", "workqueue wait (second_fn)");
    assertThat(segmentsUs(row)).containsExactly(10L, 20L, 20L);
  }

  @Test
  void anIrqWorkThatArmsADelayedWorkIsAChainOfThreeStages() throws IOException {
    AnalysisResult r = new Events()
        .on(3, 900, "bpf-task").flags("d..1.").function(100, "irq_work_queue", "srcu_funnel_gp_start")
        .flags("d.h..").vectorEntry(104, "irq_work").function(105, "srcu_irq_work", "irq_work_single")
        .flags("d.h1.").timerStart(106, 0xd1, "delayed_work_timer_fn", 1001, 1000)
        .flags("d.h..").vectorExit(108, "irq_work")
        .flags("..s1.").softirqEntry(4_000, 1).timerExpire(4_010, 0xd1, "delayed_work_timer_fn", 1001)
        .queueWork(4_012, 0xd2, "process_srcu").softirqExit(4_020, 1)
        .flags("d..2.").switchTo(4_030, 1, 77, "kworker/3:2", 120)
        .on(3, 77, "kworker/3:2").flags(".....").executeWork(4_050, 0xd2, "process_srcu")
        .endWork(4_060, 0xd2, "process_srcu")
        .analyze();
    String key = "irq_work:srcu_irq_work → timer:delayed_work_timer_fn → workqueue:process_srcu";
    assertThat(chains(r)).extracting(DeferralRow::key).containsExactly(key);
    DeferralRow row = chain(r, key);
    assertThat(row.maxNs()).isEqualTo(3_950_000);
    // the delay the timer was armed with (one jiffy) is part of the chain's cost; it fired on time
    assertThat(row.stages().segments()).containsExactly("irq_work wait", "in srcu_irq_work", "timer delay",
        "timer wait", "in delayed_work_timer_fn", "workqueue wait");
    assertThat(segmentsUs(row)).containsExactly(5L, 1L, 3_904L, 0L, 2L, 38L);
  }

  @Test
  void aHandOnWhoseNextStageNeverRunsIsNoChainAndTheItemIsCountedPending() throws IOException {
    AnalysisResult r = new Events()
        .on(2, 312, "kfree_scale_thr").flags("d..1.").hrtimerStart(107, 0xa1, "schedule_page_work_fn", 107_000, 1)
        .flags("d.h..").vectorEntry(150, "local_timer").hrtimerExpire(151, 0xa1, "schedule_page_work_fn", 151_000)
        .flags("d.h1.").queueWork(153, 0xb1, "fill_page_cache_func")
        .flags("d.h..").hrtimerExpireExit(155, 0xa1).vectorExit(156, "local_timer")
        .analyze();
    assertThat(chains(r)).isEmpty();
    assertThat(r.deferrals().find(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "fill_page_cache_func")
        .unmatchedEnqueue()).isEqualTo(1);
  }

  @Test
  void aChainThatStartsWithATimerCountsFromWhenItWasDueNotFromWhenItWasArmed() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 40, "stress").flags("d..1.").hrtimerStart(0, 0xa2, "inactive_task_timer", 100_000_000, 8)
        .flags("d.h..").vectorEntry(100_001, "local_timer")
        .hrtimerExpire(100_002, 0xa2, "inactive_task_timer", 100_001_500) // 1.5 µs late
        .flags("d.h1.").rcuCallback(100_004, 0xf1, "__put_task_struct_rcu_cb")
        .flags("d.h..").hrtimerExpireExit(100_005, 0xa2).vectorExit(100_006, "local_timer")
        .flags("..s..").softirqEntry(104_000, 9).rcuInvoke(104_002, 0xf1, "__put_task_struct_rcu_cb")
        .softirqExit(104_010, 9)
        .analyze();
    DeferralRow row = chain(r, "hrtimer:inactive_task_timer → rcu:__put_task_struct_rcu_cb");
    assertThat(row.maxNs()).isEqualTo(104_002_000 - 100_000_500); // from when it was due, not armed 100 ms before
    assertThat(row.stages().segments()).containsExactly("hrtimer wait", "in inactive_task_timer", "rcu wait");
  }

  @Test
  void chainRowsOfTwoTracesMergeTheirSegments() throws IOException {
    AnalysisResult a = hrtimerThenWork().analyze();
    AnalysisResult b = hrtimerThenWork().analyze();
    Analyzer.merge(a, b);
    DeferralRow row = chain(a, HRTIMER_TO_WORK);
    assertThat(row.count()).isEqualTo(2);
    assertThat(row.stages().samples()).isEqualTo(2);
    assertThat(segmentsUs(row)).containsExactly(44L, 2L, 27L);
  }
}
