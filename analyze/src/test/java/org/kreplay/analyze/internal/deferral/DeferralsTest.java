package org.kreplay.analyze.internal.deferral;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.Recorders;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;

/** The per-mechanism trackers on their own: hand-built enqueue and execution events, the rows a user reads. */
class DeferralsTest {
  private final AnalysisResult result = new AnalysisResult();
  private final ContextTracker contexts = new ContextTracker(Recorders.of(result));
  private final Deferrals deferrals = new Deferrals(result.deferrals(), contexts, Catalog.builtin(), "t", false);
  private final Dispatch dispatch = new Dispatch();

  DeferralsTest() {
    deferrals.register(dispatch);
  }

  private void feed(long ts, EventKind kind, TraceEventBuilder e) {
    e.timestamp(ts).cpu(0).pid(7).comm("task").name(kind.name().toLowerCase(), kind);
    CpuContext c = contexts.cpu(0);
    dispatch.dispatch(e.build(), c);
  }

  private DeferralRow row(Mechanism m, String key) {
    return result.deferrals().find(m, Metric.LATENCY, key);
  }

  @Test
  void aWorkItemWaitsFromItsFirstQueueingAndOneLeftQueuedIsCounted() {
    feed(1_000, EventKind.WORKQUEUE_QUEUE_WORK, TraceEvent.builder().address(0xa).function("vmstat_update"));
    feed(5_000, EventKind.WORKQUEUE_QUEUE_WORK, TraceEvent.builder().address(0xa).function("vmstat_update"));
    feed(9_000, EventKind.WORKQUEUE_EXECUTE_START, TraceEvent.builder().address(0xa).function("vmstat_update"));
    feed(9_500, EventKind.WORKQUEUE_QUEUE_WORK, TraceEvent.builder().address(0xb).function("flush_fn"));
    deferrals.finish(0, 1);
    DeferralRow vmstat = row(Mechanism.WORKQUEUE, "vmstat_update");
    assertThat(vmstat.count()).isEqualTo(1);
    assertThat(vmstat.maxNs()).isEqualTo(8_000);
    assertThat(row(Mechanism.WORKQUEUE, "flush_fn").unmatchedEnqueue()).isEqualTo(1);
  }

  @Test
  void aSoftirqRaisedTwiceRunsOnceAndAnEntryWithoutRaiseIsUnmatched() {
    feed(1_000, EventKind.SOFTIRQ_RAISE, TraceEvent.builder().vector(3));
    feed(2_000, EventKind.SOFTIRQ_RAISE, TraceEvent.builder().vector(3));
    feed(4_000, EventKind.SOFTIRQ_ENTRY, TraceEvent.builder().vector(3));
    feed(6_000, EventKind.SOFTIRQ_EXIT, TraceEvent.builder().vector(3));
    feed(7_000, EventKind.SOFTIRQ_ENTRY, TraceEvent.builder().vector(1));
    deferrals.finish(0, 1);
    DeferralRow netRx = row(Mechanism.SOFTIRQ, "NET_RX");
    assertThat(netRx.count()).isEqualTo(1);
    assertThat(netRx.maxNs()).isEqualTo(3_000);
    assertThat(result.deferrals().find(Mechanism.SOFTIRQ, Metric.RUNTIME, "NET_RX").maxNs()).isEqualTo(2_000);
    assertThat(row(Mechanism.SOFTIRQ, "TIMER").unmatchedExecute()).isEqualTo(1);
  }

  @Test
  void irqWorkQueuedUnderTheFunctionTracerIsTakenByTheCallbackTheRunnerCalls() {
    feed(1_000, EventKind.FUNCTION, TraceEvent.builder().function("irq_work_queue").parent("rb_wake_up_waiters_caller"));
    feed(3_500, EventKind.FUNCTION, TraceEvent.builder().function("rb_wake_up_waiters").parent("irq_work_single"));
    deferrals.finish(0, 1);
    DeferralRow cb = row(Mechanism.IRQ_WORK, "rb_wake_up_waiters");
    assertThat(cb.count()).isEqualTo(1);
    assertThat(cb.maxNs()).isEqualTo(2_500);
  }

  @Test
  void anHrtimerKeepsTheModeItStartedWith() {
    feed(1_000, EventKind.HRTIMER_START, TraceEvent.builder().address(0xc).function("tick_nohz_handler").hrtimerMode(0x8)
        .softexpires(2_000));
    feed(2_500, EventKind.HRTIMER_EXPIRE_ENTRY, TraceEvent.builder().address(0xc).function("tick_nohz_handler")
        .now(2_400));
    deferrals.finish(0, 1);
    DeferralRow tick = row(Mechanism.HRTIMER, "tick_nohz_handler");
    assertThat(tick.maxNs()).as("lateness: now - softexpires").isEqualTo(400);
    assertThat(deferrals.lastExpiredClass(0)).isEqualTo(DeferralRow.CLASS_HARD);
  }
}
