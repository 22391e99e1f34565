package org.kreplay.report.render.html;

import java.util.Locale;

/**
 * A table streamed row by row. Numeric cells carry their value in {@code data-v}, so the page's
 * script sorts them as numbers whatever the display ("12.3µs", "4,096", "+12%"). A grouped table
 * keeps each item (a row and its detail row) in its own {@code <tbody>}, so sorting moves them
 * together.
 */
final class HtmlTable {
  /** A column: its header, whether it holds numbers (right-aligned), and a tooltip. */
  record Column(String label, boolean numeric, String help) {
    static Column text(String label) {
      return new Column(label, false, null);
    }

    static Column num(String label) {
      return new Column(label, true, null);
    }

    /** A column whose header explains itself on hover. */
    Column help(String text) {
      return new Column(label, numeric, text);
    }
  }

  /**
   * One cell: text, a CSS class, a numeric sort value (null: sorts as text), or a badge.
   */
  record Cell(String text, String cls, String sortValue, String badge) {
    static Cell text(String s) {
      return new Cell(s, null, null, null);
    }

    /** A name from the input (key, comm, function): allowed to wrap anywhere. */
    static Cell key(String s) {
      return new Cell(s, "key", null, null);
    }

    /** A short fixed label (a finding kind): kept on one line. */
    static Cell label(String s) {
      return new Cell(s, "label", null, null);
    }

    static Cell mono(String s) {
      return new Cell(s, "mono", null, null);
    }

    static Cell num(String display, long value) {
      return new Cell(display, "num", Long.toString(value), null);
    }

    static Cell num(String display, double value) {
      return Double.isNaN(value) ? dash() : new Cell(display, "num", String.format(Locale.ROOT, "%.6g", value), null);
    }

    /** A number as displayed by the text report, sorted by the same value. */
    static Cell count(long n) {
      return num(String.format(Locale.ROOT, "%,d", n), n);
    }

    /** No value (sorts after every number). */
    static Cell dash() {
      return new Cell("-", "num", null, null);
    }

    static Cell badge(String label, String cls) {
      return new Cell(label, null, null, cls);
    }
  }

  private final HtmlOut out;
  private final int columns;
  private final boolean grouped;

  private HtmlTable(HtmlOut out, int columns, boolean grouped) {
    this.out = out;
    this.columns = columns;
    this.grouped = grouped;
  }

  /** A sortable table; its body is open for {@link #row}. */
  static HtmlTable sortable(HtmlOut out, String id, Column... columns) {
    return start(out, id, "sortable", false, columns);
  }

  /** A sortable table of items with detail rows: use {@link #group} per item. */
  static HtmlTable grouped(HtmlOut out, String id, String cls, Column... columns) {
    return start(out, id, "sortable grouped " + cls, true, columns);
  }

  /** A plain table (not sortable). */
  static HtmlTable plain(HtmlOut out, String cls, Column... columns) {
    return start(out, null, cls, false, columns);
  }

  private static HtmlTable start(HtmlOut out, String id, String cls, boolean grouped, Column[] columns) {
    out.open("div", "class", "scroll").open("table", "id", id, "class", cls).open("thead").open("tr");
    for (Column c : columns) {
      String thClass = c.numeric() ? "num" : null;
      if (c.label().isEmpty()) thClass = "nosort";
      out.element("th", c.label(), "class", thClass, "scope", "col", "title", c.help());
    }
    out.close("tr").close("thead").nl();
    if (!grouped) out.open("tbody");
    return new HtmlTable(out, columns.length, grouped);
  }

  /** A row of cells (one per column). */
  HtmlTable row(Cell... cells) {
    return row(null, cells);
  }

  /** A row with a CSS class ("all" for aggregate rows). */
  HtmlTable row(String rowClass, Cell... cells) {
    if (cells.length != columns) throw new IllegalArgumentException("row has " + cells.length + " cells, not " + columns);
    out.open("tr", "class", rowClass);
    for (Cell c : cells) cell(c);
    out.close("tr").nl();
    return this;
  }

  private void cell(Cell c) {
    out.open("td", "class", c.cls(), "data-v", c.sortValue());
    if (c.badge() != null) out.element("span", c.text(), "class", "badge " + c.badge());
    else out.text(c.text());
    out.close("td");
  }

  /** Opens an item of a grouped table; write its row, then {@link #detail()}, then {@link #endGroup()}. */
  HtmlTable group(String cls) {
    if (!grouped) throw new IllegalStateException("not a grouped table");
    out.open("tbody", "class", cls);
    return this;
  }

  /** The first cell of an item's row: the button that shows or hides its detail row. */
  HtmlTable rowWithToggle(String label, Cell... cells) {
    if (cells.length != columns - 1) throw new IllegalArgumentException("row has " + cells.length + " cells");
    out.open("tr").open("td")
        .open("button", "type", "button", "class", "expand", "aria-expanded", "false", "aria-label", label)
        .close("button").close("td");
    for (Cell c : cells) cell(c);
    out.close("tr").nl();
    return this;
  }

  /** Opens the detail row spanning the table; the caller writes into {@link HtmlOut} and then calls {@link #endGroup}. */
  HtmlOut detail() {
    out.open("tr", "class", "detail").open("td", "colspan", Integer.toString(columns));
    return out;
  }

  HtmlTable endGroup() {
    out.close("td").close("tr").close("tbody").nl();
    return this;
  }

  void end() {
    if (!grouped) out.close("tbody");
    out.close("table").close("div").nl();
  }
}
