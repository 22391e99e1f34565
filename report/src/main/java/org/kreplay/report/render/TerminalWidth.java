package org.kreplay.report.render;

/**
 * How wide the terminal is, for help and for lines redrawn in place: $COLUMNS (a shell's, or the one
 * the launcher reads from the terminal), else 80. Reports written to a file or a pipe never depend on
 * it: they are data, the same wherever they are made.
 */
public final class TerminalWidth {
  static final int DEFAULT = 80;
  /** Narrower than this and picocli cannot lay out its help columns; a smaller COLUMNS is not believed. */
  static final int MIN = 40;

  private TerminalWidth() {}

  public static int columns() {
    return parse(System.getenv("COLUMNS"));
  }

  static int parse(String columns) {
    if (columns == null) return DEFAULT;
    try {
      int n = Integer.parseInt(columns.strip());
      return n >= MIN ? n : DEFAULT;
    } catch (NumberFormatException e) {
      return DEFAULT;
    }
  }

  /** Whether standard error is a terminal, as the launcher tells (Java 17 cannot see it for stderr). */
  public static boolean stderrIsTerminal() {
    return Boolean.getBoolean("kreplay.stderr.tty");
  }
}
