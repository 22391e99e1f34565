package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.analyze.internal.rules.LockGraph.LockClass;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * lockdep's irq-usage checks: a class used in an interrupt and taken elsewhere with that interrupt
 * enabled is an inconsistent lock state (mark_lock_irq()), directly or through the dependency
 * graph (irq lock inversion). Usage is marked at each acquisition and when interrupts or bottom
 * halves are turned on while locks are held (lockdep_hardirqs_on / lockdep_softirqs_on).
 */
final class IrqUsageRule {
  private final ModelState s;
  private final Reporter reporter;
  private final AtomicContext atomic;
  private final LockGraph graph;

  IrqUsageRule(ModelState state, Reporter reporter, AtomicContext atomic) {
    this.s = state;
    this.reporter = reporter;
    this.atomic = atomic;
    this.graph = state.graph;
  }

  /** Registered after IrqState: interrupts turned on while locks are held mark them irq-enabled. */
  void register(Dispatch d) {
    d.onCpu(EventKind.IRQ_ENABLE, this::irqsEnabled);
  }

  /**
   * Before every event but irq_enable: interrupts or bottom halves turned on since the previous
   * event while locks are held marks them irq-enabled (mark_held_locks()). Checked before the
   * event itself, so a release right after the enable still sees the lock held.
   */
  void enabledSincePrevious(TraceEvent e, CpuContext c, ModelState.Cpu m) {
    int f = e.flags();
    int p = m.prevFlags;
    if (ContextFlags.irqsKnown(f) && ContextFlags.irqsKnown(p) && ContextFlags.irqsOff(p) && !ContextFlags.irqsOff(f)) {
      irqsEnabled(e, c);
    } else if (ContextFlags.bhKnown(f) && ContextFlags.bhKnown(p) && ContextFlags.bhOff(p) && !ContextFlags.bhOff(f)
        && ContextFlags.irqsKnown(f) && !ContextFlags.irqsOff(f) && softirqsEnabled(f, c)) {
      softirqsEnabledWithLocks(e, c);
    }
  }

  /** mark_usage() at an acquisition of a checked class: used in irq, or taken with irqs enabled. */
  void markAcquire(TraceEvent e, CpuContext c, ModelState.Cpu m, LockClass next, int read, boolean trylock, Evidence here) {
    boolean hardirq = c.inHardirq();
    int flags = e.flags();
    if (!trylock) {
      if (hardirq) mark(e, c, m, next, read, read != 0 ? LockUsage.USED_IN_HARDIRQ_READ : LockUsage.USED_IN_HARDIRQ, here);
      if (c.inSoftirq()) mark(e, c, m, next, read, read != 0 ? LockUsage.USED_IN_SOFTIRQ_READ : LockUsage.USED_IN_SOFTIRQ, here);
    }
    // lockdep marks with the interrupt state at the acquisition (after spin_lock_irq() disabled them).
    if (ContextFlags.irqsKnown(flags) && !ContextFlags.irqsOff(flags) && !hardirq) {
      mark(e, c, m, next, read, read != 0 ? LockUsage.ENABLED_HARDIRQ_READ : LockUsage.ENABLED_HARDIRQ, here);
      if (softirqsEnabled(flags, c)) {
        mark(e, c, m, next, read, read != 0 ? LockUsage.ENABLED_SOFTIRQ_READ : LockUsage.ENABLED_SOFTIRQ, here);
      }
    }
  }

  static boolean softirqsEnabled(int flags, CpuContext c) {
    return !c.inSoftirq() && !c.inHardirq() && ContextFlags.bhKnown(flags) && !ContextFlags.bhOff(flags);
  }

  /** Bottom halves were turned on with interrupts on: held locks become softirq-enabled. */
  private void softirqsEnabledWithLocks(TraceEvent e, CpuContext c) {
    if (e.pid() < 0) return;
    List<Held> locks = s.held.held(e.pid());
    if (locks.isEmpty()) return;
    Evidence here = reporter.evidence(e, "bottom halves enabled while holding locks");
    ModelState.Cpu m = s.cpu(c.cpu());
    for (Held h : new ArrayList<>(locks)) {
      if (h.irqContext != 0 || !LockRules.checked(h.type)) continue;
      mark(e, c, m, h.lockClass, h.read, h.read != 0 ? LockUsage.ENABLED_SOFTIRQ_READ : LockUsage.ENABLED_SOFTIRQ, here);
    }
  }

