package org.kreplay.ingest.internal.log;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.ingest.log.Splat;

/**
 * The console text of one report as syzkaller's parser sees it: every line of the report's printk
 * caller (or of the whole log, when it has no caller tags) from the report's first line until the
 * next report begins (in a caller-tagged log on past later reports of the same caller), at most
 * {@link #MAX_LINES} lines, whether or not kreplay's reading attributed the line to the
 * report (a panic line after the end marker, a call trace kreplay's reading stopped short of). The
 * report is held back until its text is complete, then handed out with it. Bounded by
 * {@link #MAX_LINES} and {@link #MAX_CHARS}.
 */
final class ReportText {
  /** Bounds of a report's kept text: syzkaller reads far less; a runaway report keeps the heap small. */
  static final long MAX_CHARS = 256 * 1024;
  /** The line count past which a stop counts as a cut (it never comes before {@link #MAX_LINES}; kept as it was). */
  private static final int CUT_LINES = 2000;
  /** The most lines of text a report keeps (syzkaller's rules need no more on its 607 test logs). */
  static final int MAX_LINES = 1000;
  /** Texts one caller's stream gathers at once (later reports of the same caller while one is read). */
  static final int MAX_OPEN = 8;
  final long firstLine;
  private final List<String> lines = new ArrayList<>();
  private long chars;
  private boolean cut;
  private boolean complete;
  private Splat report;

  ReportText(long firstLine) {
    this.firstLine = firstLine;
  }

  /** Adds a line's message (log prefix removed, leading blanks kept); false once the text is full. */
  boolean add(String m, boolean timestamped) {
    if (complete) return false;
    // syzkaller drops the unwinder's unreliable "? frame" lines of a timestamped log
    if (timestamped && questionable(m)) return true;
    if (lines.size() >= MAX_LINES || chars + m.length() > MAX_CHARS) {
      cut = lines.size() >= CUT_LINES || chars + m.length() > MAX_CHARS;
      complete = true;
      return false;
    }
    lines.add(m);
    chars += m.length();
    return true;
  }

  boolean isComplete() {
    return complete;
  }

  /** No more lines belong to the report. */
  void complete() {
    complete = true;
  }

  /** The finished report, kept until the text is complete. */
  void report(Splat s) {
    report = s;
  }

  /** The report with its text, once both are done; else null. */
  Splat ready() {
    return complete && report != null ? report.withText(new Splat.Text(lines, cut)) : null;
  }

  /** A frame the unwinder was unsure of ("? foo+0x1/0x2", "(unreliable)"), as linux.go tests it. */
  static boolean questionable(String m) {
    return (m.contains(" ? ") || m.endsWith(" (unreliable)")) && !m.contains("<EOI>");
  }
}
