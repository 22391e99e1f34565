package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.report.corpus.Corpus;
import org.kreplay.report.corpus.Inputs;
import org.kreplay.report.corpus.OneLine;
import org.kreplay.report.corpus.PathOrder;
import org.kreplay.report.corpus.ProgressLine;
import org.kreplay.report.document.BatchDocument;
import org.kreplay.report.document.Format;
import org.kreplay.report.render.BatchReport;
import org.kreplay.report.render.BatchReport.FileResult;
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
    name = "batch",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Analyse a corpus of traces and kernel logs on all cores into one merged report.",
    description = {
      "Analyses every file given and every file under the directories given (hidden ones skipped), several at"
          + " a time, and merges the results in path order, so the report is the same as analysing the files"
          + " one by one and merging. Kernel logs (content decides) have their reports grouped as kreplay splat"
          + " does. A file that cannot be read is named with the reason and the batch goes on;"
          + " the report has a row per file and the merged analysis."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay batch traces/",
      "  kreplay batch --jobs 8 -f json -o corpus.json /srv/ci-traces/",
      "  kreplay batch --fail-on any nightly/*.txt.xz"
    })
final class BatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR|FILE", arity = "1..*", description = "Traces and kernel logs, and directories to read every one from.")
  List<String> inputs;

  @Mixin InputOptions input;

  @Mixin RuleOptions rules;

  @Mixin WorstOption worst;

  @Mixin FindingGate gate;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N",
      description = "Files analysed at once (default: the number of CPUs, ${sys:kreplay.cpus:-this machine's}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). csv writes the per-file table.")
  Format format;

  @Option(names = "--allow-unreadable",
      description = "Let --fail-on pass although some files could not be read or were neither traces nor kernel"
          + " logs (they are still named in the report and on standard error).")
  boolean allowUnreadable;

  @Mixin OutputOptions target;

  @Override
  public Integer call() throws IOException {
    if (jobs < 1) throw new KreplayCommand.UsageException("--jobs must be at least 1");
    ReadOptions options = input.toReadOptions();
    gate.validate();
    AnalysisOptions analysis = worst.apply(rules.toAnalysisOptions());
    options.probeFrames(analysis.catalog()::probeFrame);
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    List<String> files = Corpus.expandCorpus(inputs);

    AnalysisResult total = worst.result();
    SplatResult reports = new SplatResult();
    List<FileResult> perFile = new ArrayList<>();
    long started = System.nanoTime();
    long[] lastProgress = {started};
    ProgressLine progress = ProgressLine.on(err);
    PathOrder.run(files, jobs, "batch", f -> analyse(f, options, analysis, err), o -> {
      if (o.result() != null) Analyzer.merge(total, o.result());
      if (o.reports() != null) reports.merge(o.reports());
      perFile.add(o.row());
      long now = System.nanoTime();
      if (!target.quiet && now - lastProgress[0] > progress.intervalMs() * 1_000_000L) {
        double secs = (now - started) / 1e9;
        progress.show(String.format(Locale.ROOT, "kreplay: batch %,d/%,d files, %,.1f files/s%s", perFile.size(),
            files.size(), perFile.size() / secs, ProgressLine.eta(perFile.size(), files.size(), secs)));
        lastProgress[0] = now;
      }
    });
    progress.clear();
    long failed = perFile.stream().filter(r -> r.error() != null).count();
    if (!target.quiet) {
      err.printf(Locale.ROOT, "kreplay: batch: %s, %,d unreadable, %,.1f s%n", Units.count(files.size(), "file", "files"),
          failed, (System.nanoTime() - started) / 1e9);
    }
    // about the data: named with --quiet too
    for (FileResult r : perFile) if (r.error() != null) err.println("kreplay: " + r.path() + ": " + r.error());
    OutputTarget.write(new BatchDocument(perFile, total, reports), format, target.output);
    if (failed == files.size()) {
      // the report says which and why; but a batch that read nothing has no verdict to give
      err.println("kreplay: batch: " + (files.size() == 1 ? "the file could not be read"
          : "none of the " + Units.count(files.size()) + " files could be read"));
      return ExitCodes.INPUT;
    }
    if (!gate.enabled()) return ExitCodes.OK;
    List<Finding> failing = gate.failing(FindingsView.ordered(total));
    List<SplatBucket> failingReports = gate.failingReports(reports);
    boolean unread = failed > 0 && !allowUnreadable;
    if (failing.isEmpty() && failingReports.isEmpty() && !unread) return ExitCodes.OK;
    if (!failing.isEmpty()) err.println("kreplay: --fail-on: " + FindingGate.describe(failing));
    if (!failingReports.isEmpty()) err.println("kreplay: --fail-on: " + FindingGate.describeReports(failingReports));
    if (unread) err.println("kreplay: --fail-on: " + FindingGate.describeUnreadable(failed, files.size()));
    return ExitCodes.GATE_FAILED;
  }

  /** One file's analysis (a trace's result or a kernel log's reports), or why it could not be read. */
  private record FileOutcome(AnalysisResult result, SplatResult reports, FileResult row) {}

  private static FileOutcome analyse(String file, ReadOptions options, AnalysisOptions analysis, PrintWriter err) {
    long t0 = System.nanoTime();
    if (Corpus.isKernelLog(file)) return analyseLog(file, options, analysis, t0);
    try {
      // A README or a script beside the traces: named as unreadable, not merged (its lines are not trace lines).
      Inputs.Trace trace = Inputs.analyzeTrace(file, options, analysis, err);
      AnalysisResult r = trace.result();
      return new FileOutcome(r, null, new FileResult(file, trace.formatLabel(), r.input().events(), r.findings().size(), 0,
          r.input().skippedTotal(), (System.nanoTime() - t0) / 1_000_000, null));
    } catch (IOException | RuntimeException e) {
      return unreadable(file, e, t0);
    }
  }

  /** A kernel log: its reports judged and grouped as {@code kreplay splat} does. */
  private static FileOutcome analyseLog(String file, ReadOptions options, AnalysisOptions analysis, long t0) {
    try {
      SplatResult r = Inputs.judgeLog(file, options.strict(), analysis);
      return new FileOutcome(null, r, new FileResult(file, BatchReport.KERNEL_LOG, 0, r.buckets().size(), r.reports(),
          r.input().skippedTotal(), (System.nanoTime() - t0) / 1_000_000, null));
    } catch (IOException | RuntimeException e) {
      return unreadable(file, e, t0);
    }
  }

  /** One bad file never stops the batch: it is named, with the reason, in the report. */
  private static FileOutcome unreadable(String file, Exception e, long t0) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : OneLine.of(e.getMessage());
    if (e instanceof TraceFormatException tf && tf.problem().source().equals(file)) {
      // the row already names the file; keep where in it ("line 12: …", "byte offset 4,096: …")
      InputProblem p = tf.problem();
      String at = p.location().substring(file.length());
      at = at.startsWith(":") ? "line " + at.substring(1) + ": " : at.startsWith(": ") ? at.substring(2) + ": " : "";
      why = OneLine.of(at + p.reason() + (p.excerpt().isEmpty() ? "" : ": " + p.excerpt()));
    } else if (why.startsWith(file + ": ")) {
      why = why.substring(file.length() + 2);
    }
    return new FileOutcome(null, null, new FileResult(file, null, 0, 0, 0, 0, (System.nanoTime() - t0) / 1_000_000, why));
  }
}
