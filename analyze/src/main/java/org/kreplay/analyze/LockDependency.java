package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.List;

/**
 * One edge of lockdep's dependency graph as the replay built it: {@code taken} was acquired while
 * {@code held} was held, with lockdep's dependency types ({@code EN}, {@code ER}, {@code SN},
 * {@code SR}: held exclusively or shared, taken non-recursively or recursively) and where the
 * edge was first seen.
 */
public record LockDependency(String held, LockType heldType, String taken, LockType takenType, List<String> kinds,
    Evidence firstSeen) {
  /** "&rq->__lock → &p->pi_lock": the edge as compare lists it. */
  public String label() {
    return held + " → " + taken;
  }

  /** lockdep's DEP_*_BIT set as its labels, in lockdep's order (SR, ER, SN, EN). */
  static List<String> kinds(int bits) {
    List<String> out = new ArrayList<>();
    String[] names = {"SR", "ER", "SN", "EN"};
    for (int i = 0; i < names.length; i++) if ((bits & (1 << i)) != 0) out.add(names[i]);
    return List.copyOf(out);
  }
}
