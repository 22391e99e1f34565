package org.kreplay.analyze.internal.rules;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;
import static org.kreplay.analyze.DeferralRow.CLASS_PLAIN;
import static org.kreplay.analyze.DeferralRow.CLASS_SOFT;

import java.util.function.IntUnaryOperator;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Which callback each CPU runs (an hrtimer's, an irq_work's, an RCU callback) and which work
 * function each kworker runs: from the expire/invoke/execute events, from the function tracer
 * under irq_work_single(), or, where none was traced, from the event's own stack.
 */
final class RunningCallbacks {
  private final ModelState s;
  private final Catalog catalog;
  /** The hrtimer class of the timer that last expired on a CPU (the deferral pairing knows it). */
  private final IntUnaryOperator lastExpiredClass;

  RunningCallbacks(ModelState state, IntUnaryOperator lastExpiredClass) {
    this.s = state;
    this.catalog = state.catalog;
    this.lastExpiredClass = lastExpiredClass;
  }

  void register(Dispatch d) {
    d.onCpu(EventKind.HRTIMER_EXPIRE_ENTRY, (e, c) -> pushHrtimer(s.cpu(c.cpu()), c, e.function(),
        lastExpiredClass.applyAsInt(c.cpu()), e.address(), e.line()));
    d.onCpu(EventKind.HRTIMER_EXPIRE_EXIT, (e, c) -> s.cpu(c.cpu()).callbacks.pop(CallbackStack.HRTIMER, e.address()));
    d.onCpu(EventKind.RCU_INVOKE_CALLBACK,
        (e, c) -> s.cpu(c.cpu()).callbacks.replace(c, CallbackStack.RCU_CB, e.function(), 0, e.line()));
    d.onCpu(EventKind.WORKQUEUE_EXECUTE_START, (e, c) -> {
      if (e.pid() > 0 && e.function() != null) s.works.put(e.pid(), e.function());
    });
    d.onCpu(EventKind.WORKQUEUE_EXECUTE_END, (e, c) -> s.works.remove(e.pid()));
    d.onCpu(EventKind.FUNCTION, this::function);
  }

  /** Registered after the rules that judge a switch: callbacks run by a kthread (irq_work/N, rcuc/N) end with its turn. */
  void registerSwitch(Dispatch d) {
    d.onCpu(EventKind.SCHED_SWITCH, (e, c) -> {
      if (c.depth() == 0) s.cpu(c.cpu()).callbacks.clear();
    });
  }

  /** A callback run by irq_work_single() (the function tracer shows the callback with it as parent). */
  private void function(TraceEvent e, CpuContext c) {
    if (!isIrqWorkCallback(e)) return;
    Boolean hard = catalog.irqWorkHard(e.function());
    s.cpu(c.cpu()).callbacks.replace(c, CallbackStack.IRQ_WORK, e.function(), hard == null ? 0 : hard ? 1 : 2, e.line());
  }

  /** Whether the function-tracer event is a callback {@link #function} took (no other rule judges it). */
  boolean isIrqWorkCallback(TraceEvent e) {
    return e.function() != null && catalog.runsIrqWorkCallbacks(e.parent());
  }

  /**
   * An hrtimer callback starts; {@code traced} is the class the trace showed for its timer (0 when
   * it did not: started before the trace began, or by a plugin that drops the mode). Then a
   * PREEMPT_RT kernel expiring it in hardirq proves it HARD, else the catalog's entry for the
   * callback tells; else the mode stays unknown.
   */
  int pushHrtimer(ModelState.Cpu m, CpuContext c, String fn, int traced, long address, long line) {
    int cls = traced;
    String note = null;
    if (cls == 0 && s.config.tracedRt() && c.inHardirq()) {
      cls = CLASS_HARD;
      note = "PREEMPT_RT expires only HRTIMER_MODE_HARD timers in hardirq";
    } else if (cls == 0) {
      CatalogTypes.HrtimerEntry entry = catalog.hrtimerCallback(fn);
      if (entry != null) {
        cls = entry.mode() == CatalogTypes.HrtimerMode.HARD ? CLASS_HARD
            : entry.mode() == CatalogTypes.HrtimerMode.SOFT ? CLASS_SOFT : CLASS_PLAIN;
        note = "mode from the catalog, the trace does not show it: " + entry.source();
      } else {
        note = "hrtimer mode unknown: neither the trace nor the catalog shows it";
      }
    }
    return m.callbacks.push(c, CallbackStack.HRTIMER, fn, cls, address, line, note);
  }

  /**
   * In hardirq with no traced callback entry, the event's own stack may show the callback that
   * runs ({@code fn} right inside {@code __run_hrtimer} or {@code irq_work_single}): it is pushed
   * for this event only. Returns its index, or -1.
   */
  int stackCallback(TraceEvent e, CpuContext c, ModelState.Cpu m) {
    if (e.stack().depth() < 2 || !c.inHardirq() || m.callbacks.full()) return -1;
    if (e.kind() == EventKind.HRTIMER_EXPIRE_ENTRY || e.kind() == EventKind.HRTIMER_EXPIRE_EXIT) return -1;
    if (m.callbacks.innermostIn(c.innermost(CpuContext.HARDIRQ)) >= 0) return -1;
    for (int i = 1; i < e.stack().depth(); i++) {
      String frame = e.stack().frame(i);
      CatalogTypes.FunctionEntry f = catalog.function(frame);
      if (f == null || f.effect() != CatalogTypes.Effect.CONTEXT || f.context() == null) continue;
      String inner = Catalog.stripSuffix(e.stack().frame(i - 1));
      if (catalog.tracingFrame(inner)) return -1;
      switch (f.context()) {
        case HRTIMER_CALLBACK:
          return pushHrtimer(m, c, inner, 0, 0, e.line());
        case IRQ_WORK_CALLBACK: {
          if (!catalog.runsIrqWorkCallbacks(frame)) return -1; // run_irq_workd: a thread, not this hardirq
          Boolean hard = catalog.irqWorkHard(inner);
          return m.callbacks.push(c, CallbackStack.IRQ_WORK, inner, hard == null ? 0 : hard ? 1 : 2, 0, e.line(), null);
        }
        default:
          return -1; // an interrupt entry: no callback runs between it and the event
      }
    }
    return -1;
  }
}
