package org.kreplay.analyze.internal.rules;

import java.util.EnumSet;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Who disabled interrupts on each CPU (preemptirq's irq_disable caller) and whether a lock
 * acquisition's own spin_lock_irq*() did: what a spinning lock disabled for itself does not count
 * against the code that takes it.
 */
final class IrqState {
  private final ModelState s;
  private final Catalog catalog;

  IrqState(ModelState state) {
    this.s = state;
    this.catalog = state.catalog;
  }

  /** Before every event: a pending spin_lock_irq*() disable is over unless this event continues it. */
  void beforeEvent(TraceEvent e, ModelState.Cpu m) {
    EventKind k = e.kind();
    if (m.lockIrqOffPending && k != EventKind.LOCK_ACQUIRE && k != EventKind.IRQ_DISABLE
        && k != EventKind.PREEMPT_DISABLE && k != EventKind.PREEMPT_ENABLE) {
      m.lockIrqOffPending = false;
    }
  }

  void register(Dispatch d) {
    d.onCpu(EventKind.IRQ_DISABLE, (e, c) -> {
      s.preemptIrqEventsSeen = true;
      ModelState.Cpu m = s.cpu(c.cpu());
      if (m.irqsOffBy == null) m.irqsOffBy = e.function();
      m.lockIrqOffPending = disablesIrqsForLock(e.function());
    });
    d.onCpu(EventKind.IRQ_ENABLE, (e, c) -> {
      s.preemptIrqEventsSeen = true;
      s.cpu(c.cpu()).irqsOffBy = null;
    });
    d.onCpu(EnumSet.of(EventKind.PREEMPT_DISABLE, EventKind.PREEMPT_ENABLE), (e, c) -> s.preemptIrqEventsSeen = true);
  }

  /**
   * Whether the interrupts an acquisition finds off were turned off by its own spin_lock_irq*():
   * the lock function in the acquisition's stack says so where there is one; else an irq_disable
   * right before it counts only if a lock function called it (its own flags may still show
   * interrupts on, so they do not count); else the step from the previous event's flags.
   */
  boolean lockDisabledIrqs(TraceEvent e, ModelState.Cpu m) {
    for (int i = 0; i < e.stack().depth(); i++) {
      CatalogTypes.FunctionEntry f = catalog.function(e.stack().frame(i));
      if (f != null && f.effect().takesLock()) return f.irq().disablesIrqs();
    }
    if (m.lockIrqOffPending) return true;
    if (m.prevKind == EventKind.IRQ_DISABLE) return false;
    return ContextFlags.irqsKnown(m.prevFlags) && !ContextFlags.irqsOff(m.prevFlags);
  }

  /** Whether an irq_disable caller is a lock function that disables interrupts (spin_lock_irq*()). */
  private boolean disablesIrqsForLock(String caller) {
    CatalogTypes.FunctionEntry f = catalog.function(caller);
    return f != null && f.effect().takesLock() && f.irq().disablesIrqs();
  }
}
