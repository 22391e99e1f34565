package org.kreplay.analyze.internal.rules;

import java.util.EnumSet;
import java.util.List;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.LockType;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.analyze.internal.rules.LockGraph.LockClass;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * lockdep's checks on each lock_acquire, in the order lock functions and __lock_acquire() make
 * them: might_sleep() of a sleeping lock, check_wait_context(), mark_usage(), check_deadlock()
 * (recursive locking) and check_prevs_add() (new dependencies); and on lock_release, a release of
 * a lock the task does not hold that it released lately (bad unlock balance). Held locks are
 * kept per task; those an interrupt took are dropped when its handler returns.
 */
final class LockRules {
  private final ModelState s;
  private final Reporter reporter;
  private final AtomicContext atomic;
  private final IrqState irqState;
  private final WaitContextRule waitContext;
  private final IrqUsageRule irqUsage;
  private final LockOrderRule lockOrder;

  LockRules(ModelState state, Reporter reporter, AtomicContext atomic, IrqState irqState, WaitContextRule waitContext,
      IrqUsageRule irqUsage, LockOrderRule lockOrder) {
    this.s = state;
    this.reporter = reporter;
    this.atomic = atomic;
    this.irqState = irqState;
    this.waitContext = waitContext;
    this.irqUsage = irqUsage;
    this.lockOrder = lockOrder;
  }

  void register(Dispatch d) {
    d.onCpu(EventKind.LOCK_ACQUIRE, (e, c) -> {
      s.lockEventsSeen = true;
      ModelState.Cpu m = s.cpu(c.cpu());
      acquire(e, c, m, e.lockClass(), e.lockType(), e.lockRead(), e.lockTry());
      m.lockIrqOffPending = false;
    });
    d.onCpu(EventKind.LOCK_RELEASE, (e, c) -> {
      s.lockEventsSeen = true;
      release(e, c, s.cpu(c.cpu()), e.lockClass());
    });
    // An interrupt's handler returned: what it took is no longer held by the interrupted task.
    d.onCpu(EnumSet.of(EventKind.IRQ_HANDLER_EXIT, EventKind.VECTOR_EXIT, EventKind.IRQ_WORK_EXIT),
        (e, c) -> s.held.dropIrqContext(e.pid(), 2));
    d.onCpu(EventKind.SOFTIRQ_EXIT, (e, c) -> s.held.dropIrqContext(e.pid(), 1));
  }

  private LockType typeOf(String className, String stated) {
    LockType t = LockType.parse(stated);
    if (t != null) return t;
    t = s.catalog.lockType(className);
    return t != null ? t : LockType.UNKNOWN;
  }

  /** 2 hardirq (3 if inside softirq), 1 softirq, 0 task: lockdep's task_irq_context(). */
  static int irqContext(CpuContext c) {
    return (c.inHardirq() ? 2 : 0) + (c.inSoftirq() ? 1 : 0);
  }

  /**
   * lockdep's {@code check} argument: the RCU read-side maps are acquired with check=0
   * (rcu_lock_acquire()), so they only take part in the wait-context check, not in usage,
   * recursion or dependency checks.
   */
  static boolean checked(LockType t) {
    return t != LockType.RCU && t != LockType.RCU_BH && t != LockType.RCU_SCHED;
  }

  void acquire(TraceEvent e, CpuContext c, ModelState.Cpu m, String className, String stated, int read,
      boolean trylock) {
    if (className == null || e.pid() < 0) return;
    LockType type = typeOf(className, stated);
    LockClass next = s.graph.lockClass(className, type);
    if (next == null) return;
    if (type.isRcu() && read != 0) read = 2;
    if (type == LockType.RWLOCK && read == 1 && (c.inHardirq() || c.inSoftirq())) read = 2;
    List<Held> locks = s.held.held(e.pid());
    int irqCtx = irqContext(c);
    int flags = e.flags();
    boolean irqsOff = ContextFlags.irqsOff(flags) || c.inHardirq();
    // A spinning lock's own preempt_disable() shows in its acquire event on a non-RT kernel (and a
    // raw one's on every kernel); spin_lock_irq*()'s own interrupt disabling shows as the step
    // from the previous event's flags, or as an irq_disable whose caller is that lock function.
    // A mutex's lock_acquire comes after __mutex_lock_common()'s own preempt_disable() on non-RT
    // kernels (kernel/locking/mutex.c); on PREEMPT_RT a mutex is an rt_mutex and takes none.
    boolean ownPreempt = type.disablesPreemptionWhenTaken(s.config.tracedRt());
    boolean ownIrqsOff = ownPreempt && ContextFlags.irqsKnown(flags) && ContextFlags.irqsOff(flags) && !c.inHardirq()
        && irqState.lockDisabledIrqs(e, m);
    String acquireWhat = "acquires " + className + " (" + type.label() + (read == 0 ? "" : read == 2 ? ", recursive read" : ", read")
        + (trylock ? ", trylock" : "") + ")";

    // 1. might_sleep() of sleeping locks (called before lockdep in the lock functions).
    if (!trylock && type.sleeps(s.config.rt())) mightSleep(e, c, m, locks, className, type, ownPreempt, ownIrqsOff, acquireWhat);
    // 2. lockdep check_wait_context().
    if (!trylock) waitContext.check(e, c, m, locks, next, type, irqCtx, acquireWhat);
    // 3. mark_usage().
    boolean check = checked(type);
    if (check) irqUsage.markAcquire(e, c, m, next, read, trylock, reporter.evidence(e, acquireWhat));
    // 4. check_deadlock() and 5. check_prevs_add() — trylocks add no dependencies.
    if (check && !trylock) {
      recursion(e, c, m, locks, next, className, read, acquireWhat);
      for (int i = locks.size() - 1; i >= 0; i--) {
        Held prev = locks.get(i);
        if (prev.irqContext != irqCtx) break;
        if (!checked(prev.type)) continue; // not part of the dependency chain, and does not end it
        if (prev.lockClass != next) lockOrder.addDependency(e, c, m, locks, prev, next, read, acquireWhat);
        if (!prev.trylock) break;
      }
    }

    String site = reporter.stackCulprit(e);
    if (site == null && !locks.isEmpty()) site = locks.get(locks.size() - 1).site;
    s.held.push(e.pid(), new Held(next, type, e.address(), read, trylock, irqCtx, irqsOff, ownIrqsOff, reporter.where(e),
        e.line(), e.timestamp(), site));
  }

