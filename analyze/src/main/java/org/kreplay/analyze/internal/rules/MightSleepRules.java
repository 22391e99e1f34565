package org.kreplay.analyze.internal.rules;

import java.util.EnumSet;
import java.util.List;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.LockType;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * might_sleep() where the trace shows code that sleeps without lockdep's help: a sleeping-lock
 * function in a stack or under the function tracer, an allocation that may block (non-RT) or that
 * takes sleeping locks (PREEMPT_RT), and a task waiting on a contended mutex or rt_mutex — each
 * judged by the atomic-context view of where it happened.
 */
final class MightSleepRules {
  private static final EnumSet<EventKind> ALLOCATOR_EVENTS = EnumSet.of(EventKind.KMALLOC, EventKind.KMEM_CACHE_ALLOC,
      EventKind.KFREE, EventKind.KMEM_CACHE_FREE, EventKind.MM_PAGE_ALLOC, EventKind.MM_PAGE_FREE);

  private final ModelState s;
  private final Catalog catalog;
  private final Reporter reporter;
  private final AtomicContext atomic;
  private final RunningCallbacks callbacks;

  MightSleepRules(ModelState state, Reporter reporter, AtomicContext atomic, RunningCallbacks callbacks) {
    this.s = state;
    this.catalog = state.catalog;
    this.reporter = reporter;
    this.atomic = atomic;
    this.callbacks = callbacks;
  }

  void register(Dispatch d) {
    d.onCpu(EventKind.FUNCTION, this::function);
    d.onCpu(ALLOCATOR_EVENTS, (e, c) -> allocator(e, c, s.cpu(c.cpu())));
    d.onCpu(EventKind.CONTENTION_BEGIN, this::contention);
  }

  /** Before every event: a stack through a sleeping-lock function (without lockdep's events, or a probe's own stack). */
  void beforeEvent(TraceEvent e, CpuContext c, ModelState.Cpu m) {
    // With lockdep's events the acquisitions speak for themselves; a probe's own stack (a stack
    // event of its own) is still a call of the probed lock function, whatever lockdep traced.
    if ((!s.lockEventsSeen || e.kind() == EventKind.KERNEL_STACK) && e.stack().depth() > 0
        && e.kind() != EventKind.CONTENTION_BEGIN && e.kind() != EventKind.SCHED_SWITCH) {
      lockInStack(e, c, m);
    }
  }

