package org.kreplay.report.render.html;

import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.Comparison.Change;
import org.kreplay.analyze.Comparison.FindingChange;
import org.kreplay.analyze.Comparison.LatencyChange;
import org.kreplay.analyze.Comparison.ReportChange;
import org.kreplay.analyze.Comparison.Verdict;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.SplatVerdict;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/**
 * The page of a before/after comparison: both summaries side by side, findings new / fixed /
 * unchanged, every latency row with both sides, the shift of each percentile, the tests and the
 * verdict, and per mechanism the two distributions overlaid.
 */
final class ComparisonPage {
  /** Keys with a significant change charted per mechanism, besides its 'all' row. */
  static final int CHANGED_KEYS_CHARTED = 2;

  private final Comparison c;
  private final Page page;

  private ComparisonPage(Comparison c, Page page) {
    this.c = c;
    this.page = page;
  }

  static void write(Comparison c, String version, Writer out) {
    Page page = Page.open(out, version, head(c));
    new ComparisonPage(c, page).body();
    page.finish(meta(c, version));
  }

  private static Page.Head head(Comparison c) {
    List<String> lines = List.of("before: " + inputs(c.before(), c.beforeLogs()), "after: " + inputs(c.after(), c.afterLogs()));
    List<Page.Badge> badges = new ArrayList<>();
    int news = c.findings(Change.NEW).size();
    int fixed = c.findings(Change.FIXED).size();
    badges.add(news == 0 ? new Page.Badge("no new findings", "clean") : new Page.Badge(news + " new " + plural(news, "finding"), "new"));
    if (fixed > 0) badges.add(new Page.Badge(fixed + " fixed", "fixed"));
    long slower = c.latencies().stream().filter(l -> l.verdict().regression()).count();
    long slowerTail = c.latencies().stream().filter(l -> l.verdict() == Verdict.SLOWER_TAIL).count();
    long faster = c.latencies().stream().filter(l -> l.verdict().improvement()).count();
    badges.add(new Page.Badge(slower + " latency " + plural(slower, "row") + " slower"
        + (slowerTail > 0 ? " (" + slowerTail + " in the tail)" : ""), slower > 0 ? "slower" : ""));
    badges.add(new Page.Badge(faster + " faster", faster > 0 ? "faster" : ""));
    List<Page.NavLink> nav = new ArrayList<>(List.of(new Page.NavLink("summary", "Summary"),
        new Page.NavLink("findings", "Findings")));
    if (c.hasLogs()) {
      int newReports = c.reports(Change.NEW).size();
      int fixedReports = c.reports(Change.FIXED).size();
      badges.add(newReports == 0 ? new Page.Badge("no new kernel reports", "clean")
          : new Page.Badge(newReports + " new kernel-report " + plural(newReports, "problem"), "new"));
      if (fixedReports > 0) badges.add(new Page.Badge(fixedReports + " kernel-report " + plural(fixedReports, "problem") + " fixed", "fixed"));
      nav.add(new Page.NavLink("reports", "Kernel reports"));
    }
    nav.add(new Page.NavLink("latency", "Deferral latency"));
    nav.add(new Page.NavLink("runtime", "Run time"));
    String subject = inputs(c.before(), c.beforeLogs()) + " → " + inputs(c.after(), c.afterLogs());
    return new Page.Head("kreplay comparison", subject, lines, badges, nav);
  }

  /** A side's traces and kernel logs, in that order. */
  private static String inputs(AnalysisResult traces, SplatResult logs) {
    List<String> all = new ArrayList<>(traces.summary().sources());
    all.addAll(logs.logs());
    return String.join(", ", all);
  }

  private static String plural(long n, String word) {
    return n == 1 ? word : word + "s";
  }

  private void body() {
    summary();
    findings();
    if (c.hasLogs()) reports();
    page.section("latency", "Deferral latency, before and after");
    page.para("Per row: both sides' percentiles and the shift of each, a Mann-Whitney U test (does one side tend"
        + " to be larger?), a two-sample Kolmogorov-Smirnov test (do the distributions differ at all?) and Cliff's"
        + " delta (−1: every after value below every before value … +1: every one above). Verdict at p < "
        + Comparison.ALPHA + " and |delta| ≥ " + Comparison.NEGLIGIBLE_EFFECT + "; fewer than "
        + Comparison.MIN_SAMPLES + " samples on a side is not enough. Tail p: Fisher's exact test, one-sided, on the"
        + " counts of values above the other side's p99 (and p99.9 with " + Units.count(Comparison.TAIL_999_SAMPLES)
        + " samples a side), in the direction the tail moved.");
    Map<String, String> legend = new LinkedHashMap<>();
    for (Verdict v : Verdict.values()) legend.put(v.label(), v.meaning());
    page.facts(legend);
    latency(DeferralRow.Metric.LATENCY, "latency");
    page.section("runtime", "Run time, before and after");
    latency(DeferralRow.Metric.RUNTIME, "runtime");
  }

