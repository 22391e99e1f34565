package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.CpuTimes.Category;

/** Per-CPU context time from entry/exit events and flags, and the mess real traces contain. */
class ContextTimeTest {
  private static CpuTimes cpu(AnalysisResult r, int cpu) {
    return r.cpus().get(cpu);
  }

  @Test
  void nestedInterruptsChargeTheInnermostContext() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").flags(".....").other(0, "x")        // task 0..10
        .flags("d.h1.").irqEntry(10, 28)                     // hardirq 10..20
        .softirqRaise(15, 1)
        .irqExit(20, 28)
        .flags("..s1.").softirqEntry(20, 1)                 // softirq 20..30, 35..40
        .flags("d.H2.").vectorEntry(30, "local_timer")      // hardirq inside softirq 30..35
        .vectorExit(35, "local_timer")
        .flags("..s1.").softirqExit(40, 1)
        .flags("d..2.").switchTo(50, 1, 0, "swapper/0", 120) // task 40..50, idle 50..60
        .flags(".....").other(60, "x")
        .analyze();
    CpuTimes c = cpu(r, 0);
    assertThat(c.ns(Category.TASK)).isEqualTo(20_000);
    assertThat(c.ns(Category.HARDIRQ)).isEqualTo(15_000);
    assertThat(c.ns(Category.SOFTIRQ)).isEqualTo(15_000);
    assertThat(c.ns(Category.IDLE)).isEqualTo(10_000);
    assertThat(c.ns(Category.UNKNOWN)).isZero();
    assertThat(c.totalNs()).isEqualTo(60_000);
    assertThat(r.summary().contextRepairs()).isZero();
  }

  @Test
  void irqsOffCountsIntervalsOffAtBothEndsAndLeavesIdleOut() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").flags("d..1.").other(0, "x")
        .other(10, "x")                            // 0..10 off
        .flags(".....").other(20, "x")             // 10..20 off→on: not counted as off
        .flags("d..2.").switchTo(30, 1, 0, "swapper/0", 120)
        .other(90, "x")                            // idle with d at both ends: left out
        .analyze();
    CpuTimes c = cpu(r, 0);
    assertThat(c.irqsOffNs()).isEqualTo(10_000);
    assertThat(c.irqsKnownNs()).isEqualTo(30_000);
  }

  @Test
  void flagsAloneGiveTheContextWhenEntryEventsWereNotTraced() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").flags(".....").other(0, "x")
        .flags("d.h1.").other(10, "hrtimer_expire_entry_untyped")
        .flags(".....").other(14, "x")
        .analyze();
    assertThat(cpu(r, 0).ns(Category.HARDIRQ)).isEqualTo(4_000);
    assertThat(cpu(r, 0).ns(Category.TASK)).isEqualTo(10_000);
  }

  @Test
  void withoutFlagsTheContextIsUnknownUntilASwitchOrAnExit() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").noFlags().other(0, "x")
        .other(10, "x")
        .irqExit(25, 28)                          // its entry was before the trace began
        .other(30, "x")
        .switchTo(40, 1, 6, "b", 120)
        .other(50, "x")
        .analyze();
    CpuTimes c = cpu(r, 0);
    assertThat(c.ns(Category.HARDIRQ)).as("the time before the unmatched exit was in that irq").isEqualTo(25_000);
    assertThat(c.ns(Category.UNKNOWN)).isEqualTo(15_000);
    assertThat(c.ns(Category.TASK)).isEqualTo(10_000);
    assertThat(r.summary().unmatchedExits()).isEqualTo(1);
  }

  @Test
  void anExitMissedInsideTheTraceIsRepairedFromTheFlags() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").flags(".....").other(0, "x")
        .flags("d.h1.").irqEntry(10, 28)
        .flags(".....").other(20, "x")            // no irq_handler_exit: the flags say we left
        .other(30, "x")
        .analyze();
    assertThat(r.summary().contextRepairs()).isEqualTo(1);
    assertThat(cpu(r, 0).ns(Category.HARDIRQ)).isEqualTo(10_000);
    assertThat(cpu(r, 0).ns(Category.TASK)).isEqualTo(20_000);
  }

  @Test
  void lostEventsMakeTheTimeUntilTheNextEventUnknown() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").noFlags().switchTo(0, 0, 6, "b", 120)
        .other(10, "x")
        .lost(10, 0, 99)
        .other(40, "x")                           // unknown: lost events in between
        .switchTo(50, 1, 7, "c", 120)
        .other(60, "x")
        .analyze();
    CpuTimes c = cpu(r, 0);
    assertThat(c.ns(Category.UNKNOWN)).isEqualTo(40_000);
    assertThat(c.ns(Category.TASK)).isEqualTo(20_000);
  }

  @Test
  void anEntryNeverClosedKeepsItsContextToTheEnd() throws IOException {
    AnalysisResult r = new Events()
        .on(0, 5, "a").noFlags().switchTo(0, 0, 6, "b", 120)
        .irqEntry(10, 28)
        .other(30, "x")
        .analyze();
    assertThat(cpu(r, 0).ns(Category.HARDIRQ)).isEqualTo(20_000);
  }
}
