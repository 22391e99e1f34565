package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.analyze.internal.rules.LockGraph.LockClass;
import org.kreplay.ingest.TraceEvent;

/**
 * lockdep's check_irq_usage(): a new dependency held → taken must not connect a lock used in an
 * interrupt (irq-safe) to one taken with that interrupt enabled (irq-unsafe): the interrupt could
 * arrive while the unsafe lock is held and wait for it forever.
 */
final class IrqSafetyRule {
  private final Reporter reporter;
  private final LockGraph graph;

  IrqSafetyRule(ModelState state, Reporter reporter) {
    this.reporter = reporter;
    this.graph = state.graph;
  }

  void check(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, Held prev, LockClass next, int read,
      String acquireWhat) {
    int usage = graph.accumulateBackward(prev.lockClass, prev.read) & LockUsage.USED_IN_ALL;
    if (usage == 0) return;
    int forwardMask = LockUsage.exclusiveMask(usage);
    LockGraph.Path unsafe = graph.findUsageForward(next, read, forwardMask);
    if (unsafe == null) return;
    int backwardMask = LockUsage.originalMask(unsafe.target().usage() & LockUsage.ENABLED_ALL);
    LockGraph.Path safe = graph.findUsageBackward(prev.lockClass, prev.read, backwardMask);
    if (safe == null) return;
    int[] bits = LockUsage.exclusiveMatch(safe.target().usage(), unsafe.target().usage());
    if (bits == null) return;
    String state = LockUsage.stateName(bits[0]);
    LockClass safeClass = safe.target();
    LockClass unsafeClass = unsafe.target();
    String culprit = reporter.culprit(e, m);
    List<String> names = new ArrayList<>();
    names.add(safeClass.name());
    if (prev.lockClass != safeClass) names.add(prev.lockClass.name());
    if (next != unsafeClass) names.add(next.name());
    names.add(unsafeClass.name());
    List<Evidence> ev = new ArrayList<>();
    ev.add(reporter.evidence(e, acquireWhat + " while holding " + prev.lockClass.name()));
    Evidence became = safeClass.usageEvidence(bits[0]);
    if (became != null) ev.add(new Evidence(became.source(), became.line(), became.timestamp(), became.cpu(), became.task(),
        safeClass.name() + " became " + state + "-irq-safe: " + became.what()));
    Evidence unsafeAt = unsafeClass.usageEvidence(bits[1]);
    if (unsafeAt != null) ev.add(new Evidence(unsafeAt.source(), unsafeAt.line(), unsafeAt.timestamp(), unsafeAt.cpu(),
        unsafeAt.task(), unsafeClass.name() + " became " + state + "-irq-unsafe: " + unsafeAt.what()));
    for (LockGraph.Edge edge : safe.edges()) ev.add(edge.evidence());
    for (LockGraph.Edge edge : unsafe.edges()) ev.add(edge.evidence());
    reporter.report(FindingKind.IRQ_SAFE_TO_UNSAFE,
        Finding.signature(FindingKind.IRQ_SAFE_TO_UNSAFE, culprit, names), culprit, reporter.chain(e, c, m, next.name()),
        names, reporter.describeContext(e, c, m, locks),
        state + "-safe -> " + state + "-unsafe lock order: " + String.join(" -> ", names) + " ("
            + LockUsage.usageName(bits[0]) + " -> " + LockUsage.usageName(bits[1]) + ")",
        "disable the interrupt while holding " + unsafeClass.name() + " (spin_lock_irqsave / spin_lock_bh), or stop taking "
            + safeClass.name() + " in the interrupt",
        Certainty.CERTAIN, ev, e);
  }
}