  private void summary() {
    page.section("summary", "Summary");
    Map<String, String> before = Facts.of(c.before());
    Map<String, String> after = Facts.of(c.after());
    Set<String> labels = new LinkedHashSet<>(before.keySet());
    labels.addAll(after.keySet());
    HtmlTable t = HtmlTable.plain(page.out(), "sides", Column.text(""), Column.text("before"), Column.text("after"));
    for (String l : labels) t.row(Cell.text(l), Cell.text(before.getOrDefault(l, "-")), Cell.text(after.getOrDefault(l, "-")));
    t.end();
  }

  private void findings() {
    page.section("findings", "Findings: new, fixed, unchanged");
    List<FindingChange> all = c.findings();
    if (all.isEmpty()) {
      page.out().element("p", "No findings on either side (before under " + FindingsView.rules(c.before())
          + "; after under " + FindingsView.rules(c.after()) + ").", "class", "empty").nl();
      return;
    }
    Map<Change, long[]> counts = new EnumMap<>(Change.class);
    for (Change ch : Change.values()) counts.put(ch, new long[3]);
    for (FindingChange f : all) {
      long[] n = counts.get(f.change());
      n[0]++;
      n[1] += f.beforeCount();
      n[2] += f.afterCount();
    }
    HtmlTable t = HtmlTable.plain(page.out(), "", Column.text("change"), Column.num("findings"),
        Column.num("occurrences before"), Column.num("occurrences after"));
    counts.forEach((ch, n) -> t.row(Cell.badge(ch.label(), ch.label()), Cell.count(n[0]), Cell.count(n[1]), Cell.count(n[2])));
    t.end();
    page.para("Findings are matched by signature (kind, culprit, lock classes). New first, then fixed, then"
        + " unchanged; click a row for its context, remedy, chain and evidence (from the side it was last seen on).");
    FindingsHtml.expandControls(page, "findings-table");
    boolean manySources = c.before().summary().sources().size() + c.after().summary().sources().size() > 2;
    HtmlTable list = HtmlTable.grouped(page.out(), "findings-table", "findings", Column.text(""), Column.num("#"),
        Column.text("change"), Column.text("kind"), Column.text("certainty"), Column.num("before"), Column.num("after"),
        Column.text("culprit"), Column.text("message"));
    for (int i = 0; i < all.size() && i < FindingsHtml.MAX_ROWS; i++) {
      FindingChange fc = all.get(i);
      Finding f = fc.finding();
      list.group("finding").rowWithToggle("details of finding " + (i + 1), Cell.count(i + 1),
          Cell.badge(fc.change().label(), fc.change().label()), FindingsHtml.kind(f), FindingsHtml.certainty(f),
          Cell.count(fc.beforeCount()), Cell.count(fc.afterCount()), Cell.mono(f.culprit()),
          new Cell(f.message(), "msg", null, null));
      FindingsHtml.detail(list.detail(), f, manySources, true);
      list.endGroup();
    }
    list.end();
    page.leftOut(all.size() - FindingsHtml.MAX_ROWS, "findings", "all are in the JSON output");
  }

  /** The kernel logs' reports, as distinct problems matched by signature; only when a side had logs. */
  private void reports() {
    page.section("reports", "Kernel reports: new, fixed, unchanged");
    List<ReportChange> all = c.reports();
    page.para(c.beforeLogs().reports() + " reports in " + c.beforeLogs().logs().size() + " logs before, "
        + c.afterLogs().reports() + " in " + c.afterLogs().logs().size() + " after; distinct problems matched by"
        + " signature (kind, culprit, lock classes). Click a row for its verdict, context and first report.");
    if (all.isEmpty()) {
      page.out().element("p", "No kernel reports on either side.", "class", "empty").nl();
      return;
    }
    HtmlTable list = HtmlTable.grouped(page.out(), "reports-table", "findings", Column.text(""), Column.num("#"),
        Column.text("change"), Column.text("kind"), Column.num("before"), Column.num("after"), Column.text("culprit"),
        Column.text("message"));
    for (int i = 0; i < all.size() && i < FindingsHtml.MAX_ROWS; i++) {
      ReportChange rc = all.get(i);
      SplatVerdict v = rc.bucket().verdict();
      list.group("finding").rowWithToggle("details of kernel-report problem " + (i + 1), Cell.count(i + 1),
          Cell.badge(rc.change().label(), rc.change().label()), Cell.label(v.kind()), Cell.count(rc.beforeCount()),
          Cell.count(rc.afterCount()), Cell.mono(v.culprit()), new Cell(v.message(), "msg", null, null));
      SplatsPage.detail(list.detail(), rc.bucket());
      list.endGroup();
    }
    list.end();
    page.leftOut(all.size() - FindingsHtml.MAX_ROWS, "problems", "all are in the JSON output");
  }

