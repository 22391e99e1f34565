package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.whatif.PredictionCheck;
import org.kreplay.analyze.whatif.Via;
import org.kreplay.analyze.whatif.WhatIfResult;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.report.corpus.Corpus;
import org.kreplay.report.corpus.Inputs;
import org.kreplay.report.document.ComparisonDocument;
import org.kreplay.report.document.Format;
import org.kreplay.report.render.ComparisonCsv;
import org.kreplay.report.render.TerminalSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Compare a trace from before a change with one from after it.",
    description = {
      "Analyses each side (a trace, a kernel log, or a directory of them merged into one result) under the same"
          + " rules and reports which findings and kernel-report problems the change fixed, introduced or left"
          + " (matched by signature), and for every deferral row whether"
          + " its latency moved: percentiles side by side, a Mann-Whitney U and a two-sample Kolmogorov-Smirnov"
          + " test, Cliff's delta and a verdict. --fail-on turns it into a CI gate."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay compare traces/seeds/2-kvfree-rcu/before.txt traces/seeds/2-kvfree-rcu/after.txt",
      "  kreplay compare --fail-on 'new-findings,latency:workqueue:p99>+20%%' before/ after/",
      "  kreplay compare -f md before.dat after.dat > reply.md",
      "  kreplay compare before.txt after.txt --predicted-from before.txt --defer inactive_task_timer --via call_rcu,workqueue"
    })
final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BEFORE", description = "The trace or kernel log (or a directory of them) before the change.")
  String before;

  @Parameters(index = "1", paramLabel = "AFTER", description = "The trace or kernel log (or a directory of them) after the change.")
  String after;

  @Mixin InputOptions input;

  @Mixin RuleOptions rules;

  @Mixin WorstOption worst;

  @Mixin CompareGate gate;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). md is plain enough to paste"
          + " into a mailing-list reply or a pull request.")
  Format format;

  @Option(names = "--csv-table", paramLabel = "TABLE", defaultValue = "latency",
      description = "Which table --format csv writes: latency, findings or reports (kernel-report problems of the logs) (default: ${DEFAULT-VALUE}).")
  ComparisonCsv.CsvTable csvTable;

  @Mixin OutputOptions target;

  @Option(names = "--predicted-from", paramLabel = "TRACE",
      description = "Also predict the fix from TRACE (usually BEFORE) as `kreplay whatif TRACE --defer WHAT --via MECH`"
          + " does, and show each mechanism's prediction beside the after side's new row of that mechanism, with the"
          + " error of p50, p90 and p99. Needs --defer and --via.")
  String predictedFrom;

  @Option(names = "--defer", paramLabel = "WHAT", description = "With --predicted-from: the code deferred, as for whatif.")
  String defer;

  @Option(names = "--via", split = ",", paramLabel = "MECH[,MECH...]",
      description = "With --predicted-from: the mechanisms to predict, as for whatif.")
  List<String> via;

  @Override
  public Integer call() throws IOException {
    if (spec.commandLine().getParseResult().hasMatchedOption("--csv-table") && format != Format.csv) {
      throw new KreplayCommand.UsageException("--csv-table chooses the table of --format csv; add -f csv");
    }
    ReadOptions options = input.toReadOptions();
    gate.validate();
    AnalysisOptions analysis = worst.apply(rules.toAnalysisOptions());
    options.probeFrames(analysis.catalog()::probeFrame);
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    boolean predict = predictedFrom != null || defer != null || via != null;
    if (predict && (predictedFrom == null || defer == null || via == null)) {
      throw new KreplayCommand.UsageException("--predicted-from, --defer and --via go together");
    }
    List<Via> vias = predict ? WhatIfRun.vias(via, analysis) : List.of();
    Side b = side(before, options, analysis, err);
    Side a = side(after, options, analysis, err);
    Comparison c = Comparison.of(b.traces(), b.logs(), a.traces(), a.logs());
    PredictionCheck check = null;
    if (predict) {
      WhatIfResult w = WhatIfRun.predict(predictedFrom, defer, vias, options, analysis, err, target.quiet);
      WhatIfRun.requireOccurrences(w, defer, List.of(predictedFrom));
      check = PredictionCheck.of(w, b.traces(), a.traces());
      if (format == Format.csv || format == Format.html) {
        err.println("kreplay: --predicted-from: the prediction is shown in text, md and json, not in --format " + format);
      }
    }
    OutputTarget.write(new ComparisonDocument(c, csvTable, check, predictedFrom), format, target.output);
    if (!gate.enabled()) return ExitCodes.OK;
    List<String> failing = gate.failing(c);
    if (failing.isEmpty()) return ExitCodes.OK;
    for (String why : failing) err.println("kreplay: --fail-on " + why);
    return ExitCodes.GATE_FAILED;
  }

  /** One side: its traces analysed and merged, its kernel logs' reports grouped. */
  private record Side(AnalysisResult traces, SplatResult logs) {}

  /** One side: every trace and kernel log it names (content decides which is which). */
  private Side side(String arg, ReadOptions options, AnalysisOptions analysis, PrintWriter err) throws IOException {
    Corpus.Sorted files = Corpus.sort(Corpus.expandInputs(List.of(arg)));
    AnalysisResult traces = worst.result();
    Inputs.analyzeTraces(files.traces(), options, analysis, traces, err, target.quiet);
    return new Side(traces, Inputs.judgeLogs(files.logs(), input.strict, analysis));
  }
}