  /** A function-tracer entry of a lock or allocator function (irq_work callbacks are RunningCallbacks'). */
  private void function(TraceEvent e, CpuContext c) {
    String fn = e.function();
    if (fn == null || callbacks.isIrqWorkCallback(e)) return;
    CatalogTypes.FunctionEntry f = catalog.function(fn);
    if (f == null) return;
    ModelState.Cpu m = s.cpu(c.cpu());
    switch (f.effect()) {
      case LOCK:
        LockType t = f.lockType();
        if (t != null && t.sleeps(s.config.rt())) sleepingLockTaken(e, c, m, fn, t, "(lock taken by " + fn + ")");
        break;
      case ALLOC:
      case FREE:
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
  private void lockInStack(TraceEvent e, CpuContext c, ModelState.Cpu m) {
    for (int i = 0; i < e.stack().depth(); i++) {
      String frame = e.stack().frame(i);
      if (catalog.skipReason(frame) == CatalogTypes.SkipReason.SCHEDULER) return;
      CatalogTypes.FunctionEntry f = catalog.function(frame);
      if (f == null || f.effect() != CatalogTypes.Effect.LOCK) continue;
      LockType t = f.lockType();
      if (t == null || !t.sleeps(s.config.rt())) return;
      // The allocator's own lock (kmem_cache_free -> rt_spin_lock): the allocation's problem, one finding with it.
      String allocator = null;
      for (int j = i + 1; j < e.stack().depth() && catalog.skipReason(e.stack().frame(j)) == CatalogTypes.SkipReason.ALLOCATOR; j++) {
        allocator = Catalog.stripSuffix(e.stack().frame(j));
      }
      if (allocator != null && s.config.rt()) {
        rtAllocation(e, c, m, allocator, Catalog.stripSuffix(frame), allocator,
            frame + "() taken in " + allocator + "() (the event's stack)");
      } else {
        sleepingLockTaken(e, c, m, Catalog.stripSuffix(frame), t, "(" + frame + " in the event's stack)");
      }
      return;
    }
  }

  /** A sleeping-lock function seen in a stack or by the function tracer (no lockdep class known). */
  private void sleepingLockTaken(TraceEvent e, CpuContext c, ModelState.Cpu m, String fn, LockType type, String lockName) {
    boolean rtSpin = type == LockType.SLEEPING_RT || type.sleepsWhen() == LockType.Sleeps.ON_RT;
    List<Held> locks = s.held.held(e.pid());
    Atomic a = atomic.atomic(e, c, m, locks, rtSpin, 0, false);
    if (a == null) return;
    reporter.reportAtomic(FindingKind.SLEEP_IN_ATOMIC, e, c, m, locks, a, fn, fn,
        "sleeping lock (" + fn + ") taken " + a.reason(), a.remedy(), fn + "() " + lockName);
  }

  private void allocator(TraceEvent e, CpuContext c, ModelState.Cpu m) {
    boolean free = e.kind() == EventKind.KFREE || e.kind() == EventKind.KMEM_CACHE_FREE || e.kind() == EventKind.MM_PAGE_FREE;
    if (free && e.address() == 0 && e.kind() != EventKind.MM_PAGE_FREE) return; // kfree(NULL) does nothing
    String op = e.kind() == EventKind.FUNCTION ? e.function() : e.name();
    if (s.config.rt()) {
      if (s.config.whatIf() && deferredOnRt(e)) return;
      String what = op + (e.cacheName() != null && e.kind() == EventKind.KMEM_CACHE_FREE ? " (" + e.cacheName() + ")" : "");
      rtAllocation(e, c, m, op, op, what, e.name() + ": " + Reporter.bodyOf(e));
    } else if (!free && catalog.gfpAllowsBlocking(e.gfpFlags())) {
      List<Held> locks = s.held.held(e.pid());
      Atomic a = atomic.atomic(e, c, m, locks, false, 0, false);
      if (a == null) return;
      reporter.reportAtomic(FindingKind.SLEEP_IN_ATOMIC, e, c, m, locks, a, op, op, op + "(" + e.gfpFlags() + ") may sleep, called "
          + a.reason(), "use GFP_ATOMIC / GFP_NOWAIT here, or allocate before entering the atomic section",
          e.name() + ": " + Reporter.bodyOf(e));
    }
  }

  /**
   * An allocator entry ({@code op}) where it cannot sleep on PREEMPT_RT, whether its tracepoint or
   * its lock ({@code innermost}, the chain's last step) shows it.
   */
  private void rtAllocation(TraceEvent e, CpuContext c, ModelState.Cpu m, String op, String innermost, String what,
      String evidence) {
    List<Held> locks = s.held.held(e.pid());
    Atomic a = atomic.atomic(e, c, m, locks, true, 0, false);
    if (a == null) return;
    reporter.reportAtomic(FindingKind.RT_ALLOC_IN_ATOMIC, e, c, m, locks, a, op, innermost,
        what + " takes sleeping locks on PREEMPT_RT, called " + a.reason(), a.remedy(), evidence);
  }

  /**
   * contention_begin of a sleeping lock (MUTEX or RT flag): the task is about to sleep. The lock
   * code traces it under its own wait_lock: what that disabled (the catalog says) is not the caller's.
   */
  private void contention(TraceEvent e, CpuContext c) {
    int flags = e.contentionFlags();
    if (flags < 0) return;
    boolean mutex = CatalogTypes.ContentionFlag.MUTEX.isSet(flags);
    boolean rtmutex = CatalogTypes.ContentionFlag.RT.isSet(flags);
    boolean spin = CatalogTypes.ContentionFlag.SPIN.isSet(flags);
    if (!(mutex || rtmutex) || spin) return;
    ModelState.Cpu m = s.cpu(c.cpu());
    List<Held> locks = s.held.held(e.pid());
    CatalogTypes.ContentionEntry own = catalog.contentionBegin(rtmutex ? CatalogTypes.ContentionFlag.RT : CatalogTypes.ContentionFlag.MUTEX);
    Atomic a = atomic.atomic(e, c, m, locks, rtmutex && s.config.tracedRt(), own == null ? 0 : own.preempt(),
        own != null && own.irqsOff());
    if (a == null) return;
    String what = mutex ? "mutex" : "rt_mutex-based lock";
    reporter.reportAtomic(FindingKind.SLEEP_IN_ATOMIC, e, c, m, locks, a, what, "contention_begin",
        "waits for a contended " + what + " (it sleeps) " + a.reason(), a.remedy(), e.name() + ": " + Reporter.bodyOf(e));
  }

  /**
   * The non-RT trace shows a free done in place that a PREEMPT_RT kernel defers itself (catalog
   * effect rt_defers, e.g. mmdrop_sched() in finish_task_switch()).
   */
  private boolean deferredOnRt(TraceEvent e) {
    for (int i = 0; i < e.stack().depth(); i++) {
      CatalogTypes.FunctionEntry f = catalog.function(e.stack().frame(i));
      if (f != null && f.effect() == CatalogTypes.Effect.RT_DEFERS) return true;
    }
    CatalogTypes.FunctionEntry f = catalog.function(e.function());
    return f != null && f.effect() == CatalogTypes.Effect.RT_DEFERS;
  }
}
