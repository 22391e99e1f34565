package org.kreplay.report.render;

import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.analyze.LatencyStats;
import org.kreplay.analyze.whatif.Prediction;
import org.kreplay.analyze.whatif.WhatIfResult;

/** {@code kreplay whatif} as CSV: a row per mechanism asked, latencies in ns (empty when none was replayed). */
public final class WhatIfCsv {
  private WhatIfCsv() {}

  public static void write(WhatIfResult r, Writer out) throws IOException {
    try (CSVPrinter p = CsvOut.printer(out, "defer", "via", "runs_in", "occurrences", "per_second", "replayed", "p50_ns", "p90_ns",
        "p99_ns", "max_ns", "modeled", "unresolved", "runner_not_seen", "fixes", "why")) {
      for (Prediction x : r.predictions()) {
        LatencyStats s = x.replayed();
        boolean any = s.count() > 0;
        p.printRecord(r.what(), x.via().label(), x.runsIn().label(), r.occurrences(),
            r.hasRate() ? String.format(java.util.Locale.ROOT, "%.3f", r.perSecond()) : "", s.count(),
            any ? s.percentile(50) : "", any ? s.percentile(90) : "", any ? s.percentile(99) : "", any ? s.max() : "",
            x.modeled(), x.unresolved(), x.notSeen(), x.verdict().fixes(), x.verdict().why());
      }
    }
  }
}
