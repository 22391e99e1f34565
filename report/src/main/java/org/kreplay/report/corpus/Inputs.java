package org.kreplay.report.corpus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.SplatAnalyzer;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;

/** How every command reads one input: a trace analysed, a kernel log's reports judged. */
public final class Inputs {
  private Inputs() {}

  /** One trace analysed, with the name of the format it was read as. */
  public record Trace(AnalysisResult result, String formatLabel) {}

  /** One kernel log read and judged; a file that is not a kernel log (a README) is an input error. */
  public static SplatResult judgeLog(String file, boolean strict, AnalysisOptions analysis) throws IOException {
    return judgeLog(file, strict, analysis, 1);
  }

  /** One kernel log, its reports judged by {@code workers} threads at once (the same result for any count). */
  public static SplatResult judgeLog(String file, boolean strict, AnalysisOptions analysis, int workers)
      throws IOException {
    return judgeLog(file, null, strict, analysis, workers);
  }

  /** The kernel log {@code name}, read from {@code local} when not null (a local copy of it). */
  public static SplatResult judgeLog(String name, Path local, boolean strict, AnalysisOptions analysis)
      throws IOException {
    return judgeLog(name, local, strict, analysis, 1);
  }

  private static SplatResult judgeLog(String name, Path local, boolean strict, AnalysisOptions analysis, int workers)
      throws IOException {
    ReadOptions options = ReadOptions.defaults().strict(strict).reportHeaders(analysis.catalog().reportHeaders());
    try (LogReader reader = local == null ? KernelLogs.open(name, options) : KernelLogs.open(name, local, options)) {
      SplatResult r = SplatAnalyzer.analyze(reader, analysis, workers);
      Recognition.requireLog(reader); // a README is not a clean log
      return r;
    }
  }

  /** Kernel logs judged one after the other, their reports merged. */
  public static SplatResult judgeLogs(List<String> files, boolean strict, AnalysisOptions analysis) throws IOException {
    SplatResult all = new SplatResult();
    for (String f : files) all.merge(judgeLog(f, strict, analysis));
    return all;
  }

  /** One trace analysed without progress (batch: many files at once); a file that is not a trace is an input error. */
  public static Trace analyzeTrace(String file, ReadOptions options, AnalysisOptions analysis, PrintWriter err)
      throws IOException {
    return analyzeTrace(file, null, options, analysis, err);
  }

  /** The trace {@code name}, read from {@code local} when not null (a local copy of it). */
  public static Trace analyzeTrace(String name, Path local, ReadOptions options, AnalysisOptions analysis,
      PrintWriter err) throws IOException {
    try (TraceReader reader = local == null ? Traces.open(name, options) : Traces.open(name, local, options)) {
      AnalysisResult r = Analyzer.analyze(reader, analysis, Analyzer.Progress.NONE);
      // A README or a script beside the traces: not merged (its lines are not trace lines).
      Recognition.requireTrace(reader);
      InputChecks.warnIfNothingSelected(reader, err);
      return new Trace(r, reader.info().format().label());
    }
  }

  /** Traces analysed one after the other into {@code into}, each with progress on stderr unless quiet. */
  public static void analyzeTraces(List<String> files, ReadOptions options, AnalysisOptions analysis,
      AnalysisResult into, PrintWriter err, boolean quiet) throws IOException {
    for (String f : files) analyzeTrace(f, options, analysis, into, err, quiet, null);
  }

  /**
   * One trace analysed and merged {@code into}; {@code timeline}, when not null, hears the replay
   * (the timeline export). Fails for an input that is not a trace, after reading it.
   */
  public static void analyzeTrace(String file, ReadOptions options, AnalysisOptions analysis, AnalysisResult into,
      PrintWriter err, boolean quiet, TimelineListener timeline) throws IOException {
    try (TraceReader reader = Traces.open(file, options);
        ProgressMeter meter = ProgressMeter.start(err, file, reader, quiet)) {
      Analyzer.merge(into, Analyzer.analyze(reader, analysis, meter::events, timeline));
      meter.close(); // its line erased before anything else is said about the input
      Recognition.requireTrace(reader);
      InputChecks.warnIfNothingSelected(reader, err);
    }
  }
}
