package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.report.corpus.BatchTotals;
import org.kreplay.report.corpus.Corpus;
import org.kreplay.report.document.BatchDocument;
import org.kreplay.report.document.Format;
import org.kreplay.report.render.BatchReport.FileResult;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.Units;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code kreplay batch} and {@code kreplay-spark batch} share: the inputs, the options every
 * file is analysed under, and the end of the run (the files named, the report written, the gate).
 * Only where the files are analysed differs: threads of one machine, or Spark tasks.
 */
public final class BatchOptions {
  @Parameters(paramLabel = "DIR|FILE", arity = "1..*", description = "Traces and kernel logs, and directories to read every one from.")
  List<String> inputs;

  @Mixin InputOptions input;

  @Mixin RuleOptions rules;

  @Mixin WorstOption worst;

  @Mixin FindingGate gate;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). csv writes the per-file table.")
  Format format;

  @Option(names = "--allow-unreadable",
      description = "Let --fail-on pass although some files could not be read or were neither traces nor kernel"
          + " logs (they are still named in the report and on standard error).")
  boolean allowUnreadable;

  @Mixin OutputOptions target;

  /** The read and analysis options every file of the batch is analysed under. */
  public record Settings(ReadOptions read, AnalysisOptions analysis) {}

  /** Checks the options and builds what every file is analysed under (a usage error names the option). */
  public Settings settings() throws IOException {
    ReadOptions options = input.toReadOptions();
    gate.validate();
    AnalysisOptions analysis = worst.apply(rules.toAnalysisOptions());
    options.probeFrames(analysis.catalog()::probeFrame);
    return new Settings(options, analysis);
  }

  /** The arguments as given (paths, or URLs of other file systems for kreplay-spark). */
  public List<String> inputs() {
    return inputs;
  }

  /** The local files of the arguments, in path order (a path that names nothing is a usage error). */
  public List<String> files() throws IOException {
    return Corpus.expandCorpus(inputs);
  }

  public boolean quiet() {
    return target.quiet;
  }

  /** Nothing merged yet, keeping the global worst N samples of each row. */
  public AnalysisResult emptyResult() {
    return worst.result();
  }

  /** Writes {@code totals}'s per-file table as CSV to {@code csv}, atomically. */
  public static void writeFileTable(BatchTotals totals, Path csv) throws IOException {
    OutputTarget.write(document(totals), Format.csv, csv);
  }

  /**
   * Ends a run: says how it went (unless quiet), names every unreadable file, writes the report and
   * returns the exit code (the gate's verdict, or an input error when no file could be read).
   */
  public int finish(BatchTotals totals, long startedNanos, PrintWriter err) throws IOException {
    List<FileResult> perFile = totals.files();
    long failed = totals.unreadable();
    if (!target.quiet) {
      err.printf(Locale.ROOT, "kreplay: batch: %s, %,d unreadable, %,.1f s%n", Units.count(perFile.size(), "file", "files"),
          failed, (System.nanoTime() - startedNanos) / 1e9);
    }
    // about the data: named with --quiet too
    for (FileResult r : perFile) if (r.error() != null) err.println("kreplay: " + r.path() + ": " + r.error());
    OutputTarget.write(document(totals), format, target.output);
    if (failed == perFile.size()) {
      // the report says which and why; but a batch that read nothing has no verdict to give
      err.println("kreplay: batch: " + (perFile.size() == 1 ? "the file could not be read"
          : "none of the " + Units.count(perFile.size()) + " files could be read"));
      return ExitCodes.INPUT;
    }
    if (!gate.enabled()) return ExitCodes.OK;
    List<Finding> failing = gate.failing(FindingsView.ordered(totals.traces()));
    List<SplatBucket> failingReports = gate.failingReports(totals.reports());
    boolean unread = failed > 0 && !allowUnreadable;
    if (failing.isEmpty() && failingReports.isEmpty() && !unread) return ExitCodes.OK;
    if (!failing.isEmpty()) err.println("kreplay: --fail-on: " + FindingGate.describe(failing));
    if (!failingReports.isEmpty()) err.println("kreplay: --fail-on: " + FindingGate.describeReports(failingReports));
    if (unread) err.println("kreplay: --fail-on: " + FindingGate.describeUnreadable(failed, perFile.size()));
    return ExitCodes.GATE_FAILED;
  }

  private static BatchDocument document(BatchTotals totals) {
    return new BatchDocument(totals.files(), totals.traces(), totals.reports());
  }
}