  /** Per mechanism: a heading, the before/after charts (latency only) and the rows side by side. */
  private void latency(DeferralRow.Metric metric, String idPrefix) {
    Map<Mechanism, List<LatencyChange>> byMechanism = new EnumMap<>(Mechanism.class);
    for (LatencyChange l : c.latencies()) {
      if (l.metric() == metric) byMechanism.computeIfAbsent(l.mechanism(), m -> new ArrayList<>()).add(l);
    }
    if (byMechanism.isEmpty()) {
      page.note("none: neither side has events to pair for this.");
      return;
    }
    byMechanism.forEach((m, rows) -> {
      page.heading3(m.label());
      if (metric == DeferralRow.Metric.LATENCY) charts(rows);
      table(idPrefix + "-" + m.label(), rows);
    });
  }

  private void table(String id, List<LatencyChange> rows) {
    boolean classes = rows.stream().anyMatch(l -> !l.classLabel().isEmpty());
    List<Column> cols = new ArrayList<>(List.of(Column.text("key")));
    if (classes) cols.add(Column.text("class"));
    cols.addAll(List.of(Column.text("verdict"), Column.num("count before"), Column.num("count after")));
    for (String p : List.of("p50", "p90", "p99", "max")) {
      cols.add(Column.num(p + " before"));
      cols.add(Column.num(p + " after"));
      cols.add(Column.num(p + " shift").help("(after − before) / before"));
    }
    cols.add(Column.num("Mann-Whitney p").help("two-sided Mann-Whitney U test"));
    cols.add(Column.num("KS p").help("two-sample Kolmogorov-Smirnov test"));
    cols.add(Column.num("Cliff's δ").help("effect size: P(after > before) − P(after < before)"));
    cols.add(Column.num("tail p").help("one-sided Fisher exact test on the values above the other side's p99/p99.9"));
    HtmlTable t = HtmlTable.sortable(page.out(), id, cols.toArray(new Column[0]));
    int keys = 0;
    for (LatencyChange l : rows) {
      boolean aggregate = DeferralHtml.isAggregate(l.key());
      if (!aggregate && ++keys > DeferralHtml.MAX_KEYS) continue;
      List<Cell> cells = new ArrayList<>();
      cells.add(Cell.key(l.key()));
      if (classes) cells.add(Cell.text(l.classLabel()));
      cells.add(Cell.badge(org.kreplay.report.render.ComparisonText.verdict(l), verdictClass(l.verdict())));
      cells.add(Cell.count(l.before().count()));
      cells.add(Cell.count(l.after().count()));
      String unit = unit(l);
      side(cells, l, l.before().p50(), l.after().p50(), unit);
      side(cells, l, l.before().p90(), l.after().p90(), unit);
      side(cells, l, l.before().p99(), l.after().p99(), unit);
      side(cells, l, l.before().max(), l.after().max(), unit);
      cells.add(pValue(l.mannWhitneyP()));
      cells.add(pValue(l.kolmogorovSmirnovP()));
      cells.add(Double.isNaN(l.effect()) ? Cell.dash() : Cell.num(String.format(Locale.ROOT, "%+.2f", l.effect()), l.effect()));
      cells.add(pValue(l.tailP()));
      t.row(aggregate ? "all" : null, cells.toArray(new Cell[0]));
    }
    t.end();
    page.leftOut(keys - DeferralHtml.MAX_KEYS, "keys (the least frequent)", "all are in the JSON output");
  }

  /** before, after and shift of one percentile; a side without samples shows "-". */
  private static void side(List<Cell> cells, LatencyChange l, long before, long after, String unit) {
    boolean b = l.before().count() > 0;
    boolean a = l.after().count() > 0;
    cells.add(b ? DeferralHtml.time(before, unit) : Cell.dash());
    cells.add(a ? DeferralHtml.time(after, unit) : Cell.dash());
    double shift = b && a ? l.shift(before, after) : Double.NaN;
    cells.add(Double.isNaN(shift) ? Cell.dash() : Cell.num(String.format(Locale.ROOT, "%+.1f%%", 100 * shift), shift));
  }

