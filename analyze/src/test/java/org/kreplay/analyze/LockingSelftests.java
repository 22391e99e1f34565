package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The scenario catalogue of lib/locking-selftest.c (docs/kernel-model.md §5), each case
 * written as the sequence of lock operations and context changes the kernel's test function
 * performs, with the verdict the kernel's dotest() expects: FAILURE means lockdep must report.
 *
 * <p>Naming follows the kernel: {@code ABBA_spin}, {@code irqsafe3_hard_rlock_231} (events E2, E3,
 * E1 in that order), {@code spinlock_in_NOTTHREADED_HARDIRQ}. Not reproduced: init_held_* (lock
 * initialisation is not traced), the ww_mutex and fs_reclaim tests (their logic lives in the
 * ww_acquire context and the gfp mask, which traces do not show), and the SRCU tests.
 */
final class LockingSelftests {
  private LockingSelftests() {}

  /** One case: what it does, what the kernel says, and under which rules. */
  record Scenario(String name, boolean expectFailure, Set<FindingKind> kinds, KernelConfig config,
      Consumer<Ops> body) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The lock flavours the generic families are instantiated with (locking-selftest-*.h). */
  enum Flavour {
    spin("lock", LockType.SPINLOCK, 0),
    wlock("rwlock", LockType.RWLOCK, 0),
    rlock("rwlock", LockType.RWLOCK, 2), // force_read_lock_recursive = 1 in the main suite
    mutex("mutex", LockType.MUTEX, 0),
    wsem("rwsem", LockType.RWSEM, 0),
    rsem("rwsem", LockType.RWSEM, 1),
    rtmutex("rtmutex", LockType.RT_MUTEX, 0);

    final String prefix;
    final LockType type;
    final int read;

    Flavour(String prefix, LockType type, int read) {
      this.prefix = prefix;
      this.type = type;
      this.read = read;
    }
  }

  /** "hard" cases use hardirqs, "soft" cases bottom halves (locking-selftest-{hard,soft}irq.h). */
  enum Irq { hard, soft }

  /** The selftest's macros over a {@link LockSim}; LOCK/UNLOCK use the case's flavour. */
  static final class Ops {
    final LockSim sim;
    Flavour flavour = Flavour.spin;
    Irq irq = Irq.hard;
    /** read_lock() read value: 2 in the main suite, 1 for the queued-rwlock cases. */
    int readLockRead = 2;

    Ops(LockSim sim) {
      this.sim = sim;
    }

    void LOCK(String x) {
      sim.lock(flavour.prefix, x, flavour.type, flavour.read);
    }

    void UNLOCK(String x) {
      sim.unlock(flavour.prefix, x, flavour.type);
    }

    void L(String x) {
      sim.lock("lock", x, LockType.SPINLOCK, 0);
    }

    void U(String x) {
      sim.unlock("lock", x, LockType.SPINLOCK);
    }

    void RAWL(String x) {
      sim.lock("raw_lock", x, LockType.RAW_SPINLOCK, 0);
    }

    void RAWU(String x) {
      sim.unlock("raw_lock", x, LockType.RAW_SPINLOCK);
    }

    void WL(String x) {
      sim.lock("rwlock", x, LockType.RWLOCK, 0);
    }

    void WU(String x) {
      sim.unlock("rwlock", x, LockType.RWLOCK);
    }

    void RL(String x) {
      sim.lock("rwlock", x, LockType.RWLOCK, readLockRead);
    }

    void RU(String x) {
      sim.unlock("rwlock", x, LockType.RWLOCK);
    }

    void ML(String x) {
      sim.lock("mutex", x, LockType.MUTEX, 0);
    }

    void MU(String x) {
      sim.unlock("mutex", x, LockType.MUTEX);
    }

    void RSL(String x) {
      sim.lock("rwsem", x, LockType.RWSEM, 1);
    }

    void RSU(String x) {
      sim.unlock("rwsem", x, LockType.RWSEM);
    }

    void WSL(String x) {
      sim.lock("rwsem", x, LockType.RWSEM, 0);
    }

