package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * locktypes.rst's first PREEMPT_RT caveat: {@code local_irq_disable(); spin_lock(&l);} is fine on a
 * non-RT kernel (it is spin_lock_irq() spelled out) and a sleeping lock taken with interrupts
 * off on PREEMPT_RT, where only spin_lock_irq*() keeps interrupts on. On a non-RT trace judged as
 * RT the question is who turned interrupts off: the lock (spin_lock_irq, legal) or the code
 * before it. The preemptirq irq_disable event names its caller; an acquisition's kernel stack
 * names the lock function; the flags alone cannot tell when the lock is the first event after
 * interrupts went off.
 */
class RtIrqsOffSpinLockTest {
  private static final KernelConfig JUDGED_RT = new KernelConfig(false, true, true);
  private static final KernelConfig TRACED_RT = new KernelConfig(true, false, true);

  private static List<Finding> sleeps(AnalysisResult r) {
    return r.findings().all().stream().filter(f -> f.kind() == FindingKind.SLEEP_IN_ATOMIC).toList();
  }

  private static Finding onlySleep(AnalysisResult r) {
    List<Finding> f = sleeps(r);
    assertThat(f).as(r.findings().all().toString()).hasSize(1);
    return f.get(0);
  }

  /**
   * mydrv_poll() turns interrupts off (irq_disable by {@code caller}, whose event's flags show
   * {@code irqDisableFlags}), then takes the spinlock_t &dev->lock.
   */
  private static Events irqsOffThenLock(String caller, String irqDisableFlags) {
    return new Events().on(0, 300, "mydrv").flags(".....").other(100, "mark")
        .flags(irqDisableFlags).irqDisable(101, caller, "mydrv_poll")
        .flags("d..1.").lock(102, "&dev->lock", "spinlock_t")
        .unlock(103, "&dev->lock").flags("d....").other(104, "mark")
        .flags(".....").irqEnable(105, caller, "mydrv_poll").other(106, "mark");
  }

  // ---- preemptirq events

