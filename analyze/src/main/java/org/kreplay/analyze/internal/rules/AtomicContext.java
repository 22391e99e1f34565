package org.kreplay.analyze.internal.rules;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;

import java.util.List;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.LockType;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.TraceEvent;

/**
 * The atomic-context view: whether the point an event shows may sleep under the rules in force
 * (NMI, hardirq and the callback it runs, softirq, raw or spinning locks held, RCU read sections,
 * interrupts or preemption disabled), and on a non-RT trace judged as PREEMPT_RT, whether it
 * would still be atomic there. Answers with the reason, how sure, and what to do instead.
 */
final class AtomicContext {
  static final String DEFER_TO_PROCESS = "defer to process context (call_rcu / workqueue)";
  private static final String IRQS_OFF_REMEDY =
      "use spin_lock_irqsave() on a spinlock_t or local_lock_irqsave() instead of local_irq_disable(), or move the call out";

  private final ModelState s;
  private final KernelConfig config;
  private final Catalog catalog;

  AtomicContext(ModelState state) {
    this.s = state;
    this.config = state.config;
    this.catalog = state.catalog;
  }

  /**
   * Why the event's point may not sleep under the rules, or null if it may. {@code rtLock}: the
   * operation is a spinlock_t/allocator on PREEMPT_RT (RCU read sections allowed); {@code
   * ownPreempt} / {@code ownIrqsOff}: the event is the acquisition of a spinning lock whose own
   * preempt_disable() / local_irq_disable() already shows in its flags and must not count against it.
   */
  Atomic atomic(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, boolean rtLock, int ownPreempt,
      boolean ownIrqsOff) {
    int flags = e.flags();
    boolean whatIf = config.whatIf();
    if (c.inNmi() || (ContextFlags.nmiKnown(flags) && ContextFlags.nmi(flags))) {
      return new Atomic("in NMI context", Certainty.CERTAIN, "defer via irq_work");
    }
    boolean threaded = false;
    if (c.inHardirq()) {
      Atomic a = hardirq(c, m, whatIf);
      if (a != null) return a;
      threaded = true;
    } else if (c.inSoftirq()) {
      if (!config.rt() && !rtLock) {
        int f = c.innermost(CpuContext.SOFTIRQ);
        return new Atomic("in " + c.frameLabel(f) + " context", Certainty.CERTAIN, DEFER_TO_PROCESS);
      }
      threaded = true; // softirqs run in threads (or at local_bh_enable in task context) on RT
    }
    Atomic byLock = heldLock(locks, rtLock);
    if (byLock != null) return byLock;
    // Interrupts and preemption, as recorded (before this event when it is a spinning acquisition).
    if (!threaded && !ownIrqsOff && ContextFlags.irqsKnown(flags) && ContextFlags.irqsOff(flags)) {
      if (!whatIf) return new Atomic("with interrupts disabled", Certainty.CERTAIN, IRQS_OFF_REMEDY);
      Atomic a = rtIrqsOff(m, locks);
      if (a != null) return a;
    }
    return preemption(e, c, locks, ownPreempt, threaded);
  }

  /** In hardirq: atomic (the result), or null when the code runs in a thread on PREEMPT_RT (judged as RT). */
  private Atomic hardirq(CpuContext c, ModelState.Cpu m, boolean whatIf) {
    int f = c.innermost(CpuContext.HARDIRQ);
    CallbackStack cbs = m.callbacks;
    int cb = cbs.innermostIn(f);
    String what = c.frameLabel(f) + (cb >= 0 ? ", " + cbs.describe(cb) : "");
    if (!whatIf) return new Atomic("in hardirq context (" + what + ")", Certainty.CERTAIN, hardirqRemedy(m, cb));
    // Judged as RT: does this run in a thread there?
    if (cbs.isHrtimer(cb) && cbs.cls(cb) != CLASS_HARD && cbs.cls(cb) != 0) {
      return null; // non-HARD hrtimers expire in softirq (ktimers thread) on RT
    } else if (cbs.isIrqWork(cb) && cbs.cls(cb) == 2) {
      return null; // irq_work without HARD_IRQ runs in the irq_work/N thread
    } else if (cb < 0 && c.frameThreadable(f) == 1) {
      return null; // force-threaded device irq handler
    } else if ((cb >= 0 && cbs.cls(cb) == 0) || (cb < 0 && c.frameThreadable(f) < 0)) {
      return new Atomic("in hardirq context (" + what + "); whether it is threaded on PREEMPT_RT is unknown",
          Certainty.POSSIBLE, hardirqRemedy(m, cb));
    }
    return new Atomic("in hardirq context on PREEMPT_RT (" + what + ")", Certainty.CERTAIN, hardirqRemedy(m, cb));
  }

  /** The innermost held lock that forbids sleeping, or null. */
  private static Atomic heldLock(List<Held> locks, boolean rtLock) {
    for (int i = locks.size() - 1; i >= 0; i--) {
      Held h = locks.get(i);
      if (h.type.isRaw()) {
        return new Atomic("while holding raw_spinlock_t " + h.lockClass.name() + " (taken at " + h.where + ")",
            Certainty.CERTAIN, "move the operation out of the raw_spinlock_t section, or make "
                + h.lockClass.name() + " a spinlock_t");
      }
      if (h.type == LockType.RCU_SCHED) {
        return new Atomic("inside an rcu_read_lock_sched() section (preemption disabled)", Certainty.CERTAIN,
            "use rcu_read_lock(), or move the operation out of the read-side section");
      }
      if (!rtLock && (h.type.spinsOnNonRt() || h.type == LockType.SLEEPING_RT)) {
        return new Atomic("while holding " + h.type.label() + " " + h.lockClass.name() + " (taken at " + h.where + ")",
            Certainty.CERTAIN, "release " + h.lockClass.name() + " before sleeping, or make it a mutex");
      }
      if (!rtLock && (h.type == LockType.RCU || h.type == LockType.RCU_BH)) {
        return new Atomic("inside an RCU read-side critical section (" + h.lockClass.name() + ")", Certainty.CERTAIN,
            "leave the RCU read-side section before sleeping, or use SRCU");
      }
    }
    return null;
  }

