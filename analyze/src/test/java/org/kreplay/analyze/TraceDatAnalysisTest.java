package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/**
 * Analysing a trace.dat gives the deferral numbers of analysing trace-cmd's report of it: same
 * rows (mechanism, metric, key), same counts, extremes, percentiles and unmatched counts. The
 * report prints microseconds (rounded, as libtraceevent does), so the trace.dat's nanosecond
 * timestamps are rounded the same way first; field values such as hrtimer {@code now} and
 * {@code softexpires} keep their nanoseconds in both.
 */
class TraceDatAnalysisTest {
  static Stream<Arguments> cases() {
    return Stream.of("cyclictest", "cyclictest-loaded", "stress-ng-deadline")
        .flatMap(d -> Stream.of(Arguments.of(d, true), Arguments.of(d, false)));
  }

  @ParameterizedTest(name = "traces/{0}, bodies {1}")
  @MethodSource("cases")
  void traceDatGivesTheDeferralsOfItsReport(String dir, boolean bodies) throws IOException {
    String base = "../traces/" + dir + "/";
    AnalysisResult fromDat;
    ReadOptions options = ReadOptions.defaults().bodies(bodies);
    try (TraceReader r = new Microseconds(Traces.open(base + "trace.dat", options))) {
      fromDat = Analyzer.analyze(r, Analyzer.Progress.NONE);
    }
    AnalysisResult fromReport;
    try (TraceReader r = Traces.open(base + "report.txt.xz", ReadOptions.defaults())) {
      fromReport = Analyzer.analyze(r, Analyzer.Progress.NONE);
    }
    assertThat(fromDat.input().skippedTotal()).as("trace.dat records skipped").isZero();
    Map<String, String> dat = rows(fromDat);
    Map<String, String> report = rows(fromReport);
    assertThat(dat).as("deferral rows").isNotEmpty();
    assertThat(dat).isEqualTo(report);
    assertThat(fromDat.input().events()).isEqualTo(fromReport.input().events());
  }

  private static Map<String, String> rows(AnalysisResult r) {
    Map<String, String> out = new TreeMap<>();
    for (DeferralRow row : r.deferrals().rows()) {
      String key = row.mechanism().label() + " / " + row.metric().label() + " / " + row.key();
      out.put(key, String.format("count=%d min=%d p50=%d p90=%d p99=%d p99.9=%d max=%d mean=%d pending=%d"
              + " no-enqueue=%d across-gap=%d unit=%s",
          row.count(), row.minNs(), row.percentileNs(50), row.percentileNs(90), row.percentileNs(99),
          row.percentileNs(99.9), row.maxNs(), row.meanNs(), row.unmatchedEnqueue(), row.unmatchedExecute(),
          row.acrossGap(), row.unit()));
    }
    return out;
  }

  /** Rounds timestamps to microseconds as {@code trace-cmd report} prints them. */
  private static final class Microseconds implements TraceReader {
    private final TraceReader in;

    Microseconds(TraceReader in) {
      this.in = in;
      in.info().setTimestampResolutionNs(1000); // what it hands on is µs, as the report's
    }

    @Override
    public TraceEvent next() throws IOException {
      TraceEvent e = in.next();
      return e == null ? null : TraceEvent.builder(e).timestamp((e.timestamp() + 500) / 1000 * 1000).build();
    }

    @Override
    public TraceInfo info() {
      return in.info();
    }

    @Override
    public InputStats stats() {
      return in.stats();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
