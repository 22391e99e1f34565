package org.kreplay.report.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.Comparison.Change;
import org.kreplay.analyze.Comparison.FindingChange;
import org.kreplay.analyze.Comparison.LatencyChange;
import org.kreplay.analyze.Comparison.ReportChange;
import org.kreplay.analyze.Comparison.Side;
import org.kreplay.analyze.Comparison.Verdict;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Finding;
import org.kreplay.report.render.Units;
import picocli.CommandLine.Option;

/**
 * {@code compare --fail-on} for CI: conditions on the comparison that fail the run (exit code
 * {@value ExitCodes#GATE_FAILED}, after the report is written), each explained on stderr.
 *
 * <pre>
 *   new-findings                        a finding (or kernel-report problem) the before side did not have
 *   any-findings                        any finding (or kernel report) on the after side
 *   latency:SEL:p99&gt;+20%               after's p99 more than 20% above before's (p50, p90, p99, max, mean)
 *   latency:SEL:p99&gt;50us               after's p99 above 50 µs (ns, us, ms, s)
 *   latency:SEL:significant-slowdown    the row's verdict is "slower" or "slower tail"
 * </pre>
 * SEL is a mechanism ({@code workqueue}: its "all" row), a key ({@code fill_page_cache_func}: that
 * row in any mechanism), {@code mechanism/key}, or {@code *} (every latency row).
 */
final class CompareGate {
  @Option(names = "--fail-on", paramLabel = "CONDITION", split = ",",
      description = "Exit with code 1 (after writing the report) when a condition holds: new-findings,"
          + " any-findings, latency:SEL:p99>+20%% (p50|p90|p99|max|mean, relative), latency:SEL:p99>50us"
          + " (absolute, ns|us|ms|s), latency:SEL:significant-slowdown (verdict slower or slower tail). SEL: a mechanism (its 'all' row),"
          + " a callback key, mechanism/key, or * for every row. Repeatable or comma-separated.")
  List<String> conditions = new ArrayList<>();

  @Option(names = "--fail-on-possible",
      description = "With new-findings/any-findings: possible findings count too.")
  boolean failOnPossible;

  /** A parsed condition. */
  private record Condition(String text, String kind, String selector, String metric, double relative, long absoluteNs) {}

  private List<Condition> parsed;

  /** Parses the conditions; a malformed one is a usage error naming it. */
  void validate() {
    parsed = new ArrayList<>();
    for (String c : conditions) parsed.add(parse(c.strip()));
    if (failOnPossible && conditions.isEmpty()) {
      throw new KreplayCommand.UsageException("--fail-on-possible needs --fail-on new-findings|any-findings");
    }
  }

  boolean enabled() {
    return !conditions.isEmpty();
  }

