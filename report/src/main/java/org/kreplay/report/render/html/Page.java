package org.kreplay.report.render.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The skeleton every page kind shares, written through {@link Template}: head (title, CSP,
 * generator), a header with the page's title, what it is about and headline badges, a section
 * navigation, the sections, a footer and a JSON block describing the page for tools. A page kind
 * opens a {@code Page}, writes its sections with {@link #section}, tables ({@link HtmlTable}) and
 * charts ({@link #charts()}), and calls {@link #finish}.
 */
final class Page {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the header says: title, what the page is about (also in the window title), lines about
   * the inputs, and badges that sum the page up.
   */
  record Head(String title, String subject, List<String> lines, List<Badge> badges, List<NavLink> nav) {}

  /** A short highlighted fact; {@code cls} selects its colour (certain, possible, new, fixed…). */
  record Badge(String text, String cls) {}

  /** A link in the section navigation. */
  record NavLink(String id, String label) {}

  private final HtmlOut out;
  private final Template.Cursor cursor;
  private final String version;
  private final Charts charts = new Charts();
  private boolean inSection;

  private Page(HtmlOut out, String version) {
    this.out = out;
    this.cursor = Template.REPORT.start(out);
    this.version = version;
  }

  /** Writes everything up to the first section. */
  static Page open(Writer writer, String version, Head head) {
    Page p = new Page(new HtmlOut(writer), version);
    p.writeHead(head);
    return p;
  }

  private void writeHead(Head head) {
    cursor.printTill("script-hash");
    out.raw(Template.REPORT.scriptHash());
    cursor.printTill("generator");
    out.text("kreplay " + version);
    cursor.printTill("title");
    out.text(head.subject().isEmpty() ? head.title() : head.title() + ": " + head.subject());
    cursor.printTill("header");
    out.element("h1", head.title()).nl();
    for (String line : head.lines()) out.element("p", line).nl();
    if (!head.badges().isEmpty()) {
      out.open("div", "class", "headline");
      for (Badge b : head.badges()) badge(b.text(), b.cls());
      out.close("div").nl();
    }
    cursor.printTill("nav");
    for (NavLink l : head.nav()) out.element("a", l.label(), "href", "#" + l.id());
    cursor.printTill("body");
  }

  HtmlOut out() {
    return out;
  }

  Charts charts() {
    return charts;
  }

  /** Starts a section (ending the one before); {@code id} is the navigation's anchor. */
  void section(String id, String title) {
    endSection();
    out.open("section", "id", id).nl().element("h2", title).nl();
    inSection = true;
  }

  private void endSection() {
    if (inSection) out.close("section").nl();
    inSection = false;
  }

  /** Label/value pairs in a compact grid. */
  void facts(Map<String, String> facts) {
    out.open("dl", "class", "facts");
    facts.forEach((k, v) -> out.element("dt", k).element("dd", v));
    out.close("dl").nl();
  }

  void heading3(String title) {
    out.element("h3", title).nl();
  }

  /** A paragraph of plain text. */
  void para(String text) {
    out.element("p", text).nl();
  }

  /** A muted remark: what was left out, what the input did not allow. */
  void note(String text) {
    out.element("p", text, "class", "note").nl();
  }

  /** Says how many items a capped list left out and where they all are; nothing when none were. */
  void leftOut(long n, String what, String where) {
    if (n > 0) note("… " + String.format(java.util.Locale.ROOT, "%,d", n) + " more " + what + " left out here; " + where + ".");
  }

  void badge(String text, String cls) {
    out.element("span", text, "class", "badge " + cls);
  }

  /** Writes a chart, or a note saying why it could not be drawn. */
  void figure(Charts.Chart chart, String caption) {
    out.open("figure", "class", "chart");
    if (chart.svg() != null) out.raw(chart.svg());
    else out.element("p", "chart not drawn: " + chart.failure(), "class", "note");
    if (caption != null && !caption.isEmpty()) out.element("figcaption", caption);
    out.close("figure").nl();
  }

  /** The "tool" object of a page description. */
  static Map<String, Object> tool(String version) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("name", "kreplay");
    m.put("version", version);
    return m;
  }

  /** Ends the last section, writes the footer and the page description, and flushes. */
  void finish(Map<String, Object> meta) {
    endSection();
    cursor.printTill("footer");
    out.text("Written by kreplay " + version + ". Self-contained: no scripts, styles or fonts are loaded from"
        + " anywhere. Tables sort by a click on their header.");
    cursor.printTill("meta");
    try {
      out.raw(Html.scriptJson(JSON.writeValueAsString(meta)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // maps of strings and numbers always serialise
    }
    cursor.finish();
    out.flush();
  }
}