    void WSU(String x) {
      sim.unlock("rwsem", x, LockType.RWSEM);
    }

    void LOCAL_LOCK(String x) {
      sim.preemptDisable();
      sim.lock("local", x, LockType.LOCAL_LOCK, 0);
    }

    void LOCAL_UNLOCK(String x) {
      sim.unlock("local", x, LockType.LOCAL_LOCK);
      sim.preemptEnable();
    }

    void RCU_LOCK() {
      sim.lock("rcu_read_lock", "", LockType.RCU, 2);
    }

    void RCU_UNLOCK() {
      sim.unlock("rcu_read_lock", "", LockType.RCU);
    }

    void HARDIRQ_ENTER() {
      sim.hardirqEnter();
    }

    void HARDIRQ_EXIT() {
      sim.hardirqExit();
    }

    void HARDIRQ_DISABLE() {
      sim.irqDisable();
    }

    void HARDIRQ_ENABLE() {
      sim.irqEnable();
    }

    void SOFTIRQ_ENTER() {
      sim.softirqEnter();
    }

    void SOFTIRQ_EXIT() {
      sim.softirqExit();
    }

    void SOFTIRQ_DISABLE() {
      sim.bhDisable();
    }

    void SOFTIRQ_ENABLE() {
      sim.bhEnable();
    }

    void IRQ_ENTER() {
      if (irq == Irq.hard) HARDIRQ_ENTER(); else SOFTIRQ_ENTER();
    }

    void IRQ_EXIT() {
      if (irq == Irq.hard) HARDIRQ_EXIT(); else SOFTIRQ_EXIT();
    }

    void IRQ_DISABLE() {
      if (irq == Irq.hard) HARDIRQ_DISABLE(); else SOFTIRQ_DISABLE();
    }

    void IRQ_ENABLE() {
      if (irq == Irq.hard) HARDIRQ_ENABLE(); else SOFTIRQ_ENABLE();
    }

    void LOCK_UNLOCK_2(String x, String y) {
      LOCK(x);
      LOCK(y);
      UNLOCK(y);
      UNLOCK(x);
    }
  }

  private static final KernelConfig NON_RT = KernelConfig.DEFAULT;
  private static final Set<FindingKind> RECURSIVE = Set.of(FindingKind.RECURSIVE_LOCKING);
  private static final Set<FindingKind> CIRCULAR = Set.of(FindingKind.CIRCULAR_DEPENDENCY);
  private static final Set<FindingKind> IRQ_STATE = Set.of(FindingKind.INCONSISTENT_LOCK_STATE,
      FindingKind.IRQ_LOCK_INVERSION, FindingKind.IRQ_SAFE_TO_UNSAFE);
  private static final Set<FindingKind> NONE = Set.of();

  static List<Scenario> all() {
    List<Scenario> out = new ArrayList<>();
    generic(out);
    readWrite(out);
    irqSafety(out);
    queuedReadLock(out);
    waitContext(out);
    localLock(out);
    out.add(new Scenario("hardirq_deadlock_softirq_not_deadlock", true, Set.of(FindingKind.IRQ_SAFE_TO_UNSAFE), NON_RT,
        LockingSelftests::hardirqDeadlockSoftirqNotDeadlock));
    rtRules(out);
    return out;
  }

  // ---- DO_TESTCASE_6R / DO_TESTCASE_6 families

