package org.kreplay.analyze;

import java.util.Locale;

/**
 * What kind of lock a lock class is, and what that means for the rules: whether it spins or
 * sleeps (on a non-RT kernel and on PREEMPT_RT), and lockdep's wait types (include/linux/
 * lockdep_types.h; docs/kernel-model.md §1-2).
 */
public enum LockType {
  RAW_SPINLOCK("raw_spinlock_t", Sleeps.NEVER, Wait.SPIN, Wait.INV),
  BIT_SPINLOCK("bit_spinlock", Sleeps.NEVER, Wait.SPIN, Wait.INV),
  SPINLOCK("spinlock_t", Sleeps.ON_RT, Wait.CONFIG, Wait.INV),
  RWLOCK("rwlock_t", Sleeps.ON_RT, Wait.CONFIG, Wait.INV),
  LOCAL_LOCK("local_lock_t", Sleeps.ON_RT, Wait.CONFIG, Wait.INV),
  /**
   * The _raw_spin_* entry points on a non-RT kernel: a raw_spinlock_t or a spinlock_t/rwlock_t,
   * the trace cannot tell which. Spins on the traced kernel; its wait type is not checked.
   */
  SPINNING("spinning", Sleeps.UNKNOWN, Wait.INV, Wait.INV),
  /** rt_spin_lock and friends: the PREEMPT_RT implementation of spinlock_t, rwlock_t, local_lock. */
  SLEEPING_RT("sleeping_rt", Sleeps.ALWAYS, Wait.CONFIG, Wait.INV),
  MUTEX("mutex", Sleeps.ALWAYS, Wait.SLEEP, Wait.INV),
  RT_MUTEX("rt_mutex", Sleeps.ALWAYS, Wait.SLEEP, Wait.INV),
  WW_MUTEX("ww_mutex", Sleeps.ALWAYS, Wait.SLEEP, Wait.INV),
  RWSEM("rw_semaphore", Sleeps.ALWAYS, Wait.SLEEP, Wait.INV),
  /** Set up with lockdep_init_map() (no wait type), so lockdep never checks its wait context. */
  PERCPU_RWSEM("percpu_rw_semaphore", Sleeps.ALWAYS, Wait.INV, Wait.INV),
  /** Has no lockdep map of its own; might_sleep() still applies. */
  SEMAPHORE("semaphore", Sleeps.ALWAYS, Wait.INV, Wait.INV),
  /** seqcount/seqlock write side; its own wait type is not checked by lockdep. */
  SEQCOUNT("seqcount", Sleeps.NEVER, Wait.INV, Wait.INV),
  /** rcu_read_lock(): outer FREE, inner CONFIG (kernel/rcu/update.c rcu_lock_map). */
  RCU("rcu", Sleeps.NEVER, Wait.CONFIG, Wait.FREE),
  RCU_BH("rcu_bh", Sleeps.NEVER, Wait.CONFIG, Wait.FREE),
  /** rcu_read_lock_sched(): preemption disabled, inner SPIN. */
  RCU_SCHED("rcu_sched", Sleeps.NEVER, Wait.SPIN, Wait.FREE),
  /** srcu_struct's map: lockdep_init_map() without a wait type (kernel/rcu/srcutree.c), read=2 readers. */
  SRCU("srcu", Sleeps.NEVER, Wait.INV, Wait.INV),
  /** A lockdep map that is not a lock (completions, workqueue flush maps, fs_reclaim): not checked. */
  LOCKDEP_MAP("lockdep_map", Sleeps.NEVER, Wait.INV, Wait.INV),
  UNKNOWN("unknown", Sleeps.UNKNOWN, Wait.INV, Wait.INV);

  /** When taking the lock may sleep. */
  public enum Sleeps { NEVER, ON_RT, ALWAYS, UNKNOWN }

  /** lockdep_wait_type, ordered; CONFIG collapses to SPIN without PROVE_RAW_LOCK_NESTING. */
  public enum Wait { INV, FREE, SPIN, CONFIG, SLEEP, MAX }

