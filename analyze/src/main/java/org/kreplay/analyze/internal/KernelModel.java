package org.kreplay.analyze.internal;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;
import static org.kreplay.analyze.DeferralRow.CLASS_PLAIN;
import static org.kreplay.analyze.DeferralRow.CLASS_SOFT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.LockGraph.LockClass;
import org.kreplay.analyze.LockGraph;
import org.kreplay.analyze.LockType;
import org.kreplay.analyze.internal.HeldLocks.Held;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * The kernel's locking and context rules, applied to every event after the context tracker has
 * placed it (reference/kernel-model.md): lockdep's checks on each acquisition (wait context,
 * irq usage, recursive locking, dependency cycles, irq-safe → irq-unsafe order, bad unlock),
 * might_sleep() on sleeping locks and blocking allocations, scheduling while atomic, and — when
 * PREEMPT_RT rules apply — allocations and spinlock_t acquisitions where RT cannot sleep. On a
 * non-RT trace judged as RT the observed context is translated first: device irq handlers,
 * non-HARD hrtimer and irq_work callbacks and softirqs run in threads, spinlock_t and its _irq
 * variants neither disable preemption nor interrupts.
 */
public final class KernelModel {
  private static final byte HRTIMER = 1;
  private static final byte IRQ_WORK = 2;
  private static final byte RCU_CB = 3;
  private static final int MAX_CALLBACKS = 8;
  /** Culprit of an event whose code the trace does not show. */
  static final String NO_STACK = "(no stack)";

  private final KernelConfig config;
  private final Catalog catalog;
  private final ContextTracker contexts;
  private final LockGraph graph;
  private final AnalysisResult result;
  private final DeferralTracker deferrals;
  private final HeldLocks held = new HeldLocks();
  private final Map<Integer, String> works = new HashMap<>();
  /** Per task, the function the function tracer last saw it enter in task context (its own code, as the user filtered it). */
  private final Map<Integer, String> lastTraced = new HashMap<>();
  /** Whether the event being judged runs in task context (no interrupt frame). */
  private boolean inTask;
  private Cpu[] cpus = new Cpu[0];
  private final String source;
  /** The trace has lockdep events: the held-lock state is complete, not a guess. */
  private boolean lockEventsSeen;
  private boolean preemptIrqEventsSeen;
  private int schedBaseline = -1;
  /**
   * The preempt depth every event of this kernel carries for the tracepoint's own
   * preempt_disable(): 1 where PREEMPT_COUNT is on but PREEMPTION is not (a debug kernel with
   * DEBUG_ATOMIC_SLEEP), whose tracing_gen_ctx_dec() does not subtract it; else 0.
   */
  private int eventBaseline;
  private final List<TraceEvent> schedPending = new ArrayList<>();
  private final int[] schedDepths = new int[16];
  private int schedSeen;
  private long heldResets;

  /** What one CPU runs beyond the context frames: callbacks, flags of the previous event. */
  private static final class Cpu {
    int prevFlags = ContextFlags.UNKNOWN;
    final byte[] cbKind = new byte[MAX_CALLBACKS];
    final String[] cbName = new String[MAX_CALLBACKS];
    final int[] cbClass = new int[MAX_CALLBACKS];
    final long[] cbAddress = new long[MAX_CALLBACKS];
    final int[] cbFrameDepth = new int[MAX_CALLBACKS];
    final long[] cbLine = new long[MAX_CALLBACKS];
    /** Where an hrtimer callback's mode came from when not from the trace (catalog, RT rule), or null. */
    final String[] cbModeNote = new String[MAX_CALLBACKS];
    int callbacks;
    /** Kind of the previous event on this CPU. */
    EventKind prevKind = EventKind.OTHER;
    /** Caller of the outermost irq_disable (preemptirq), or null. */
    String irqsOffBy;
    /** The last irq_disable came from a spin_lock_irq*() whose lock_acquire has not been seen yet. */
    boolean lockIrqOffPending;
  }

  KernelModel(KernelConfig config, Catalog catalog, ContextTracker contexts, AnalysisResult result,
      DeferralTracker deferrals, String source) {
    this.config = config;
    this.catalog = catalog;
    this.contexts = contexts;
    this.graph = result.lockGraph();
    this.result = result;
    this.deferrals = deferrals;
    this.source = source;
  }

  private Cpu cpu(int n) {
    if (n >= cpus.length) cpus = java.util.Arrays.copyOf(cpus, Math.max(n + 1, cpus.length * 2));
    Cpu c = cpus[n];
    if (c == null) {
      c = new Cpu();
      cpus[n] = c;
    }
    return c;
  }

  String where(TraceEvent e) {
    return e.line() > 0 ? source + ":" + e.line() : source;
  }

  // ---- event entry point

  /** See {@link #eventBaseline}; set before the first event. */
  void eventPreemptBaseline(int depth) {
    this.eventBaseline = depth;
  }

  /** Applies the rules to one event, after its context was updated. */
  void onEvent(TraceEvent e, CpuContext c) {
    Cpu m = cpu(c.cpu());
    inTask = c.depth() == 0;
    dropFinishedCallbacks(m, c);
    int fromStack = stackCallback(e, c, m);
    // Interrupts or bottom halves turned on since the previous event while locks are held marks
    // them irq-enabled (lockdep_hardirqs_on / lockdep_softirqs_on → mark_held_locks()). Checked
    // before the event itself, so a release right after the enable still sees the lock held.
    if (e.kind() != EventKind.IRQ_ENABLE) enabledSincePrevious(e, c, m);
    if (m.lockIrqOffPending && e.kind() != EventKind.LOCK_ACQUIRE && e.kind() != EventKind.IRQ_DISABLE
        && e.kind() != EventKind.PREEMPT_DISABLE && e.kind() != EventKind.PREEMPT_ENABLE) {
      m.lockIrqOffPending = false;
    }
    // With lockdep's events the acquisitions speak for themselves; a probe's own stack (a stack
    // event of its own) is still a call of the probed lock function, whatever lockdep traced.
    if ((!lockEventsSeen || e.kind() == EventKind.KERNEL_STACK) && e.stack().depth() > 0
        && e.kind() != EventKind.CONTENTION_BEGIN && e.kind() != EventKind.SCHED_SWITCH) {
      lockInStack(e, c, m);
    }
    switch (e.kind()) {
      case LOCK_ACQUIRE:
        lockEventsSeen = true;
        acquire(e, c, m, e.lockClass(), e.lockType(), e.lockRead(), e.lockTry());
        m.lockIrqOffPending = false;
        break;
      case LOCK_RELEASE:
        lockEventsSeen = true;
        release(e, c, m, e.lockClass());
        break;
      case HRTIMER_EXPIRE_ENTRY:
        pushHrtimer(m, c, e.function(), deferrals.lastExpiredClass(c.cpu()), e.address(), e.line());
        break;
      case HRTIMER_EXPIRE_EXIT:
        popCallback(m, HRTIMER, e.address());
        break;
      case RCU_INVOKE_CALLBACK:
        replaceCallback(m, c, RCU_CB, e.function(), 0, e.line());
        break;
      case WORKQUEUE_EXECUTE_START:
        if (e.pid() > 0 && e.function() != null) works.put(e.pid(), e.function());
        break;
      case WORKQUEUE_EXECUTE_END:
        works.remove(e.pid());
        break;
      case IRQ_HANDLER_EXIT:
      case VECTOR_EXIT:
      case IRQ_WORK_EXIT:
        held.dropIrqContext(e.pid(), 2);
        break;
      case SOFTIRQ_EXIT:
        held.dropIrqContext(e.pid(), 1);
        break;
      case FUNCTION:
        function(e, c, m);
        if (inTask && e.pid() > 0 && e.function() != null && !catalog.skipFrame(e.function())) {
          lastTraced.put(e.pid(), Catalog.stripSuffix(e.function()));
        }
        break;
      case IRQ_DISABLE:
        preemptIrqEventsSeen = true;
        if (m.irqsOffBy == null) m.irqsOffBy = e.function();
        m.lockIrqOffPending = disablesIrqsForLock(e.function());
        break;
      case IRQ_ENABLE:
        preemptIrqEventsSeen = true;
        m.irqsOffBy = null;
        irqsEnabled(e, c);
        break;
      case PREEMPT_DISABLE:
      case PREEMPT_ENABLE:
        preemptIrqEventsSeen = true;
        break;
      case KMALLOC:
      case KMEM_CACHE_ALLOC:
      case KFREE:
      case KMEM_CACHE_FREE:
      case MM_PAGE_ALLOC:
      case MM_PAGE_FREE:
        allocator(e, c, m);
        break;
      case CONTENTION_BEGIN:
        contention(e, c, m);
        break;
      case SCHED_SWITCH:
        schedSwitch(e, c);
        // Callbacks run by a kthread (irq_work/N, rcuc/N) end with its turn on the CPU.
        if (c.depth() == 0) m.callbacks = 0;
        break;
      default:
        break;
    }
    if (fromStack >= 0 && m.callbacks == fromStack + 1) m.callbacks = fromStack;
    m.prevFlags = e.flags();
    m.prevKind = e.kind();
  }