  private static void generic(List<Scenario> out) {
    family(out, "AA", RECURSIVE, o -> {
      o.LOCK("X1");
      o.LOCK("X2");
    });
    family(out, "ABBA", CIRCULAR, o -> {
      o.LOCK_UNLOCK_2("A", "B");
      o.LOCK_UNLOCK_2("B", "A");
    });
    family(out, "ABBCCA", CIRCULAR, o -> {
      o.LOCK_UNLOCK_2("A", "B");
      o.LOCK_UNLOCK_2("B", "C");
      o.LOCK_UNLOCK_2("C", "A");
    });
    family(out, "ABCABC", CIRCULAR, o -> {
      o.LOCK_UNLOCK_2("A", "B");
      o.LOCK_UNLOCK_2("C", "A");
      o.LOCK_UNLOCK_2("B", "C");
    });
    family(out, "ABBCCDDA", CIRCULAR, o -> {
      o.LOCK_UNLOCK_2("A", "B");
      o.LOCK_UNLOCK_2("B", "C");
      o.LOCK_UNLOCK_2("C", "D");
      o.LOCK_UNLOCK_2("D", "A");
    });
    family(out, "ABCDBDDA", CIRCULAR, o -> {
      o.LOCK_UNLOCK_2("A", "B");
      o.LOCK_UNLOCK_2("C", "D");
      o.LOCK_UNLOCK_2("B", "D");
      o.LOCK_UNLOCK_2("D", "A");
    });
    family(out, "ABCDBCDA", CIRCULAR, o -> {
      o.LOCK_UNLOCK_2("A", "B");
      o.LOCK_UNLOCK_2("C", "D");
      o.LOCK_UNLOCK_2("B", "C");
      o.LOCK_UNLOCK_2("D", "A");
    });
    // DO_TESTCASE_6: every flavour fails, read locks included.
    for (Flavour f : Flavour.values()) {
      out.add(new Scenario("double_unlock_" + f, true, Set.of(FindingKind.BAD_UNLOCK_BALANCE), NON_RT, o -> {
        o.flavour = f;
        o.LOCK("A");
        o.UNLOCK("A");
        o.UNLOCK("A");
      }));
    }
  }

  /** DO_TESTCASE_6R: every flavour fails except recursive read locks. */
  private static void family(List<Scenario> out, String name, Set<FindingKind> kinds, Consumer<Ops> e) {
    for (Flavour f : Flavour.values()) {
      boolean fail = f != Flavour.rlock;
      out.add(new Scenario(name + "_" + f, fail, fail ? kinds : NONE, NON_RT, o -> {
        o.flavour = f;
        e.accept(o);
      }));
    }
  }

  // ---- read/write mixing