  private String unit(LatencyChange l) {
    DeferralRow r = row(c.after(), l);
    if (r == null || r.count() == 0) r = row(c.before(), l);
    return r == null ? "ns" : r.unit();
  }

  private static DeferralRow row(AnalysisResult side, LatencyChange l) {
    return side.deferrals().find(l.mechanism(), l.metric(), l.key());
  }

  static Cell pValue(double p) {
    if (Double.isNaN(p)) return Cell.dash();
    String shown = p < 1e-4 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    return Cell.num(shown, p);
  }

  static String verdictClass(Verdict v) {
    return switch (v) {
      case FASTER, FASTER_TAIL -> "faster";
      case SLOWER, SLOWER_TAIL -> "slower";
      case ONLY_BEFORE -> "only-before";
      case ONLY_AFTER -> "only-after";
      default -> "";
    };
  }

  /** Before/after overlaid for the 'all' row and the keys whose change is largest. */
  private void charts(List<LatencyChange> rows) {
    List<LatencyChange> charted = new ArrayList<>();
    for (LatencyChange l : rows) if (l.key().equals(DeferralRow.ALL)) charted.add(l);
    rows.stream()
        .filter(l -> l.verdict().regression() || l.verdict().improvement())
        .filter(l -> !DeferralHtml.isAggregate(l.key()))
        .sorted(Comparator.comparingDouble((LatencyChange l) -> -Math.abs(l.effect())))
        .limit(CHANGED_KEYS_CHARTED)
        .forEach(charted::add);
    page.out().open("div", "class", "charts");
    for (LatencyChange l : charted) overlay(l);
    page.out().close("div").nl();
  }

  private void overlay(LatencyChange l) {
    DeferralRow before = row(c.before(), l);
    DeferralRow after = row(c.after(), l);
    List<Charts.Series> series = new ArrayList<>();
    if (before != null && before.count() > 0) series.add(new Charts.Series(Distribution.of("before", before), Charts.PRIMARY));
    if (after != null && after.count() > 0) series.add(new Charts.Series(Distribution.of("after", after), Charts.SECONDARY));
    String what = l.mechanism().label() + (l.key().equals(DeferralRow.ALL) ? "" : " " + l.key()) + " latency";
    if (series.isEmpty()) {
      page.note("No " + what + " was measured on either side.");
      return;
    }
    if (series.size() == 2 && !series.get(0).data().unit().equals(series.get(1).data().unit())) {
      page.note(what + " not charted: one side is in jiffies (its trace did not reveal HZ), the other in ns.");
      return;
    }
    String caption = "verdict: " + org.kreplay.report.render.ComparisonText.verdict(l) + "; " + series.stream()
        .map(s -> s.data().name() + " " + Units.count(s.data().total()) + plural(s.data().total(), " sample"))
        .reduce((a, b) -> a + ", " + b).orElse("") + ".";
    page.figure(page.charts().histogram(what + ": histogram", Charts.Scale.SHARE, series, List.of()), caption);
    page.figure(page.charts().cdf(what + ": CDF", series), caption);
  }

  private static Map<String, Object> meta(Comparison c, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", 1);
    m.put("kind", "comparison");
    m.put("tool", Page.tool(version));
    m.put("before", side(c.before()));
    m.put("after", side(c.after()));
    Map<String, Object> findings = new LinkedHashMap<>();
    for (Change ch : Change.values()) findings.put(ch.label(), c.findings(ch).size());
    m.put("findings", findings);
    if (c.hasLogs()) {
      Map<String, Object> reports = new LinkedHashMap<>();
      for (Change ch : Change.values()) reports.put(ch.label(), c.reports(ch).size());
      m.put("kernel_reports", reports);
    }
    Map<String, Object> verdicts = new LinkedHashMap<>();
    for (Verdict v : Verdict.values()) {
      verdicts.put(v.label(), c.latencies().stream().filter(l -> l.verdict() == v).count());
    }
    m.put("latency_verdicts", verdicts);
    return m;
  }

  private static Map<String, Object> side(AnalysisResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sources", List.copyOf(r.summary().sources()));
    m.put("rules", List.copyOf(r.summary().rules()));
    m.put("events", r.summary().events());
    m.put("findings", r.findings().size());
    return m;
  }
}
