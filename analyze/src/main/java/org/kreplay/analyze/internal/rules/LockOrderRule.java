package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.analyze.internal.rules.LockGraph.LockClass;
import org.kreplay.ingest.TraceEvent;

/**
 * lockdep's check_prev_add() for a new dependency held → taken: check_noncircular() (a cycle in
 * the lock graph is a possible deadlock, reported once per cycle) and check_irq_usage() (the
 * dependency must not connect an irq-safe lock to an irq-unsafe one, see IrqSafetyRule).
 */
final class LockOrderRule {
  private final ModelState s;
  private final Reporter reporter;
  private final IrqSafetyRule irqSafety;

  LockOrderRule(ModelState state, Reporter reporter, IrqSafetyRule irqSafety) {
    this.s = state;
    this.reporter = reporter;
    this.irqSafety = irqSafety;
  }

  void addDependency(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, Held prev, LockClass next,
      int read, String acquireWhat) {
    LockGraph graph = s.graph;
    LockGraph.Edge existing = graph.edge(prev.lockClass, next);
    int dep = LockGraph.forwardDep(prev.read, read);
    if (existing != null && (existing.dep() & dep) != 0) return; // known dependency: checked when first seen
    // check_noncircular()
    LockGraph.Path cycle = graph.findCycle(prev.lockClass, prev.read, next, read);
    Evidence here = reporter.evidence(e, next.name() + " taken while holding " + prev.lockClass.name()
        + " (held since " + prev.where + ")");
    if (cycle != null) {
      reportCycle(e, c, m, locks, prev.lockClass, next, cycle, here, acquireWhat);
    } else {
      irqSafety.check(e, c, m, locks, prev, next, read, acquireWhat);
    }
    graph.addEdge(prev.lockClass, next, prev.read, read, here);
  }

  private void reportCycle(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, LockClass prev,
      LockClass next, LockGraph.Path cycle, Evidence here, String acquireWhat) {
    List<String> ring = new ArrayList<>();
    ring.add(prev.name());
    ring.add(next.name());
    for (LockGraph.Edge edge : cycle.edges()) {
      if (edge.next() != prev) ring.add(edge.next().name());
    }
    String culprit = reporter.culprit(e, m);
    List<Evidence> ev = new ArrayList<>();
    ev.add(here);
    for (LockGraph.Edge edge : cycle.edges()) ev.add(edge.evidence());
    List<Evidence> context = reporter.contextEvidence(e, c, m, locks, acquireWhat);
    ev.addAll(context.subList(1, context.size()));
    s.findings.report(Reporter.cycleFinding(ring, culprit, reporter.chain(e, c, m, next.name()),
        reporter.describeContext(e, c, m, locks), ev, s.source, e.timestamp(), s.config.label()), s.source);
  }
}