  private static void readWrite(List<Scenario> out) {
    out.add(new Scenario("rlock_AA1", false, NONE, NON_RT, o -> {
      o.RL("X1");
      o.RL("X1");
    }));
    out.add(new Scenario("rlock_AA1B", false, NONE, NON_RT, o -> {
      o.RL("X1");
      o.RL("X2");
    }));
    out.add(new Scenario("rsem_AA1", true, RECURSIVE, NON_RT, o -> {
      o.RSL("X1");
      o.RSL("X1");
    }));
    out.add(new Scenario("rsem_AA1B", true, RECURSIVE, NON_RT, o -> {
      o.RSL("X1");
      o.RSL("X2");
    }));
    out.add(new Scenario("rlock_AA2", true, RECURSIVE, NON_RT, o -> {
      o.RL("X1");
      o.WL("X2");
    }));
    out.add(new Scenario("rsem_AA2", true, RECURSIVE, NON_RT, o -> {
      o.RSL("X1");
      o.WSL("X2");
    }));
    out.add(new Scenario("rlock_AA3", true, RECURSIVE, NON_RT, o -> {
      o.WL("X1");
      o.RL("X2");
    }));
    out.add(new Scenario("rsem_AA3", true, RECURSIVE, NON_RT, o -> {
      o.WSL("X1");
      o.RSL("X2");
    }));
    out.add(new Scenario("rlock_ABBA1", true, CIRCULAR, NON_RT, o -> {
      o.RL("X1"); o.L("Y1"); o.U("Y1"); o.RU("X1");
      o.L("Y1"); o.WL("X1"); o.WU("X1"); o.U("Y1");
    }));
    out.add(new Scenario("rwsem_ABBA1", true, CIRCULAR, NON_RT, o -> {
      o.RSL("X1"); o.ML("Y1"); o.MU("Y1"); o.RSU("X1");
      o.ML("Y1"); o.WSL("X1"); o.WSU("X1"); o.MU("Y1");
    }));
    out.add(new Scenario("rlock_chaincache_ABBA1", true, CIRCULAR, NON_RT, o -> {
      o.RL("X1"); o.L("Y1"); o.U("Y1"); o.RU("X1");
      o.L("Y1"); o.RL("X1"); o.RU("X1"); o.U("Y1");
      o.L("Y1"); o.WL("X1"); o.WU("X1"); o.U("Y1");
    }));
    out.add(new Scenario("rlock_ABBA2", false, NONE, NON_RT, o -> {
      o.RL("X1"); o.L("Y1"); o.U("Y1"); o.RU("X1");
      o.L("Y1"); o.RL("X1"); o.RU("X1"); o.U("Y1");
    }));
    out.add(new Scenario("rwsem_ABBA2", true, CIRCULAR, NON_RT, o -> {
      o.RSL("X1"); o.ML("Y1"); o.MU("Y1"); o.RSU("X1");
      o.ML("Y1"); o.RSL("X1"); o.RSU("X1"); o.MU("Y1");
    }));
    out.add(new Scenario("rlock_ABBA3", true, CIRCULAR, NON_RT, o -> {
      o.WL("X1"); o.L("Y1"); o.U("Y1"); o.WU("X1");
      o.L("Y1"); o.WL("X1"); o.WU("X1"); o.U("Y1");
    }));
    out.add(new Scenario("rwsem_ABBA3", true, CIRCULAR, NON_RT, o -> {
      o.WSL("X1"); o.ML("Y1"); o.MU("Y1"); o.WSU("X1");
      o.ML("Y1"); o.WSL("X1"); o.WSU("X1"); o.MU("Y1");
    }));
    // Three-lock read/write cycles (DO_TESTCASE_6x1RR / 6x1RRB): every order of the three pairs.
    permutations3(out, "W1R2_W2R3_W3R1", true, CIRCULAR, NON_RT,
        o -> { o.WL("X1"); o.RL("Y1"); o.RU("Y1"); o.WU("X1"); },
        o -> { o.WL("Y1"); o.RL("Z1"); o.RU("Z1"); o.WU("Y1"); },
        o -> { o.WL("Z1"); o.RL("X1"); o.RU("X1"); o.WU("Z1"); });
    permutations3(out, "W1W2_R2R3_W3R1", true, CIRCULAR, NON_RT,
        o -> { o.WL("X1"); o.WL("Y1"); o.WU("Y1"); o.WU("X1"); },
        o -> { o.RL("Y1"); o.RL("Z1"); o.RU("Z1"); o.RU("Y1"); },
        o -> { o.WL("Z1"); o.RL("X1"); o.RU("X1"); o.WU("Z1"); });
    permutations3(out, "W1W2_R2R3_R3W1", false, NONE, NON_RT,
        o -> { o.WL("X1"); o.WL("Y1"); o.WU("Y1"); o.WU("X1"); },
        o -> { o.RL("Y1"); o.RL("Z1"); o.RU("Z1"); o.RU("Y1"); },
        o -> { o.RL("Z1"); o.WL("X1"); o.WU("X1"); o.RU("Z1"); });
    permutations3(out, "W1R2_R2R3_W3W1", false, NONE, NON_RT,
        o -> { o.WL("X1"); o.RL("Y1"); o.RU("Y1"); o.WU("X1"); },
        o -> { o.RL("Y1"); o.RL("Z1"); o.RU("Z1"); o.RU("Y1"); },
        o -> { o.WL("Z1"); o.WL("X1"); o.WU("X1"); o.WU("Z1"); });
  }

  private static final String[] ORDERS3 = {"123", "132", "213", "231", "312", "321"};

  @SafeVarargs
  private static void permutations3(List<Scenario> out, String name, boolean fail, Set<FindingKind> kinds,
      KernelConfig config, Consumer<Ops>... e) {
    for (String order : ORDERS3) {
      out.add(new Scenario(name + "_" + order, fail, kinds, config, o -> {
        for (char c : order.toCharArray()) e[c - '1'].accept(o);
      }));
    }
  }

