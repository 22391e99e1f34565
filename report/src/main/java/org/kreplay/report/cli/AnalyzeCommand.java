package org.kreplay.report.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.render.AnalysisCsv;
import org.kreplay.report.render.AnalysisJson;
import org.kreplay.report.render.AnalysisText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuild what each CPU was doing (task, softirq, hardirq, NMI; irqs off) and measure how long",
      "deferred work waited: workqueues, hrtimers, timers, softirqs, irq_work, RCU callbacks, wakeups.",
      "Several traces are analysed one by one and their results merged."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay analyze traces/cyclictest/trace.txt.xz",
      "  kreplay analyze traces/cyclictest/trace.dat",
      "  kreplay analyze --instance rt trace.dat",
      "  kreplay analyze --format json --output result.json trace.txt",
      "  trace-cmd report -l trace.dat | kreplay analyze --cpu 1 --from 98.70 --to 98.80 -",
      "",
      "The input format is recognised from the content: tracefs trace/trace_pipe text, trace-cmd",
      "report (with or without -l), trace-cmd trace.dat (v6/v7, uncompressed, zlib or zstd),",
      "kreplay CSV/JSONL; .gz/.xz/.zst are decompressed. '-' reads stdin."
    })
final class AnalyzeCommand implements Callable<Integer> {
  enum Format { text, md, json, csv }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", arity = "1..*", description = "Trace files, or '-' for standard input.")
  List<String> traces;

  @Mixin InputOptions input;

  @Option(names = "--to", paramLabel = "SECONDS", description = "Same as --until.")
  void to(String seconds) {
    input.to = seconds;
  }

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--csv-table", paramLabel = "TABLE", defaultValue = "deferrals",
      description = "Which table --format csv writes: deferrals, cpus or events (default: ${DEFAULT-VALUE}).")
  AnalysisCsv.CsvTable csvTable;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the report to FILE (atomically) instead of standard output.")
  Path output;

  @Option(names = {"-q", "--quiet"}, description = "No progress messages on standard error.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    // The analysis reads typed fields only: readers that can skip body text do.
    ReadOptions options = input.toReadOptions().bodies(false);
    PrintWriter err = spec.commandLine().getErr();
    AnalysisResult total = new AnalysisResult();
    for (String trace : traces) {
      try (TraceReader reader = Traces.open(trace, options);
          ProgressMeter meter = ProgressMeter.start(err, trace, reader, quiet)) {
        total.merge(Analyzer.analyze(reader, meter::events));
      }
    }
    if (total.input().skippedTotal() > 0 && !quiet) {
      err.printf("kreplay: %,d input lines skipped (see the report's input section), e.g. %s%n",
          total.input().skippedTotal(), total.input().examples().get(0));
    }
    try (OutputTarget out = OutputTarget.open(output)) {
      write(total, out);
      out.commit();
    }
    return ExitCodes.OK;
  }

  private void write(AnalysisResult r, OutputTarget out) throws IOException {
    switch (format) {
      case json:
        AnalysisJson.write(r, KreplayCommand.version(), out.stream());
        break;
      case csv: {
        Writer w = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
        AnalysisCsv.write(r, csvTable, w);
        w.flush();
        break;
      }
      default: {
        Writer w = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
        w.write(format == Format.md ? AnalysisText.markdown(r) : AnalysisText.text(r));
        w.flush();
      }
    }
  }
}