  static Condition parse(String c) {
    if (c.equals("new-findings") || c.equals("any-findings")) return new Condition(c, c, null, null, Double.NaN, -1);
    if (!c.startsWith("latency:")) throw bad(c, "expected new-findings, any-findings or latency:…");
    String rest = c.substring("latency:".length());
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) throw bad(c, "expected latency:SEL:CHECK");
    String sel = rest.substring(0, colon);
    String check = rest.substring(colon + 1);
    if (check.equals("significant-slowdown")) return new Condition(c, "slowdown", sel, null, Double.NaN, -1);
    int gt = check.indexOf('>');
    if (gt <= 0) throw bad(c, "expected METRIC>+N% or METRIC>VALUE or significant-slowdown");
    String metric = check.substring(0, gt);
    if (!List.of("p50", "p90", "p99", "max", "mean").contains(metric)) throw bad(c, "metric must be p50, p90, p99, max or mean");
    String limit = check.substring(gt + 1);
    try {
      if (limit.startsWith("+") && limit.endsWith("%")) {
        return new Condition(c, "relative", sel, metric, Double.parseDouble(limit.substring(1, limit.length() - 1)) / 100, -1);
      }
      return new Condition(c, "absolute", sel, metric, Double.NaN, durationNs(limit));
    } catch (NumberFormatException e) {
      throw bad(c, "cannot read the limit '" + limit + "'");
    }
  }

  private static long durationNs(String s) {
    String[][] units = {{"ns", "1"}, {"us", "1000"}, {"µs", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}};
    for (String[] u : units) {
      if (s.endsWith(u[0]) && !(u[0].equals("s") && (s.endsWith("ns") || s.endsWith("us") || s.endsWith("ms")))) {
        return Math.round(Double.parseDouble(s.substring(0, s.length() - u[0].length())) * Long.parseLong(u[1]));
      }
    }
    throw new NumberFormatException(s);
  }

  private static KreplayCommand.UsageException bad(String c, String why) {
    return new KreplayCommand.UsageException("--fail-on " + c + ": " + why);
  }

  /** The conditions that hold, each with why ("latency:workqueue:p99>+20%: workqueue all p99 12µs → 19µs (+58%)"). */
  List<String> failing(Comparison c) {
    List<String> out = new ArrayList<>();
    for (Condition cond : parsed) {
      switch (cond.kind()) {
        case "new-findings": {
          List<FindingChange> news = counted(c.findings(Change.NEW));
          if (!news.isEmpty()) out.add(cond.text() + ": " + describe(news));
          List<ReportChange> newReports = c.reports(Change.NEW);
          if (!newReports.isEmpty()) out.add(cond.text() + ": " + describeReports(newReports));
          break;
        }
        case "any-findings": {
          List<FindingChange> after = new ArrayList<>(counted(c.findings(Change.NEW)));
          after.addAll(counted(c.findings(Change.UNCHANGED)));
          if (!after.isEmpty()) out.add(cond.text() + ": " + describe(after));
          List<ReportChange> afterReports = new ArrayList<>(c.reports(Change.NEW));
          afterReports.addAll(c.reports(Change.UNCHANGED));
          if (!afterReports.isEmpty()) out.add(cond.text() + ": " + describeReports(afterReports));
          break;
        }
        default:
          for (LatencyChange l : c.latencies()) {
            if (l.metric() != DeferralRow.Metric.LATENCY || !selects(cond.selector(), l)) continue;
            String why = check(cond, l);
            if (why != null) out.add(cond.text() + ": " + why);
          }
      }
    }
    return out;
  }

  private List<FindingChange> counted(List<FindingChange> changes) {
    List<FindingChange> out = new ArrayList<>();
    for (FindingChange f : changes) {
      if (failOnPossible || f.finding().certainty() == Finding.Certainty.CERTAIN) out.add(f);
    }
    return out;
  }

  private static String describe(List<FindingChange> fs) {
    List<String> parts = new ArrayList<>();
    for (FindingChange f : fs) parts.add(f.finding().kind().label() + " in " + f.finding().culprit());
    return Units.count(fs.size(), "finding", "findings") + ": " + String.join(", ", parts);
  }

  /** Kernel reports are the kernel's own verdicts: they always count. */
  private static String describeReports(List<ReportChange> rs) {
    List<String> parts = new ArrayList<>();
    for (ReportChange r : rs) parts.add(r.bucket().verdict().kind() + " in " + r.bucket().verdict().culprit());
    return Units.count(rs.size(), "kernel-report problem", "kernel-report problems") + ": " + String.join(", ", parts);
  }

  private static boolean selects(String sel, LatencyChange l) {
    if (sel.equals("*")) return true;
    int slash = sel.indexOf('/');
    if (slash > 0) return l.mechanism().label().equals(sel.substring(0, slash)) && l.key().equals(sel.substring(slash + 1));
    if (l.mechanism().label().equals(sel)) return l.key().equals(DeferralRow.ALL);
    return l.key().equals(sel);
  }

  private static String check(Condition cond, LatencyChange l) {
    String row = l.mechanism().label() + " " + l.key();
    if (cond.kind().equals("slowdown")) {
      if (l.verdict() == Verdict.SLOWER) {
        return String.format(Locale.ROOT, "%s is slower (Mann-Whitney p=%.2g, Cliff's delta %+.2f)", row,
            l.mannWhitneyP(), l.effect());
      }
      if (l.verdict() != Verdict.SLOWER_TAIL) return null;
      Comparison.TailTest t = l.tails().stream().min(java.util.Comparator.comparingDouble(Comparison.TailTest::slowerP))
          .orElseThrow();
      return String.format(Locale.ROOT, "%s has a slower tail: %s of %s values after above before's %s %s, against %s of"
          + " %s before (Fisher exact p=%.2g, one-sided)", row, Units.count(t.afterAboveBefore()),
          Units.count(l.after().count()), t.percentile(), Units.duration(t.beforeThresholdNs()),
          Units.count(t.beforeAboveBefore()), Units.count(l.before().count()), t.slowerP());
    }
    if (l.after().count() == 0) return null;
    long after = metric(l.after(), cond.metric());
    if (cond.kind().equals("absolute")) {
      if (after <= cond.absoluteNs()) return null;
      return row + " " + cond.metric() + " " + org.kreplay.report.render.Units.duration(after) + " > "
          + org.kreplay.report.render.Units.duration(cond.absoluteNs());
    }
    if (l.before().count() == 0) return null;
    long before = metric(l.before(), cond.metric());
    if (before <= 0 || after <= before * (1 + cond.relative())) return null;
    return String.format(Locale.ROOT, "%s %s %s → %s (%+.0f%%)", row, cond.metric(),
        org.kreplay.report.render.Units.duration(before), org.kreplay.report.render.Units.duration(after),
        100.0 * (after - before) / before);
  }

  private static long metric(Side s, String m) {
    switch (m) {
      case "p50": return s.p50();
      case "p90": return s.p90();
      case "p99": return s.p99();
      case "max": return s.max();
      default: return s.mean();
    }
  }
}
