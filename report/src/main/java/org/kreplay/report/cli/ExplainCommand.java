package org.kreplay.report.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralSample;
import org.kreplay.analyze.Mechanism;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Recognition;
import org.kreplay.ingest.TimeBound;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.render.TerminalSafe;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Show what one deferral waited for, event by event.",
    description = {
      "Replays the trace as analyze does and prints the interval of one latency sample on the CPU"
          + " where it ran, event by event: each event with the context stack and the locks the running"
          + " task held right after it, and what the CPU did meanwhile, split as analyze's blame. The"
          + " sample is the one that ran at --at (as the worst-samples table prints it; --cpu picks the"
          + " CPU when several ran then), else the longest whose wait holds that time; or the K-th worst"
          + " of a row with --sample. --pid, --comm and --event choose the samples (as for analyze) and"
          + " the events printed; the context and the split still count every event, the locks held only"
          + " the selected lock events."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay explain traces/cyclictest-loaded/trace.dat --at 654.846091",
      "  kreplay explain traces/cyclictest-loaded/trace.dat --sample wakeup/stress-ng-io",
      "  kreplay explain trace.dat --sample hrtimer/hrtimer_wakeup#3 --limit 0",
      "  kreplay explain trace.dat --sample wakeup/all --comm 'cyclictest*' --event 'sched_*'"
    })
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "A trace file (any format analyze reads).")
  String trace;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--at", paramLabel = "SECONDS", required = true,
        description = "The time the sample ran (or, failing that, a time inside its wait), as the trace prints it.")
    String at;

    @Option(names = "--sample", paramLabel = "MECHANISM/KEY[#K]", required = true,
        description = "The K-th worst sample (default 1) of a deferral row, as analyze names it: wakeup/cyclictest,"
            + " hrtimer/hrtimer_wakeup#2, workqueue/all.")
    String sample;
  }

  @Option(names = "--cpu", paramLabel = "N", description = "With --at: the CPU the sample ran on.")
  Integer cpu;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "200",
      description = "Show at most N events of the interval, the first and last halves (0: all; default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--instance", paramLabel = "NAME",
      description = "Read the trace.dat ring buffer of this instance (trace-cmd record -B NAME).")
  String instance;

  @Mixin EventFilterOptions tasks;

  @Mixin RuleOptions rules;

  @Mixin OutputOptions target;

  @Override
  public Integer call() throws IOException {
    if (limit < 0) throw new KreplayCommand.UsageException("--limit " + limit + ": must be 0 (all) or more");
    if (cpu != null && which.at == null) throw new KreplayCommand.UsageException("--cpu goes with --at");
    AnalysisOptions analysis = rules.toAnalysisOptions();
    ExplainedSample sample = which.at != null ? findAt(analysis) : findWorst(analysis);
    ExplainedInterval interval = new ExplainedInterval(sample, limit, tasks.label().strip());
    try (TraceReader reader = open(analysis, sample.executeTs(), true)) {
      Analyzer.analyze(reader, analysis, Analyzer.Progress.NONE, interval);
    }
    try (OutputTarget out = OutputTarget.open(target.output)) {
      PrintWriter w = new PrintWriter(new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8));
      w.print(interval.text());
      w.flush();
      out.commit();
    }
    return ExitCodes.OK;
  }

  /**
   * The trace, up to {@code untilNs}; with bodies only for the pass that prints them (a trace.dat
   * renders them only when asked). Events --pid/--comm/--event leave out still reach the replay's
   * context, so the context column and the split are as without them.
   */
  private TraceReader open(AnalysisOptions analysis, long untilNs, boolean bodies) throws IOException {
    return Traces.open(trace, ReadOptions.defaults().instance(instance).probeFrames(analysis.catalog()::probeFrame)
        .timeRange(Long.MIN_VALUE, untilNs).bodies(bodies).select(tasks.selection()));
  }

  private ExplainedSample findAt(AnalysisOptions analysis) throws IOException {
    long at = absoluteTime(which.at);
    SampleFinder finder = new SampleFinder(at, tolerance(which.at), cpu == null ? -1 : cpu);
    try (TraceReader reader = open(analysis, Long.MAX_VALUE, false)) {
      Analyzer.analyze(reader, analysis, Analyzer.Progress.NONE, finder);
      Recognition.requireTrace(reader);
    }
    ExplainedSample s = finder.found();
    if (s == null) {
      throw new KreplayCommand.UsageException("--at " + which.at + (cpu == null ? "" : " --cpu " + cpu)
          + tasks.label() + ": no deferral in " + TerminalSafe.escape(trace) + " ran then or was waiting then"
          + (tasks.given() ? " among the selected events" : ""));
    }
    return s;
  }

  /** {@code --at} is a timestamp as the trace prints it, in seconds. */
  static long absoluteTime(String value) {
    TimeBound b;
    try {
      b = TimeBound.parse("--at", value);
    } catch (IllegalArgumentException e) {
      throw new KreplayCommand.UsageException(e.getMessage());
    }
    if (b.base() != TimeBound.Base.ABSOLUTE || value.strip().matches(".*[a-z]$")) {
      throw new KreplayCommand.UsageException("--at '" + value + "': a timestamp in seconds as the trace prints it (e.g. 654.846091)");
    }
    return b.resolve(0, 0);
  }

  /** Half the unit of the last digit given: 654.846091 matches 654.8460905 to 654.8460915. */
  static long tolerance(String seconds) {
    String s = seconds.strip();
    int dot = s.indexOf('.');
    int decimals = dot < 0 ? 0 : s.length() - dot - 1;
    return decimals >= 9 ? 0 : (long) Math.pow(10, 9 - decimals) / 2;
  }

  private ExplainedSample findWorst(AnalysisOptions analysis) throws IOException {
    String spec = which.sample.strip();
    int slash = spec.indexOf('/');
    if (slash <= 0 || slash == spec.length() - 1) {
      throw new KreplayCommand.UsageException("--sample '" + spec + "': write MECHANISM/KEY[#K], e.g. wakeup/cyclictest#2");
    }
    Mechanism m;
    try {
      m = Mechanism.fromLabel(spec.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new KreplayCommand.UsageException("--sample '" + spec + "': " + e.getMessage());
    }
    String key = spec.substring(slash + 1);
    int k = 1;
    int hash = key.lastIndexOf('#');
    if (hash > 0 && key.substring(hash + 1).matches("[0-9]{1,3}")) {
      k = Integer.parseInt(key.substring(hash + 1));
      key = key.substring(0, hash);
    }
    if (k < 1 || k > WorstOption.MAX) {
      throw new KreplayCommand.UsageException("--sample '" + spec + "': K must be between 1 and " + WorstOption.MAX);
    }
    if (key.equals("all")) key = DeferralRow.ALL;
    AnalysisResult r;
    try (TraceReader reader = open(analysis, Long.MAX_VALUE, false)) {
      r = Analyzer.analyze(reader, analysis.withWorst(Math.max(k, DeferralRow.DEFAULT_WORST)), Analyzer.Progress.NONE);
      Recognition.requireTrace(reader);
    }
    DeferralRow row = r.deferrals().find(m, DeferralRow.Metric.LATENCY, key);
    if (row == null || row.worst().size() < k) {
      throw new KreplayCommand.UsageException("--sample '" + spec + "': " + (row == null ? "no such row in " + TerminalSafe.escape(trace)
          + tasks.label() + " (analyze lists the rows)" : "the row has " + row.worst().size() + " samples"));
    }
    DeferralSample s = row.worst().get(k - 1);
    return new ExplainedSample(m, s.key(), s.enqueue().timestampNs(), s.enqueue().cpu(), s.execute().timestampNs(),
        s.execute().cpu(), m == Mechanism.TIMER ? -1 : s.latencyNs());
  }
}
