package org.kreplay.analyze.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kreplay.analyze.internal.rules.RulesKit.flags;
import static org.kreplay.analyze.internal.rules.RulesKit.hardirq;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.ingest.EventKind;

/** lockdep's acquisition checks, one rule part at a time, on hand-built lock events (non-RT kernel). */
class LockRulesTest {
  private final RulesKit kit = new RulesKit(KernelConfig.DEFAULT);

  private static List<FindingKind> kinds(List<Finding> fs) {
    return fs.stream().map(Finding::kind).toList();
  }

  @Test
  void spinlockInsideRawSpinlockIsAnInvalidWaitContext() {
    kit.acquire(1, "raw_a", "raw_spinlock_t", flags(false, 1)).acquire(1, "spin_b", "spinlock_t", flags(false, 2));
    List<Finding> fs = kit.findings();
    assertThat(kinds(fs)).containsExactly(FindingKind.INVALID_WAIT_CONTEXT);
    assertThat(fs.get(0).message()).contains("spin_b (spinlock_t, wait type 3) taken while holding raw_a (raw_spinlock_t)");
    assertThat(fs.get(0).locks()).containsExactly("raw_a", "spin_b");
  }

  @Test
  void theSameClassTwiceIsRecursiveLocking() {
    kit.acquire(1, "a", "spinlock_t", flags(false, 1)).acquire(1, "a", "spinlock_t", flags(false, 2));
    assertThat(kinds(kit.findings())).containsExactly(FindingKind.RECURSIVE_LOCKING);
  }

  @Test
  void releasingTwiceIsABadUnlockBalance() {
    kit.acquire(1, "a", "mutex", flags(false, 0)).release(1, "a", flags(false, 0)).release(1, "a", flags(false, 0));
    List<Finding> fs = kit.findings();
    assertThat(kinds(fs)).containsExactly(FindingKind.BAD_UNLOCK_BALANCE);
    assertThat(fs.get(0).message()).isEqualTo("bad unlock balance: a released again, it is not held");
  }

  @Test
  void twoOrdersOfTwoLocksAreACycleNamedTheSameWhicheverClosesIt() {
    kit.acquire(1, "b", "mutex", flags(false, 0)).acquire(1, "a", "mutex", flags(false, 0))
        .release(1, "a", flags(false, 0)).release(1, "b", flags(false, 0));
    kit.acquire(2, "a", "mutex", flags(false, 0)).acquire(2, "b", "mutex", flags(false, 0));
    List<Finding> fs = kit.findings();
    assertThat(kinds(fs)).containsExactly(FindingKind.CIRCULAR_DEPENDENCY);
    assertThat(fs.get(0).signature()).isEqualTo("circular-dependency:a->b");
    assertThat(fs.get(0).message()).isEqualTo("possible circular locking dependency (ABBA): a -> b -> a");
  }

  @Test
  void aLockUsedInHardirqAndTakenWithIrqsOnIsInconsistent() {
    kit.feed(kit.event("irq_handler_entry", EventKind.IRQ_HANDLER_ENTRY, 0, hardirq(flags(true, 0))).irq(30)
        .handlerName("eth0"));
    kit.acquire(0, "dev_lock", "spinlock_t", hardirq(flags(true, 1))).release(0, "dev_lock", hardirq(flags(true, 1)));
    kit.feed(kit.event("irq_handler_exit", EventKind.IRQ_HANDLER_EXIT, 0, hardirq(flags(true, 0))).irq(30));
    kit.acquire(1, "dev_lock", "spinlock_t", flags(false, 1));
    List<Finding> fs = kit.findings();
    assertThat(kinds(fs)).containsExactly(FindingKind.INCONSISTENT_LOCK_STATE);
    assertThat(fs.get(0).message()).isEqualTo("inconsistent lock state: {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage of dev_lock");
  }

  @Test
  void aMutexUnderASpinlockSleepsInAtomicContext() {
    kit.acquire(1, "spin_a", "spinlock_t", flags(false, 1)).acquire(1, "mutex_b", "mutex", flags(false, 2));
    List<Finding> fs = kit.findings();
    assertThat(kinds(fs)).contains(FindingKind.SLEEP_IN_ATOMIC);
    Finding sleep = fs.stream().filter(f -> f.kind() == FindingKind.SLEEP_IN_ATOMIC).findFirst().orElseThrow();
    assertThat(sleep.message()).startsWith("sleeping lock mutex_b taken while holding spinlock_t spin_a");
    assertThat(sleep.culprit()).as("no stack: the code is unknown").isEqualTo(Finding.NO_STACK);
  }
}
