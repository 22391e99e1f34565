package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The blame of a deferral sample: the wait split into what its CPU did meanwhile, on hand-built
 * timelines where the answer is known to the microsecond. The parts add up to the latency.
 */
class BlameTest {
  private static DeferralSample worst(AnalysisResult r, Mechanism m, String key) {
    DeferralRow row = r.deferrals().find(m, DeferralRow.Metric.LATENCY, key);
    assertThat(row).as(m.label() + " " + key).isNotNull();
    assertThat(row.worst()).isNotEmpty();
    return row.worst().get(0);
  }

  /** The shares in µs, by what ran, in the blame's order. */
  private static Map<String, Long> us(DeferralSample s) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Blame.Share p : s.blame().shares()) out.put(p.what(), p.ns() / 1000);
    assertThat(s.blame().totalNs()).as("the parts add up to the latency").isEqualTo(s.latencyNs());
    return out;
  }

  @Test
  void anIrqInsideAWakeupWindowIsItsOwnShare() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19) // stress wakes cyclictest on its own CPU
        .flags("d.h1.").irqEntry(110, 28).irqExit(140, 28)
        .flags(".....").switchTo(160, 0, 200, "cyclictest", 19)
        .analyze();
    DeferralSample s = worst(r, Mechanism.WAKEUP, "cyclictest");
    assertThat(s.latencyNs()).isEqualTo(60_000);
    Map<String, Long> parts = us(s);
    assertThat(parts).hasSize(2).containsEntry("task stress/300", 30L);
    String irq = parts.keySet().stream().filter(k -> k.contains("28")).findFirst().orElseThrow();
    assertThat(parts.get(irq)).isEqualTo(30L);
    assertThat(s.blame().summary(2)).isEqualTo("50% " + irq + ", 50% task stress/300");
  }

  @Test
  void theTasksThatRanAheadOfTheWokenOneAreNamed() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .switchTo(105, 0, 400, "rt-hog", 9) // a higher-priority task runs first
        .switchTo(150, 1, 200, "cyclictest", 19)
        .analyze();
    assertThat(us(worst(r, Mechanism.WAKEUP, "cyclictest")))
        .containsExactly(Map.entry("task rt-hog/400", 45L), Map.entry("task stress/300", 5L));
  }

  @Test
  void irqsOffInTheTaskIsSeparateFromTheTaskWithIrqsOn() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .flags("d..1.").other(110, "lock_acquire").other(130, "lock_release")
        .flags(".....").switchTo(140, 0, 200, "cyclictest", 19)
        .analyze();
    // 110-130: both events show irqs off; the edges do not (one side on)
    assertThat(us(worst(r, Mechanism.WAKEUP, "cyclictest")))
        .containsExactly(Map.entry("task stress/300", 20L), Map.entry("task stress/300, irqs off", 20L));
  }

  /**
   * Two events with irqs off do not make the time between them irqs off when the second is an
   * interrupt arriving: the CPU takes interrupts only with irqs on (its entry shows them off because
   * the CPU disabled them). The context time per CPU counts it the same way.
   */
  @Test
  void anInterruptArrivingMeansIrqsWereOnBeforeIt() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .flags("d..2.").other(110, "lock_acquire")
        .flags("d.h..").irqEntry(130, 28).irqExit(140, 28)
        .flags(".....").switchTo(150, 0, 200, "cyclictest", 19)
        .analyze();
    Map<String, Long> parts = us(worst(r, Mechanism.WAKEUP, "cyclictest"));
    assertThat(parts).hasSize(2).containsEntry("task stress/300", 40L);
    assertThat(r.cpus().get(0).irqsOffNs()).as("the irq handler's 10 µs only").isEqualTo(10_000);
  }

  @Test
  void aWorkItemWaitsThroughASoftirqAndItsOwnKworker() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .queueWork(100, 0xA, "vmstat_update")
        .flags("..s1.").softirqEntry(110, 1).softirqExit(125, 1)
        .flags(".....").switchTo(130, 0, 41, "kworker/0:1", 120)
        .executeWork(140, 0xA, "vmstat_update")
        .analyze();
    // equal shares in name order
    assertThat(us(worst(r, Mechanism.WORKQUEUE, "vmstat_update"))).containsExactly(Map.entry("softirq TIMER", 15L),
        Map.entry("task stress/300", 15L), Map.entry("task kworker/0:1/41", 10L));
  }

  @Test
  void aWaitThroughManyTasksListsTheLargestAndSumsTheRest() throws IOException {
    Events ev = new Events().on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19);
    long t = 100;
    for (int i = 0; i < 14; i++) {
      t += 10 + i; // task i runs 11 + i µs (stress first for 10)
      ev.switchTo(t, 0, 400 + i, "hog" + i, 120);
    }
    AnalysisResult r = ev.switchTo(t + 100, 0, 200, "cyclictest", 19).analyze();
    DeferralSample s = worst(r, Mechanism.WAKEUP, "cyclictest");
    Map<String, Long> parts = us(s);
    assertThat(parts).hasSize(Blame.MAX_PARTS);
    assertThat(parts.keySet().iterator().next()).isEqualTo("task hog13/413"); // 100 µs, the last to run
    // kept: hog13 and hog12..hog5 (9 parts); summed: hog4..hog0 and stress (6 parts)
    assertThat(parts).containsEntry("(6 more)", 10L + 11 + 12 + 13 + 14 + 15);
  }

  /**
   * 297 wakeups wait 5 µs behind another task, 3 wait 100 µs behind an irq: the row's p99 tail is
   * the three, and all of it is the irq.
   */
  @Test
  void theP99TailIsBlamedOnWhatHeldUpTheSlowSamples() throws IOException {
    Events ev = new Events().on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120);
    long t = 100;
    for (int i = 0; i < 300; i++) {
      ev.on(0, 300, "stress").flags(".....").waking(t, 200, "cyclictest", 19);
      if (i % 100 == 99) {
        ev.flags("d.h1.").irqEntry(t, 28).irqExit(t + 100, 28).flags(".....").switchTo(t + 100, 0, 200, "cyclictest", 19);
      } else {
        ev.switchTo(t + 5, 0, 200, "cyclictest", 19);
      }
      ev.switchTo(t + 150, 1, 300, "stress", 120);
      t += 200;
    }
    DeferralRow row = ev.analyze().deferrals().find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "cyclictest");
    assertThat(row.count()).isEqualTo(300);
    TailBlame.Tail tail = row.tailBlame();
    assertThat(tail).isNotNull();
    assertThat(tail.samples()).isEqualTo(3);
    assertThat(tail.exact()).isTrue();
    assertThat(tail.blame().shares()).hasSize(1);
    assertThat(tail.blame().shares().get(0).what()).contains("28");
    assertThat(tail.blame().totalNs()).isEqualTo(300_000);
  }

  @Test
  void timeBeforeTheCpusFirstEventIsNotInTheTrace() throws IOException {
    AnalysisResult r = new Events()
        .on(1, 300, "stress").flags(".....").waking(100, 200, "cyclictest", 19) // cyclictest's CPU 0 not seen yet
        .on(0, 0, "<idle>").flags(".....").other(130, "cpu_idle")
        .switchTo(150, 1, 200, "cyclictest", 19)
        .analyze();
    // targetCpu is the waker's CPU in Events; the task ran on CPU 0, whose history starts at 130
    DeferralSample s = worst(r, Mechanism.WAKEUP, "cyclictest");
    assertThat(s.execute().cpu()).isZero();
    assertThat(us(s)).containsExactly(Map.entry(Blame.NOT_IN_TRACE, 30L), Map.entry("idle", 20L));
  }

  @Test
  void aPreemptOffSectionIsItsOwnPart() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .flags("...1.").other(110, "kmem_cache_alloc").other(135, "kmem_cache_free")
        .flags(".....").switchTo(140, 0, 200, "cyclictest", 19)
        .analyze();
    // 110-135: both events show preemption off; the edges do not (one side at depth 0)
    assertThat(us(worst(r, Mechanism.WAKEUP, "cyclictest")))
        .containsExactly(Map.entry("task stress/300, preempt off", 25L), Map.entry("task stress/300", 15L));
  }

  /** The readers give preemptirq's caller and parent without their offsets, as here. */
  @Test
  void preemptirqEventsNameTheCodeThatDisabledInterrupts() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .flags("d..1.").irqDisable(105, "_raw_spin_lock_irqsave", "rt_mutex_slowlock")
        .other(125, "lock_acquire")
        .flags(".....").irqEnable(130, "_raw_spin_unlock_irqrestore", "rt_mutex_slowlock")
        .switchTo(140, 0, 200, "cyclictest", 19)
        .analyze();
    // 105-125: both events show irqs off, named by the irq_disable; 125-130 not (irq_enable's flags show them on)
    assertThat(us(worst(r, Mechanism.WAKEUP, "cyclictest"))).containsExactly(
        Map.entry("task stress/300", 20L),
        Map.entry("task stress/300, irqs off in _raw_spin_lock_irqsave \u2190 rt_mutex_slowlock", 20L));
  }

  @Test
  void preemptirqEventsNameTheCodeThatDisabledPreemption() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .flags("...1.").preemptDisable(110, "vmstat_update", "process_one_work")
        .flags(".....").preemptEnable(150, "vmstat_update", "process_one_work")
        .switchTo(160, 0, 200, "cyclictest", 19)
        .analyze();
    // from the disable to the enable, whatever the enable's own flags show
    assertThat(us(worst(r, Mechanism.WAKEUP, "cyclictest"))).containsExactly(
        Map.entry("task stress/300, preempt off in vmstat_update \u2190 process_one_work", 40L),
        Map.entry("task stress/300", 20L));
  }

  @Test
  void aTaskSpinningOnAContendedLockNamesTheLockAndItsHolder() throws IOException {
    long lockA = "A".hashCode() & 0xffffffL; // the address Events gives lock "A"
    AnalysisResult r = new Events()
        .on(1, 500, "holder").flags(".....").lock(50, "A", "spin")
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .waking(100, 200, "cyclictest", 19)
        .contentionBegin(110, lockA, 1) // LCB_F_SPIN
        .contentionEnd(145, lockA)
        .switchTo(150, 0, 200, "cyclictest", 19)
        .analyze();
    assertThat(us(worst(r, Mechanism.WAKEUP, "cyclictest"))).containsExactly(
        Map.entry("task stress/300, waiting for lock 0x" + Long.toHexString(lockA) + " held by pid 500 (A)", 35L),
        Map.entry("task stress/300", 15L));
  }

  /** A kworker blocked on a mutex for its previous item: the CPU idles, and the idle says why. */
  @Test
  void idleWhileATaskOfTheCpuIsBlockedOnALockSaysSo() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .queueWork(100, 0xB, "vmstat_update")
        .switchTo(105, 1, 41, "kworker/0:1", 120)
        .contentionBegin(110, 0xC0FFEE, 32) // LCB_F_MUTEX
        .switchTo(115, 2, 0, "swapper/0", 120)
        .switchTo(148, 0, 41, "kworker/0:1", 120)
        .contentionEnd(150, 0xC0FFEE)
        .executeWork(160, 0xB, "vmstat_update")
        .analyze();
    assertThat(us(worst(r, Mechanism.WORKQUEUE, "vmstat_update"))).containsExactly(
        Map.entry("idle, task kworker/0:1/41 waiting for lock 0xc0ffee", 33L),
        Map.entry("task kworker/0:1/41", 15L),
        Map.entry("task kworker/0:1/41, waiting for lock 0xc0ffee", 7L),
        Map.entry("task stress/300", 5L));
  }

  /**
   * A timer-wheel timer due at jiffy 1002, first seen at 300 µs (another timer's start), run at
   * 330 µs in the TIMER softirq: one jiffy late, and the 30 µs since the jiffy was seen are blamed.
   */
  @Test
  void aTimerWheelTimerIsBlamedFromTheJiffyItWasDueIn() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 0, "<idle>").flags(".....").switchTo(10, 1, 300, "stress", 120)
        .timerStart(100, 0x7, "delayed_work_timer_fn", 1002, 1000)
        .timerStart(200, 0x8, "process_timeout", 1500, 1001)
        .timerStart(300, 0x9, "process_timeout", 1600, 1002)
        .flags("..s1.").softirqEntry(305, 1)
        .timerExpire(330, 0x7, "delayed_work_timer_fn", 1003)
        .analyze();
    DeferralSample s = worst(r, Mechanism.TIMER, "delayed_work_timer_fn");
    assertThat(s.latencyNs()).as("in jiffies").isEqualTo(1);
    Map<String, Long> parts = new LinkedHashMap<>();
    for (Blame.Share p : s.blame().shares()) parts.put(p.what(), p.ns() / 1000);
    assertThat(parts).containsExactly(Map.entry("softirq TIMER", 25L), Map.entry("task stress/300", 5L));
  }
}
