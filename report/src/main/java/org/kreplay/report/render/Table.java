package org.kreplay.report.render;

import java.util.ArrayList;
import java.util.List;

/** A table rendered either as aligned text columns or as a Markdown table. */
public final class Table {
  private final String[] headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers ending in '>' are right-aligned (the '>' is not shown). */
  public Table(String... headers) {
    this.headers = new String[headers.length];
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      rightAligned[i] = headers[i].endsWith(">");
      this.headers[i] = rightAligned[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
    }
  }

  public Table row(String... cells) {
    if (cells.length != headers.length) throw new IllegalArgumentException("row has " + cells.length + " cells");
    // escaped before widths are measured, so a crafted name neither drives the terminal nor skews the columns
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) row[i] = TerminalSafe.escape(cells[i]);
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public String text(String indent) {
    int[] w = new int[headers.length];
    for (int i = 0; i < headers.length; i++) w[i] = headers[i].length();
    for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
    StringBuilder sb = new StringBuilder();
    line(sb, indent, headers, w);
    for (String[] r : rows) line(sb, indent, r, w);
    return sb.toString();
  }

  private void line(StringBuilder sb, String indent, String[] cells, int[] w) {
    StringBuilder l = new StringBuilder(indent);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) l.append("  ");
      String c = cells[i];
      int pad = w[i] - c.length();
      if (rightAligned[i]) l.append(" ".repeat(pad)).append(c);
      else if (i < cells.length - 1) l.append(c).append(" ".repeat(pad));
      else l.append(c);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append('|');
    for (String h : headers) sb.append(' ').append(md(h)).append(" |");
    sb.append("\n|");
    for (boolean r : rightAligned) sb.append(r ? " ---: |" : " --- |");
    sb.append('\n');
    for (String[] row : rows) {
      sb.append('|');
      for (String c : row) sb.append(' ').append(md(c)).append(" |");
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Escapes what would break a Markdown table cell or render as markup. */
  static String md(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']') sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }
}
