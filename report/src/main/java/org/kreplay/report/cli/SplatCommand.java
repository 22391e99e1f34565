package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.ingest.log.SplatKind;
import org.kreplay.report.corpus.Corpus;
import org.kreplay.report.corpus.Inputs;
import org.kreplay.report.corpus.OneLine;
import org.kreplay.report.corpus.PathOrder;
import org.kreplay.report.document.Format;
import org.kreplay.report.document.SplatDocument;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "splat",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Find every kernel report in logs, replay it, group them into distinct problems.",
    description = {
      "Reads kernel logs (dmesg, dmesg -T, journalctl -k, syslog, serial console; printk caller tags; .gz/.xz/.zst;"
          + " '-' for standard input), finds every report (lockdep, sleeping in atomic, scheduling while atomic,"
          + " soft lockups, RCU stalls, hung tasks, WARNINGs, BUGs, Oopses…), rebuilds the context its call trace"
          + " ran in and replays it through the kernel model for a verdict, culprit and remedy, and groups the"
          + " reports by signature (kind, culprit, lock classes). Directories are read whole, several logs at a"
          + " time; a log that cannot be read is named and the rest go on."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  dmesg | kreplay splat -",
      "  kreplay splat --details console.log",
      "  kreplay splat -f json -o problems.json /srv/ci-logs/"
    })
final class SplatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "LOG", arity = "1..*", description = "Kernel logs, directories of them, or '-' for standard input.")
  List<String> logs;

  @Mixin RuleOptions rules;

  @Option(names = "--details", description = "Each problem's verdict, context and first report, structured.")
  boolean details;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Logs read at once (default: the number of CPUs); with fewer logs than that, the spare jobs judge one log's reports in parallel (the same result).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Mixin OutputOptions target;

  @Option(names = "--fail-on", paramLabel = "KIND[,KIND...]|any", split = ",",
      description = "Exit with code 1 (after writing the report) when a report of these kinds was found (labels as in"
          + " the report: sleep-in-atomic, circular-dependency, soft-lockup, warning, …) or any.")
  List<String> failOn = new ArrayList<>();

  @Option(names = "--strict", description = "Stop at the first malformed line inside a report (exit code 3).")
  boolean strict;

  @Option(names = "--allow-unreadable",
      description = "Let --fail-on pass although some logs could not be read (they are still named).")
  boolean allowUnreadable;

  @Override
  public Integer call() throws IOException {
    if (jobs < 1) throw new KreplayCommand.UsageException("--jobs must be at least 1");
    for (String k : failOn) {
      if (!k.equals("any")) {
        try {
          SplatKind.fromLabel(k);
        } catch (IllegalArgumentException e) {
          throw new KreplayCommand.UsageException("--fail-on: " + e.getMessage());
        }
      }
    }
    AnalysisOptions analysis = rules.toAnalysisOptions();
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    List<String> files = Corpus.expandCorpus(logs);
    SplatResult total = new SplatResult();
    List<String> unreadable = new ArrayList<>();
    // fewer logs than jobs: the spare jobs judge one log's reports while its reader reads on
    int workers = Math.max(1, jobs / Math.max(1, files.size()));
    PathOrder.run(files, jobs, "splat", f -> read(f, strict, analysis, workers), o -> {
      if (o.result() != null) total.merge(o.result());
      else unreadable.add(o.unreadable());
    });
    if (strict && !unreadable.isEmpty()) throw new IOException(unreadable.get(0));
    if (files.size() == 1 && !unreadable.isEmpty()) throw new IOException(unreadable.get(0)); // nothing to report
    for (String u : unreadable) err.println("kreplay: " + u); // about the data: shown with --quiet too
    if (files.size() > 1 && !target.quiet) {
      err.printf("kreplay: splat: %,d logs, %,d unreadable, %,d reports%n", files.size(), unreadable.size(),
          total.reports());
    }
    OutputTarget.write(new SplatDocument(total, details), format, target.output);
    // as batch: a corpus of which nothing could be read is an input error; a gate does not pass what it could not read
    if (unreadable.size() == files.size()) {
      err.println("kreplay: splat: none of the " + Units.count(files.size()) + " inputs could be read");
      return ExitCodes.INPUT;
    }
    if (!failOn.isEmpty() && !unreadable.isEmpty() && !allowUnreadable) {
      err.println("kreplay: --fail-on: " + FindingGate.describeUnreadable(unreadable.size(), files.size()));
      return ExitCodes.GATE_FAILED;
    }
    if (failOn.isEmpty()) return ExitCodes.OK;
    List<String> failing = new ArrayList<>();
    for (SplatBucket b : total.buckets()) {
      if (failOn.contains("any") || failOn.contains(b.verdict().kind())) {
        failing.add(b.verdict().kind() + " in " + b.verdict().culprit() + " x" + b.count());
      }
    }
    if (failing.isEmpty()) return ExitCodes.OK;
    err.println("kreplay: --fail-on: " + failing.size() + (failing.size() == 1 ? " problem: " : " problems: ")
        + String.join(", ", failing));
    return ExitCodes.GATE_FAILED;
  }

  /** One log's reports, or "file: why" when it cannot be read. */
  private record LogOutcome(SplatResult result, String unreadable) {}

  private static LogOutcome read(String file, boolean strict, AnalysisOptions analysis, int workers) {
    try {
      return new LogOutcome(Inputs.judgeLog(file, strict, analysis, workers), null);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : OneLine.of(e.getMessage());
      return new LogOutcome(null, why.startsWith(file) ? why : file + ": " + why);
    }
  }
}
