package org.kreplay.report.render;

import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.Comparison.Change;
import org.kreplay.analyze.Comparison.FindingChange;
import org.kreplay.analyze.Comparison.LatencyChange;
import org.kreplay.analyze.Comparison.ReportChange;
import org.kreplay.analyze.Comparison.Side;
import org.kreplay.analyze.Comparison.Verdict;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.SplatVerdict;

/**
 * Before against after as a terminal report or as Markdown plain enough to paste into a
 * mailing-list reply or a pull request: the two sides, what happened to each finding, and each
 * deferral row's latency side by side with the tests' verdict.
 */
public final class ComparisonText {
  private final Comparison c;
  private final boolean markdown;
  private final StringBuilder out = new StringBuilder();

  private ComparisonText(Comparison c, boolean markdown) {
    this.c = c;
    this.markdown = markdown;
  }

  public static String text(Comparison c) {
    return new ComparisonText(c, false).render();
  }

  public static String markdown(Comparison c) {
    return new ComparisonText(c, true).render();
  }

  private void heading(String title) {
    if (out.length() > 0 && !markdown) out.append('\n');
    out.append(markdown ? "### " + title + "\n\n" : title + "\n");
  }

  private void table(Table t) {
    out.append(markdown ? t.markdown() : t.text("  "));
    if (markdown) out.append('\n');
  }

  private void para(String s) {
    out.append(markdown ? s + "\n\n" : TextWrap.wrap(s, "  ", "  ", 100));
  }

  private String render() {
    if (markdown) out.append("## kreplay compare\n\n");
    heading("Sides");
    boolean logs = c.hasLogs();
    Table sides = logs ? new Table("", "inputs", "rules", "events", "findings", "kernel reports")
        : new Table("", "inputs", "rules", "events", "findings");
    side(sides, "before", c.before(), c.beforeLogs(), logs);
    side(sides, "after", c.after(), c.afterLogs(), logs);
    table(sides);
    String selected = selection(c);
    if (selected != null) para("selected: " + selected);
    findings();
    lockDependencies();
    if (c.hasLogs()) reports();
    latencies();
    return out.toString();
  }

  /** Dependency edges one side has and the other has not; nothing when the graphs are the same. */
  private void lockDependencies() {
    List<org.kreplay.analyze.LockDependency> gone = c.lockDependencies(Change.FIXED);
    List<org.kreplay.analyze.LockDependency> added = c.lockDependencies(Change.NEW);
    if (gone.isEmpty() && added.isEmpty()) return;
    heading("Lock dependencies");
    para(Units.count(gone.size()) + " gone, " + Units.count(added.size()) + " new (held → taken, as lockdep records"
        + " them; " + Units.count(c.lockDependencyCount(false)) + " → " + Units.count(c.lockDependencyCount(true))
        + " in all)");
    Table t = new Table("change", "held", "taken", "types", "first seen");
    int shown = 0;
    for (List<org.kreplay.analyze.LockDependency> list : List.of(gone, added)) {
      for (org.kreplay.analyze.LockDependency d : list) {
        if (shown++ == LOCK_EDGES_SHOWN) break;
        t.row(list == gone ? "gone" : "new", d.held(), d.taken(), String.join(",", d.kinds()), where(d.firstSeen()));
      }
    }
    table(t);
    if (shown > LOCK_EDGES_SHOWN) para("the rest are in the JSON output");
  }

  /** Edges listed in text at most; JSON has them all. */
  static final int LOCK_EDGES_SHOWN = 20;

  private static String where(org.kreplay.analyze.Evidence e) {
    if (e == null) return "-";
    return e.line() > 0 ? e.source() + ":" + e.line() : e.source();
  }

  /** "before 0 of 73,840 events (--from 500); after …", or null without a selection. */
  static String selection(Comparison c) {
    String b = SelectionText.of(c.before().input());
    String a = SelectionText.of(c.after().input());
    if (b == null && a == null) return null;
    return "before " + (b == null ? "-" : b) + "; after " + (a == null ? "-" : a);
  }

  /** A side's row: its traces then its logs; the kernel-report count only when a side had logs. */
  private static void side(Table t, String name, AnalysisResult r, SplatResult logs, boolean withLogs) {
    List<String> inputs = new java.util.ArrayList<>(r.summary().sources());
    inputs.addAll(logs.logs());
    List<String> cells = new java.util.ArrayList<>(List.of(name, String.join(", ", inputs),
        String.join(", ", r.summary().rules()), Units.count(r.input().events()), Units.count(r.findings().size())));
    if (withLogs) cells.add(Units.count(logs.reports()));
    t.row(cells.toArray(new String[0]));
  }