  private final String label;
  private final Sleeps sleeps;
  private final Wait inner;
  private final Wait outer;

  LockType(String label, Sleeps sleeps, Wait inner, Wait outer) {
    this.label = label;
    this.sleeps = sleeps;
    this.inner = inner;
    this.outer = outer;
  }

  /** The name used in catalogs, canonical CSV and reports ("raw_spinlock_t"). */
  public String label() {
    return label;
  }

  /** Whether taking this lock may sleep under the given rules. */
  public boolean sleeps(boolean rt) {
    return sleeps == Sleeps.ALWAYS || (rt && sleeps == Sleeps.ON_RT);
  }

  public Sleeps sleepsWhen() {
    return sleeps;
  }

  /** Spins on a non-RT kernel and so disables preemption there (raw, spinlock_t, rwlock_t, local_lock, spinning). */
  public boolean spinsOnNonRt() {
    return this == RAW_SPINLOCK || this == BIT_SPINLOCK || this == SPINLOCK || this == RWLOCK
        || this == LOCAL_LOCK || this == SPINNING;
  }

  /**
   * Whether the lock's own code has disabled preemption when its lock_acquire is traced: a raw
   * spinlock on every kernel; spinlock_t, rwlock_t and local_lock on a non-RT kernel (they spin
   * there); a mutex on a non-RT kernel, whose lock_acquire comes after __mutex_lock_common()'s
   * preempt_disable() (kernel/locking/mutex.c) — on PREEMPT_RT a mutex is an rt_mutex and takes none.
   */
  public boolean disablesPreemptionWhenTaken(boolean tracedRt) {
    return isRaw() || (spinsOnNonRt() && !tracedRt) || (this == MUTEX && !tracedRt);
  }

  /** A raw spinning lock on every kernel. */
  public boolean isRaw() {
    return this == RAW_SPINLOCK || this == BIT_SPINLOCK;
  }

  /** An RCU-flavour read-side map rather than a lock. */
  public boolean isRcu() {
    return this == RCU || this == RCU_BH || this == RCU_SCHED || this == SRCU;
  }

  /** lockdep's LD_LOCK_PERCPU: skipped in irq-inversion searches. */
  public boolean isPerCpu() {
    return this == LOCAL_LOCK;
  }

  /** The inner wait type as a number under the given PROVE_RAW_LOCK_NESTING setting. */
  public int innerWait(boolean proveRawLockNesting) {
    return value(inner, proveRawLockNesting);
  }

  /** The outer wait type (outer ?: inner), as lockdep's check_wait_context() uses it. */
  public int outerWait(boolean proveRawLockNesting) {
    return value(outer == Wait.INV ? inner : outer, proveRawLockNesting);
  }

  /** Wait type values of include/linux/lockdep_types.h with or without raw-lock nesting. */
  public static int value(Wait w, boolean proveRawLockNesting) {
    switch (w) {
      case INV: return 0;
      case FREE: return 1;
      case SPIN: return 2;
      case CONFIG: return proveRawLockNesting ? 3 : 2;
      case SLEEP: return proveRawLockNesting ? 4 : 3;
      default: return proveRawLockNesting ? 5 : 4;
    }
  }

  /** Parses a catalog or trace type name; null if it is none of them. */
  public static LockType parse(String name) {
    if (name == null) return null;
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (LockType t : values()) {
      if (t.label.equals(n)) return t;
    }
    switch (n) {
      case "raw_spinlock": case "raw": return RAW_SPINLOCK;
      case "spinlock": return SPINLOCK;
      case "rwlock": return RWLOCK;
      case "local_lock": return LOCAL_LOCK;
      case "rwsem": case "rw_sem": return RWSEM;
      case "rtmutex": return RT_MUTEX;
      case "percpu_rwsem": return PERCPU_RWSEM;
      case "seqlock": case "seqlock_t": case "seqcount_t": return SEQCOUNT;
      case "rcu_read_lock": return RCU;
      case "rcu_read_lock_bh": return RCU_BH;
      case "rcu_read_lock_sched": return RCU_SCHED;
      default: return null;
    }
  }
}
