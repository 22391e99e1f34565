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
    header = "Write a trace as CSV or JSON Lines, or its replayed timeline for Perfetto.",
    description = {
      "Writes any trace kreplay reads as kreplay's canonical CSV or JSON Lines (schema in"
          + " docs/formats.md), which read back to the same events.",
      "",
      "--format perfetto writes the replayed timeline as a Perfetto trace (open it at"
          + " https://ui.perfetto.dev, Open trace file): a track per CPU with what ran there, nested"
          + " (task, softirq, hardirq, NMI), the findings and each deferral's arrow from enqueue to"
          + " execution where they happened, counter tracks for each CPU's preempt depth and irqs off,"
          + " and a track per task with its running and runnable periods. --format chrome-json writes the"
          + " same in the Chrome Trace Event format (chrome://tracing, Perfetto, speedscope). Both replay"
          + " the trace as analyze does, under the same --kernel, --judge-as and --catalog."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay convert --format csv -o events.csv traces/cyclictest/trace.txt.xz",
      "  kreplay convert --format jsonl --cpu 0 trace.txt | jq -c 'select(.event==\"sched_switch\")'",
      "  kreplay convert -f csv --instance rt trace.dat",
      "  kreplay convert -f perfetto -o cyclictest.pftrace traces/cyclictest-loaded/trace.dat"
    })
final class ConvertCommand implements Callable<Integer> {
  enum Format {
    csv, jsonl, perfetto, chrome_json;

    /** The replayed timeline, not the events. */
    boolean timeline() {
      return this == perfetto || this == chrome_json;
    }

    @Override
    public String toString() {
      return name().replace('_', '-');
    }
  }

  /** Accepts the names as --help shows them (chrome-json). */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) if (f.toString().equals(value.strip())) return f;
      throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of csv, jsonl, perfetto, chrome-json");
    }
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "Trace file, or '-' for standard input.")
  String trace;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", converter = FormatConverter.class,
      description = "Output format: ${COMPLETION-CANDIDATES} (required).")
  Format format;

  /**
   * The old name of --format, kept for one release: elsewhere --to is a time (analyze --to = --until),
   * and one option name has one meaning across commands.
   */
  @Option(names = "--to", hidden = true, paramLabel = "FORMAT", converter = FormatConverter.class)
  Format deprecatedTo;

  @Mixin InputOptions input;

  @Mixin OutputOptions target;

  /** The rules the timeline formats replay under; csv and jsonl are the events as read. */
  @Mixin RuleOptions rules;

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
    if (format == null) throw new KreplayCommand.UsageException("convert: missing --format csv|jsonl|perfetto|chrome-json");
    if (format.timeline()) return new TimelineConversion(trace, input, rules, target, err).run(format == Format.perfetto);
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
