package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Traces;
import org.kreplay.report.corpus.Corpus;
import org.kreplay.report.corpus.Inputs;
import org.kreplay.report.document.AnalysisDocument;
import org.kreplay.report.document.Document;
import org.kreplay.report.document.Format;
import org.kreplay.report.document.SplatDocument;
import org.kreplay.report.document.TracesAndLogsDocument;
import org.kreplay.report.render.AnalysisCsv;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Rebuild CPU context, check the kernel's locking rules and measure deferral latency.",
    description = {
      "Rebuilds what each CPU was doing (task, softirq, hardirq, NMI; irqs off; locks held), reports"
          + " findings where the kernel's locking and context rules are broken (or would be under"
          + " PREEMPT_RT), and measures how long deferred work waited: workqueues, hrtimers, timers,"
          + " softirqs, irq_work, RCU callbacks, wakeups. Several traces are analysed one by one and"
          + " their results merged.",
      "",
      "The input format is recognised from the content: tracefs trace/trace_pipe text, trace-cmd"
          + " report (with or without -l), trace-cmd trace.dat (v6/v7, uncompressed, zlib or zstd),"
          + " kreplay CSV/JSONL; .gz, .xz and .zst are decompressed. '-' reads standard input."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay analyze traces/cyclictest/trace.txt.xz",
      "  kreplay analyze traces/cyclictest/trace.dat",
      "  kreplay analyze traces/cyclictest/",
      "  kreplay analyze --instance rt trace.dat",
      "  kreplay analyze --format json --output result.json trace.txt",
      "  kreplay analyze --format html -o report.html trace.txt",
      "  kreplay analyze --export timeline=trace.pftrace trace.dat",
      "  kreplay analyze --export lock-graph=locks.dot trace.txt && dot -Tsvg locks.dot > locks.svg",
      "  kreplay analyze --judge-as rt --fail-on any --catalog my-locks.yaml trace.txt",
      "  trace-cmd report -l trace.dat | kreplay analyze --cpu 1 --from 98.70 --to 98.80 -"
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", arity = "1..*",
      description = "Traces and kernel logs, directories of them (every file under one, merged), or '-' for standard input.")
  List<String> traces;

  @Mixin InputOptions input;

  @Mixin RuleOptions rules;

  @Mixin WorstOption worst;

  @Mixin FindingGate gate;

  @Option(names = "--to", paramLabel = "TIME", description = "Same as --until.")
  void to(String seconds) {
    input.to = seconds;
  }

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). html is one"
          + " self-contained page with sortable tables and charts.")
  Format format;

  @Option(names = "--csv-table", paramLabel = "TABLE", defaultValue = "deferrals",
      description = "Which table --format csv writes: deferrals, cpus, events, findings, worst (each row's"
          + " kept worst samples with their two events), blame (what each kept sample's CPU did while it"
          + " waited, a line per part) or chains (each deferral chain's segments, a line per segment;"
          + " default: ${DEFAULT-VALUE}).")
  AnalysisCsv.CsvTable csvTable;

  @Mixin OutputOptions target;

  @Mixin ExportOption export;

  @Override
  public Integer call() throws IOException {
    if (csvTableGiven() && format != Format.csv) {
      throw new KreplayCommand.UsageException("--csv-table chooses the table of --format csv; add -f csv");
    }
    // The analysis reads typed fields only: readers that can skip rendering body text do.
    ReadOptions options = input.toReadOptions().bodies(false);
    gate.validate();
    // Before any trace is read: a bad catalog should fail at once, not after a long analysis.
    AnalysisOptions analysis = worst.apply(rules.toAnalysisOptions());
    options.probeFrames(analysis.catalog()::probeFrame);
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    // Content decides: kernel logs go to the splat analysis, everything else is a trace.
    Corpus.Sorted sorted = Corpus.sort(Corpus.expandInputs(traces));
    List<String> logs = sorted.logs();
    List<String> inputs = new ArrayList<>(sorted.traces());
    // A console log can carry the trace too (ftrace_dump_on_oops): shown before its reports, as a
    // trace given with the log would be; that pairing is text and md only.
    for (String log : logs) {
      if (!Traces.hasFtraceDump(java.nio.file.Path.of(log))) continue;
      if (format.isText()) {
        inputs.add(log);
      } else if (!target.quiet) {
        err.println("kreplay: " + TerminalSafe.escape(log) + " holds an ftrace dump (ftrace_dump_on_oops): --format text or md"
            + " shows its analysis with the reports; `kreplay convert --format jsonl` makes it a trace of its own");
      }
    }
    if (!logs.isEmpty() && !inputs.isEmpty() && !format.isText()) {
      throw new KreplayCommand.UsageException("traces and kernel logs together can only be reported as text or md;"
          + " analyse the logs with `kreplay splat` for --format " + format);
    }
    export.validate(inputs.size(), logs.size(), target.output);
    AnalysisResult total = worst.result();
    if (export.timeline() != null) analyzeWithTimeline(inputs.get(0), options, analysis, total, err);
    else Inputs.analyzeTraces(inputs, options, analysis, total, err, target.quiet);
    if (export.lockGraph() != null) writeLockGraph(total, export.lockGraph(), err);
    if (!logs.isEmpty()) return analyzeLogs(logs, inputs.isEmpty() ? null : total, analysis, err);
    if (total.input().skippedTotal() > 0) { // about the data: shown with --quiet too
      err.printf("kreplay: %,d input lines skipped (see the report's input section), e.g. %s%n",
          total.input().skippedTotal(), total.input().examples().get(0));
    }
    if (format == Format.html && target.output == null && System.console() != null && !target.quiet) {
      // Still written: the user may mean it (e.g. to copy it); but say how to get a file.
      err.println("kreplay: writing HTML to the terminal; use -o report.html to save it as a file");
    }
    OutputTarget.write(new AnalysisDocument(total, csvTable), format, target.output);
    return gateExitCode(total, err);
  }

  /** lockdep's dependency graph the replay built, as JSON or DOT (--export lock-graph=FILE). */
  private void writeLockGraph(AnalysisResult total, java.nio.file.Path file, PrintWriter err) throws IOException {
    int edges;
    try (OutputTarget out = OutputTarget.open(file)) {
      if (ExportOption.dot(file)) {
        java.io.Writer w = out.writer();
        edges = org.kreplay.report.render.LockGraphDot.write(total, w);
        w.flush();
      } else {
        edges = org.kreplay.report.render.LockGraphJson.write(total, org.kreplay.report.Version.get(), out.stream());
      }
      out.commit();
    }
    if (!target.quiet) {
      err.println("kreplay: wrote " + TerminalSafe.escape(file.toString()) + ": "
          + org.kreplay.report.render.Units.count(edges, "lock dependency", "lock dependencies"));
    }
  }

  /** The one trace analysed while its replayed timeline is written (--export timeline=FILE). */
  private void analyzeWithTimeline(String trace, ReadOptions options, AnalysisOptions analysis, AnalysisResult total,
      PrintWriter err) throws IOException {
    try (TimelineFile timeline = TimelineFile.open(export.timeline(), TimelineFile.formatOf(export.timeline()))) {
      try {
        Inputs.analyzeTrace(trace, options, analysis, total, err, target.quiet, timeline.listener());
      } catch (UncheckedIOException e) {
        throw e.getCause(); // the timeline could not be written
      }
      timeline.finish();
      if (timeline.outOfOrderNote() != null) err.println("kreplay: " + timeline.outOfOrderNote());
      if (!target.quiet) err.println("kreplay: " + timeline.summary(total));
    }
  }

  private boolean csvTableGiven() {
    return spec.commandLine().getParseResult().hasMatchedOption("--csv-table");
  }

  /**
   * Kernel logs given to analyze: their reports judged and grouped as {@code kreplay splat} does,
   * after the traces' analysis when there are traces too.
   */
  private int analyzeLogs(List<String> logs, AnalysisResult traceResult, AnalysisOptions analysis, PrintWriter err)
      throws IOException {
    SplatResult splats = Inputs.judgeLogs(logs, input.strict, analysis);
    // only text and md get here with traces (checked before reading)
    Document report = traceResult == null ? new SplatDocument(splats, false) : new TracesAndLogsDocument(traceResult, splats);
    OutputTarget.write(report, format, target.output);
    int code = traceResult == null ? ExitCodes.OK : gateExitCode(traceResult, err);
    if (gate.enabled() && code == ExitCodes.OK) {
      List<SplatBucket> failing = gate.failingReports(splats);
      if (!failing.isEmpty()) {
        err.println("kreplay: --fail-on: " + FindingGate.describeReports(failing));
        return ExitCodes.GATE_FAILED;
      }
    }
    return code;
  }

  /** The report is written either way; the gate only decides the exit code and says why. */
  private int gateExitCode(AnalysisResult r, PrintWriter err) {
    if (!gate.enabled()) return ExitCodes.OK;
    List<Finding> failing = gate.failing(FindingsView.ordered(r));
    long ignored = gate.ignoredPossible(r.findings());
    String hint = ignored == 0 ? "" : " (" + Units.count(ignored, "possible finding", "possible findings")
        + " not counted; --fail-on-possible counts them)";
    if (failing.isEmpty()) {
      if (!hint.isEmpty() && !target.quiet) err.println("kreplay: --fail-on: no certain findings" + hint);
      return ExitCodes.OK;
    }
    err.println("kreplay: --fail-on: " + FindingGate.describe(failing) + hint);
    return ExitCodes.GATE_FAILED;
  }
}
