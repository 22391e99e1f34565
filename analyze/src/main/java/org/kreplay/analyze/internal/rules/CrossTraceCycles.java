package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Findings;

/**
 * Dependency cycles that appear only when two lock graphs are merged: each edge new to the merged
 * graph is checked as if it were being added, and a cycle not already reported becomes a finding
 * whose evidence is where each of its edges was first seen, in whichever trace.
 */
public final class CrossTraceCycles {
  private CrossTraceCycles() {}

  public static void find(LockGraph graph, List<LockGraph.Edge> added, Findings findings) {
    edges:
    for (LockGraph.Edge e : added) {
      for (int prevRead : new int[] {0, 1, 2}) {
        for (int nextRead : new int[] {0, 1, 2}) {
          if ((e.dep() & LockGraph.forwardDep(prevRead, nextRead)) == 0) continue;
          LockGraph.Path cycle = graph.findCycle(e.prev(), prevRead, e.next(), nextRead);
          if (cycle == null) continue;
          List<String> ring = new ArrayList<>();
          ring.add(e.prev().name());
          ring.add(e.next().name());
          List<Evidence> ev = new ArrayList<>();
          ev.add(e.evidence());
          for (LockGraph.Edge edge : cycle.edges()) {
            if (edge.next() != e.prev()) ring.add(edge.next().name());
            ev.add(edge.evidence());
          }
          Evidence first = e.evidence();
          Finding f = Reporter.cycleFinding(ring, ring.get(1), ring, "lock order across traces", ev,
              first == null ? null : first.source(), first == null ? 0 : first.timestamp(), "merged lock graph");
          if (findings.get(f.signature()) == null) findings.report(f, null);
          continue edges;
        }
      }
    }
  }
}
