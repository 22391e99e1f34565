package org.kreplay.report.render.html;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.TraceSummary;
import org.kreplay.ingest.InputStats;
import org.kreplay.report.render.AnalysisText;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.SelectionText;
import org.kreplay.report.render.Units;

/** The summary facts of one result, label to value, as the text report's "Trace" block states them. */
final class Facts {
  private Facts() {}

  static Map<String, String> of(AnalysisResult r) {
    TraceSummary s = r.summary();
    InputStats in = r.input();
    Map<String, String> f = new LinkedHashMap<>();
    f.put("inputs", String.join(", ", s.sources()));
    f.put("format", String.join(", ", s.formats()));
    f.put("flags column", String.join("; ", s.flagsFormats()));
    if (!s.kernels().isEmpty()) f.put("kernel", String.join("; ", s.kernels()));
    f.put("rules", FindingsView.rules(r));
    f.put("CPUs", s.cpus().size() + " " + s.cpus());
    f.put("duration", Units.duration(s.durationNs())
        + (s.sources().size() == 1 && s.events() > 0
            ? " (" + Units.timestamp(s.firstTimestamp()) + " to " + Units.timestamp(s.lastTimestamp()) + ")" : ""));
    f.put("events", Units.count(s.events()));
    if (SelectionText.of(in) != null) f.put("selected", SelectionText.of(in));
    f.put("HZ", s.hz() > 0 ? Integer.toString(s.hz()) : "unknown (timer-wheel lateness in jiffies)");
    f.put("timestamps", AnalysisText.resolutionText(s));
    f.put("lost events", AnalysisText.lostText(s, in));
    f.put("input lines", Units.count(in.lines()) + " (" + Units.count(in.events()) + " events, "
        + Units.count(in.stackFrames()) + " stack frames, " + Units.count(in.filtered()) + " filtered)");
    f.put("lines skipped", skipped(in));
    f.put("findings", findings(r));
    if (s.outOfOrder() > 0) f.put("out of order", Units.count(s.outOfOrder()) + " events earlier than the one before");
    if (s.contextRepairs() > 0 || s.unmatchedExits() > 0) {
      f.put("context", Units.count(s.unmatchedExits()) + " exits without entry, "
          + Units.count(s.contextRepairs()) + " missed exits corrected from flags");
    }
    if (s.untracked() > 0) f.put("untracked", Units.count(s.untracked()) + " enqueues (pending table full)");
    return f;
  }

  /** "none", or the count with the reasons: "3 (malformed event line 2, unknown event 1)". */
  static String skipped(InputStats in) {
    if (in.skippedTotal() == 0) return "none";
    StringBuilder sb = new StringBuilder(Units.count(in.skippedTotal())).append(" (");
    String sep = "";
    for (Map.Entry<String, Long> e : in.skipped().entrySet()) {
      sb.append(sep).append(e.getKey()).append(' ').append(Units.count(e.getValue()));
      sep = ", ";
    }
    return sb.append(')').toString();
  }

  /** "none", or "2 (0 certain, 2 possible), 89 occurrences". */
  static String findings(AnalysisResult r) {
    if (r.findings().isEmpty()) return "none";
    long certain = r.findings().all().stream().filter(x -> x.certainty() == Finding.Certainty.CERTAIN).count();
    long occurrences = r.findings().all().stream().mapToLong(Finding::count).sum();
    int n = r.findings().size();
    return Units.count(n) + " (" + Units.count(certain) + " certain, " + Units.count(n - certain) + " possible), "
        + Units.count(occurrences) + " occurrences";
  }
}
