package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.whatif.Via;
import org.kreplay.analyze.whatif.WhatIf;
import org.kreplay.analyze.whatif.WhatIfResult;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.corpus.InputChecks;
import org.kreplay.report.corpus.ProgressMeter;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.TerminalSafe;

/** One whatif prediction from the user's words, for {@code whatif} and {@code compare --predicted-from}. */
final class WhatIfRun {
  private WhatIfRun() {}

  /** The mechanisms named, checked against the catalog (a usage error names the known ones). */
  static List<Via> vias(List<String> words, AnalysisOptions analysis) {
    List<Via> vias = new ArrayList<>();
    for (String v : words) {
      Via via;
      try {
        via = Via.parse(v, analysis.catalog());
      } catch (IllegalArgumentException e) {
        throw new KreplayCommand.UsageException("--via " + TerminalSafe.escape(e.getMessage()));
      }
      if (vias.stream().anyMatch(o -> o.label().equals(via.label()))) {
        throw new KreplayCommand.UsageException("--via " + via.label() + " is given twice");
      }
      vias.add(via);
    }
    return vias;
  }

  /**
   * An occurrence-less prediction is a question about code the trace does not run: a usage error
   * (exit 2) that names what the trace's findings are about, so the user can pick one.
   */
  static void requireOccurrences(WhatIfResult r, String defer, List<String> traces) {
    if (r.occurrences() > 0) return;
    java.util.Set<String> culprits = new java.util.TreeSet<>();
    for (Finding f : r.analysis().findings().all()) if (!f.culprit().equals(Finding.NO_STACK)) culprits.add(f.culprit());
    List<String> some = new ArrayList<>(culprits).subList(0, Math.min(10, culprits.size()));
    throw new KreplayCommand.UsageException("--defer " + TerminalSafe.escape(defer) + ": no finding's culprit, signature"
        + " or call chain and no deferral callback in " + TerminalSafe.escape(String.join(", ", traces)) + " is that"
        + (some.isEmpty() ? " (the trace has no findings; a callback name from analyze's deferral rows works too)"
            : "; its findings' culprits: " + TerminalSafe.escape(String.join(", ", some)) + (culprits.size() > 10 ? ", …" : "")));
  }

  static WhatIfResult predict(String trace, String defer, List<Via> vias, ReadOptions options, AnalysisOptions analysis,
      PrintWriter err, boolean quiet) throws IOException {
    if (defer.isBlank()) throw new KreplayCommand.UsageException("--defer: name the code to defer (a culprit, a signature, finding:N)");
    if (defer.strip().startsWith("finding:") && !defer.strip().matches("finding:[0-9]{1,9}")) {
      throw new KreplayCommand.UsageException("--defer " + TerminalSafe.escape(defer.strip()) + ": write finding:N, N as analyze numbers them");
    }
    String what = defer.strip().matches("finding:[0-9]+") ? nthFinding(trace, defer.strip(), options, analysis) : defer.strip();
    try (TraceReader reader = Traces.open(trace, options);
        ProgressMeter meter = ProgressMeter.start(err, trace, reader, quiet)) {
      WhatIfResult r = WhatIf.predict(reader, analysis, what, vias, meter::events);
      meter.close();
      Recognition.requireTrace(reader);
      InputChecks.warnIfNothingSelected(reader, err);
      return r;
    }
  }

  /** {@code finding:N}: the signature of the N-th finding analyze lists for this trace. */
  private static String nthFinding(String trace, String defer, ReadOptions options, AnalysisOptions analysis)
      throws IOException {
    int n = Integer.parseInt(defer.substring("finding:".length()));
    if (n < 1) throw new KreplayCommand.UsageException("--defer " + defer + ": findings are numbered from 1, as analyze lists them");
    AnalysisResult r;
    try (TraceReader reader = Traces.open(trace, options)) {
      r = Analyzer.analyze(reader, analysis, Analyzer.Progress.NONE);
      Recognition.requireTrace(reader);
    }
    List<Finding> findings = FindingsView.ordered(r);
    if (n < 1 || n > findings.size()) {
      throw new KreplayCommand.UsageException("--defer " + defer + ": " + TerminalSafe.escape(trace) + " has "
          + (findings.isEmpty() ? "no findings" : findings.size() == 1 ? "one finding" : findings.size() + " findings"));
    }
    return findings.get(n - 1).signature();
  }
}