  /** Kernel reports of the sides' logs: each distinct problem, matched by signature, before → after. */
  private void reports() {
    heading("Kernel reports");
    int news = c.reports(Change.NEW).size();
    int fixed = c.reports(Change.FIXED).size();
    int same = c.reports(Change.UNCHANGED).size();
    para(Units.count(news) + " new, " + Units.count(fixed) + " fixed, " + Units.count(same) + " unchanged distinct problems among "
        + Units.count(c.beforeLogs().reports()) + " → " + Units.count(c.afterLogs().reports())
        + " reports (matched by signature: syzbot's title, else kind, culprit, lock classes)");
    if (c.reports().isEmpty()) return;
    Table t = new Table("change", "kind", "culprit", "locks", "before", "after", "first seen");
    for (ReportChange r : c.reports()) {
      SplatVerdict v = r.bucket().verdict();
      t.row(r.change().label(), v.kind(), v.culprit(), v.locks().isEmpty() ? "-" : String.join(", ", v.locks()),
          Units.count(r.beforeCount()), Units.count(r.afterCount()), SplatText.shortWhere(r.bucket().firstSeen()));
    }
    table(t);
    for (ReportChange r : c.reports(Change.NEW)) {
      para("new: " + r.bucket().verdict().message() + " [" + r.bucket().verdict().context() + "]");
    }
  }

  private void findings() {
    heading("Findings");
    int news = c.findings(Change.NEW).size();
    int fixed = c.findings(Change.FIXED).size();
    int same = c.findings(Change.UNCHANGED).size();
    para(Units.count(news) + " new, " + Units.count(fixed) + " fixed, " + Units.count(same) + " unchanged (matched by signature: kind, culprit, lock classes)");
    if (c.findings().isEmpty()) return;
    Table t = new Table("change", "kind", "certainty", "culprit", "locks", "before", "after");
    for (FindingChange f : c.findings()) {
      Finding x = f.finding();
      t.row(f.change().label(), x.kind().label(), x.certainty().label(), x.culprit(),
          x.locks().isEmpty() ? "-" : String.join(", ", x.locks()), Units.count(f.beforeCount()),
          Units.count(f.afterCount()));
    }
    table(t);
    for (FindingChange f : c.findings(Change.NEW)) {
      para("new: " + f.finding().message() + " [" + f.finding().context() + "]");
    }
  }

  private void latencies() {
    heading("Deferral latency, before → after");
    List<LatencyChange> rows = c.latencies();
    if (rows.isEmpty()) {
      para("No deferrals on either side.");
      return;
    }
    para("Tests per row: Mann-Whitney U (does one side tend to be larger?) and two-sample Kolmogorov-Smirnov"
        + " (do the distributions differ?); δ is Cliff's delta (+1: every after value larger); tail p is Fisher's"
        + " exact test, one-sided, on the counts of values above the other side's p99 (and p99.9 with "
        + Units.count(Comparison.TAIL_999_SAMPLES) + " values a side), in the direction the tail moved.");
    legend();
    // The terminal table keeps to p50/p99/max; p90 is in Markdown, JSON and CSV.
    Table t = markdown
        ? new Table("mechanism", "key", "class", "count", "p50", "p90", "p99", "max", "MW p", "KS p", "δ", "tail p", "verdict")
        : new Table("mechanism", "key", "class", "count", "p50", "p99", "max", "MW p", "KS p", "δ", "tail p", "verdict");
    int hidden = 0;
    java.util.Map<String, Integer> oneSidedShown = new java.util.HashMap<>();
    for (LatencyChange l : rows) {
      if (!shown(l, oneSidedShown)) {
        hidden++;
        continue;
      }
      String key = l.metric() == DeferralRow.Metric.LATENCY ? l.key() : l.key() + " (" + l.metric().label() + ")";
      Side b = l.before();
      Side a = l.after();
      List<String> cells = new java.util.ArrayList<>(List.of(l.mechanism().label(), key,
          l.classLabel().isEmpty() ? "-" : l.classLabel(), pair(Units.count(b.count()), Units.count(a.count())),
          shift(b.count(), a.count(), b.p50(), a.p50())));
      if (markdown) cells.add(shift(b.count(), a.count(), b.p90(), a.p90()));
      cells.addAll(List.of(shift(b.count(), a.count(), b.p99(), a.p99()), shift(b.count(), a.count(), b.max(), a.max()),
          p(l.mannWhitneyP()), p(l.kolmogorovSmirnovP()),
          Double.isNaN(l.effect()) ? "-" : String.format(Locale.ROOT, "%+.2f", l.effect()), p(l.tailP()), verdict(l)));
      t.row(cells.toArray(new String[0]));
    }
    table(t);
    blameMoves(rows);
    if (hidden > 0) {
      para(Units.count(hidden, "more row", "more rows") + " (run times without a significant change, rows with fewer than " + Comparison.MIN_SAMPLES
          + " values on both sides, one-sided rows beyond " + ONE_SIDED_ROWS + " per mechanism) " + (hidden == 1 ? "is" : "are") + " in the JSON and CSV"
          + " outputs.");
    }
  }

