package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.corpus.InputChecks;
import org.kreplay.report.corpus.ProgressMeter;
import org.kreplay.report.timeline.TimelineExport;

/** {@code convert --format perfetto|chrome-json}: the trace replayed as analyze does, written as a timeline. */
final class TimelineConversion {
  private final String trace;
  private final InputOptions input;
  private final RuleOptions rules;
  private final OutputOptions target;
  private final PrintWriter err;

  TimelineConversion(String trace, InputOptions input, RuleOptions rules, OutputOptions target, PrintWriter err) {
    this.trace = trace;
    this.input = input;
    this.rules = rules;
    this.target = target;
    this.err = err;
  }

  int run(boolean perfetto) throws IOException {
    if (perfetto && target.output == null && System.console() != null) {
      throw new KreplayCommand.UsageException("--format perfetto writes a binary file: add -o FILE (e.g. -o trace.pftrace)");
    }
    AnalysisOptions analysis = rules.toAnalysisOptions();
    ReadOptions options = input.toReadOptions().bodies(false).probeFrames(analysis.catalog()::probeFrame);
    TimelineExport.Format format = perfetto ? TimelineExport.Format.PERFETTO : TimelineExport.Format.CHROME_JSON;
    try (TraceReader reader = Traces.open(trace, options);
        ProgressMeter meter = ProgressMeter.start(err, trace, reader, target.quiet);
        TimelineFile timeline = TimelineFile.open(target.output, format)) {
      AnalysisResult result;
      try {
        result = Analyzer.analyze(reader, analysis, meter::events, timeline.listener());
      } catch (UncheckedIOException e) {
        throw e.getCause(); // the output could not be written
      }
      meter.close(); // its line erased before the summary below
      // Nothing is written for an input that is not a trace (a README): the output is never committed.
      Recognition.requireTrace(reader);
      InputChecks.warnIfNothingSelected(reader, err);
      timeline.finish();
      summary(timeline, result, reader);
    }
    return ExitCodes.OK;
  }

  private void summary(TimelineFile timeline, AnalysisResult result, TraceReader reader) {
    if (reader.stats().skippedTotal() > 0) { // about the data: shown with --quiet too
      err.printf("kreplay: %,d input lines skipped, e.g. %s%n", reader.stats().skippedTotal(),
          reader.stats().examples().get(0));
    }
    if (timeline.outOfOrderNote() != null) err.println("kreplay: " + timeline.outOfOrderNote());
    if (!target.quiet) err.println("kreplay: " + timeline.summary(result));
  }
}