  /** Lost events: held locks and callbacks are no longer known. */
  void gap(int cpuNumber) {
    if (cpuNumber >= 0) {
      Cpu m = cpu(cpuNumber);
      m.callbacks = 0;
      m.prevFlags = ContextFlags.UNKNOWN;
      m.irqsOffBy = null;
      m.lockIrqOffPending = false;
      m.prevKind = EventKind.OTHER;
    }
    held.clear();
    heldResets++;
  }

  // ---- callbacks running on a CPU

  /** Returns the callback's index, or -1 when too many are open. */
  private int pushCallback(Cpu m, CpuContext c, byte kind, String name, int cls, long address, long line) {
    if (m.callbacks == MAX_CALLBACKS) return -1;
    int i = m.callbacks++;
    m.cbKind[i] = kind;
    m.cbName[i] = name;
    m.cbClass[i] = cls;
    m.cbAddress[i] = address;
    m.cbFrameDepth[i] = c.depth();
    m.cbLine[i] = line;
    m.cbModeNote[i] = null;
    return i;
  }

  /**
   * An hrtimer callback starts; {@code traced} is the class the trace showed for its timer (0 when
   * it did not: started before the trace began, or by a plugin that drops the mode). Then a
   * PREEMPT_RT kernel expiring it in hardirq proves it HARD, else the catalog's entry for the
   * callback tells; else the mode stays unknown.
   */
  private int pushHrtimer(Cpu m, CpuContext c, String fn, int traced, long address, long line) {
    int cls = traced;
    String note = null;
    if (cls == 0 && config.tracedRt() && c.inHardirq()) {
      cls = CLASS_HARD;
      note = "PREEMPT_RT expires only HRTIMER_MODE_HARD timers in hardirq";
    } else if (cls == 0) {
      Catalog.HrtimerEntry entry = catalog.hrtimerCallback(fn);
      int mode = catalog.hrtimerMode(fn);
      if (entry != null && mode >= 0) {
        cls = (mode & 0x8) != 0 ? CLASS_HARD : (mode & 0x4) != 0 ? CLASS_SOFT : CLASS_PLAIN;
        note = "mode from the catalog, the trace does not show it: " + entry.source();
      } else {
        note = "hrtimer mode unknown: neither the trace nor the catalog shows it";
      }
    }
    int i = pushCallback(m, c, HRTIMER, fn, cls, address, line);
    if (i >= 0) m.cbModeNote[i] = note;
    return i;
  }

  /**
   * In hardirq with no traced callback entry, the event's own stack may show the callback that
   * runs ({@code fn} right inside {@code __run_hrtimer} or {@code irq_work_single}): it is pushed
   * for this event only. Returns its index, or -1.
   */
  private int stackCallback(TraceEvent e, CpuContext c, Cpu m) {
    if (e.stack().depth() < 2 || !c.inHardirq() || m.callbacks == MAX_CALLBACKS) return -1;
    if (e.kind() == EventKind.HRTIMER_EXPIRE_ENTRY || e.kind() == EventKind.HRTIMER_EXPIRE_EXIT) return -1;
    if (innermostCallback(m, c, c.innermost(CpuContext.HARDIRQ)) >= 0) return -1;
    for (int i = 1; i < e.stack().depth(); i++) {
      String frame = e.stack().frame(i);
      Catalog.FunctionEntry f = catalog.function(frame);
      if (f == null || !"context".equals(f.effect()) || f.context() == null) continue;
      String inner = Catalog.stripSuffix(e.stack().frame(i - 1));
      if (catalog.tracingFrame(inner)) return -1;
      switch (f.context()) {
        case "hrtimer_callback":
          return pushHrtimer(m, c, inner, 0, 0, e.line());
        case "irq_work_callback": {
          if (!Catalog.stripSuffix(frame).equals("irq_work_single")) return -1;
          Boolean hard = catalog.irqWorkHard(inner);
          return pushCallback(m, c, IRQ_WORK, inner, hard == null ? 0 : hard ? 1 : 2, 0, e.line());
        }
        default:
          return -1; // an interrupt entry: no callback runs between it and the event
      }
    }
    return -1;
  }

  private void replaceCallback(Cpu m, CpuContext c, byte kind, String name, int cls, long line) {
    if (m.callbacks > 0 && m.cbKind[m.callbacks - 1] == kind && m.cbFrameDepth[m.callbacks - 1] == c.depth()) {
      m.callbacks--;
    }
    pushCallback(m, c, kind, name, cls, 0, line);
  }

  private void popCallback(Cpu m, byte kind, long address) {
    for (int i = m.callbacks - 1; i >= 0; i--) {
      if (m.cbKind[i] == kind && m.cbAddress[i] == address) {
        m.callbacks = i;
        return;
      }
    }
  }

  /** Callbacks started inside a context frame that has since ended are over. */
  private static void dropFinishedCallbacks(Cpu m, CpuContext c) {
    while (m.callbacks > 0 && m.cbFrameDepth[m.callbacks - 1] > c.depth()) m.callbacks--;
  }

  private void function(TraceEvent e, CpuContext c, Cpu m) {
    String fn = e.function();
    if (fn == null) return;
    // A callback run by irq_work_single() (function tracer of the callback).
    if ("irq_work_single".equals(e.text()) || "irq_work_run_list".equals(e.text())) {
      Boolean hard = catalog.irqWorkHard(fn);
      replaceCallback(m, c, IRQ_WORK, fn, hard == null ? 0 : hard ? 1 : 2, e.line());
      return;
    }
    Catalog.FunctionEntry f = catalog.function(fn);
    if (f == null) return;
    switch (f.effect()) {
      case "lock":
        LockType t = LockType.parse(f.lockType());
        if (t != null && t.sleeps(config.rt())) {
          sleepingLockTaken(e, c, m, fn, t, "(lock taken by " + fn + ")");
        }
        break;
      case "alloc":
      case "free":
        allocator(e, c, m);
        break;
      default:
        break;
    }
  }

  /**
   * Without lockdep events, a stack that runs through a sleeping-lock function (mutex_lock(),
   * down_read(), rt_spin_lock() …) shows that lock being taken where the event happened. Frames
   * beyond a scheduler frame are skipped: there the flags are the scheduler's, not the caller's.
   */
  private void lockInStack(TraceEvent e, CpuContext c, Cpu m) {
    for (int i = 0; i < e.stack().depth(); i++) {
      String frame = e.stack().frame(i);
      if ("scheduler".equals(catalog.skipReason(frame))) return;
      Catalog.FunctionEntry f = catalog.function(frame);
      if (f == null || !"lock".equals(f.effect())) continue;
      LockType t = LockType.parse(f.lockType());
      if (t == null || !t.sleeps(config.rt())) return;
      // The allocator's own lock (kmem_cache_free -> rt_spin_lock): the allocation's problem, one finding with it.
      String allocator = null;
      for (int j = i + 1; j < e.stack().depth() && "allocator".equals(catalog.skipReason(e.stack().frame(j))); j++) {
        allocator = Catalog.stripSuffix(e.stack().frame(j));
      }
      if (allocator != null && config.rt()) {
        rtAllocation(e, c, m, allocator, Catalog.stripSuffix(frame), allocator,
            frame + "() taken in " + allocator + "() (the event's stack)");
      } else {
        sleepingLockTaken(e, c, m, Catalog.stripSuffix(frame), t, "(" + frame + " in the event's stack)");
      }
      return;
    }
  }

  // ---- the context an event runs in

  /** Why a point cannot sleep, with how sure and what to do about it; null if it can. */
  private record Atomic(String reason, Certainty certainty, String remedy) {}

  private static final String DEFER_TO_PROCESS = "defer to process context (call_rcu / workqueue)";

