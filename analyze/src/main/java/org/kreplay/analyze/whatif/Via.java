package org.kreplay.analyze.whatif;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes.DeferralMechanismEntry;

/**
 * One mechanism {@code whatif --via} asks about: a catalog deferral mechanism ({@code call_rcu},
 * {@code workqueue:highpri}) and, for {@code delayed-work:JIFFIES}, its delay.
 */
public record Via(DeferralMechanismEntry mechanism, int jiffies) {
  public Via {
    if (mechanism == null) throw new IllegalArgumentException("mechanism must not be null");
    if (mechanism.takesJiffies() ? jiffies < 1 : jiffies != 0) {
      throw new IllegalArgumentException(mechanism.name() + (mechanism.takesJiffies()
          ? " needs a delay of at least one jiffy" : " takes no delay"));
    }
  }

  /** As the user writes it: {@code call_rcu}, {@code delayed-work:4}. */
  public String label() {
    return mechanism.takesJiffies() ? mechanism.name() + ":" + jiffies : mechanism.name();
  }

  /** Reads a --via word against the catalog's mechanisms; the message names the known ones. */
  public static Via parse(String word, Catalog catalog) {
    String w = word.strip();
    DeferralMechanismEntry m = catalog.deferralMechanism(w);
    if (m != null && !m.takesJiffies()) return new Via(m, 0);
    int colon = w.lastIndexOf(':');
    if (colon > 0) {
      DeferralMechanismEntry delayed = catalog.deferralMechanism(w.substring(0, colon));
      if (delayed != null && delayed.takesJiffies()) {
        String n = w.substring(colon + 1);
        if (!n.matches("[0-9]{1,6}") || Integer.parseInt(n) < 1) {
          throw new IllegalArgumentException("'" + w + "': the delay is a number of jiffies, 1 or more (e.g. "
              + delayed.name() + ":1)");
        }
        return new Via(delayed, Integer.parseInt(n));
      }
    }
    if (m != null) throw new IllegalArgumentException("'" + w + "' needs a delay in jiffies: " + w + ":1");
    List<String> known = new ArrayList<>();
    for (DeferralMechanismEntry e : catalog.deferralMechanisms()) known.add(e.takesJiffies() ? e.name() + ":JIFFIES" : e.name());
    throw new IllegalArgumentException("'" + w + "' is not a deferral mechanism (known: " + String.join(", ", known) + ")");
  }
}
