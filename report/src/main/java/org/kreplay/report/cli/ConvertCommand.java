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
      "  kreplay convert --to csv -o events.csv traces/cyclictest/trace.txt.xz",
      "  kreplay convert --to jsonl --cpu 0 trace.txt | jq -c 'select(.event==\"sched_switch\")'",
      "  kreplay convert --to csv --instance rt trace.dat"
    })
final class ConvertCommand implements Callable<Integer> {
  enum To { csv, jsonl }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "Trace file, or '-' for standard input.")
  String trace;

  @Option(names = "--to", required = true, paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES}.")
  To to;

  @Mixin InputOptions input;

  @Mixin OutputOptions target;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    try (TraceReader reader = Traces.open(trace,
        input.toReadOptions().probeFrames(Catalog.builtin()::probeFrame));
        ProgressMeter meter = ProgressMeter.start(err, trace, reader, target.quiet)) {
      // An input without a single event is checked before any output exists: a README converts to nothing.
      TraceEvent first = reader.next();
      if (first == null) {
        Recognition.requireTrace(reader);
        InputChecks.warnIfNothingSelected(reader, err);
      }
      try (OutputTarget out = OutputTarget.open(target.output)) {
        EventWriter w = to == To.csv ? EventWriter.csv(out.stream()) : EventWriter.jsonl(out.stream());
        long n = 0;
        for (TraceEvent e = first; e != null; e = reader.next()) {
          w.write(e);
          if ((++n & 0xffff) == 0) meter.events(n);
        }
        w.close();
        out.commit();
      }
      if (reader.stats().skippedTotal() > 0) { // about the data: shown with --quiet too
        err.printf("kreplay: %,d input lines skipped, e.g. %s%n",
            reader.stats().skippedTotal(), reader.stats().examples().get(0));
      }
    }
    return ExitCodes.OK;
  }
}
