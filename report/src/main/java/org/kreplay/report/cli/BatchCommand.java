package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.render.AnalysisText;
import org.kreplay.report.render.BatchReport;
import org.kreplay.report.render.BatchReport.FileResult;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.SplatText;
import org.kreplay.report.render.TerminalSafe;
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
  enum Format { text, md, json, csv, html }

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
    List<String> files = InputFiles.expandCorpus(inputs);

    AnalysisResult total = worst.result();
    SplatResult reports = new SplatResult();
    List<FileResult> perFile = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
      Thread t = new Thread(r, "batch");
      t.setDaemon(true);
      return t;
    });
    long started = System.nanoTime();
    long lastProgress = started;
    try {
      // A window of futures, merged strictly in path order: bounded memory, deterministic result.
      Deque<Future<FileOutcome>> window = new ArrayDeque<>();
      int next = 0;
      int done = 0;
      while (next < files.size() || !window.isEmpty()) {
        while (next < files.size() && window.size() < 2 * jobs) {
          String f = files.get(next++);
          window.add(pool.submit(() -> analyse(f, options, analysis, err)));
        }
        FileOutcome o = await(window.removeFirst());
        if (o.result() != null) Analyzer.merge(total, o.result());
        if (o.reports() != null) reports.merge(o.reports());
        perFile.add(o.row());
        done++;
        long now = System.nanoTime();
        if (!target.quiet && now - lastProgress > 2_000_000_000L) {
          err.printf("kreplay: batch %,d/%,d files%n", done, files.size());
          err.flush();
          lastProgress = now;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    long failed = perFile.stream().filter(r -> r.error() != null).count();
    if (!target.quiet) {
      err.printf("kreplay: batch: %,d files, %,d unreadable, %.1f s%n", files.size(), failed,
          (System.nanoTime() - started) / 1e9);
    }
    // about the data: named with --quiet too
    for (FileResult r : perFile) if (r.error() != null) err.println("kreplay: " + r.path() + ": " + r.error());
    try (OutputTarget out = OutputTarget.open(target.output)) {
      write(perFile, total, reports, out);
      out.commit();
    }
    if (failed == files.size()) {
      // the report says which and why; but a batch that read nothing has no verdict to give
      err.println("kreplay: batch: none of the " + files.size() + " files could be read");
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
    if (InputFiles.isKernelLog(file)) return analyseLog(file, options, analysis, t0);
    try (TraceReader reader = Traces.open(file, options)) {
      AnalysisResult r = Analyzer.analyze(reader, analysis, Analyzer.Progress.NONE);
      // A README or a script beside the traces: named as unreadable, not merged (its lines are not trace lines).
      Recognition.requireTrace(reader);
      InputChecks.warnIfNothingSelected(reader, err);
      String format = reader.info().format().label();
      return new FileOutcome(r, null, new FileResult(file, format, r.input().events(), r.findings().size(), 0,
          r.input().skippedTotal(), (System.nanoTime() - t0) / 1_000_000, null));
    } catch (IOException | RuntimeException e) {
      return unreadable(file, e, t0);
    }
  }

  /** A kernel log: its reports judged and grouped as {@code kreplay splat} does. */
  private static FileOutcome analyseLog(String file, ReadOptions options, AnalysisOptions analysis, long t0) {
    try {
      SplatResult r = SplatCommand.judge(file, options.strict(), analysis);
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

  private static FileOutcome await(Future<FileOutcome> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void write(List<FileResult> files, AnalysisResult total, SplatResult reports, OutputTarget out)
      throws IOException {
    switch (format) {
      case json:
        BatchReport.json(files, total, reports, KreplayCommand.version(), out.stream());
        break;
      case html: {
        Writer w = out.writer();
        org.kreplay.report.render.html.HtmlReport.batch(files, total, reports, KreplayCommand.version(), w);
        w.flush();
        break;
      }
      case csv: {
        Writer w = out.writer();
        BatchReport.csv(files, total, w);
        w.flush();
        break;
      }
      default: {
        Writer w = out.text();
        boolean md = format == Format.md;
        w.write(BatchReport.filesSection(files, md));
        if (!reports.logs().isEmpty()) {
          // The kernel logs' problems first: short, and what a reader acts on.
          w.write(md ? SplatText.markdown(reports, false) : SplatText.text(reports, false));
          w.write("\n");
        }
        w.write(md ? AnalysisText.markdown(total) : AnalysisText.text(total));
        w.flush();
      }
    }
  }
}
