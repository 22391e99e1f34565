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
      try {
        vias.add(Via.parse(v, analysis.catalog()));
      } catch (IllegalArgumentException e) {
        throw new KreplayCommand.UsageException("--via " + TerminalSafe.escape(e.getMessage()));
      }
    }
    return vias;
  }

  static WhatIfResult predict(String trace, String defer, List<Via> vias, ReadOptions options, AnalysisOptions analysis,
      PrintWriter err, boolean quiet) throws IOException {
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
