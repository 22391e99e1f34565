package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's rules beyond the lockdep selftests: stacks, allocations, scheduling, merging. */
class KernelModelTest {
  private static final KernelConfig JUDGED_RT = new KernelConfig(false, true, true);

  private static List<Finding> of(AnalysisResult r, FindingKind kind) {
    return r.findings().all().stream().filter(f -> f.kind() == kind).toList();
  }

  @Test
  void aSleepingLockFunctionInAHardirqStackIsSleepingInAtomic() throws IOException {
    AnalysisResult r = new Events().on(0, 10, "task").flags("d.h1.")
        .vectorEntry(100, "call_function_single")
        .kmalloc(101, "mydrv_ipi", "GFP_ATOMIC")
        .stack("kmalloc_trace", "__mutex_lock_slowpath", "mutex_lock", "mydrv_ipi", "__flush_smp_call_function_queue",
            "__sysvec_call_function_single")
        .analyze();
    Finding f = of(r, FindingKind.SLEEP_IN_ATOMIC).get(0);
    assertThat(f.culprit()).isEqualTo("mydrv_ipi");
    assertThat(f.message()).contains("mutex_lock").contains("in hardirq context");
  }

  @Test
  void aLockFunctionBeyondTheSchedulerIsNotJudgedByTheSchedulersFlags() throws IOException {
    AnalysisResult r = new Events().on(0, 10, "task").flags("d..2.")
        .kmalloc(100, "finish_task_switch", "GFP_ATOMIC")
        .stack("kmalloc_trace", "finish_task_switch", "__schedule", "schedule", "__mutex_lock_slowpath", "mutex_lock",
            "do_work")
        .analyze();
    assertThat(r.findings().isEmpty()).isTrue();
  }

  @Test
  void aBlockingAllocationWithInterruptsOffSleepsOnEveryKernel() throws IOException {
    AnalysisResult r = new Events().on(0, 10, "task").flags(".....").other(99, "mark")
        .flags("d....").kmalloc(100, "mydrv_setup", "GFP_KERNEL").analyze();
    Finding f = of(r, FindingKind.SLEEP_IN_ATOMIC).get(0);
    assertThat(f.message()).isEqualTo("kmalloc(GFP_KERNEL) may sleep, called with interrupts disabled");
    assertThat(f.culprit()).isEqualTo("mydrv_setup");
    assertThat(new Events().on(0, 10, "task").flags("d....").kmalloc(100, "x", "GFP_ATOMIC").analyze()
        .findings().isEmpty()).as("GFP_ATOMIC never sleeps").isTrue();
  }

  @Test
  void underRtRulesAnAllocationInAThreadedIrqIsFineAndInAVectorItIsNot() throws IOException {
    AnalysisResult threaded = new Events().on(0, 10, "task").flags("d.h1.").irqEntry(100, 33)
        .kmalloc(101, "mydev_irq", "GFP_ATOMIC").irqExit(102, 33).analyze(JUDGED_RT);
    assertThat(threaded.findings().isEmpty()).as("force-threaded on RT").isTrue();
    AnalysisResult vector = new Events().on(0, 10, "task").flags("d.h1.").vectorEntry(100, "reschedule")
        .kmalloc(101, "scheduler_ipi_hook", "GFP_ATOMIC").analyze(JUDGED_RT);
    Finding f = of(vector, FindingKind.RT_ALLOC_IN_ATOMIC).get(0);
    assertThat(f.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(f.context()).startsWith("hardirq: reschedule vector");
    assertThat(new Events().on(0, 10, "task").flags("d.h1.").vectorEntry(100, "reschedule")
        .kmalloc(101, "scheduler_ipi_hook", "GFP_ATOMIC").analyze().findings().isEmpty())
        .as("legal on the non-RT kernel that was traced").isTrue();
  }

  @Test
  void sleepingWithMorePreemptionDisabledThanScheduleItselfIsSchedulingWhileAtomic() throws IOException {
    Events ev = new Events().on(0, 10, "a").flags("d..2.");
    for (int i = 0; i < 8; i++) ev.switchTo(100 + i * 10, 1, i % 2 == 0 ? 11 : 10, i % 2 == 0 ? "b" : "a", 120);
    ev.flags("d..3.").switchTo(200, 1, 12, "c", 120); // task "a" sleeps holding a spinlock
    Finding f = of(ev.analyze(), FindingKind.SCHEDULE_WHILE_ATOMIC).get(0);
    assertThat(f.message()).startsWith("scheduling while atomic: a/10 sleeps with preemption disabled 1 more time");
    assertThat(f.count()).isEqualTo(1);
  }

  @Test
  void anAbbaWhoseHalvesAreInDifferentTracesIsFoundWhenTheResultsAreMerged() throws IOException {
    AnalysisResult first = new Events().on(0, 10, "one").flags("d..1.")
        .lock(100, "&a->lock", "raw_spinlock_t").flags("d..2.").lock(101, "&b->lock", "raw_spinlock_t")
        .unlock(102, "&b->lock").flags("d..1.").unlock(103, "&a->lock").analyze();
    AnalysisResult second = new Events().on(1, 20, "two").flags("d..1.")
        .lock(100, "&b->lock", "raw_spinlock_t").flags("d..2.").lock(101, "&a->lock", "raw_spinlock_t")
        .unlock(102, "&a->lock").flags("d..1.").unlock(103, "&b->lock").analyze();
    assertThat(first.findings().isEmpty()).isTrue();
    assertThat(second.findings().isEmpty()).isTrue();
    AnalysisResult merged = Analyzer.merge(Analyzer.merge(new AnalysisResult(), first), second);
    Finding f = of(merged, FindingKind.CIRCULAR_DEPENDENCY).get(0);
    assertThat(f.locks()).containsExactlyInAnyOrder("&a->lock", "&b->lock");
  }
}
