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
import org.kreplay.analyze.SplatAnalyzer;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;
import org.kreplay.ingest.log.SplatKind;
import org.kreplay.report.render.SplatJson;
import org.kreplay.report.render.SplatText;
import org.kreplay.report.render.TerminalSafe;
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
  enum Format { text, md, json, csv, html }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "LOG", arity = "1..*", description = "Kernel logs, directories of them, or '-' for standard input.")
  List<String> logs;

  @Mixin RuleOptions rules;

  @Option(names = "--details", description = "Each problem's verdict, context and first report, structured.")
  boolean details;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Logs read at once (default: the number of CPUs).")
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
    List<String> files = InputFiles.expandCorpus(logs);
    SplatResult total = new SplatResult();
    List<String> unreadable = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
      Thread t = new Thread(r, "splat");
      t.setDaemon(true);
      return t;
    });
    try {
      // merged strictly in input order: the result does not depend on --jobs
      Deque<Future<Object>> window = new ArrayDeque<>();
      int next = 0;
      while (next < files.size() || !window.isEmpty()) {
        while (next < files.size() && window.size() < 2 * jobs) {
          String f = files.get(next++);
          window.add(pool.submit(() -> read(f, strict, analysis)));
        }
        Object o = await(window.removeFirst());
        if (o instanceof SplatResult r) total.merge(r);
        else unreadable.add((String) o);
      }
    } finally {
      pool.shutdownNow();
    }
    if (strict && !unreadable.isEmpty()) throw new IOException(unreadable.get(0));
    if (files.size() == 1 && !unreadable.isEmpty()) throw new IOException(unreadable.get(0)); // nothing to report
    for (String u : unreadable) err.println("kreplay: " + u); // about the data: shown with --quiet too
    if (files.size() > 1 && !target.quiet) {
      err.printf("kreplay: splat: %,d logs, %,d unreadable, %,d reports%n", files.size(), unreadable.size(),
          total.reports());
    }
    try (OutputTarget out = OutputTarget.open(target.output)) {
      write(total, out);
      out.commit();
    }
    // as batch: a corpus of which nothing could be read is an input error; a gate does not pass what it could not read
    if (unreadable.size() == files.size()) {
      err.println("kreplay: splat: none of the " + files.size() + " inputs could be read");
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

  /** One kernel log read and judged: how every command reads a log. */
  static SplatResult judge(String file, boolean strict, AnalysisOptions analysis) throws IOException {
    try (LogReader reader = KernelLogs.open(file,
        ReadOptions.defaults().strict(strict).reportHeaders(analysis.catalog().reportHeaders()))) {
      SplatResult r = SplatAnalyzer.analyze(reader, analysis);
      Recognition.requireLog(reader); // a README is not a clean log
      return r;
    }
  }

  /** One log's result, or "file: why" when it cannot be read. */
  private static Object read(String file, boolean strict, AnalysisOptions analysis) {
    try {
      return judge(file, strict, analysis);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : OneLine.of(e.getMessage());
      return why.startsWith(file) ? why : file + ": " + why;
    }
  }

  private static Object await(Future<Object> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void write(SplatResult r, OutputTarget out) throws IOException {
    render(r, format.name(), details, out);
  }

  /** Writes the result in a format named as --format names it (analyze writes logs this way too). */
  static void render(SplatResult r, String format, boolean details, OutputTarget out) throws IOException {
    Writer w = format.equals("text") || format.equals("md") ? out.text() : out.writer();
    switch (format) {
      case "json":
        SplatJson.write(r, KreplayCommand.version(), out.stream());
        return;
      case "csv":
        SplatJson.csv(r, w);
        break;
      case "html":
        org.kreplay.report.render.html.HtmlReport.splats(r, KreplayCommand.version(), w);
        break;
      default:
        w.write(format.equals("md") ? SplatText.markdown(r, details) : SplatText.text(r, details));
    }
    w.flush();
  }

}