  // ---- irq-safety families (DO_TESTCASE_2x6, 2x3, 6x6, 6x6RW, 6x2x2RW)

  private static final Flavour[] SPIN_WLOCK_RLOCK = {Flavour.spin, Flavour.wlock, Flavour.rlock};
  private static final Flavour[] WLOCK_RLOCK = {Flavour.wlock, Flavour.rlock};

  /** Every order of the events, hard and soft, each flavour; only recursive read locks pass. */
  @SafeVarargs
  private static void irqFamily(List<Scenario> out, String name, Irq[] irqs, Flavour[] flavours, Consumer<Ops>... e) {
    String[] orders = e.length == 2 ? new String[] {"12", "21"} : ORDERS3;
    for (Irq irq : irqs) {
      for (Flavour f : flavours) {
        for (String order : orders) {
          boolean fail = f != Flavour.rlock;
          String n = name + (irqs.length > 1 ? "_" + irq : "") + "_" + f + "_" + order;
          out.add(new Scenario(n, fail, fail ? IRQ_STATE : NONE, NON_RT, o -> {
            o.flavour = f;
            o.irq = irq;
            for (char c : order.toCharArray()) e[c - '1'].accept(o);
          }));
        }
      }
    }
  }

  private static void irqSafety(List<Scenario> out) {
    Irq[] both = Irq.values();
    // locking an irq-safe lock with irqs enabled
    irqFamily(out, "irqsafe1", both, SPIN_WLOCK_RLOCK,
        o -> { o.IRQ_ENTER(); o.LOCK("A"); o.UNLOCK("A"); o.IRQ_EXIT(); },
        o -> { o.LOCK("A"); o.UNLOCK("A"); });
    // enabling hardirqs with a softirq-safe lock held (not built on PREEMPT_RT)
    irqFamily(out, "irqsafe2A", new Irq[] {Irq.soft}, SPIN_WLOCK_RLOCK,
        o -> { o.SOFTIRQ_ENTER(); o.LOCK("A"); o.UNLOCK("A"); o.SOFTIRQ_EXIT(); },
        o -> { o.HARDIRQ_DISABLE(); o.LOCK("A"); o.HARDIRQ_ENABLE(); o.UNLOCK("A"); });
    // enabling irqs with an irq-safe lock held
    irqFamily(out, "irqsafe2B", both, SPIN_WLOCK_RLOCK,
        o -> { o.IRQ_ENTER(); o.LOCK("A"); o.UNLOCK("A"); o.IRQ_EXIT(); },
        o -> { o.IRQ_DISABLE(); o.LOCK("A"); o.IRQ_ENABLE(); o.UNLOCK("A"); });
    // acquiring an irq-unsafe lock while holding an irq-safe lock
    irqFamily(out, "irqsafe3", both, SPIN_WLOCK_RLOCK,
        o -> { o.LOCK("A"); o.LOCK("B"); o.UNLOCK("B"); o.UNLOCK("A"); },
        o -> { o.LOCK("B"); o.UNLOCK("B"); },
        o -> { o.IRQ_ENTER(); o.LOCK("A"); o.UNLOCK("A"); o.IRQ_EXIT(); });
    // a lock turns irq-safe, but earlier it took an irq-unsafe lock
    irqFamily(out, "irqsafe4", both, SPIN_WLOCK_RLOCK,
        o -> { o.IRQ_DISABLE(); o.LOCK("A"); o.LOCK("B"); o.UNLOCK("B"); o.UNLOCK("A"); o.IRQ_ENABLE(); },
        o -> { o.LOCK("B"); o.UNLOCK("B"); },
        o -> { o.IRQ_ENTER(); o.LOCK("A"); o.UNLOCK("A"); o.IRQ_EXIT(); });
    // read-lock / write-lock irq inversion
    irqFamily(out, "irq_inversion", both, SPIN_WLOCK_RLOCK,
        o -> { o.IRQ_DISABLE(); o.WL("A"); o.LOCK("B"); o.UNLOCK("B"); o.WU("A"); o.IRQ_ENABLE(); },
        o -> { o.LOCK("B"); o.UNLOCK("B"); },
        o -> { o.IRQ_ENTER(); o.RL("A"); o.RU("A"); o.IRQ_EXIT(); });
    // read-lock / write-lock recursion that is actually safe (for read locks)
    irqFamily(out, "irq_read_recursion", both, WLOCK_RLOCK,
        o -> { o.IRQ_DISABLE(); o.WL("A"); o.WU("A"); o.IRQ_ENABLE(); },
        o -> { o.RL("A"); o.RU("A"); },
        o -> { o.IRQ_ENTER(); o.LOCK("A"); o.L("B"); o.U("B"); o.UNLOCK("A"); o.IRQ_EXIT(); });
    irqFamily(out, "irq_read_recursion2", both, WLOCK_RLOCK,
        o -> { o.IRQ_DISABLE(); o.L("B"); o.LOCK("A"); o.UNLOCK("A"); o.U("B"); o.IRQ_ENABLE(); },
        o -> { o.RL("A"); o.RU("A"); },
        o -> { o.IRQ_ENTER(); o.L("B"); o.U("B"); o.IRQ_EXIT(); });
    irqFamily(out, "irq_read_recursion3", both, WLOCK_RLOCK,
        o -> { o.IRQ_DISABLE(); o.WL("B"); o.LOCK("A"); o.UNLOCK("A"); o.WU("B"); o.IRQ_ENABLE(); },
        o -> { o.RL("A"); o.RU("A"); },
        o -> { o.IRQ_ENTER(); o.RL("B"); o.RU("B"); o.IRQ_EXIT(); });
  }

