package org.kreplay.analyze.internal.deferral;

import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;

/**
 * Pairs each enqueue with its execution by identity and records the latency (see {@link
 * Mechanism} for what each pair is), one tracker per mechanism, as Perfetto keeps one tracker per
 * domain. An enqueue still pending at the end, an execution with no enqueue, and a pair spanning
 * lost events are counted on their row, never dropped silently.
 */
public final class Deferrals {
  private final Samples samples;
  private final WorkqueueTracker workqueue;
  private final HrtimerTracker hrtimer;
  private final TimerTracker timer;
  private final SoftirqTracker softirq;
  private final IrqWorkTracker irqWork;
  private final RcuCallbackTracker rcu;
  private final WakeupTracker wakeup;
  private final ChainLinks chains;

  /** @param byteOffsets whether the events' positions are byte offsets (trace.dat), not lines */
  public Deferrals(DeferralStats stats, ContextTracker contexts, Catalog catalog, String source, boolean byteOffsets) {
    this(stats, contexts, catalog, source, byteOffsets, null);
  }

  /** @param timeline told each paired deferral, or null */
  public Deferrals(DeferralStats stats, ContextTracker contexts, Catalog catalog, String source, boolean byteOffsets,
      TimelineListener timeline) {
    this.samples = new Samples(stats, contexts, source, byteOffsets, timeline);
    this.chains = new ChainLinks(samples);
    this.workqueue = new WorkqueueTracker(samples, chains);
    this.hrtimer = new HrtimerTracker(samples, chains);
    this.timer = new TimerTracker(samples, chains);
    this.softirq = new SoftirqTracker(samples);
    this.irqWork = new IrqWorkTracker(samples, catalog, chains);
    this.rcu = new RcuCallbackTracker(samples, chains);
    this.wakeup = new WakeupTracker(samples);
  }

  /** Registers every tracker's events: enqueue, execution start and end. */
  public void register(Dispatch d) {
    workqueue.register(d);
    hrtimer.register(d);
    timer.register(d);
    softirq.register(d);
    irqWork.register(d);
    rcu.register(d);
    wakeup.register(d);
    d.on(EventKind.SCHED_SWITCH, (e, c) -> chains.switchedOut(e.pid()));
  }

  /** The hrtimer class (CLASS_HARD, CLASS_SOFT, CLASS_PLAIN, or 0 unknown) of the timer that last expired on {@code cpu}. */
  public int lastExpiredClass(int cpu) {
    return hrtimer.lastExpiredClass(cpu);
  }

  /** {@code pid} runs on a CPU without a traced switch to it: its pending wakeup cannot be measured. */
  public void untracedSwitchIn(int pid) {
    wakeup.untracedSwitchIn(pid);
  }

  /** The HZ the timer events' jiffies show, or 0. */
  public int detectedHz() {
    return timer.detectedHz();
  }

  /** Enqueues not tracked because a pending table was full (a pathological input). */
  public long untracked() {
    return workqueue.untracked() + hrtimer.untracked() + timer.untracked() + rcu.untracked() + wakeup.untracked();
  }

  /** The end of the trace: what is pending is counted, rows get their units. */
  public void finish(int hz, long timestampResolutionNs) {
    workqueue.finish();
    hrtimer.finishPending();
    timer.finish();
    rcu.finish();
    wakeup.finish();
    for (int cpu = 0; cpu < Math.max(softirq.cpus(), irqWork.cpus()); cpu++) {
      irqWork.finishIpi(cpu);
      softirq.finish(cpu);
      irqWork.finishPending(cpu);
    }
    chains.finish();
    hrtimer.renameAddresses();
    // Timer-wheel rows were recorded in jiffies; hrtimer lateness comes from the events' ns
    // fields; everything else is a difference of two timestamps, as fine as the input's.
    for (DeferralRow r : samples.stats().rows()) {
      if (r.mechanism() == Mechanism.TIMER) r.setUnitNs(hz > 0 ? 1_000_000_000L / hz : 0);
      else if (r.mechanism() != Mechanism.HRTIMER || r.metric() != Metric.LATENCY) r.setResolutionNs(timestampResolutionNs);
    }
  }
}
