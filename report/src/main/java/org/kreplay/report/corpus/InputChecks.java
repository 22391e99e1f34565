package org.kreplay.report.corpus;

import java.io.PrintWriter;
import org.kreplay.ingest.TraceReader;
import org.kreplay.report.render.SelectionText;

/** Warnings about what an input held, on stderr whatever --quiet says: they are about the data, not progress. */
public final class InputChecks {
  private InputChecks() {}

  /** --cpu/--from/--until that left nothing of a trace with events: said at once, not only in the report. */
  public static void warnIfNothingSelected(TraceReader reader, PrintWriter err) {
    if (!reader.stats().selectedNothing()) return;
    err.println("kreplay: warning: " + reader.info().source() + ": the selection holds no event: selected "
        + SelectionText.of(reader.stats()));
  }
}
