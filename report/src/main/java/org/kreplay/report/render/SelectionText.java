package org.kreplay.report.render;

import org.kreplay.ingest.InputStats;

/**
 * "selected: K of N events", shown in every format whenever --cpu, --from or --until was given, so a
 * selection that caught nothing reads as that and not as a quiet trace.
 */
public final class SelectionText {
  private SelectionText() {}

  /**
   * "0 of 73,840 events (--from 500)", or null when no selection was given. A trace.dat is not read
   * outside the selection (other CPUs, past --until), so there the total is what was looked at: "of
   * at least N", or no total at all.
   */
  public static String of(InputStats in) {
    if (in.selection() == null) return null;
    long k = in.events();
    long n = in.eventsBeforeSelection();
    if (!in.selectionNotRead()) return Units.count(k) + " of " + Units.count(n) + " events (" + in.selection() + ")";
    return Units.count(k) + (n > k ? " of at least " + Units.count(n) : "") + " events (" + in.selection()
        + "; the trace.dat outside the selection is not read, so not counted)";
  }
}
