package org.kreplay.report.render.html;

import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.BatchReport;
import org.kreplay.report.render.BatchReport.FileResult;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/** A batch: every file with what it held or why it could not be read, then the merged analysis. */
final class BatchPage {
  /** File rows on the page; all of them are in the JSON and CSV outputs. */
  static final int MAX_FILES = 2000;

  private BatchPage() {}

  static void write(List<FileResult> files, AnalysisResult total, SplatResult reports, String version, Writer out) {
    boolean logs = !reports.logs().isEmpty();
    long unreadable = files.stream().filter(f -> f.error() != null).count();
    List<Page.Badge> badges = new ArrayList<>();
    badges.add(new Page.Badge(Units.count(files.size(), "file", "files"), ""));
    if (unreadable > 0) badges.add(new Page.Badge(Units.count(unreadable) + " unreadable", "possible"));
    badges.add(AnalysisPage.findingsBadge(total));
    badges.add(new Page.Badge(Units.count(total.summary().events()) + " events", ""));
    if (logs) {
      badges.add(new Page.Badge(Units.count(reports.reports()) + " kernel reports, " + reports.buckets().size()
          + " distinct", reports.reports() == 0 ? "clean" : "certain"));
    }
    List<Page.NavLink> nav = new ArrayList<>(List.of(new Page.NavLink("files", "Files")));
    if (logs) nav.add(new Page.NavLink("reports", "Kernel reports"));
    nav.addAll(List.of(new Page.NavLink("summary", "Summary"),
        new Page.NavLink("findings", "Findings"), new Page.NavLink("latency", "Deferral latency"),
        new Page.NavLink("cpus", "Context time"), new Page.NavLink("runtime", "Run time"),
        new Page.NavLink("input", "Input")));
    Page page = Page.open(out, version, new Page.Head("kreplay batch", Units.count(files.size(), "file", "files"),
        List.of(Units.count(files.size(), "file", "files") + ", " + Units.count(files.size() - unreadable)
            + " analysed and merged in path order, " + Units.count(unreadable) + " unreadable"), badges, nav));
    page.section("files", "Files");
    HtmlTable t = HtmlTable.sortable(page.out(), "files-table", Column.text("file"), Column.text("status"),
        Column.text("format"), Column.num("events"), Column.num("findings"), Column.num("kernel reports"),
        Column.num("skipped lines"), Column.num("time"), Column.text("problem"));
    int shown = 0;
    for (FileResult f : files) {
      if (shown >= MAX_FILES && f.error() == null) continue; // unreadable files are always listed
      boolean ok = f.error() == null;
      t.row(Cell.mono(f.path()), ok ? Cell.badge("ok", "clean") : Cell.badge("unreadable", "possible"),
          f.format() == null ? Cell.dash() : Cell.text(f.format()), ok ? Cell.count(f.events()) : Cell.dash(),
          ok ? Cell.count(f.findings()) : Cell.dash(),
          ok && BatchReport.KERNEL_LOG.equals(f.format()) ? Cell.count(f.reports()) : Cell.dash(),
          ok ? Cell.count(f.skippedLines()) : Cell.dash(),
          Cell.num(Units.duration(f.millis() * 1_000_000), f.millis()), Cell.text(ok ? "" : f.error()));
      shown++;
    }
    t.end();
    page.leftOut(files.size() - shown, "analysed files", "all are in --format json and csv");
    if (logs) {
      page.section("reports", "Kernel reports");
      page.para(Units.count(reports.reports()) + " reports in " + reports.logs().size() + " kernel logs, "
          + reports.buckets().size() + " distinct problems (grouped by signature as kreplay splat does); "
          + reports.reproduced() + " reproduced by replaying their call trace through the kernel model.");
      SplatsPage.problems(page, reports);
    }
    AnalysisPage.sections(total, page);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("schema_version", 1);
    meta.put("kind", "batch");
    meta.put("tool", Page.tool(version));
    meta.put("files", files.size());
    meta.put("unreadable", unreadable);
    meta.put("events", total.summary().events());
    meta.put("findings", total.findings().size());
    meta.put("kernel_reports", reports.reports());
    page.finish(meta);
  }
}
