package org.kreplay.analyze.internal.rules;

import java.util.List;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.Recorders;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.ContextUpdates;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;

/**
 * The kernel rules on their own: context updates and the {@link KernelModel} registered in one
 * dispatch, fed hand-built events on CPU 0 (no deferral pairing; hrtimer classes unknown), so a
 * rule part can be tested by what it reports.
 */
final class RulesKit {
  final AnalysisResult result = new AnalysisResult();
  final ContextTracker contexts = new ContextTracker(Recorders.of(result));
  final KernelModel model;
  private final Dispatch dispatch = new Dispatch();
  private long now = 1_000;
  private long line;

  RulesKit(KernelConfig config) {
    Catalog catalog = Catalog.builtin();
    model = new KernelModel(config, catalog, contexts, new LockGraph(), result.findings(), Recorders.of(result), "kit",
        cpu -> 0);
    new ContextUpdates(contexts, catalog, address -> null).register(dispatch);
    model.register(dispatch);
  }

  /** Flags with irqs, BH, irq context and preemption known: irqs {@code irqsOff}, preempt depth {@code preempt}. */
  static int flags(boolean irqsOff, int preempt) {
    int f = ContextFlags.IRQS_KNOWN | ContextFlags.BH_KNOWN | ContextFlags.PREEMPT_KNOWN
        | ContextFlags.IRQ_CONTEXT_KNOWN | ContextFlags.NMI_KNOWN;
    if (irqsOff) f |= ContextFlags.IRQS_OFF;
    return ContextFlags.withPreemptDepth(f, preempt);
  }

  /** The same flags, recorded in hardirq. */
  static int hardirq(int flags) {
    return flags | ContextFlags.HARDIRQ;
  }

  /** A new event of task {@code pid} on CPU 0, not yet fed. */
  TraceEventBuilder event(String name, EventKind kind, int pid, int flags) {
    TraceEventBuilder e = TraceEvent.builder();
    now += 1_000;
    e.timestamp(now).cpu(0).pid(pid).comm("task" + pid).flags(flags).name(name, kind);
    e.line(++line);
    return e;
  }

  /** Feeds {@code e} as Replay does: time and the running task first, then every handler of its kind. */
  RulesKit feed(TraceEventBuilder b) {
    TraceEvent e = b.build();
    CpuContext c = contexts.cpu(e.cpu());
    c.advance(e.timestamp(), e.flags());
    if (e.pid() >= 0 && e.pid() != c.currentPid()) contexts.setRunning(c, e.pid(), e.comm());
    dispatch.dispatch(e, c);
    return this;
  }

  RulesKit acquire(int pid, String lockClass, String type, int flags) {
    return feed(event("lock_acquire", EventKind.LOCK_ACQUIRE, pid, flags).lock(lockClass, type, 0, false));
  }

  RulesKit release(int pid, String lockClass, int flags) {
    return feed(event("lock_release", EventKind.LOCK_RELEASE, pid, flags).lock(lockClass, null, 0, false));
  }

  List<Finding> findings() {
    model.finish();
    return result.findings().all();
  }
}
