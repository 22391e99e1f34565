package org.kreplay.report.corpus;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.TerminalWidth;

/**
 * Where progress goes: on a terminal one line redrawn in place (cut to the terminal's width, so it
 * never wraps, and erased when done); elsewhere (a log file, CI) a plain line now and then.
 */
public final class ProgressLine {
  private final PrintWriter plain;
  private final PrintStream terminal;
  private final int width;
  private boolean drawn;

  private ProgressLine(PrintWriter plain, PrintStream terminal, int width) {
    this.plain = plain;
    this.terminal = terminal;
    this.width = width;
  }

  /** Progress beside the command's messages on {@code err}. */
  public static ProgressLine on(PrintWriter err) {
    return TerminalWidth.stderrIsTerminal()
        ? new ProgressLine(err, System.err, TerminalWidth.columns())
        : new ProgressLine(err, null, 0);
  }

  /** How often to show: a redrawn line can be lively, printed lines must not flood a log. */
  public long intervalMs() {
    return terminal != null ? 500 : 2000;
  }

  public synchronized void show(String line) {
    if (terminal == null) {
      plain.println(line);
      plain.flush();
      return;
    }
    String safe = TerminalSafe.escape(line);
    if (safe.length() > width - 1) safe = safe.substring(0, width - 2) + "…";
    terminal.print("\r" + safe + "\033[K");
    terminal.flush();
    drawn = true;
  }

  /** Erases a redrawn line, so the next message starts on a clean line. */
  public synchronized void clear() {
    if (terminal != null && drawn) {
      terminal.print("\r\033[K");
      terminal.flush();
      drawn = false;
    }
  }

  /** "12 s", "4 min 05 s", "2 h 03 min": a rough time for a human, not a measurement. */
  public static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " s";
    if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
  }

  /** ", ETA 12 s" for work done at a steady rate, or nothing before there is a rate to go by. */
  public static String eta(double done, double total, double secondsSoFar) {
    if (done <= 0 || total <= done || secondsSoFar <= 0) return "";
    return ", ETA " + duration((total - done) * secondsSoFar / done);
  }
}
