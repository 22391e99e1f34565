package org.kreplay.report.render.html;

import java.awt.Color;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.CpuTimes;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Finding;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/**
 * The page of one analysis: summary, findings, deferral latency with charts, context time per
 * CPU, run time, and the input's line accounting, in the order the text report uses (problems
 * first).
 */
final class AnalysisPage {
  /** CPUs drawn in the context-time chart (the table lists all). */
  static final int MAX_CHARTED_CPUS = 256;
  /** Event names listed. */
  static final int MAX_EVENT_NAMES = 50;

  /** Context categories in chart order, with their colours. */
  static final Category[] CPU_ORDER = {
    Category.TASK, Category.SOFTIRQ, Category.HARDIRQ, Category.NMI, Category.IDLE, Category.UNKNOWN
  };
  static final Color[] CPU_COLORS = {
    new Color(0x2f5d9b), new Color(0x2b8a3e), new Color(0xc92a2a), new Color(0x862e9c), new Color(0xced4da),
    new Color(0x868e96)
  };

  private final AnalysisResult r;
  private final Page page;

  private AnalysisPage(AnalysisResult r, Page page) {
    this.r = r;
    this.page = page;
  }

  /** The analysis sections into a page another report opened (batch: after its files). */
  static void sections(AnalysisResult r, Page page) {
    new AnalysisPage(r, page).body();
  }

  static void write(AnalysisResult r, String version, Writer out) {
    Page page = Page.open(out, version, head(r));
    new AnalysisPage(r, page).body();
    page.finish(meta(r, version));
  }

  private static Page.Head head(AnalysisResult r) {
    List<String> lines = List.of("inputs: " + String.join(", ", r.summary().sources()),
        "rules: " + FindingsView.rules(r));
    List<Page.Badge> badges = new ArrayList<>();
    badges.add(findingsBadge(r));
    badges.add(new Page.Badge(Units.count(r.summary().events()) + " events", ""));
    badges.add(new Page.Badge(Units.duration(r.summary().durationNs()), ""));
    badges.add(new Page.Badge(r.summary().cpus().size() + " CPUs", ""));
    String lost = Facts.of(r).get("lost events");
    if (!lost.equals("none")) badges.add(new Page.Badge("lost events: " + lost, "possible"));
    if (r.input().skippedTotal() > 0) badges.add(new Page.Badge(Units.count(r.input().skippedTotal()) + " lines skipped", "possible"));
    List<Page.NavLink> nav = List.of(new Page.NavLink("summary", "Summary"), new Page.NavLink("findings", "Findings"),
        new Page.NavLink("latency", "Deferral latency"), new Page.NavLink("cpus", "Context time"),
        new Page.NavLink("runtime", "Run time"), new Page.NavLink("input", "Input"));
    return new Page.Head("kreplay analysis", String.join(", ", r.summary().sources()), lines, badges, nav);
  }

  static Page.Badge findingsBadge(AnalysisResult r) {
    if (r.findings().isEmpty()) return new Page.Badge("no findings", "clean");
    long certain = r.findings().all().stream().filter(f -> f.certainty() == Finding.Certainty.CERTAIN).count();
    int n = r.findings().size();
    return new Page.Badge(Units.count(n) + (n == 1 ? " finding" : " findings") + " (" + certain + " certain)",
        certain > 0 ? "certain" : "possible");
  }

  private void body() {
    summary();
    findings();
    page.section("latency", "Deferral latency (enqueue to execution; timers: lateness past expiry)");
    DeferralHtml.sections(page, r.deferrals(), DeferralRow.Metric.LATENCY, "latency");
    cpus();
    page.section("runtime", "Run time (execution start to end)");
    DeferralHtml.sections(page, r.deferrals(), DeferralRow.Metric.RUNTIME, "runtime");
    input();
  }

  private void summary() {
    page.section("summary", "Summary");
    page.facts(Facts.of(r));
  }

  private void findings() {
    page.section("findings", "Findings");
    List<Finding> findings = FindingsView.ordered(r);
    String rules = FindingsView.rules(r);
    if (findings.isEmpty()) {
      page.out().element("p", "No findings under " + rules + ".", "class", "empty").nl();
    } else {
      page.para("rules: " + rules + "; findings: " + Facts.findings(r) + ". Certain findings first; click a row"
          + " for its context, remedy, chain and evidence.");
      FindingsHtml.byKind(page, findings);
    }
    for (String note : FindingsView.notes(r)) page.note(note);
    if (findings.isEmpty()) return;
    FindingsHtml.expandControls(page, "findings-table");
    boolean manySources = r.summary().sources().size() > 1;
    boolean mixedRules = r.summary().rules().size() > 1;
    HtmlTable t = HtmlTable.grouped(page.out(), "findings-table", "findings", Column.text(""), Column.num("#"),
        Column.text("kind"), Column.text("certainty"), Column.num("count"), Column.num("first seen (s)"),
        Column.text("culprit"), Column.text("message"));
    for (int i = 0; i < findings.size() && i < FindingsHtml.MAX_ROWS; i++) {
      Finding f = findings.get(i);
      t.group("finding").rowWithToggle("details of finding " + (i + 1), Cell.count(i + 1), FindingsHtml.kind(f),
          FindingsHtml.certainty(f), Cell.count(f.count()), FindingsHtml.firstSeen(f), Cell.mono(f.culprit()),
          new Cell(f.message(), "msg", null, null));
      FindingsHtml.detail(t.detail(), f, manySources, mixedRules);
      t.endGroup();
    }
    t.end();
    page.leftOut(findings.size() - FindingsHtml.MAX_ROWS, "findings (the least frequent possible ones last)",
        "all are in --format json and --format csv --csv-table findings");
  }

