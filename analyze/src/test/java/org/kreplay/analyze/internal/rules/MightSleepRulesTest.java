package org.kreplay.analyze.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kreplay.analyze.internal.rules.RulesKit.flags;
import static org.kreplay.analyze.internal.rules.RulesKit.hardirq;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;

/** might_sleep() without lockdep: allocations, sleeping-lock functions in stacks, scheduling while atomic. */
class MightSleepRulesTest {
  @Test
  void aBlockingAllocationWithIrqsOffMaySleep() {
    RulesKit kit = new RulesKit(KernelConfig.DEFAULT);
    kit.feed(kit.event("kmalloc", EventKind.KMALLOC, 1, flags(true, 0)).function("mydrv_fill").address(0x1000)
        .gfpFlags("GFP_KERNEL"));
    List<Finding> fs = kit.findings();
    assertThat(fs).hasSize(1);
    assertThat(fs.get(0).kind()).isEqualTo(FindingKind.SLEEP_IN_ATOMIC);
    assertThat(fs.get(0).message()).isEqualTo("kmalloc(GFP_KERNEL) may sleep, called with interrupts disabled");
    assertThat(fs.get(0).culprit()).isEqualTo("mydrv_fill");
  }

  @Test
  void anAtomicAllocationDoesNot() {
    RulesKit kit = new RulesKit(KernelConfig.DEFAULT);
    kit.feed(kit.event("kmalloc", EventKind.KMALLOC, 1, flags(true, 0)).function("mydrv_fill").address(0x1000)
        .gfpFlags("GFP_ATOMIC"));
    assertThat(kit.findings()).isEmpty();
  }

  @Test
  void onPreemptRtAnyAllocationInHardirqIsReportedWithTheCallbackFromTheStack() {
    RulesKit kit = new RulesKit(new KernelConfig(true, false, true));
    kit.feed(kit.event("local_timer_entry", EventKind.VECTOR_ENTRY, 0, hardirq(flags(true, 0))).vector(236).handlerName("local_timer"));
    kit.feed(kit.event("kmem_cache_free", EventKind.KMEM_CACHE_FREE, 0, hardirq(flags(true, 0))).address(0x2000)
        .cacheName("task_struct")
        .stack("kmem_cache_free", "put_task_struct", "inactive_task_timer", "__run_hrtimer", "hrtimer_interrupt"));
    List<Finding> fs = kit.findings();
    assertThat(fs).hasSize(1);
    assertThat(fs.get(0).kind()).isEqualTo(FindingKind.RT_ALLOC_IN_ATOMIC);
    assertThat(fs.get(0).culprit()).isEqualTo("put_task_struct");
    assertThat(fs.get(0).context()).contains("hardirq: local_timer vector > HARD hrtimer callback inactive_task_timer");
  }

  @Test
  void aSwitchAwayAbovePreemptBaselineIsSchedulingWhileAtomic() {
    RulesKit kit = new RulesKit(KernelConfig.DEFAULT);
    for (int i = 0; i < 8; i++) {
      kit.feed(kit.event("sched_switch", EventKind.SCHED_SWITCH, 10 + i, flags(true, 2))
          .prev("t" + i, 10 + i, 120, 1).next("swapper/0", 0, 120));
    }
    kit.feed(kit.event("sched_switch", EventKind.SCHED_SWITCH, 42, flags(true, 3))
        .prev("holder", 42, 120, 2).next("swapper/0", 0, 120));
    List<Finding> fs = kit.findings();
    assertThat(fs).hasSize(1);
    assertThat(fs.get(0).kind()).isEqualTo(FindingKind.SCHEDULE_WHILE_ATOMIC);
    assertThat(fs.get(0).message()).startsWith("scheduling while atomic: holder/42 sleeps with preemption disabled 1 more time")
        .contains("preempt_count 3, usual 2");
  }
}
