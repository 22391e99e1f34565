package org.kreplay.report.corpus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.SplatResult;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.report.render.BatchReport;
import org.kreplay.report.render.BatchReport.FileResult;

/**
 * One file of a corpus analysed as {@code kreplay batch} does, wherever it runs: on a worker thread
 * of batch, or in a Spark task of kreplay-spark. A bad file is an outcome, never an exception.
 */
public final class FileAnalysis {
  private FileAnalysis() {}

  /** One file's analysis (a trace's result or a kernel log's reports), or why it could not be read. */
  public record Outcome(AnalysisResult result, SplatResult reports, FileResult row) {}

  /** The file at {@code file}, named by its path. */
  public static Outcome analyse(String file, ReadOptions options, AnalysisOptions analysis, PrintWriter err) {
    return analyse(file, null, options, analysis, err);
  }

  /**
   * The file {@code name}, read from {@code local} when not null (a local copy of a file on another
   * file system): results, evidence and messages name {@code name}.
   */
  public static Outcome analyse(String name, Path local, ReadOptions options, AnalysisOptions analysis,
      PrintWriter err) {
    long t0 = System.nanoTime();
    if (Corpus.isKernelLog(local == null ? name : local.toString())) return analyseLog(name, local, options, analysis, t0);
    try {
      // A README or a script beside the traces: named as unreadable, not merged (its lines are not trace lines).
      Inputs.Trace trace = Inputs.analyzeTrace(name, local, options, analysis, err);
      AnalysisResult r = trace.result();
      return new Outcome(r, null, new FileResult(name, trace.formatLabel(), r.input().events(), r.findings().size(), 0,
          r.input().skippedTotal(), (System.nanoTime() - t0) / 1_000_000, null));
    } catch (IOException | RuntimeException e) {
      return unreadable(name, local, e, t0);
    }
  }

  /** A kernel log: its reports judged and grouped as {@code kreplay splat} does. */
  private static Outcome analyseLog(String name, Path local, ReadOptions options, AnalysisOptions analysis, long t0) {
    try {
      SplatResult r = Inputs.judgeLog(name, local, options.strict(), analysis);
      return new Outcome(null, r, new FileResult(name, BatchReport.KERNEL_LOG, 0, r.buckets().size(), r.reports(),
          r.input().skippedTotal(), (System.nanoTime() - t0) / 1_000_000, null));
    } catch (IOException | RuntimeException e) {
      return unreadable(name, local, e, t0);
    }
  }

  /** One bad file never stops the batch: it is named, with the reason, in the report. */
  private static Outcome unreadable(String file, Path local, Exception e, long t0) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : OneLine.of(e.getMessage());
    // a message about the local copy is about the file the user named
    if (local != null) why = why.replace(local.toString(), file);
    if (e instanceof TraceFormatException tf && tf.problem().source().equals(file)) {
      // the row already names the file; keep where in it ("line 12: …", "byte offset 4,096: …")
      InputProblem p = tf.problem();
      String at = p.location().substring(file.length());
      // "file:12" is a line, "file: byte offset 29" a place of its own ("line  byte offset" before)
      at = at.startsWith(": ") ? at.substring(2) + ": " : at.startsWith(":") ? "line " + at.substring(1) + ": " : "";
      why = OneLine.of(at + p.reason() + (p.excerpt().isEmpty() ? "" : ": " + p.excerpt()));
    } else if (why.startsWith(file + ": ")) {
      why = why.substring(file.length() + 2);
    }
    return new Outcome(null, null, new FileResult(file, null, 0, 0, 0, 0, (System.nanoTime() - t0) / 1_000_000, why));
  }
}