  /** Interrupts were turned on: every held lock becomes hardirq-enabled (and softirq-enabled if BH is on). */
  private void irqsEnabled(TraceEvent e, CpuContext c) {
    if (e.pid() < 0 || c.inHardirq()) return;
    List<Held> locks = s.held.held(e.pid());
    if (locks.isEmpty()) return;
    Evidence here = reporter.evidence(e, "interrupts enabled while holding locks");
    ModelState.Cpu m = s.cpu(c.cpu());
    for (Held h : new ArrayList<>(locks)) {
      if (!LockRules.checked(h.type)) continue;
      mark(e, c, m, h.lockClass, h.read, h.read != 0 ? LockUsage.ENABLED_HARDIRQ_READ : LockUsage.ENABLED_HARDIRQ, here);
      if (softirqsEnabled(e.flags(), c)) {
        mark(e, c, m, h.lockClass, h.read, h.read != 0 ? LockUsage.ENABLED_SOFTIRQ_READ : LockUsage.ENABLED_SOFTIRQ, here);
      }
    }
  }

  /** mark_lock(): a new usage bit, checked against the class's own usage and then through the graph. */
  private void mark(TraceEvent e, CpuContext c, ModelState.Cpu m, LockClass lc, int read, int bit, Evidence here) {
    if (!graph.setUsage(lc, bit, here)) return;
    int excl = LockUsage.exclusiveBit(bit);
    int usage = lc.usage();
    int conflict = -1;
    if ((usage & (1 << excl)) != 0) conflict = excl;
    else if ((bit & 1) == 0 && (usage & (1 << (excl | 1))) != 0) conflict = excl | 1;
    List<Held> locks = s.held.held(e.pid());
    if (conflict >= 0) {
      inconsistent(e, c, m, locks, lc, bit, conflict, here);
      return;
    }
    // Through the dependency graph (mark_lock_irq(): check_usage_forwards/backwards).
    boolean enabled = (bit & 2) != 0;
    int mask = (1 << excl) | (1 << (excl | 1));
    LockGraph.Path p = enabled ? graph.findUsageBackward(lc, read, mask) : graph.findUsageForward(lc, read, mask);
    if (p == null || p.target() == lc) return;
    LockClass other = p.target();
    String state = LockUsage.stateName(excl);
    String culprit = reporter.culprit(e, m);
    String irq = state.replace("-READ", "").toLowerCase(Locale.ROOT);
    String message = enabled
        ? "irq lock inversion: " + lc.name() + " became " + irq + "-unsafe, but " + other.name() + ", a " + irq
            + "-safe lock, took it in the past"
        : "irq lock inversion: " + lc.name() + " became " + irq + "-safe, but it took " + other.name() + ", a " + irq
            + "-unsafe lock, in the past";
    List<String> names = enabled ? List.of(other.name(), lc.name()) : List.of(lc.name(), other.name());
    List<Evidence> ev = reporter.contextEvidence(e, c, m, locks, here.what());
    for (LockGraph.Edge edge : p.edges()) ev.add(edge.evidence());
    reporter.report(FindingKind.IRQ_LOCK_INVERSION,
        Finding.signature(FindingKind.IRQ_LOCK_INVERSION, culprit, names), culprit,
        reporter.chain(e, c, m, lc.name()), names, reporter.describeContext(e, c, m, locks), message,
        "disable the interrupt while holding the lock where it is taken with interrupts enabled, or stop taking it in the interrupt",
        Certainty.CERTAIN, ev, e);
  }

  private void inconsistent(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, LockClass lc, int bit,
      int conflict, Evidence here) {
    String culprit = reporter.culprit(e, m);
    String transition = "{" + LockUsage.usageName(conflict) + "} -> {" + LockUsage.usageName(bit) + "}";
    Evidence before = lc.usageEvidence(conflict);
    List<Evidence> ev = reporter.contextEvidence(e, c, m, locks, here.what());
    if (before != null) ev.add(1, new Evidence(before.source(), before.line(), before.timestamp(), before.cpu(),
        before.task(), LockUsage.usageName(conflict) + " usage registered: " + before.what()));
    reporter.report(FindingKind.INCONSISTENT_LOCK_STATE,
        Finding.signature(FindingKind.INCONSISTENT_LOCK_STATE, culprit, List.of(lc.name(), transition)), culprit,
        reporter.chain(e, c, m, lc.name()), List.of(lc.name()), reporter.describeContext(e, c, m, locks),
        "inconsistent lock state: " + transition + " usage of " + lc.name(), remedy(lc, c, m), Certainty.CERTAIN, ev, e);
  }

  /** A lock that sleeps under the rules cannot be made irq-safe: the interrupt-side use must go. */
  private String remedy(LockClass lc, CpuContext c, ModelState.Cpu m) {
    if (s.config.rt() && lc.type().sleeps(true) && c.inHardirq()) {
      return atomic.hardirqRemedy(m, m.callbacks.innermostIn(c.innermost(CpuContext.HARDIRQ)));
    }
    return "take " + lc.name() + " with the interrupt disabled everywhere (spin_lock_irqsave / spin_lock_bh), or not in the interrupt";
  }
}