  // ---- queued rwlocks: read_lock() is a recursive reader only in interrupt context

  private static void queuedReadLock(List<Scenario> out) {
    // Lockdep meets the B -> A(read) edge with A -> B already known: a circular dependency.
    out.add(new Scenario("queued_read_lock_hardirq_RE_Er", true, CIRCULAR, NON_RT, o -> {
      o.readLockRead = 1;
      o.HARDIRQ_ENTER(); o.RL("A"); o.L("B"); o.U("B"); o.RU("A"); o.HARDIRQ_EXIT();
      o.HARDIRQ_DISABLE(); o.L("B"); o.RL("A"); o.RU("A"); o.U("B"); o.HARDIRQ_ENABLE();
    }));
    out.add(new Scenario("queued_read_lock_hardirq_ER_rE", false, NONE, NON_RT, o -> {
      o.readLockRead = 1;
      o.HARDIRQ_ENTER(); o.L("B"); o.RL("A"); o.RU("A"); o.U("B"); o.HARDIRQ_EXIT();
      o.HARDIRQ_DISABLE(); o.RL("A"); o.L("B"); o.U("B"); o.RU("A"); o.HARDIRQ_ENABLE();
    }));
    out.add(new Scenario("queued_read_lock_hardirq_inversion", true, IRQ_STATE, NON_RT, o -> {
      o.readLockRead = 1;
      o.HARDIRQ_ENTER(); o.L("B"); o.U("B"); o.HARDIRQ_EXIT();
      o.HARDIRQ_DISABLE(); o.L("B"); o.RL("A"); o.RU("A"); o.U("B"); o.HARDIRQ_ENABLE();
      o.RL("A"); o.RU("A");
    }));
  }

  // ---- wait_context_tests(): <inner>_in_<outer>

  private enum Outer {
    HARDIRQ(true), NOTTHREADED_HARDIRQ(false), SOFTIRQ(true), RCU(true), RCU_BH(true), RCU_SCHED(false),
    raw_spinlock(false), spinlock(true), mutex(true);

    /** Whether spinlock_t may be taken inside (the context is preemptible on PREEMPT_RT). */
    final boolean spinlockOk;

    Outer(boolean spinlockOk) {
      this.spinlockOk = spinlockOk;
    }

