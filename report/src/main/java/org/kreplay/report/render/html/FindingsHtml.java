package org.kreplay.report.render.html;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.report.render.FindingsView;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/**
 * Findings as the HTML pages show them: counts by kind, and a sortable table with one row per
 * finding whose detail row (expanded on click) holds what the text report prints under it —
 * kernel report, culprit, context, locks, when, remedy, the whole chain and the evidence (the
 * message is in the row itself).
 */
final class FindingsHtml {
  /** Findings listed; the rest are counted (all are in JSON and CSV). */
  static final int MAX_ROWS = 500;
  /** Evidence lines per finding. */
  static final int MAX_EVIDENCE = 50;
  /** Frames of a chain. */
  static final int MAX_CHAIN = 100;

  private FindingsHtml() {}

  /** Findings, certain, possible and occurrences per kind. */
  static void byKind(Page page, List<Finding> findings) {
    Map<FindingKind, long[]> byKind = new EnumMap<>(FindingKind.class);
    for (Finding f : findings) {
      long[] c = byKind.computeIfAbsent(f.kind(), k -> new long[3]);
      c[f.certainty() == Finding.Certainty.CERTAIN ? 0 : 1]++;
      c[2] += f.count();
    }
    HtmlTable t = HtmlTable.sortable(page.out(), null, Column.text("kind"), Column.num("findings"),
        Column.num("certain"), Column.num("possible"), Column.num("occurrences"));
    byKind.forEach((k, c) -> t.row(Cell.text(k.label()), Cell.count(c[0] + c[1]), Cell.count(c[0]), Cell.count(c[1]),
        Cell.count(c[2])));
    t.end();
  }

  /** Buttons that open or close every detail row of a table. */
  static void expandControls(Page page, String tableId) {
    page.out().open("div", "class", "expand-controls")
        .element("button", "Expand all", "type", "button", "data-table", tableId, "data-open", "true")
        .element("button", "Collapse all", "type", "button", "data-table", tableId, "data-open", "false")
        .close("div").nl();
  }

  /** The leading cells every findings table has: kind and certainty badges. */
  static Cell kind(Finding f) {
    return Cell.label(f.kind().label());
  }

  static Cell certainty(Finding f) {
    return Cell.badge(f.certainty().label(), f.certainty().label());
  }

  /** First occurrence in seconds, sorted by its time; "-" for frames of a log. */
  static Cell firstSeen(Finding f) {
    return f.firstTimestamp() < 0 ? Cell.dash() : Cell.num(Units.timestamp(f.firstTimestamp()), f.firstTimestamp());
  }

  /** The detail of one finding, written into a detail row. */
  static void detail(HtmlOut out, Finding f, boolean showSources, boolean showRules) {
    out.open("dl", "class", "detail");
    item(out, "kernel report", f.kind().kernelHeader(), "mono");
    item(out, "culprit", f.culprit(), "mono");
    item(out, "context", f.context(), null);
    item(out, "locks", f.locks().isEmpty() ? "-" : String.join(", ", f.locks()), "mono");
    String seen = FindingsView.occurrences(f);
    if (showSources && !f.sources().isEmpty()) seen += " in " + String.join(", ", f.sources());
    item(out, "seen", seen, null);
    if (showRules) item(out, "rules", f.rules(), null);
    item(out, "remedy", f.remedy(), null);
    if (!f.chain().isEmpty()) {
      out.element("dt", "chain").open("dd").open("ol", "class", "chain");
      List<String> chain = f.chain();
      for (int i = 0; i < chain.size() && i < MAX_CHAIN; i++) out.element("li", chain.get(i));
      out.close("ol");
      if (chain.size() > MAX_CHAIN) out.element("p", "… " + (chain.size() - MAX_CHAIN) + " more frames (all in --format json)", "class", "note");
      out.close("dd");
    }
    List<Evidence> ev = f.evidence();
    if (!ev.isEmpty()) {
      out.element("dt", "evidence").open("dd");
      HtmlTable t = HtmlTable.plain(out, "evidence", Column.text("where"), Column.text("CPU"), Column.text("time"),
          Column.text("task"), Column.text("what"));
      for (int i = 0; i < ev.size() && i < MAX_EVIDENCE; i++) {
        Evidence e = ev.get(i);
        t.row(new Cell(e.line() > 0 ? e.source() + ":" + e.line() : e.source(), "mono label", null, null),
            Cell.text(e.cpu() >= 0 ? Integer.toString(e.cpu()) : ""),
            Cell.label(e.timestamp() >= 0 ? Units.timestamp(e.timestamp()) : ""),
            Cell.mono(e.task()), Cell.mono(e.what()));
      }
      t.end();
      if (ev.size() > MAX_EVIDENCE) out.element("p", "… " + (ev.size() - MAX_EVIDENCE) + " more (all in --format json)", "class", "note");
      out.close("dd");
    }
    item(out, "signature", f.signature(), "mono");
    out.close("dl");
  }

  private static void item(HtmlOut out, String label, String value, String cls) {
    out.element("dt", label).element("dd", value, "class", cls);
  }
}