  /**
   * Whether the event's point may not sleep under the rules. {@code rtLock}: the operation is a
   * spinlock_t/allocator on PREEMPT_RT (RCU read sections allowed); {@code ownPreempt} / {@code
   * ownIrqsOff}: the event is the acquisition of a spinning lock whose own preempt_disable() /
   * local_irq_disable() already shows in its flags and must not count against it.
   */
  private Atomic atomic(TraceEvent e, CpuContext c, Cpu m, List<Held> locks, boolean rtLock, int ownPreempt,
      boolean ownIrqsOff) {
    int flags = e.flags();
    boolean whatIf = config.whatIf();
    if (c.inNmi() || (ContextFlags.nmiKnown(flags) && ContextFlags.nmi(flags))) {
      return new Atomic("in NMI context", Certainty.CERTAIN, "defer via irq_work");
    }
    boolean threaded = false;
    if (c.inHardirq()) {
      int f = c.innermost(CpuContext.HARDIRQ);
      int cb = innermostCallback(m, c, f);
      String what = c.frameLabel(f) + (cb >= 0 ? ", " + describeCallback(m, cb) : "");
      if (!whatIf) {
        return new Atomic("in hardirq context (" + what + ")", Certainty.CERTAIN, hardirqRemedy(m, cb));
      }
      // Judged as RT: does this run in a thread there?
      if (cb >= 0 && m.cbKind[cb] == HRTIMER && m.cbClass[cb] != CLASS_HARD && m.cbClass[cb] != 0) {
        threaded = true; // non-HARD hrtimers expire in softirq (ktimers thread) on RT
      } else if (cb >= 0 && m.cbKind[cb] == IRQ_WORK && m.cbClass[cb] == 2) {
        threaded = true; // irq_work without HARD_IRQ runs in the irq_work/N thread
      } else if (cb < 0 && c.frameThreadable(f) == 1) {
        threaded = true; // force-threaded device irq handler
      } else if ((cb >= 0 && m.cbClass[cb] == 0) || (cb < 0 && c.frameThreadable(f) < 0)) {
        return new Atomic("in hardirq context (" + what + "); whether it is threaded on PREEMPT_RT is unknown",
            Certainty.POSSIBLE, hardirqRemedy(m, cb));
      } else {
        return new Atomic("in hardirq context on PREEMPT_RT (" + what + ")", Certainty.CERTAIN, hardirqRemedy(m, cb));
      }
    } else if (c.inSoftirq()) {
      if (!config.rt() && !rtLock) {
        int f = c.innermost(CpuContext.SOFTIRQ);
        return new Atomic("in " + c.frameLabel(f) + " context", Certainty.CERTAIN, DEFER_TO_PROCESS);
      }
      threaded = true; // softirqs run in threads (or at local_bh_enable in task context) on RT
    }
    // Locks held.
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
    // Interrupts and preemption, as recorded (before this event when it is a spinning acquisition).
    if (!threaded && !ownIrqsOff && ContextFlags.irqsKnown(flags) && ContextFlags.irqsOff(flags)) {
      if (!whatIf) {
        return new Atomic("with interrupts disabled", Certainty.CERTAIN,
            "use spin_lock_irqsave() on a spinlock_t or local_lock_irqsave() instead of local_irq_disable(), or move the call out");
      }
      Atomic a = rtIrqsOff(m, locks);
      if (a != null) return a;
    }
    int depth = ContextFlags.preemptDepth(flags);
    depth = Math.max(0, depth - eventBaseline - ownPreempt); // the tracepoint's and the event's own code's preempt_disable()s
    if (threaded && c.inSoftirq() && !c.inHardirq()) {
      // A softirq run on the way out of an interrupt shows the interrupted task's preempt count
      // (idle runs with preemption off); the softirq thread on PREEMPT_RT would not have it.
      int entry = c.frameEntryPreempt(c.innermost(CpuContext.SOFTIRQ));
      // Entry not traced: the idle task is known to run with preemption disabled once.
      if (entry < 0 && e.pid() == 0) entry = 1;
      if (entry > 0) depth = Math.max(0, depth - entry);
    }
    if (depth > 0 && !(threaded && c.inHardirq())) {
      if (!whatIf || config.tracedRt()) {
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
      if (rtDepth > 0) {
        if (lockEventsSeen && !ambiguous) {
          return new Atomic("with preemption disabled (preempt_count " + rtDepth + " on PREEMPT_RT)", Certainty.CERTAIN,
              preemptRemedy());
        }
        return new Atomic("with preemption disabled (preempt_count " + depth + " on the traced kernel; the trace does not say"
            + " whether by a spinlock_t, which would not disable it on PREEMPT_RT)", Certainty.POSSIBLE, preemptRemedy());
      }
    }
    return null;
  }

  private Atomic rtIrqsOff(Cpu m, List<Held> locks) {
    boolean byNonRawLock = false;
    boolean ambiguous = false;
    for (Held h : locks) {
      if (!h.disabledIrqs) continue;
      if (h.type == LockType.SPINLOCK || h.type == LockType.RWLOCK || h.type == LockType.LOCAL_LOCK) byNonRawLock = true;
      else if (h.type == LockType.SPINNING || h.type == LockType.UNKNOWN) ambiguous = true;
    }
    if (byNonRawLock) return null; // spin_lock_irq*() on a spinlock_t keeps interrupts on under RT
    String remedy = "use spin_lock_irqsave() on a spinlock_t or local_lock_irqsave() instead of local_irq_disable(), or move the call out";
    if (m.irqsOffBy != null && catalog.function(m.irqsOffBy) == null) {
      return new Atomic("with interrupts disabled by " + m.irqsOffBy + "(), which stays so on PREEMPT_RT", Certainty.CERTAIN, remedy);
    }
    if (lockEventsSeen && !ambiguous && (m.irqsOffBy == null || !preemptIrqEventsSeen)) {
      return new Atomic("with interrupts disabled by local_irq_disable()/save(), not by a lock", Certainty.CERTAIN, remedy);
    }
    return new Atomic("with interrupts disabled on the traced kernel; the trace does not say whether by spin_lock_irq() on a"
        + " spinlock_t, which would keep them on under PREEMPT_RT", Certainty.POSSIBLE, remedy);
  }

  private static String preemptRemedy() {
    return "use migrate_disable() or a local_lock instead of preempt_disable(), or move the call out of the section";
  }

  private String hardirqRemedy(Cpu m, int cb) {
    if (cb >= 0 && m.cbKind[cb] == HRTIMER) return DEFER_TO_PROCESS;
    if (cb >= 0 && m.cbKind[cb] == IRQ_WORK && m.cbClass[cb] == 2 && config.tracedRt()) {
      return "this irq_work is not IRQ_WORK_HARD_IRQ yet ran in hardirq: the kernel lacks the PREEMPT_RT irq_work"
          + " split (5.16+), which runs such work in the per-CPU irq_work/N thread";
    }
    if (cb >= 0 && m.cbKind[cb] == IRQ_WORK) {
      return "irq_work without IRQ_WORK_HARD_IRQ (runs in the per-CPU irq_work thread on PREEMPT_RT), or a workqueue";
    }
    return "move the work to a threaded handler, an irq_work without HARD_IRQ, or a workqueue";
  }

  /**
   * Whether the interrupts an acquisition finds off were turned off by its own spin_lock_irq*():
   * the lock function in the acquisition's stack says so where there is one; else an irq_disable
   * right before it counts only if a lock function called it (its own flags may still show
   * interrupts on, so they do not count); else the step from the previous event's flags.
   */
  private boolean lockDisabledIrqs(TraceEvent e, Cpu m) {
    for (int i = 0; i < e.stack().depth(); i++) {
      Catalog.FunctionEntry f = catalog.function(e.stack().frame(i));
      if (f != null && ("lock".equals(f.effect()) || "trylock".equals(f.effect()))) {
        return "irq".equals(f.irq()) || "save".equals(f.irq());
      }
    }
    if (m.lockIrqOffPending) return true;
    if (m.prevKind == EventKind.IRQ_DISABLE) return false;
    return ContextFlags.irqsKnown(m.prevFlags) && !ContextFlags.irqsOff(m.prevFlags);
  }

  /** Whether an irq_disable caller is a lock function that disables interrupts (spin_lock_irq*()). */
  private boolean disablesIrqsForLock(String caller) {
    Catalog.FunctionEntry f = catalog.function(caller);
    return f != null && ("lock".equals(f.effect()) || "trylock".equals(f.effect()))
        && ("irq".equals(f.irq()) || "save".equals(f.irq()));
  }

  /**
   * The non-RT trace shows a free done in place that a PREEMPT_RT kernel defers itself (catalog
   * effect rt_defers, e.g. mmdrop_sched() in finish_task_switch()).
   */
  private boolean deferredOnRt(TraceEvent e) {
    for (int i = 0; i < e.stack().depth(); i++) {
      Catalog.FunctionEntry f = catalog.function(e.stack().frame(i));
      if (f != null && "rt_defers".equals(f.effect())) return true;
    }
    Catalog.FunctionEntry f = catalog.function(e.function());
    return f != null && "rt_defers".equals(f.effect());
  }

  private boolean schedulerFrame(TraceEvent e) {
    for (int i = 0; i < e.stack().depth(); i++) {
      if (isScheduler(e.stack().frame(i))) return true;
    }
    return e.function() != null && isScheduler(e.function());
  }

  private static boolean isScheduler(String f) {
    String s = Catalog.stripSuffix(f);
    return s.equals("finish_task_switch") || s.equals("__schedule") || s.equals("schedule_tail");
  }

  /** The innermost callback running inside hardirq frame {@code frame} (or above), or -1. */
  private static int innermostCallback(Cpu m, CpuContext c, int frame) {
    for (int i = m.callbacks - 1; i >= 0; i--) {
      if (m.cbFrameDepth[i] >= frame + 1 && m.cbKind[i] != RCU_CB) return i;
    }
    return -1;
  }

  private static String describeCallback(Cpu m, int i) {
    switch (m.cbKind[i]) {
      case HRTIMER: {
        int cls = m.cbClass[i];
        String mode = cls == CLASS_HARD ? "HARD " : cls == CLASS_SOFT ? "SOFT " : cls == CLASS_PLAIN ? "non-HARD " : "";
        return mode + "hrtimer callback " + m.cbName[i];
      }
      case IRQ_WORK:
        return (m.cbClass[i] == 1 ? "HARD_IRQ " : m.cbClass[i] == 2 ? "non-HARD " : "") + "irq_work callback " + m.cbName[i];
      default:
        return "RCU callback " + m.cbName[i];
    }
  }

  /** "hardirq: local_timer vector > HARD hrtimer callback x; irqs off; preempt 1; holding: a (raw_spinlock_t)". */
  private String describeContext(TraceEvent e, CpuContext c, Cpu m, List<Held> locks) {
    StringBuilder sb = new StringBuilder();
    if (c.inNmi()) sb.append("NMI");
    else if (c.inHardirq()) sb.append("hardirq");
    else if (c.inSoftirq()) sb.append("softirq");
    else sb.append("task ").append(e.comm()).append('/').append(e.pid());
    for (int i = 0; i < c.depth(); i++) sb.append(i == 0 ? ": " : " > ").append(c.frameLabel(i));
    for (int i = 0; i < m.callbacks; i++) sb.append(" > ").append(describeCallback(m, i));
    String work = works.get(e.pid());
    if (work != null && c.depth() == 0) sb.append(" > workqueue function ").append(work);
    int f = e.flags();
    if (ContextFlags.irqsKnown(f)) sb.append(ContextFlags.irqsOff(f) ? "; irqs off" : "; irqs on");
    if (ContextFlags.preemptKnown(f)) sb.append("; preempt_count ").append(Math.max(0, ContextFlags.preemptDepth(f) - eventBaseline));
    if (!locks.isEmpty()) {
      sb.append("; holding: ");
      for (int i = 0; i < locks.size(); i++) sb.append(i == 0 ? "" : ", ").append(locks.get(i).describe());
    }
    sb.append(" [").append(config.label()).append(']');
    return sb.toString();
  }

  // ---- culprit and chain

  /** The first frame (innermost first) that is not infrastructure; else the event's own site; else the callback. */
  private String culprit(TraceEvent e, Cpu m) {
    String fromStack = stackCulprit(e);
    if (fromStack != null) return fromStack;
    if (e.function() != null && !catalog.skipFrame(e.function()) && !isAddress(e.function())) {
      return Catalog.stripSuffix(e.function());
    }
    if (m.callbacks > 0) return m.cbName[m.callbacks - 1];
    String work = works.get(e.pid());
    if (work != null) return work;
    // No stack here: the code holding the locks this one nests in, as its own stack showed.
    List<Held> locks = e.pid() >= 0 ? held.held(e.pid()) : List.of();
    for (int i = locks.size() - 1; i >= 0; i--) {
      if (locks.get(i).site != null) return locks.get(i).site;
    }
    if (e.function() != null) return Catalog.stripSuffix(e.function());
    // No stack: the function the task last entered, where the function tracer follows its code
    // (set_ftrace_filter on the suspect's functions); it runs in it or in what it called.
    String traced = inTask ? lastTraced.get(e.pid()) : null;
    if (traced != null) return traced;
    // Lock tracepoints carry no caller: without a stack the code is unknown (the task is in the
    // context); kept out of the signature so one problem in many tasks stays one finding.
    return NO_STACK;
  }

  /**
   * The first frame of the event's stack that is not infrastructure, or null. The search stops at
   * an interrupt entry: frames beyond it belong to the interrupted code. There, the innermost
   * subsystem frame that ran the work (rcu_do_batch(), a timer or workqueue runner) stands in.
   */
  private String stackCulprit(TraceEvent e) {
    return culpritOf(catalog, e.stack().frames());
  }

  /** The culprit of a call trace given innermost first (see {@link #stackCulprit}), or null. */
  public static String culpritOf(Catalog catalog, List<String> frames) {
    String runner = null;
    for (String f : frames) {
      String why = catalog.skipReason(f);
      if (why == null) return Catalog.stripSuffix(f);
      if (why.equals("irq_entry")) return runner;
      if (runner == null && RUNNERS.contains(why)) runner = Catalog.stripSuffix(f);
    }
    return runner;
  }

  private static final java.util.Set<String> RUNNERS =
      java.util.Set.of("rcu_infra", "hrtimer_infra", "workqueue_infra", "scheduler");

  private static boolean isAddress(String s) {
    return s.startsWith("0x");
  }

  /** Outermost first: the stack, else the context frames, callbacks and the event's own site. */
  private List<String> chain(TraceEvent e, CpuContext c, Cpu m, String operation) {
    List<String> chain = new ArrayList<>();
    if (e.stack().depth() > 0) {
      // The innermost frames of a traced stack are the tracer's and lockdep's own: not part of the story.
      int innermost = 0;
      while (innermost < e.stack().depth() - 1 && catalog.tracingFrame(e.stack().frame(innermost))) innermost++;
      // In an interrupt the frames beyond its entry are the interrupted code's, not this context's.
      int outermost = e.stack().depth() - 1;
      if (c.depth() > 0) {
        for (int i = outermost; i > innermost; i--) {
          if ("irq_entry".equals(catalog.skipReason(e.stack().frame(i)))) {
            outermost = i;
            break;
          }
        }
      }
      for (int i = outermost; i >= innermost; i--) chain.add(e.stack().frame(i));
    } else {
      for (int i = 0; i < c.depth(); i++) chain.add(c.frameLabel(i));
      for (int i = 0; i < m.callbacks; i++) chain.add(m.cbName[i]);
      String work = works.get(e.pid());
      if (work != null && c.depth() == 0) chain.add(work);
      if (e.function() != null && e.kind() != EventKind.FUNCTION && !chain.contains(e.function())) chain.add(e.function());
    }
    if (operation != null && (chain.isEmpty() || !chain.get(chain.size() - 1).equals(operation))) chain.add(operation);
    return chain;
  }

  /**
   * The event's body as the input printed it; readers that skip rendering bodies (trace.dat for an
   * analysis) leave it empty, and the typed fields say what matters instead.
   */
  private static String bodyOf(TraceEvent e) {
    if (e.body() != null && !e.body().isEmpty()) return e.body();
    StringBuilder sb = new StringBuilder();
    if (e.function() != null) sb.append("call_site=").append(e.function()).append(' ');
    if (e.address() != 0) sb.append("ptr=").append(Long.toHexString(e.address())).append(' ');
    if (e.text() != null) sb.append(e.text());
    return sb.toString().strip();
  }

  private Evidence evidence(TraceEvent e, String what) {
    return new Evidence(source, e.line(), e.timestamp(), e.cpu(), e.comm() == null ? "" : e.comm() + "/" + e.pid(), what);
  }

  private List<Evidence> contextEvidence(TraceEvent e, CpuContext c, Cpu m, List<Held> locks, String what) {
    List<Evidence> ev = new ArrayList<>();
    ev.add(evidence(e, what));
    for (int i = 0; i < c.depth(); i++) {
      if (c.frameEntryLine(i) > 0) ev.add(new Evidence(source, c.frameEntryLine(i), -1, c.cpu(), "", "entered " + c.frameLabel(i)));
    }
    for (int i = 0; i < m.callbacks; i++) {
      ev.add(new Evidence(source, m.cbLine[i], -1, c.cpu(), "", "runs " + describeCallback(m, i)
          + (m.cbModeNote[i] != null ? " (" + m.cbModeNote[i] + ")" : "")));
    }
    for (Held h : locks) ev.add(new Evidence(source, h.line, h.timestamp, c.cpu(), "", "holds " + h.describe()));
    if (e.stack().depth() > 0) ev.add(new Evidence(source, e.line(), e.timestamp(), c.cpu(), "", "stack: " + e.stack()));
    return ev;
  }

  private void report(FindingKind kind, String signature, String culprit, List<String> chain, List<String> locks,
      String context, String message, String remedy, Certainty certainty, List<Evidence> evidence, TraceEvent e) {
    Finding f = new Finding(kind, signature, culprit, chain, locks, context, message, remedy, certainty,
        config.label(), evidence, source, e.timestamp());
    result.findings().report(f, source);
  }

  // ---- locks

  private LockType typeOf(String className, String stated) {
    LockType t = LockType.parse(stated);
    if (t != null) return t;
    t = catalog.lockType(className);
    return t != null ? t : LockType.UNKNOWN;
  }

  /** 2 hardirq (3 if inside softirq), 1 softirq, 0 task: lockdep's task_irq_context(). */
  private static int irqContext(CpuContext c) {
    return (c.inHardirq() ? 2 : 0) + (c.inSoftirq() ? 1 : 0);
  }

  private void acquire(TraceEvent e, CpuContext c, Cpu m, String className, String stated, int read, boolean trylock) {
    if (className == null || e.pid() < 0) return;
    LockType type = typeOf(className, stated);
    LockClass next = graph.lockClass(className, type);
    if (next == null) return;
    if (type.isRcu() && read != 0) read = 2;
    if (type == LockType.RWLOCK && read == 1 && (c.inHardirq() || c.inSoftirq())) read = 2;
    List<Held> locks = held.held(e.pid());
    int irqCtx = irqContext(c);
    int flags = e.flags();
    boolean irqsOff = ContextFlags.irqsOff(flags) || c.inHardirq();
    // A spinning lock's own preempt_disable() shows in its acquire event on a non-RT kernel (and a
    // raw one's on every kernel); spin_lock_irq*()'s own interrupt disabling shows as the step
    // from the previous event's flags, or as an irq_disable whose caller is that lock function.
    // A mutex's lock_acquire comes after __mutex_lock_common()'s own preempt_disable() on non-RT
    // kernels (kernel/locking/mutex.c); on PREEMPT_RT a mutex is an rt_mutex and takes none.
    boolean ownPreempt = type.isRaw() || (type.spinsOnNonRt() && !config.tracedRt())
        || (type == LockType.MUTEX && !config.tracedRt());
    boolean ownIrqsOff = ownPreempt && ContextFlags.irqsKnown(flags) && ContextFlags.irqsOff(flags) && !c.inHardirq()
        && lockDisabledIrqs(e, m);
    String acquireWhat = "acquires " + className + " (" + type.label() + (read == 0 ? "" : read == 2 ? ", recursive read" : ", read")
        + (trylock ? ", trylock" : "") + ")";

    // 1. might_sleep() of sleeping locks (called before lockdep in the lock functions).
    if (!trylock && type.sleeps(config.rt())) {
      boolean rtSpin = type.sleepsWhen() == LockType.Sleeps.ON_RT || type == LockType.SLEEPING_RT;
      Atomic a = atomic(e, c, m, locks, rtSpin, ownPreempt ? 1 : 0, ownIrqsOff);
      if (a != null) {
        String culprit = culprit(e, m);
        String message = (rtSpin ? "sleeping lock (" + type.label() + " on PREEMPT_RT) " : "sleeping lock ")
            + className + " taken " + a.reason();
        report(FindingKind.SLEEP_IN_ATOMIC,
            Finding.signature(FindingKind.SLEEP_IN_ATOMIC, culprit, List.of(className)), culprit,
            chain(e, c, m, className), List.of(className), describeContext(e, c, m, locks), message, a.remedy(),
            a.certainty(), contextEvidence(e, c, m, locks, acquireWhat), e);
      }
    }

    // 2. lockdep check_wait_context().
    if (!trylock) checkWaitContext(e, c, m, locks, next, type, irqCtx, acquireWhat);

    Evidence here = evidence(e, acquireWhat);
    boolean check = checked(type);
    // 3. mark_usage().
    boolean hardirq = c.inHardirq();
    boolean softirq = c.inSoftirq();
    if (check && !trylock) {
      if (hardirq) markUsage(e, c, m, next, read, read != 0 ? LockGraph.USED_IN_HARDIRQ_READ : LockGraph.USED_IN_HARDIRQ, here);
      if (softirq) markUsage(e, c, m, next, read, read != 0 ? LockGraph.USED_IN_SOFTIRQ_READ : LockGraph.USED_IN_SOFTIRQ, here);
    }
    // lockdep marks with the interrupt state at the acquisition (after spin_lock_irq() disabled them).
    if (check && ContextFlags.irqsKnown(flags) && !ContextFlags.irqsOff(flags) && !hardirq) {
      markUsage(e, c, m, next, read, read != 0 ? LockGraph.ENABLED_HARDIRQ_READ : LockGraph.ENABLED_HARDIRQ, here);
      if (softirqsEnabled(flags, c)) {
        markUsage(e, c, m, next, read, read != 0 ? LockGraph.ENABLED_SOFTIRQ_READ : LockGraph.ENABLED_SOFTIRQ, here);
      }
    }

    // 4. check_deadlock() and 5. check_prevs_add() — trylocks add no dependencies.
    if (check && !trylock) {
      for (int i = locks.size() - 1; i >= 0; i--) {
        Held h = locks.get(i);
        if (h.lockClass != next) continue;
        if (read == 2 && h.read != 0) continue; // recursive read on a read-held lock
        String culprit = culprit(e, m);
        report(FindingKind.RECURSIVE_LOCKING,
            Finding.signature(FindingKind.RECURSIVE_LOCKING, culprit, List.of(className)), culprit,
            chain(e, c, m, className), List.of(className), describeContext(e, c, m, locks),
            h.address != 0 && h.address == e.address() && read == 0 && h.read == 0
                ? "deadlock: " + className + " taken again by the same task while it holds that same lock (since "
                    + h.where + ")"
                : "possible recursive locking: " + className + " taken while already held (since " + h.where + ")",
            "take it once, or annotate a legitimate nesting of two instances with spin_lock_nested()/mutex_lock_nested()",
            Certainty.CERTAIN, contextEvidence(e, c, m, locks, acquireWhat), e);
        break;
      }
      for (int i = locks.size() - 1; i >= 0; i--) {
        Held prev = locks.get(i);
        if (prev.irqContext != irqCtx) break;
        if (!checked(prev.type)) continue; // not part of the dependency chain, and does not end it
        if (prev.lockClass != next) addDependency(e, c, m, locks, prev, next, read, acquireWhat);
        if (!prev.trylock) break;
      }
    }

    String site = stackCulprit(e);
    if (site == null && !locks.isEmpty()) site = locks.get(locks.size() - 1).site;
    held.push(e.pid(), new Held(next, type, e.address(), read, trylock, irqCtx, irqsOff, ownIrqsOff, where(e), e.line(),
        e.timestamp(),
        site));
  }

  /**
   * lockdep's {@code check} argument: the RCU read-side maps are acquired with check=0
   * (rcu_lock_acquire()), so they only take part in the wait-context check, not in usage,
   * recursion or dependency checks.
   */
  private static boolean checked(LockType t) {
    return t != LockType.RCU && t != LockType.RCU_BH && t != LockType.RCU_SCHED;
  }

  private static boolean softirqsEnabled(int flags, CpuContext c) {
    return !c.inSoftirq() && !c.inHardirq() && ContextFlags.bhKnown(flags) && !ContextFlags.bhOff(flags);
  }

  private void release(TraceEvent e, CpuContext c, Cpu m, String className) {
    if (className == null || e.pid() < 0) return;
    LockClass lc = graph.find(className);
    if (lc != null && held.release(e.pid(), lc, e.address()) != null) return;
    if (lc != null && held.recentlyReleased(e.pid(), lc)) {
      List<Held> locks = held.held(e.pid());
      String culprit = culprit(e, m);
      report(FindingKind.BAD_UNLOCK_BALANCE,
          Finding.signature(FindingKind.BAD_UNLOCK_BALANCE, culprit, List.of(className)), culprit,
          chain(e, c, m, className), List.of(className), describeContext(e, c, m, locks),
          "bad unlock balance: " + className + " released again, it is not held", "unlock only what this task locked, once",
          Certainty.CERTAIN, contextEvidence(e, c, m, locks, "releases " + className), e);
    }
    // else: taken before the trace began
  }

  private void enabledSincePrevious(TraceEvent e, CpuContext c, Cpu m) {
    int f = e.flags();
    int p = m.prevFlags;
    if (ContextFlags.irqsKnown(f) && ContextFlags.irqsKnown(p) && ContextFlags.irqsOff(p) && !ContextFlags.irqsOff(f)) {
      irqsEnabled(e, c);
    } else if (ContextFlags.bhKnown(f) && ContextFlags.bhKnown(p) && ContextFlags.bhOff(p) && !ContextFlags.bhOff(f)
        && ContextFlags.irqsKnown(f) && !ContextFlags.irqsOff(f) && softirqsEnabled(f, c)) {
      softirqsEnabledWithLocks(e, c);
    }
  }

  /** Bottom halves were turned on with interrupts on: held locks become softirq-enabled. */
  private void softirqsEnabledWithLocks(TraceEvent e, CpuContext c) {
    if (e.pid() < 0) return;
    List<Held> locks = held.held(e.pid());
    if (locks.isEmpty()) return;
    Evidence here = evidence(e, "bottom halves enabled while holding locks");
    Cpu m = cpu(c.cpu());
    for (Held h : new ArrayList<>(locks)) {
      if (h.irqContext != 0 || !checked(h.type)) continue;
      markUsage(e, c, m, h.lockClass, h.read, h.read != 0 ? LockGraph.ENABLED_SOFTIRQ_READ : LockGraph.ENABLED_SOFTIRQ, here);
    }
  }

  /** Interrupts were turned on: every held lock becomes hardirq-enabled (and softirq-enabled if BH is on). */
  private void irqsEnabled(TraceEvent e, CpuContext c) {
    if (e.pid() < 0 || c.inHardirq()) return;
    List<Held> locks = held.held(e.pid());
    if (locks.isEmpty()) return;
    Evidence here = evidence(e, "interrupts enabled while holding locks");
    Cpu m = cpu(c.cpu());
    for (Held h : new ArrayList<>(locks)) {
      if (!checked(h.type)) continue;
      markUsage(e, c, m, h.lockClass, h.read, h.read != 0 ? LockGraph.ENABLED_HARDIRQ_READ : LockGraph.ENABLED_HARDIRQ, here);
      if (softirqsEnabled(e.flags(), c)) {
        markUsage(e, c, m, h.lockClass, h.read, h.read != 0 ? LockGraph.ENABLED_SOFTIRQ_READ : LockGraph.ENABLED_SOFTIRQ, here);
      }
    }
  }

  private void checkWaitContext(TraceEvent e, CpuContext c, Cpu m, List<Held> locks, LockClass next, LockType type,
      int irqCtx, String acquireWhat) {
    boolean nesting = config.rawNesting();
    int nextInner = type.innerWait(nesting);
    if (nextInner == 0) return;
    int outer = type.outerWait(nesting);
    int depth = 0;
    while (depth < locks.size() && locks.get(depth).irqContext != irqCtx) depth++;
    int currInner = taskWaitContext(c, m, nesting, false);
    // An hrtimer whose mode neither the trace nor the catalog tells: invalid only if it is HARD.
    int ifHard = taskWaitContext(c, m, nesting, true);
    String context;
    if (c.inHardirq()) {
      int f = c.innermost(CpuContext.HARDIRQ);
      int cb = innermostCallback(m, c, f);
      context = "hardirq context (" + c.frameLabel(f) + (cb >= 0 ? ", " + describeCallback(m, cb) : "") + ")";
    } else {
      context = c.inSoftirq() ? c.frameLabel(c.innermost(CpuContext.SOFTIRQ)) + " context" : "task context";
    }
    String limiter = null;
    for (int i = depth; i < locks.size(); i++) {
      int inner = locks.get(i).type.innerWait(nesting);
      if (inner != 0 && inner < currInner) {
        currInner = inner;
        limiter = locks.get(i).lockClass.name() + " (" + locks.get(i).type.label() + ")";
      }
      if (inner != 0 && inner < ifHard) ifHard = inner;
    }
    if (outer <= ifHard) return;
    boolean onlyIfHard = outer <= currInner;
    if (onlyIfHard) currInner = ifHard;
    String culprit = culprit(e, m);
    List<String> lockNames = new ArrayList<>();
    for (int i = depth; i < locks.size(); i++) lockNames.add(locks.get(i).lockClass.name());
    lockNames.add(next.name());
    String why = limiter != null && !onlyIfHard ? "while holding " + limiter : "in " + context + " (wait type " + currInner + ")";
    String remedy;
    if (limiter != null && !onlyIfHard && limiter.endsWith("(raw_spinlock_t)")) {
      remedy = "make the outer lock a spinlock_t, or move the operation out of the raw_spinlock_t section";
    } else if (limiter != null && !onlyIfHard) {
      remedy = "take " + next.name() + " outside the section, or use a lock that may be taken there";
    } else if (c.inHardirq()) {
      remedy = hardirqRemedy(m, innermostCallback(m, c, c.innermost(CpuContext.HARDIRQ)));
      if (onlyIfHard) remedy += "; to settle it, give the callback's mode in a --catalog file (hrtimer_callbacks)";
    } else {
      remedy = DEFER_TO_PROCESS;
    }
    String message = "invalid wait context" + (onlyIfHard ? " if the timer is HRTIMER_MODE_HARD" : "") + ": " + next.name()
        + " (" + type.label() + ", wait type " + outer + ") taken " + why + " (context {" + currInner + ":" + currInner + "})"
        + (onlyIfHard ? "; hrtimer mode unknown: neither the trace nor the catalog shows it" : "");
    report(FindingKind.INVALID_WAIT_CONTEXT,
        Finding.signature(FindingKind.INVALID_WAIT_CONTEXT, culprit, lockNames), culprit,
        chain(e, c, m, next.name()), lockNames, describeContext(e, c, m, locks), message,
        remedy, onlyIfHard ? Certainty.POSSIBLE : Certainty.CERTAIN, contextEvidence(e, c, m, locks, acquireWhat), e);
  }

  /**
   * lockdep's task_wait_context(): what the current context allows. lockdep_hrtimer_enter() gives
   * non-HARD hrtimers the threaded wait type; {@code unknownIsHard} decides for a timer whose mode
   * is not known.
   */
  private int taskWaitContext(CpuContext c, Cpu m, boolean nesting, boolean unknownIsHard) {
    if (c.inHardirq()) {
      int f = c.innermost(CpuContext.HARDIRQ);
      int cb = innermostCallback(m, c, f);
      boolean hard = cb >= 0 && m.cbKind[cb] == HRTIMER
          && (m.cbClass[cb] == CLASS_HARD || (unknownIsHard && m.cbClass[cb] == 0));
      boolean irqConfig = cb >= 0 && ((m.cbKind[cb] == HRTIMER && !hard)
          || (m.cbKind[cb] == IRQ_WORK && m.cbClass[cb] != 1));
      boolean threaded = cb < 0 && c.frameThreadable(f) != 0;
      return LockType.value(threaded || irqConfig ? LockType.Wait.CONFIG : LockType.Wait.SPIN, nesting);
    }
    if (c.inSoftirq()) return LockType.value(LockType.Wait.CONFIG, nesting);
    return LockType.value(LockType.Wait.MAX, nesting);
  }

  // ---- lockdep's graph checks

  private void markUsage(TraceEvent e, CpuContext c, Cpu m, LockClass lc, int read, int bit, Evidence here) {
    if (!graph.setUsage(lc, bit, here)) return;
    int excl = LockGraph.exclusiveBit(bit);
    int usage = lc.usage();
    int conflict = -1;
    if ((usage & (1 << excl)) != 0) conflict = excl;
    else if ((bit & 1) == 0 && (usage & (1 << (excl | 1))) != 0) conflict = excl | 1;
    List<Held> locks = held.held(e.pid());
    if (conflict >= 0) {
      String culprit = culprit(e, m);
      String transition = "{" + LockGraph.usageName(conflict) + "} -> {" + LockGraph.usageName(bit) + "}";
      Evidence before = lc.usageEvidence(conflict);
      List<Evidence> ev = contextEvidence(e, c, m, locks, here.what());
      if (before != null) ev.add(1, new Evidence(before.source(), before.line(), before.timestamp(), before.cpu(),
          before.task(), LockGraph.usageName(conflict) + " usage registered: " + before.what()));
      report(FindingKind.INCONSISTENT_LOCK_STATE,
          Finding.signature(FindingKind.INCONSISTENT_LOCK_STATE, culprit, List.of(lc.name(), transition)), culprit,
          chain(e, c, m, lc.name()), List.of(lc.name()), describeContext(e, c, m, locks),
          "inconsistent lock state: " + transition + " usage of " + lc.name(),
          irqUsageRemedy(lc, c, m),
          Certainty.CERTAIN, ev, e);
      return;
    }
    // Through the dependency graph (mark_lock_irq(): check_usage_forwards/backwards).
    boolean enabled = (bit & 2) != 0;
    int mask = (1 << excl) | (1 << (excl | 1));
    LockGraph.Path p = enabled ? graph.findUsageBackward(lc, read, mask) : graph.findUsageForward(lc, read, mask);
    if (p == null || p.target() == lc) return;
    LockClass other = p.target();
    String state = LockGraph.stateName(excl);
    String culprit = culprit(e, m);
    String irq = state.replace("-READ", "").toLowerCase(java.util.Locale.ROOT);
    String message = enabled
        ? "irq lock inversion: " + lc.name() + " became " + irq + "-unsafe, but " + other.name() + ", a " + irq
            + "-safe lock, took it in the past"
        : "irq lock inversion: " + lc.name() + " became " + irq + "-safe, but it took " + other.name() + ", a " + irq
            + "-unsafe lock, in the past";
    List<String> names = enabled ? List.of(other.name(), lc.name()) : List.of(lc.name(), other.name());
    List<Evidence> ev = contextEvidence(e, c, m, locks, here.what());
    for (LockGraph.Edge edge : p.edges()) ev.add(edge.evidence());
    report(FindingKind.IRQ_LOCK_INVERSION,
        Finding.signature(FindingKind.IRQ_LOCK_INVERSION, culprit, names), culprit, chain(e, c, m, lc.name()), names,
        describeContext(e, c, m, locks), message,
        "disable the interrupt while holding the lock where it is taken with interrupts enabled, or stop taking it in the interrupt",
        Certainty.CERTAIN, ev, e);
  }

  /** A lock that sleeps under the rules cannot be made irq-safe: the interrupt-side use must go. */
  private String irqUsageRemedy(LockClass lc, CpuContext c, Cpu m) {
    if (config.rt() && lc.type().sleeps(true) && c.inHardirq()) {
      return hardirqRemedy(m, innermostCallback(m, c, c.innermost(CpuContext.HARDIRQ)));
    }
    return "take " + lc.name() + " with the interrupt disabled everywhere (spin_lock_irqsave / spin_lock_bh), or not in the interrupt";
  }

  private void addDependency(TraceEvent e, CpuContext c, Cpu m, List<Held> locks, Held prev, LockClass next,
      int read, String acquireWhat) {
    LockGraph.Edge existing = graph.edge(prev.lockClass, next);
    int dep = LockGraph.forwardDep(prev.read, read);
    if (existing != null && (existing.dep() & dep) != 0) return; // known dependency: checked when first seen
    // check_noncircular()
    LockGraph.Path cycle = graph.findCycle(prev.lockClass, prev.read, next, read);
    Evidence here = evidence(e, next.name() + " taken while holding " + prev.lockClass.name() + " (held since " + prev.where + ")");
    if (cycle != null) {
      reportCycle(e, c, m, locks, prev.lockClass, next, cycle, here, acquireWhat);
    } else {
      checkIrqUsage(e, c, m, locks, prev, next, read, acquireWhat);
    }
    graph.addEdge(prev.lockClass, next, prev.read, read, here);
  }

  private void reportCycle(TraceEvent e, CpuContext c, Cpu m, List<Held> locks, LockClass prev, LockClass next,
      LockGraph.Path cycle, Evidence here, String acquireWhat) {
    List<String> ring = new ArrayList<>();
    ring.add(prev.name());
    ring.add(next.name());
    for (LockGraph.Edge edge : cycle.edges()) {
      if (edge.next() != prev) ring.add(edge.next().name());
    }
    String culprit = culprit(e, m);
    List<Evidence> ev = new ArrayList<>();
    ev.add(here);
    for (LockGraph.Edge edge : cycle.edges()) ev.add(edge.evidence());
    List<Evidence> context = contextEvidence(e, c, m, locks, acquireWhat);
    ev.addAll(context.subList(1, context.size()));
    result.findings().report(cycleFinding(ring, culprit, chain(e, c, m, next.name()), describeContext(e, c, m, locks), ev,
        source, e.timestamp(), config.label()), source);
  }

  /** A circular-dependency finding for a ring of classes (held → taken → … → held). */
  static Finding cycleFinding(List<String> ring, String culprit, List<String> chain, String context, List<Evidence> ev,
      String source, long timestamp, String rules) {
    StringBuilder path = new StringBuilder();
    for (String r : ring) path.append(r).append(" -> ");
    path.append(ring.get(0));
    // The signature names the cycle, not where it happened to close: rotate to the smallest name.
    int start = 0;
    for (int i = 1; i < ring.size(); i++) if (ring.get(i).compareTo(ring.get(start)) < 0) start = i;
    List<String> canonical = new ArrayList<>();
    for (int i = 0; i < ring.size(); i++) canonical.add(ring.get((start + i) % ring.size()));
    String signature = FindingKind.CIRCULAR_DEPENDENCY.label() + ":" + String.join("->", canonical);
    String kind = ring.size() == 2 ? "ABBA" : ring.size() == 3 ? "ABC" : ring.size() + "-lock";
    return new Finding(FindingKind.CIRCULAR_DEPENDENCY, signature, culprit, chain, ring, context,
        "possible circular locking dependency (" + kind + "): " + path,
        "take the locks in one order everywhere, or defer the inner operation (irq_work / workqueue) so it runs without the outer lock",
        Certainty.CERTAIN, rules, ev, source, timestamp);
  }

  /** check_irq_usage(): the new dependency must not connect an irq-safe lock to an irq-unsafe one. */
  private void checkIrqUsage(TraceEvent e, CpuContext c, Cpu m, List<Held> locks, Held prev, LockClass next, int read,
      String acquireWhat) {
    int usage = graph.accumulateBackward(prev.lockClass, prev.read) & LockGraph.USED_IN_ALL;
    if (usage == 0) return;
    int forwardMask = LockGraph.exclusiveMask(usage);
    LockGraph.Path unsafe = graph.findUsageForward(next, read, forwardMask);
    if (unsafe == null) return;
    int backwardMask = LockGraph.originalMask(unsafe.target().usage() & LockGraph.ENABLED_ALL);
    LockGraph.Path safe = graph.findUsageBackward(prev.lockClass, prev.read, backwardMask);
    if (safe == null) return;
    int[] bits = LockGraph.exclusiveMatch(safe.target().usage(), unsafe.target().usage());
    if (bits == null) return;
    String state = LockGraph.stateName(bits[0]);
    LockClass safeClass = safe.target();
    LockClass unsafeClass = unsafe.target();
    String culprit = culprit(e, m);
    List<String> names = new ArrayList<>();
    names.add(safeClass.name());
    if (prev.lockClass != safeClass) names.add(prev.lockClass.name());
    if (next != unsafeClass) names.add(next.name());
    names.add(unsafeClass.name());
    List<Evidence> ev = new ArrayList<>();
    ev.add(evidence(e, acquireWhat + " while holding " + prev.lockClass.name()));
    Evidence became = safeClass.usageEvidence(bits[0]);
    if (became != null) ev.add(new Evidence(became.source(), became.line(), became.timestamp(), became.cpu(), became.task(),
        safeClass.name() + " became " + state + "-irq-safe: " + became.what()));
    Evidence unsafeAt = unsafeClass.usageEvidence(bits[1]);
    if (unsafeAt != null) ev.add(new Evidence(unsafeAt.source(), unsafeAt.line(), unsafeAt.timestamp(), unsafeAt.cpu(),
        unsafeAt.task(), unsafeClass.name() + " became " + state + "-irq-unsafe: " + unsafeAt.what()));
    for (LockGraph.Edge edge : safe.edges()) ev.add(edge.evidence());
    for (LockGraph.Edge edge : unsafe.edges()) ev.add(edge.evidence());
    report(FindingKind.IRQ_SAFE_TO_UNSAFE,
        Finding.signature(FindingKind.IRQ_SAFE_TO_UNSAFE, culprit, names), culprit, chain(e, c, m, next.name()), names,
        describeContext(e, c, m, locks),
        state + "-safe -> " + state + "-unsafe lock order: " + String.join(" -> ", names) + " ("
            + LockGraph.usageName(bits[0]) + " -> " + LockGraph.usageName(bits[1]) + ")",
        "disable the interrupt while holding " + unsafeClass.name() + " (spin_lock_irqsave / spin_lock_bh), or stop taking "
            + safeClass.name() + " in the interrupt",
        Certainty.CERTAIN, ev, e);
  }

  // ---- sleeping and allocating

  /** A sleeping-lock function seen in a stack or by the function tracer (no lockdep class known). */
  private void sleepingLockTaken(TraceEvent e, CpuContext c, Cpu m, String fn, LockType type, String lockName) {
    boolean rtSpin = type == LockType.SLEEPING_RT || type.sleepsWhen() == LockType.Sleeps.ON_RT;
    List<Held> locks = held.held(e.pid());
    Atomic a = atomic(e, c, m, locks, rtSpin, 0, false);
    if (a == null) return;
    reportAtomic(FindingKind.SLEEP_IN_ATOMIC, e, c, m, locks, a, fn, fn, "sleeping lock (" + fn + ") taken " + a.reason(),
        a.remedy(), fn + "() " + lockName);
  }

  /**
   * Reports {@code kind} about {@code op} (in the signature) where {@code a} says it cannot
   * sleep: culprit, chain ending in {@code chainEnd}, context and evidence as every such finding.
   */
  private void reportAtomic(FindingKind kind, TraceEvent e, CpuContext c, Cpu m, List<Held> locks, Atomic a, String op,
      String chainEnd, String message, String remedy, String evidence) {
    String culprit = culprit(e, m);
    report(kind, Finding.signature(kind, culprit, List.of(op)), culprit, chain(e, c, m, chainEnd), List.of(),
        describeContext(e, c, m, locks), message, remedy, a.certainty(), contextEvidence(e, c, m, locks, evidence), e);
  }

  private void allocator(TraceEvent e, CpuContext c, Cpu m) {
    boolean free = e.kind() == EventKind.KFREE || e.kind() == EventKind.KMEM_CACHE_FREE || e.kind() == EventKind.MM_PAGE_FREE;
    if (free && e.address() == 0 && e.kind() != EventKind.MM_PAGE_FREE) return; // kfree(NULL) does nothing
    String op = e.kind() == EventKind.FUNCTION ? e.function() : e.name();
    if (config.rt()) {
      if (config.whatIf() && deferredOnRt(e)) return;
      String what = op + (e.text() != null && e.kind() == EventKind.KMEM_CACHE_FREE ? " (" + e.text() + ")" : "");
      rtAllocation(e, c, m, op, op, what, e.name() + ": " + bodyOf(e));
    } else if (!free && blocking(e.text())) {
      List<Held> locks = held.held(e.pid());
      Atomic a = atomic(e, c, m, locks, false, 0, false);
      if (a == null) return;
      reportAtomic(FindingKind.SLEEP_IN_ATOMIC, e, c, m, locks, a, op, op, op + "(" + e.text() + ") may sleep, called "
          + a.reason(), "use GFP_ATOMIC / GFP_NOWAIT here, or allocate before entering the atomic section",
          e.name() + ": " + bodyOf(e));
    }
  }

  /**
   * An allocator entry ({@code op}) where it cannot sleep on PREEMPT_RT, whether its tracepoint or
   * its lock ({@code innermost}, the chain's last step) shows it.
   */
  private void rtAllocation(TraceEvent e, CpuContext c, Cpu m, String op, String innermost, String what, String evidence) {
    List<Held> locks = held.held(e.pid());
    Atomic a = atomic(e, c, m, locks, true, 0, false);
    if (a == null) return;
    reportAtomic(FindingKind.RT_ALLOC_IN_ATOMIC, e, c, m, locks, a, op, innermost,
        what + " takes sleeping locks on PREEMPT_RT, called " + a.reason(), a.remedy(), evidence);
  }

  /** Whether the gfp flags allow direct reclaim (gfpflags_allow_blocking()), by name. */
  static boolean blocking(String gfp) {
    if (gfp == null) return false;
    for (String f : gfp.split("\\|")) {
      switch (f) {
        case "GFP_KERNEL": case "GFP_KERNEL_ACCOUNT": case "GFP_NOFS": case "GFP_NOIO": case "GFP_USER":
        case "GFP_HIGHUSER": case "GFP_HIGHUSER_MOVABLE": case "GFP_TRANSHUGE": case "__GFP_RECLAIM":
        case "__GFP_DIRECT_RECLAIM":
          return true;
        default:
          break;
      }
    }
    return false;
  }

  /**
   * contention_begin of a sleeping lock (MUTEX or RT flag): the task is about to sleep. The lock
   * code traces it under its own wait_lock: what that disabled (the catalog says) is not the caller's.
   */
  private void contention(TraceEvent e, CpuContext c, Cpu m) {
    int flags = e.mode();
    if (flags < 0) return;
    boolean mutex = (flags & LCB_F_MUTEX) != 0;
    boolean rtmutex = (flags & LCB_F_RT) != 0;
    boolean spin = (flags & LCB_F_SPIN) != 0;
    if (!(mutex || rtmutex) || spin) return;
    List<Held> locks = held.held(e.pid());
    Catalog.ContentionEntry own = catalog.contentionBegin(rtmutex ? "RT" : "MUTEX");
    Atomic a = atomic(e, c, m, locks, rtmutex && config.tracedRt(), own == null ? 0 : own.preempt(),
        own != null && own.irqsOff());
    if (a == null) return;
    String what = mutex ? "mutex" : "rt_mutex-based lock";
    reportAtomic(FindingKind.SLEEP_IN_ATOMIC, e, c, m, locks, a, what, "contention_begin",
        "waits for a contended " + what + " (it sleeps) " + a.reason(), a.remedy(), e.name() + ": " + bodyOf(e));
  }

  /** contention_begin's LCB_F_* bits, by their place in the catalog's list. */
  private static final int LCB_F_SPIN = contentionFlag("SPIN");
  private static final int LCB_F_RT = contentionFlag("RT");
  private static final int LCB_F_MUTEX = contentionFlag("MUTEX");

  private static int contentionFlag(String name) {
    return 1 << Catalog.CONTENTION_FLAGS.indexOf(name);
  }

  // ---- scheduling while atomic

  /**
   * sched_switch is traced with the runqueue lock held and preemption disabled by __schedule(),
   * so its preempt depth has a baseline (2 on current kernels); a switch away from a sleeping task
   * at a higher depth is scheduling while atomic. The baseline is the most common depth of the
   * first switches.
   */
  private void schedSwitch(TraceEvent e, CpuContext c) {
    if (!ContextFlags.preemptKnown(e.flags()) || e.prevState() <= 0) return;
    int depth = ContextFlags.preemptDepth(e.flags());
    if (schedBaseline < 0) {
      schedDepths[depth]++;
      schedPending.add(new TraceEvent().copyFrom(e));
      if (++schedSeen < 8) return;
      int best = 0;
      for (int d = 1; d < schedDepths.length; d++) if (schedDepths[d] > schedDepths[best]) best = d;
      schedBaseline = best;
      for (TraceEvent p : schedPending) checkSwitch(p, c, ContextFlags.preemptDepth(p.flags()));
      schedPending.clear();
      return;
    }
    checkSwitch(e, c, depth);
  }

  private void checkSwitch(TraceEvent e, CpuContext c, int depth) {
    if (depth <= schedBaseline) return;
    Cpu m = cpu(c.cpu());
    List<Held> locks = held.held(e.prevPid());
    String culprit = e.stack().depth() > 0 ? culprit(e, m) : e.prevComm();
    int excess = depth - schedBaseline;
    report(FindingKind.SCHEDULE_WHILE_ATOMIC,
        Finding.signature(FindingKind.SCHEDULE_WHILE_ATOMIC, culprit, List.of()), culprit, chain(e, c, m, "schedule"),
        List.of(), describeContext(e, c, m, locks),
        "scheduling while atomic: " + e.prevComm() + "/" + e.prevPid() + " sleeps with preemption disabled " + excess
            + " more time" + (excess == 1 ? "" : "s") + " than __schedule() itself (preempt_count " + depth + ", usual "
            + schedBaseline + ")",
        "release the spinning lock / re-enable preemption before sleeping", Certainty.CERTAIN,
        contextEvidence(e, c, m, locks, "switches away from " + e.prevComm() + " (state " + e.prevState() + ")"), e);
  }

  /** Flushes what waits for more data (switches before the depth baseline was known). */
  void finish() {
    if (schedBaseline < 0 && !schedPending.isEmpty()) {
      int best = 0;
      for (int d = 1; d < schedDepths.length; d++) if (schedDepths[d] > schedDepths[best]) best = d;
      schedBaseline = best;
      for (TraceEvent p : schedPending) {
        CpuContext c = contexts.cpu(p.cpu());
        if (c != null) checkSwitch(p, c, ContextFlags.preemptDepth(p.flags()));
      }
      schedPending.clear();
    }
    result.summary().addHeldLockResets(heldResets + held.overflows());
  }
}
