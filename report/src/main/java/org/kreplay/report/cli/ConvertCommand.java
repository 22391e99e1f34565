package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.kreplay.analyze.Catalog;
import org.kreplay.ingest.EventWriter;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.corpus.InputChecks;
import org.kreplay.report.corpus.ProgressMeter;
import org.kreplay.report.render.TerminalSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Write a trace as kreplay CSV or JSON Lines.",
    description = {
      "Writes any trace kreplay reads as kreplay's canonical CSV or JSON Lines (schema in"
          + " docs/formats.md), which read back to the same events."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay convert --format csv -o events.csv traces/cyclictest/trace.txt.xz",
      "  kreplay convert --format jsonl --cpu 0 trace.txt | jq -c 'select(.event==\"sched_switch\")'",
      "  kreplay convert -f csv --instance rt trace.dat"
    })
final class ConvertCommand implements Callable<Integer> {
  enum Format { csv, jsonl }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "Trace file, or '-' for standard input.")
  String trace;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (required).")
  Format format;

  /**
   * The old name of --format, kept for one release: elsewhere --to is a time (analyze --to = --until),
   * and one option name has one meaning across commands.
   */
  @Option(names = "--to", hidden = true, paramLabel = "FORMAT")
  Format deprecatedTo;

  @Mixin InputOptions input;

  @Mixin OutputOptions target;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    if (deprecatedTo != null) {
      if (format != null && format != deprecatedTo) {
        throw new KreplayCommand.UsageException("--format " + format + " and --to " + deprecatedTo + " disagree");
      }
      format = deprecatedTo;
      if (!target.quiet) err.println("kreplay: convert --to is deprecated and will go: use --format " + format);
    }
    if (format == null) throw new KreplayCommand.UsageException("convert: missing --format csv|jsonl");
    try (TraceReader reader = Traces.open(trace,
        input.toReadOptions(false).probeFrames(Catalog.builtin()::probeFrame));
        ProgressMeter meter = ProgressMeter.start(err, trace, reader, target.quiet)) {
      // An input without a single event is checked before any output exists: a README converts to nothing.
      TraceEvent first = reader.next();
      if (first == null) {
        meter.close();
        Recognition.requireTrace(reader);
        InputChecks.warnIfNothingSelected(reader, err);
      }
      try (OutputTarget out = OutputTarget.open(target.output)) {
        EventWriter w = format == Format.csv ? EventWriter.csv(out.stream()) : EventWriter.jsonl(out.stream());
        long n = 0;
        for (TraceEvent e = first; e != null; e = reader.next()) {
          w.write(e);
          if ((++n & 0xffff) == 0) meter.events(n);
        }
        w.close();
        out.commit();
      }
      meter.close(); // its line erased before the summary below
      if (reader.stats().skippedTotal() > 0) { // about the data: shown with --quiet too
        err.printf("kreplay: %,d input lines skipped, e.g. %s%n",
            reader.stats().skippedTotal(), reader.stats().examples().get(0));
      }
    }
    return ExitCodes.OK;
  }
}
