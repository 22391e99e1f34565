package org.kreplay.report.render.html;

import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.SplatVerdict;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Splat;
import org.kreplay.report.render.SplatText;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/** Kernel reports grouped into problems: a sortable table, each row opening its verdict and first report. */
final class SplatsPage {
  /** Problems on the page; all are in --format json. */
  static final int MAX_ROWS = 500;

  private SplatsPage() {}

  static void write(SplatResult r, String version, Writer out) {
    List<Page.Badge> badges = new ArrayList<>();
    badges.add(new Page.Badge(Units.count(r.reports()) + " reports", r.reports() == 0 ? "clean" : "certain"));
    badges.add(new Page.Badge(Units.count(r.buckets().size()) + " distinct problems", ""));
    badges.add(new Page.Badge(Units.count(r.logs().size()) + " logs", ""));
    if (r.truncated() > 0) badges.add(new Page.Badge(r.truncated() + " truncated", "possible"));
    Page page = Page.open(out, version, new Page.Head("kreplay splat", String.join(", ", r.logs()),
        List.of("logs: " + String.join(", ", r.logs())), badges,
        List.of(new Page.NavLink("summary", "Summary"), new Page.NavLink("problems", "Problems"))));
    page.section("summary", "Summary");
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("logs", Units.count(r.logs().size()));
    facts.put("reports", Units.count(r.reports()));
    facts.put("distinct problems", Units.count(r.buckets().size()));
    facts.put("reproduced", Units.count(r.reproduced()) + " (call trace replayed through the kernel model gave a finding)");
    facts.put("truncated / corrupted", r.truncated() + " / " + r.corrupted());
    facts.put("input lines", Units.count(r.input().lines()) + " (" + Units.count(r.input().reportLines()) + " in reports, "
        + Units.count(r.input().logLines()) + " other log lines, " + Units.count(r.input().skippedTotal()) + " skipped)");
    page.facts(facts);
    if (!r.reportsByKind().isEmpty()) {
      HtmlTable kinds = HtmlTable.sortable(page.out(), null, Column.text("kind"), Column.num("reports"));
      r.reportsByKind().forEach((k, n) -> kinds.row(Cell.label(k), Cell.count(n)));
      kinds.end();
    }
    page.section("problems", "Problems");
    problems(page, r);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("schema_version", 1);
    meta.put("kind", "splats");
    meta.put("tool", Page.tool(version));
    meta.put("reports", r.reports());
    meta.put("problems", r.buckets().size());
    page.finish(meta);
  }

  /** The problems table, each row expandable to its detail (also the kernel-reports section of a batch). */
  static void problems(Page page, SplatResult r) {
    if (r.reports() == 0) {
      page.out().element("p", SplatText.noReports(r), "class", "empty").nl();
    } else {
      FindingsHtml.expandControls(page, "problems-table");
      HtmlTable t = HtmlTable.grouped(page.out(), "problems-table", "findings", Column.text(""), Column.num("#"),
          Column.text("kind"), Column.num("count"), Column.text("culprit"), Column.text("first seen"),
          Column.text("verdict"));
      List<SplatBucket> buckets = r.buckets();
      for (int i = 0; i < buckets.size() && i < MAX_ROWS; i++) {
        SplatBucket b = buckets.get(i);
        SplatVerdict v = b.verdict();
        t.group(null).rowWithToggle("details of problem " + (i + 1), Cell.num(Integer.toString(i + 1), i + 1),
            Cell.label(v.kind()), Cell.count(b.count()), Cell.mono(v.culprit()), Cell.mono(b.firstSeen()),
            Cell.text(v.message()));
        detail(t.detail(), b);
        t.endGroup();
      }
      t.end();
      page.leftOut(buckets.size() - MAX_ROWS, "problems (the rarest)", "all are in --format json");
    }
  }

  /** A problem's verdict, context, chain and first report, for the row's expandable detail. */
  static void detail(HtmlOut out, SplatBucket b) {
    SplatVerdict v = b.verdict();
    Splat s = v.splat();
    out.open("dl", "class", "detail");
    Splat.Where w = s.where();
    item(out, "report", s.header() + " (" + w.source() + ":" + w.firstLine() + "-" + w.lastLine() + ")", "mono");
    item(out, "verdict", v.message() + (v.reproduced() || !s.kind().isLockdep() ? "" : " (lockdep's report; the replay did not reproduce it)"), null);
    item(out, "culprit", v.culprit(), "mono");
    item(out, "syzkaller", v.syzTitle() == null ? "-" : v.syzTitle() + (v.syzkaller().corrupted()
        ? " (corrupted: " + v.syzkaller().corruptedReason() + ")" : ""), "mono");
    item(out, "frame", v.frame() == null ? "-" : v.frame(), "mono");
    if (v.blame() != null) item(out, "why", v.blame(), null);
    item(out, "context", v.context(), null);
    item(out, "locks", v.locks().isEmpty() ? "-" : String.join(", ", v.locks()), "mono");
    item(out, "remedy", v.remedy().isEmpty() ? "-" : v.remedy(), null);
    item(out, "seen", b.count() + " times, first " + b.firstSeen() + (b.count() > 1 ? ", last " + b.lastSeen() : "")
        + " in " + String.join(", ", b.sources()), null);
    Splat.Task t = s.task();
    item(out, "task", (t.comm() == null ? "?" : t.comm()) + "/" + t.pid() + " on CPU " + t.cpu(), "mono");
    Splat.Kernel k = s.kernel();
    item(out, "kernel", (k.release() == null ? "?" : k.release()) + (k.hardware() == null ? "" : "; " + k.hardware()), null);
    Splat.AtomicFacts a = s.atomic();
    if (a.preemptCount() >= 0) {
      item(out, "preempt_count", "0x" + Integer.toHexString(a.preemptCount()) + " = " + a.decodedPreemptCount(), "mono");
    }
    Splat.Lockdep ld = s.lockdep();
    List<String> locks = new ArrayList<>();
    if (ld.acquiring() != null) locks.add("acquiring " + SplatText.lock(ld.acquiring()));
    if (ld.holding() != null) locks.add("holding " + SplatText.lock(ld.holding()));
    for (LockLine h : ld.heldLocks()) locks.add("held #" + h.index() + " " + SplatText.lock(h));
    for (ChainLink c : ld.chain()) locks.add("chain #" + c.n() + " " + SplatText.lock(c.lock()));
    if (!locks.isEmpty()) {
      out.element("dt", "lockdep").open("dd").open("ul", "class", "chain");
      for (String l : locks) out.element("li", l);
      out.close("ul").close("dd");
    }
    out.element("dt", "call trace").open("dd").open("ol", "class", "chain");
    int n = 0;
    for (Frame f : s.stacks().frames()) {
      if (n++ == 100) break;
      out.element("li", (f.sectionMarked() ? "<" + f.section().name() + "> " : "") + (f.unreliable() ? "? " : "")
          + f.function() + (f.module() == null ? "" : " [" + f.module() + "]"));
    }
    out.close("ol").close("dd");
    item(out, "signature", v.signature(), "mono");
    out.close("dl");
  }

  private static void item(HtmlOut out, String label, String value, String cls) {
    out.element("dt", label).element("dd", value, "class", cls);
  }
}