    void enter(Ops o) {
      switch (this) {
        case HARDIRQ: o.HARDIRQ_ENTER(); break;
        case NOTTHREADED_HARDIRQ: o.sim.vectorEnter(); break;
        case SOFTIRQ: o.SOFTIRQ_ENTER(); break;
        case RCU: o.RCU_LOCK(); break;
        case RCU_BH: o.sim.bhDisable(); o.sim.lock("rcu_read_lock_bh", "", LockType.RCU_BH, 2); break;
        case RCU_SCHED: o.sim.preemptDisable(); o.sim.lock("rcu_read_lock_sched", "", LockType.RCU_SCHED, 2); break;
        case raw_spinlock: o.RAWL("A"); break;
        case spinlock: o.L("A"); break;
        default: o.ML("A"); break;
      }
    }

    void exit(Ops o) {
      switch (this) {
        case HARDIRQ: o.HARDIRQ_EXIT(); break;
        case NOTTHREADED_HARDIRQ: o.sim.vectorExit(); break;
        case SOFTIRQ: o.SOFTIRQ_EXIT(); break;
        case RCU: o.RCU_UNLOCK(); break;
        case RCU_BH: o.sim.unlock("rcu_read_lock_bh", "", LockType.RCU_BH); o.sim.bhEnable(); break;
        case RCU_SCHED: o.sim.unlock("rcu_read_lock_sched", "", LockType.RCU_SCHED); o.sim.preemptEnable(); break;
        case raw_spinlock: o.RAWU("A"); break;
        case spinlock: o.U("A"); break;
        default: o.MU("A"); break;
      }
    }
  }

  private static void waitContext(List<Scenario> out) {
    Set<FindingKind> invalid = Set.of(FindingKind.INVALID_WAIT_CONTEXT);
    for (Outer outer : Outer.values()) {
      out.add(new Scenario("RCU_in_" + outer, false, NONE, NON_RT, o -> {
        outer.enter(o); o.RCU_LOCK(); o.RCU_UNLOCK(); outer.exit(o);
      }));
      out.add(new Scenario("raw_spinlock_in_" + outer, false, NONE, NON_RT, o -> {
        outer.enter(o); o.RAWL("B"); o.RAWU("B"); outer.exit(o);
      }));
      out.add(new Scenario("spinlock_in_" + outer, !outer.spinlockOk, outer.spinlockOk ? NONE : invalid, NON_RT, o -> {
        outer.enter(o); o.L("B"); o.U("B"); outer.exit(o);
      }));
      boolean mutexOk = outer == Outer.mutex;
      out.add(new Scenario("mutex_in_" + outer, !mutexOk, mutexOk ? NONE : invalid, NON_RT, o -> {
        outer.enter(o); o.ML("B"); o.MU("B"); outer.exit(o);
      }));
    }
  }

  // ---- local_lock_tests(): local locks are skipped in irq-inversion searches

  private static void localLockIrqSafeA(Ops o) {
    o.HARDIRQ_ENTER(); o.L("A"); o.U("A"); o.HARDIRQ_EXIT();
    o.HARDIRQ_DISABLE(); o.L("A"); o.LOCAL_LOCK("LA"); o.LOCAL_UNLOCK("LA"); o.U("A"); o.HARDIRQ_ENABLE();
  }

  private static void localLock(List<Scenario> out) {
    out.add(new Scenario("local_lock_2", false, NONE, NON_RT, o -> {
      o.LOCAL_LOCK("LA"); o.LOCAL_UNLOCK("LA");
      localLockIrqSafeA(o);
    }));
    out.add(new Scenario("local_lock_3A", false, NONE, NON_RT, o -> {
      o.LOCAL_LOCK("LA"); o.L("B"); o.U("B"); o.LOCAL_UNLOCK("LA");
      localLockIrqSafeA(o);
    }));
    out.add(new Scenario("local_lock_3B", true, IRQ_STATE, NON_RT, o -> {
      o.LOCAL_LOCK("LA"); o.L("B"); o.U("B"); o.LOCAL_UNLOCK("LA");
      localLockIrqSafeA(o);
      o.HARDIRQ_DISABLE(); o.L("A"); o.L("B"); o.U("B"); o.U("A"); o.HARDIRQ_ENABLE();
    }));
  }