  private Atomic preemption(TraceEvent e, CpuContext c, List<Held> locks, int ownPreempt, boolean threaded) {
    int depth = ContextFlags.preemptDepth(e.flags());
    depth = Math.max(0, depth - s.eventBaseline - ownPreempt); // the tracepoint's and the event's own code's preempt_disable()s
    if (threaded && c.inSoftirq() && !c.inHardirq()) {
      // A softirq run on the way out of an interrupt shows the interrupted task's preempt count
      // (idle runs with preemption off); the softirq thread on PREEMPT_RT would not have it.
      int entry = c.frameEntryPreempt(c.innermost(CpuContext.SOFTIRQ));
      // Entry not traced: the idle task is known to run with preemption disabled once.
      if (entry < 0 && e.pid() == 0) entry = 1;
      if (entry > 0) depth = Math.max(0, depth - entry);
    }
    if (depth <= 0 || (threaded && c.inHardirq())) return null;
    if (!config.whatIf() || config.tracedRt()) {
      return new Atomic("with preemption disabled (preempt_count " + depth + ")", Certainty.CERTAIN, preemptRemedy());
    }
    int spinning = 0;
    boolean ambiguous = false;
    for (Held h : locks) {
      if (h.type == LockType.SPINLOCK || h.type == LockType.RWLOCK || h.type == LockType.LOCAL_LOCK) spinning++;
      if (h.type == LockType.SPINNING || h.type == LockType.UNKNOWN) ambiguous = true;
    }
    int rtDepth = depth - spinning;
    if (schedulerFrame(e)) {
      return new Atomic("with preemption disabled by the scheduler (preempt_count " + depth + ")", Certainty.CERTAIN,
          DEFER_TO_PROCESS);
    }
    if (rtDepth <= 0) return null;
    if (s.lockEventsSeen && !ambiguous) {
      return new Atomic("with preemption disabled (preempt_count " + rtDepth + " on PREEMPT_RT)", Certainty.CERTAIN,
          preemptRemedy());
    }
    return new Atomic("with preemption disabled (preempt_count " + depth + " on the traced kernel; the trace does not say"
        + " whether by a spinlock_t, which would not disable it on PREEMPT_RT)", Certainty.POSSIBLE, preemptRemedy());
  }

  private Atomic rtIrqsOff(ModelState.Cpu m, List<Held> locks) {
    boolean byNonRawLock = false;
    boolean ambiguous = false;
    for (Held h : locks) {
      if (!h.disabledIrqs) continue;
      if (h.type == LockType.SPINLOCK || h.type == LockType.RWLOCK || h.type == LockType.LOCAL_LOCK) byNonRawLock = true;
      else if (h.type == LockType.SPINNING || h.type == LockType.UNKNOWN) ambiguous = true;
    }
    if (byNonRawLock) return null; // spin_lock_irq*() on a spinlock_t keeps interrupts on under RT
    if (m.irqsOffBy != null && catalog.function(m.irqsOffBy) == null) {
      return new Atomic("with interrupts disabled by " + m.irqsOffBy + "(), which stays so on PREEMPT_RT", Certainty.CERTAIN,
          IRQS_OFF_REMEDY);
    }
    if (s.lockEventsSeen && !ambiguous && (m.irqsOffBy == null || !s.preemptIrqEventsSeen)) {
      return new Atomic("with interrupts disabled by local_irq_disable()/save(), not by a lock", Certainty.CERTAIN,
          IRQS_OFF_REMEDY);
    }
    return new Atomic("with interrupts disabled on the traced kernel; the trace does not say whether by spin_lock_irq() on a"
        + " spinlock_t, which would keep them on under PREEMPT_RT", Certainty.POSSIBLE, IRQS_OFF_REMEDY);
  }

  private static String preemptRemedy() {
    return "use migrate_disable() or a local_lock instead of preempt_disable(), or move the call out of the section";
  }

  /** What to do about code that cannot sleep in hardirq, running callback {@code cb} (or -1). */
  String hardirqRemedy(ModelState.Cpu m, int cb) {
    CallbackStack cbs = m.callbacks;
    if (cbs.isHrtimer(cb)) return DEFER_TO_PROCESS;
    if (cbs.isIrqWork(cb) && cbs.cls(cb) == 2 && config.tracedRt()) {
      return "this irq_work is not IRQ_WORK_HARD_IRQ yet ran in hardirq: the kernel lacks the PREEMPT_RT irq_work"
          + " split (5.16+), which runs such work in the per-CPU irq_work/N thread";
    }
    if (cbs.isIrqWork(cb)) {
      return "irq_work without IRQ_WORK_HARD_IRQ (runs in the per-CPU irq_work thread on PREEMPT_RT), or a workqueue";
    }
    return "move the work to a threaded handler, an irq_work without HARD_IRQ, or a workqueue";
  }

  /** Whether the event's stack or site is the scheduler's own code (catalog skip frames, why scheduler_core). */
  private boolean schedulerFrame(TraceEvent e) {
    for (int i = 0; i < e.stack().depth(); i++) {
      if (catalog.schedulerCore(e.stack().frame(i))) return true;
    }
    return e.function() != null && catalog.schedulerCore(e.function());
  }
}