  private void mightSleep(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, String className,
      LockType type, boolean ownPreempt, boolean ownIrqsOff, String acquireWhat) {
    boolean rtSpin = type.sleepsWhen() == LockType.Sleeps.ON_RT || type == LockType.SLEEPING_RT;
    Atomic a = atomic.atomic(e, c, m, locks, rtSpin, ownPreempt ? 1 : 0, ownIrqsOff);
    if (a == null) return;
    String culprit = reporter.culprit(e, m);
    String message = (rtSpin ? "sleeping lock (" + type.label() + " on PREEMPT_RT) " : "sleeping lock ")
        + className + " taken " + a.reason();
    reporter.report(FindingKind.SLEEP_IN_ATOMIC,
        Finding.signature(FindingKind.SLEEP_IN_ATOMIC, culprit, List.of(className)), culprit,
        reporter.chain(e, c, m, className), List.of(className), reporter.describeContext(e, c, m, locks), message,
        a.remedy(), a.certainty(), reporter.contextEvidence(e, c, m, locks, acquireWhat), e);
  }

  /** check_deadlock(): the class is already held by this task (a recursive read on a read-held lock is fine). */
  private void recursion(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, LockClass next,
      String className, int read, String acquireWhat) {
    for (int i = locks.size() - 1; i >= 0; i--) {
      Held h = locks.get(i);
      if (h.lockClass != next) continue;
      if (read == 2 && h.read != 0) continue; // recursive read on a read-held lock
      String culprit = reporter.culprit(e, m);
      reporter.report(FindingKind.RECURSIVE_LOCKING,
          Finding.signature(FindingKind.RECURSIVE_LOCKING, culprit, List.of(className)), culprit,
          reporter.chain(e, c, m, className), List.of(className), reporter.describeContext(e, c, m, locks),
          h.address != 0 && h.address == e.address() && read == 0 && h.read == 0
              ? "deadlock: " + className + " taken again by the same task while it holds that same lock (since "
                  + h.where + ")"
              : "possible recursive locking: " + className + " taken while already held (since " + h.where + ")",
          "take it once, or annotate a legitimate nesting of two instances with spin_lock_nested()/mutex_lock_nested()",
          Certainty.CERTAIN, reporter.contextEvidence(e, c, m, locks, acquireWhat), e);
      return;
    }
  }

  void release(TraceEvent e, CpuContext c, ModelState.Cpu m, String className) {
    if (className == null || e.pid() < 0) return;
    LockClass lc = s.graph.find(className);
    if (lc != null && s.held.release(e.pid(), lc, e.address()) != null) return;
    if (lc != null && s.held.recentlyReleased(e.pid(), lc)) {
      List<Held> locks = s.held.held(e.pid());
      String culprit = reporter.culprit(e, m);
      reporter.report(FindingKind.BAD_UNLOCK_BALANCE,
          Finding.signature(FindingKind.BAD_UNLOCK_BALANCE, culprit, List.of(className)), culprit,
          reporter.chain(e, c, m, className), List.of(className), reporter.describeContext(e, c, m, locks),
          "bad unlock balance: " + className + " released again, it is not held", "unlock only what this task locked, once",
          Certainty.CERTAIN, reporter.contextEvidence(e, c, m, locks, "releases " + className), e);
    }
    // else: taken before the trace began
  }
}