  @Test
  void anIrqDisableWhoseOwnFlagsStillShowInterruptsOnIsNotCreditedToTheLock() throws IOException {
    // trace_hardirqs_off() may record its event before the flags change: "....." on the irq_disable
    Finding f = onlySleep(irqsOffThenLock("mydrv_poll", ".....").analyze(JUDGED_RT));
    assertThat(f.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(f.message()).isEqualTo("sleeping lock (spinlock_t on PREEMPT_RT) &dev->lock taken with interrupts"
        + " disabled by mydrv_poll(), which stays so on PREEMPT_RT");
    assertThat(f.locks()).containsExactly("&dev->lock");
  }

  @Test
  void anIrqDisableThatAlreadyShowsInterruptsOffIsJudgedTheSame() throws IOException {
    assertThat(sleeps(irqsOffThenLock("mydrv_poll", "d....").analyze(JUDGED_RT))).extracting(Finding::certainty)
        .containsExactly(Finding.Certainty.CERTAIN);
  }

  @Test
  void spinLockIrqDisablingInterruptsItselfIsLegalOnRt() throws IOException {
    for (String flags : new String[] {".....", "d...."}) {
      AnalysisResult r = irqsOffThenLock("_raw_spin_lock_irq", flags).analyze(JUDGED_RT);
      assertThat(r.findings().all()).as("irq_disable flags " + flags).isEmpty();
    }
  }

  @Test
  void onTheNonRtKernelThatWasTracedItIsFine() throws IOException {
    assertThat(irqsOffThenLock("mydrv_poll", ".....").analyze().findings().isEmpty()).isTrue();
  }

  // ---- flags only (no preemptirq events)

  @Test
  void withoutPreemptirqEventsAnEventInBetweenShowsTheInterruptsWereAlreadyOff() throws IOException {
    AnalysisResult r = new Events().on(0, 300, "mydrv").flags(".....").other(100, "mark")
        .flags("d....").other(101, "mydrv_event").flags("d..1.").lock(102, "&dev->lock", "spinlock_t")
        .unlock(103, "&dev->lock").flags(".....").other(104, "mark").analyze(JUDGED_RT);
    assertThat(sleeps(r)).extracting(Finding::certainty).containsExactly(Finding.Certainty.CERTAIN);
  }

  @Test
  void withoutPreemptirqEventsTheAcquisitionsStackNamesTheLockFunction() throws IOException {
    // The lock is the first event with interrupts off: only its stack tells spin_lock() from spin_lock_irq().
    for (String fn : new String[] {"_raw_spin_lock", "_raw_spin_lock_irq", "_raw_spin_lock_irqsave"}) {
      AnalysisResult r = new Events().on(0, 300, "mydrv").flags(".....").other(100, "mark")
          .flags("d..1.").lock(102, "&dev->lock", "spinlock_t").stack("lock_acquire", fn, "mydrv_poll", "mydrv_thread")
          .unlock(103, "&dev->lock").flags(".....").other(104, "mark").analyze(JUDGED_RT);
      if (fn.equals("_raw_spin_lock")) {
        Finding f = onlySleep(r);
        assertThat(f.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
        assertThat(f.culprit()).isEqualTo("mydrv_poll");
        assertThat(f.message()).endsWith("taken with interrupts disabled by local_irq_disable()/save(), not by a lock");
      } else {
        assertThat(r.findings().all()).as(fn).isEmpty();
      }
    }
  }

  @Test
  void withoutPreemptirqEventsOrAStackTheFlagsCannotTellAndTheLockIsAssumedToHaveDisabledThem() throws IOException {
    AnalysisResult r = new Events().on(0, 300, "mydrv").flags(".....").other(100, "mark")
        .flags("d..1.").lock(102, "&dev->lock", "spinlock_t").unlock(103, "&dev->lock")
        .flags(".....").other(104, "mark").analyze(JUDGED_RT);
    assertThat(r.findings().all()).isEmpty(); // README: what flags alone cannot tell
  }

  // ---- a PREEMPT_RT trace: spin_lock_irq() never turns interrupts off there

  @Test
  void onATracedRtKernelInterruptsOffAtASpinlockAreAlwaysSomeoneElses() throws IOException {
    for (boolean preemptIrq : new boolean[] {true, false}) {
      Events ev = new Events().on(0, 300, "mydrv").flags(".....").other(100, "mark");
      if (preemptIrq) ev.flags(".....").irqDisable(101, "mydrv_poll", "mydrv_thread");
      AnalysisResult r = ev.flags("d....").lock(102, "&dev->lock", "spinlock_t").unlock(103, "&dev->lock")
          .flags(".....").other(104, "mark").analyze(TRACED_RT);
      assertThat(sleeps(r)).as("preemptirq " + preemptIrq).extracting(Finding::certainty)
          .containsExactly(Finding.Certainty.CERTAIN);
    }
  }

  // ---- from a PREEMPT_RT kernel's report: might_sleep() prints the interrupt state

  private static String rtSpinLockReport(String irqsDisabled, String preemptCount) {
    return String.join("\n",
        "[  100.000001] BUG: sleeping function called from invalid context at kernel/locking/spinlock_rt.c:48",
        "[  100.000002] in_atomic(): 0, irqs_disabled(): " + irqsDisabled + ", non_block: 0, pid: 300, name: mydrv",
        "[  100.000003] preempt_count: " + preemptCount + ", expected: 0",
        "[  100.000004] RCU nest depth: 0, expected: 0",
        "[  100.000005] 1 lock held by mydrv/300:",
        "[  100.000006]  #0: ffff888100a1c018 (&dev->lock){+.+.}-{3:3}, at: mydrv_poll+0x20/0x80",
        "[  100.000007] CPU: 0 PID: 300 Comm: mydrv Not tainted 6.6.0-rt15 #1",
        "[  100.000008] Call Trace:",
        "[  100.000009]  <TASK>",
        "[  100.000010]  dump_stack_lvl+0x57/0x7d",
        "[  100.000011]  __might_resched+0x1a1/0x260",
        "[  100.000012]  rt_spin_lock+0x4e/0xf0",
        "[  100.000013]  mydrv_poll+0x20/0x80",
        "[  100.000014]  mydrv_thread+0x30/0x60",
        "[  100.000015]  kthread+0xf4/0x130",
        "[  100.000016]  ret_from_fork+0x34/0x50",
        "[  100.000017]  </TASK>",
        "[  100.000018] mydrv: polling",
        "");
  }

  @Test
  void anRtReportWithInterruptsDisabledIsReproducedAsTheSpinLockTakenWithThemOff() throws IOException {
    SplatVerdict v = HardHrtimerLockTest.splat(rtSpinLockReport("1", "0"), KernelConfig.DEFAULT);
    assertThat(v.rules()).isEqualTo("PREEMPT_RT kernel");
    assertThat(v.reproduced()).isTrue();
    assertThat(v.kind()).isEqualTo("sleep-in-atomic");
    assertThat(v.culprit()).isEqualTo("mydrv_poll");
    assertThat(v.message()).isEqualTo("sleeping lock (rt_spin_lock) taken with interrupts disabled");
  }

  @Test
  void anRtReportWithInterruptsOnIsNotExplainedByThem() throws IOException {
    // preemption disabled (preempt_count 1) is what the report says instead
    SplatVerdict v = HardHrtimerLockTest.splat(rtSpinLockReport("0", "1"), KernelConfig.DEFAULT);
    assertThat(v.reproduced()).isTrue();
    assertThat(v.message()).endsWith("taken with preemption disabled (preempt_count 1)").doesNotContain("interrupts");
  }
}