  private void cpus() {
    page.section("cpus", "Context time per CPU");
    List<CpuTimes> cpus = new ArrayList<>(r.cpus().values());
    if (cpus.isEmpty()) {
      page.note("No CPU was seen.");
      return;
    }
    int charted = Math.min(cpus.size(), MAX_CHARTED_CPUS);
    List<String> names = new ArrayList<>();
    double[][] shares = new double[CPU_ORDER.length][charted];
    for (int c = 0; c < charted; c++) {
      CpuTimes t = cpus.get(c);
      names.add("CPU " + t.cpu());
      long total = t.totalNs();
      for (int s = 0; s < CPU_ORDER.length; s++) shares[s][c] = total <= 0 ? 0 : 100.0 * t.ns(CPU_ORDER[s]) / total;
    }
    List<String> series = new ArrayList<>();
    for (Category c : CPU_ORDER) series.add(c.label());
    page.figure(page.charts().stackedShares("Where each CPU's traced time went", names, series, CPU_COLORS, shares,
        "% of the CPU's traced span"), "Time between two events of a CPU is charged to the context in force after"
        + " the earlier one; unknown is time before the context could be established, or after lost events.");
    page.leftOut(cpus.size() - charted, "CPUs in the chart", "the table lists them all");
    HtmlTable t = HtmlTable.sortable(page.out(), "cpu-table", Column.num("CPU"), Column.num("span"), Column.num("task"),
        Column.num("idle"), Column.num("softirq"), Column.num("hardirq"), Column.num("nmi"), Column.num("unknown"),
        Column.num("irqs off").help("of the non-idle time whose irqs-off state is known"), Column.num("events"));
    for (CpuTimes c : cpus) {
      long total = c.totalNs();
      t.row(Cell.num(Integer.toString(c.cpu()), c.cpu()), Cell.num(Units.duration(total), total),
          share(c.ns(Category.TASK), total), share(c.ns(Category.IDLE), total), share(c.ns(Category.SOFTIRQ), total),
          share(c.ns(Category.HARDIRQ), total), share(c.ns(Category.NMI), total), share(c.ns(Category.UNKNOWN), total),
          c.irqsKnownNs() == 0 ? Cell.text("unknown") : share(c.irqsOffNs(), c.irqsKnownNs()), Cell.count(c.events()));
    }
    t.end();
  }

  private static Cell share(long part, long whole) {
    return whole <= 0 ? Cell.dash() : Cell.num(Units.percent(part, whole), (double) part / whole);
  }

  private void input() {
    page.section("input", "Input lines");
    InputStats in = r.input();
    HtmlTable lines = HtmlTable.plain(page.out(), "", Column.num("lines"), Column.num("events"),
        Column.num("stack frames"), Column.num("header"), Column.num("blank"), Column.num("markers"),
        Column.num("filtered"), Column.num("skipped"));
    lines.row(Cell.count(in.lines()), Cell.count(in.events()), Cell.count(in.stackFrames()), Cell.count(in.headerLines()),
        Cell.count(in.blankLines()), Cell.count(in.markers()), Cell.count(in.filtered()), Cell.count(in.skippedTotal()));
    lines.end();
    if (in.skippedTotal() > 0) {
      page.heading3("Skipped lines");
      HtmlTable reasons = HtmlTable.sortable(page.out(), null, Column.text("skipped because"), Column.num("lines"));
      in.skipped().forEach((k, v) -> reasons.row(Cell.text(k), Cell.count(v)));
      reasons.end();
      HtmlTable ex = HtmlTable.plain(page.out(), "", Column.text("where"), Column.text("reason"), Column.text("text"));
      for (InputProblem p : in.examples()) ex.row(Cell.mono(p.location()), Cell.text(p.reason()), Cell.mono(p.excerpt()));
      ex.end();
      page.leftOut(in.skippedTotal() - in.examples().size(), "skipped lines", "they are counted above by reason");
    }
    page.heading3("Events by name");
    List<Map.Entry<String, Long>> names = new ArrayList<>(r.summary().eventsByName().entrySet());
    names.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    HtmlTable ev = HtmlTable.sortable(page.out(), "events-table", Column.text("event"), Column.num("count"));
    for (int i = 0; i < names.size() && i < MAX_EVENT_NAMES; i++) ev.row(Cell.key(names.get(i).getKey()), Cell.count(names.get(i).getValue()));
    ev.end();
    page.leftOut(names.size() - MAX_EVENT_NAMES, "event names (the least frequent)", "all are in --format json");
  }

  private static Map<String, Object> meta(AnalysisResult r, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", 1);
    m.put("kind", "analysis");
    m.put("tool", Page.tool(version));
    m.put("sources", List.copyOf(r.summary().sources()));
    m.put("rules", List.copyOf(r.summary().rules()));
    m.put("events", r.summary().events());
    m.put("findings", r.findings().size());
    m.put("findings_listed", Math.min(r.findings().size(), FindingsHtml.MAX_ROWS));
    return m;
  }
}
