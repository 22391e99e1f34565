package org.kreplay.report.render;

import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.Comparison.FindingChange;
import org.kreplay.analyze.Comparison.LatencyChange;
import org.kreplay.analyze.Comparison.ReportChange;
import org.kreplay.analyze.SplatVerdict;

/**
 * A comparison as CSV: the latency table (one row per deferral row), the findings table, or the
 * kernel-reports table (one row per distinct problem of the sides' kernel logs).
 */
public final class ComparisonCsv {
  /** Which table to write. */
  public enum CsvTable { latency, findings, reports }

  private ComparisonCsv() {}

  public static void write(Comparison c, CsvTable table, Writer out) throws IOException {
    String selected = ComparisonText.selection(c);
    if (selected != null) out.write("# selected: " + selected + "\n"); // as analyze's CSV: a comment first
    if (table == CsvTable.reports) {
      try (CSVPrinter p = CsvOut.printer(out, "change", "kind",
          "signature", "culprit", "locks", "before_count", "after_count", "reproduced", "message")) {
        for (ReportChange r : c.reports()) {
          SplatVerdict v = r.bucket().verdict();
          p.printRecord(r.change().label(), v.kind(), v.signature(), v.culprit(), String.join(";", v.locks()),
              r.beforeCount(), r.afterCount(), v.reproduced(), v.message());
        }
      }
      return;
    }
    if (table == CsvTable.findings) {
      try (CSVPrinter p = CsvOut.printer(out, "change", "kind", "certainty",
          "signature", "culprit", "locks", "before_count", "after_count", "message")) {
        for (FindingChange f : c.findings()) {
          p.printRecord(f.change().label(), f.finding().kind().label(), f.finding().certainty().label(),
              f.finding().signature(), f.finding().culprit(), String.join(";", f.finding().locks()), f.beforeCount(),
              f.afterCount(), f.finding().message());
        }
      }
      return;
    }
    try (CSVPrinter p = CsvOut.printer(out, "mechanism", "metric", "key", "class",
        "before_count", "before_p50_ns", "before_p90_ns", "before_p99_ns", "before_max_ns", "after_count",
        "after_p50_ns", "after_p90_ns", "after_p99_ns", "after_max_ns", "mann_whitney_p", "kolmogorov_smirnov_p",
        "cliffs_delta", "tail_p99_slower_p", "tail_p99_faster_p", "tail_p999_slower_p", "tail_p999_faster_p",
        "verdict")) {
      for (LatencyChange l : c.latencies()) {
        p.printRecord(l.mechanism().label(), l.metric().label(), l.key(), l.classLabel(),
            l.before().count(), ns(l.before().count(), l.before().p50()), ns(l.before().count(), l.before().p90()),
            ns(l.before().count(), l.before().p99()), ns(l.before().count(), l.before().max()),
            l.after().count(), ns(l.after().count(), l.after().p50()), ns(l.after().count(), l.after().p90()),
            ns(l.after().count(), l.after().p99()), ns(l.after().count(), l.after().max()),
            d(l.mannWhitneyP()), d(l.kolmogorovSmirnovP()), d(l.effect()), tail(l, 0, true), tail(l, 0, false),
            tail(l, 1, true), tail(l, 1, false), l.verdict().label());
      }
    }
  }

  /** A tail test's p-value (0: p99, 1: p99.9), empty when the row had too few values for it. */
  private static String tail(LatencyChange l, int i, boolean slower) {
    if (i >= l.tails().size()) return "";
    return d(slower ? l.tails().get(i).slowerP() : l.tails().get(i).fasterP());
  }

  private static String ns(long count, long v) {
    return count == 0 ? "" : Long.toString(v);
  }

  private static String d(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