  private static void hardirqDeadlockSoftirqNotDeadlock(Ops o) {
    o.ML("A"); o.HARDIRQ_DISABLE(); o.L("C"); o.U("C"); o.HARDIRQ_ENABLE(); o.MU("A"); // mutex_A -> lock_C
    o.HARDIRQ_ENTER(); o.L("A"); o.U("A"); o.HARDIRQ_EXIT(); // lock_A hardirq-safe
    o.HARDIRQ_DISABLE(); o.L("A"); o.L("B"); o.U("B"); o.U("A"); o.HARDIRQ_ENABLE(); // A -> B
    o.HARDIRQ_DISABLE(); o.L("B"); o.L("C"); o.U("C"); o.U("B"); o.HARDIRQ_ENABLE(); // B -> C
    o.SOFTIRQ_ENTER(); o.L("D"); o.U("D"); o.SOFTIRQ_EXIT(); // D softirq-safe
    o.SOFTIRQ_DISABLE(); o.L("D"); o.U("D"); o.SOFTIRQ_ENABLE(); // D hardirq-unsafe
    o.HARDIRQ_DISABLE(); o.L("C"); o.L("D"); o.U("D"); o.U("C"); o.HARDIRQ_ENABLE(); // A->B->C->D: deadlock
  }

  // ---- PREEMPT_RT rules not covered by the selftest (locktypes.rst, kernel-model.md §3)

  private static final KernelConfig RT = new KernelConfig(true, false, true);
  private static final KernelConfig JUDGED_RT = new KernelConfig(false, true, true);
  private static final KernelConfig NO_RAW_NESTING = new KernelConfig(false, false, false);

  private static void rtRules(List<Scenario> out) {
    Set<FindingKind> sleep = Set.of(FindingKind.SLEEP_IN_ATOMIC);
    for (KernelConfig c : List.of(NON_RT, RT, JUDGED_RT)) {
      String suffix = c == NON_RT ? "nonrt" : c == RT ? "rt" : "judged_rt";
      boolean rt = c.rt();
      out.add(new Scenario("rt_preempt_disable_spin_lock_" + suffix, rt, rt ? sleep : NONE, c, o -> {
        o.sim.preemptDisable(); o.L("A"); o.U("A"); o.sim.preemptEnable();
      }));
      out.add(new Scenario("rt_local_irq_disable_spin_lock_" + suffix, rt, rt ? sleep : NONE, c, o -> {
        o.HARDIRQ_DISABLE(); o.L("A"); o.U("A"); o.HARDIRQ_ENABLE();
      }));
      out.add(new Scenario("rt_spin_lock_irq_mutex_lock_" + suffix, true, sleep, c, o -> {
        o.sim.spinLockIrq("lock", "A"); o.ML("M"); o.MU("M"); o.sim.spinUnlockIrq("lock", "A");
      }));
      out.add(new Scenario("rt_spin_lock_irq_spin_lock_" + suffix, false, NONE, c, o -> {
        o.sim.spinLockIrq("lock", "A"); o.L("B"); o.U("B"); o.sim.spinUnlockIrq("lock", "A");
      }));
      out.add(new Scenario("rt_migrate_disable_spin_lock_" + suffix, false, NONE, c, o -> {
        o.sim.migrateDisable(); o.L("A"); o.U("A"); o.sim.migrateEnable();
      }));
      out.add(new Scenario("rt_raw_spin_lock_spin_lock_" + suffix, true, Set.of(FindingKind.INVALID_WAIT_CONTEXT), c, o -> {
        o.RAWL("R"); o.L("A"); o.U("A"); o.RAWU("R");
      }));
    }
    out.add(new Scenario("rt_raw_spin_lock_spin_lock_no_raw_nesting", false, NONE, NO_RAW_NESTING, o -> {
      o.RAWL("R"); o.L("A"); o.U("A"); o.RAWU("R");
    }));
  }
}