  /** For each row whose verdict says it changed: what the CPUs did in its p99 tail before and after. */
  private void blameMoves(List<LatencyChange> rows) {
    Table t = new Table("mechanism", "key", "verdict", "p99 tail before: meanwhile on their CPUs", "after");
    boolean any = false;
    for (LatencyChange l : rows) {
      if (!(l.verdict().regression() || l.verdict().improvement())) continue;
      org.kreplay.analyze.TailBlame.Tail b = tail(c.before(), l);
      org.kreplay.analyze.TailBlame.Tail a = tail(c.after(), l);
      if (b == null && a == null) continue;
      any = true;
      String key = l.metric() == DeferralRow.Metric.LATENCY ? l.key() : l.key() + " (" + l.metric().label() + ")";
      t.row(l.mechanism().label(), key, verdict(l), b == null ? "-" : b.blame().summary(3), a == null ? "-" : a.blame().summary(3));
    }
    if (!any) return;
    if (!markdown) out.append('\n');
    para("How the blame of the tail moved, for the rows that changed (every row's in --format json):");
    table(t);
  }

  private static org.kreplay.analyze.TailBlame.Tail tail(org.kreplay.analyze.AnalysisResult r, LatencyChange l) {
    DeferralRow row = r.deferrals().find(l.mechanism(), l.metric(), l.key());
    return row == null ? null : row.tailBlame();
  }

  /** One-sided rows listed per mechanism before the rest are left to JSON/CSV. */
  static final int ONE_SIDED_ROWS = 10;

  /**
   * The terminal and Markdown tables show what a reader acts on: every mechanism's overall rows,
   * every row with a verdict, every latency row with enough values, and the first one-sided
   * rows (a deferral a fix introduced or removed).
   */
  private static boolean shown(LatencyChange l, java.util.Map<String, Integer> oneSidedShown) {
    if (l.before().count() == 0 && l.after().count() == 0) return false;
    if (l.verdict().regression() || l.verdict().improvement()) return true;
    if (l.metric() != DeferralRow.Metric.LATENCY) return false;
    if (l.key().equals(DeferralRow.ALL) || l.key().startsWith(DeferralRow.ALL + " ")) return true;
    if (l.verdict() == Verdict.ONLY_BEFORE || l.verdict() == Verdict.ONLY_AFTER) {
      return oneSidedShown.merge(l.mechanism().label(), 1, Integer::sum) <= ONE_SIDED_ROWS;
    }
    return Math.max(l.before().count(), l.after().count()) >= Comparison.MIN_SAMPLES;
  }

  /** One line per verdict: what it means. */
  private void legend() {
    if (markdown) {
      out.append("Verdicts:\n\n");
      for (Verdict v : Verdict.values()) out.append("- **").append(v.label()).append("**: ").append(v.meaning()).append('\n');
      out.append('\n');
      return;
    }
    out.append("  Verdicts:\n");
    int width = 0;
    for (Verdict v : Verdict.values()) width = Math.max(width, v.label().length());
    for (Verdict v : Verdict.values()) {
      String first = String.format(Locale.ROOT, "    %-" + width + "s  ", v.label());
      out.append(TextWrap.wrap(v.meaning(), first, " ".repeat(first.length()), 100));
    }
  }

  /** The verdict, with the bulk when the tail went the other way ("slower tail (bulk faster)"). */
  public static String verdict(LatencyChange l) {
    if (!l.tailDisagrees()) return l.verdict().label();
    return l.verdict().label() + (l.verdict() == Verdict.SLOWER ? " (tail faster)" : " (bulk faster)");
  }

  private static String pair(String before, String after) {
    return before + "→" + after;
  }

  /** "12.0µs → 15.3µs (+28%)", or one side only. */
  static String shift(long nBefore, long nAfter, long before, long after) {
    String b = nBefore == 0 ? "-" : Units.duration(before);
    String a = nAfter == 0 ? "-" : Units.duration(after);
    String s = b + "→" + a;
    if (nBefore > 0 && nAfter > 0 && before > 0 && after != before) {
      s += String.format(Locale.ROOT, " %+.0f%%", 100.0 * (after - before) / before);
    }
    return s;
  }

  static String p(double p) {
    if (Double.isNaN(p)) return "-";
    if (p < 1e-4) return "<0.0001";
    return String.format(Locale.ROOT, "%.4f", p);
  }
}
