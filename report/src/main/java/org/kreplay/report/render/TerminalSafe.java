package org.kreplay.report.render;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text from inputs (comms, function and lock names, log lines, file names) made safe for a
 * terminal: every control character is shown escaped, so a crafted trace cannot move the cursor,
 * retitle the window or hide lines. ESC is shown as {@code \e}, tab, carriage return and newline as
 * {@code \t}, {@code \r}, {@code \n}, other C0 controls and DEL as {@code \xNN}, C1 controls
 * (U+0080 to U+009F, which some terminals obey like ESC sequences) as {@code \u009b}. Backslashes
 * stay as they are. Every text and Markdown report and every message on standard error goes through
 * this one function; JSON (Jackson escapes controls), HTML (controls become U+FFFD) and CSV (data for
 * tools, kept exact) have their own rules.
 */
public final class TerminalSafe {
  private TerminalSafe() {}

  /** One line of text: newlines are escaped too. */
  public static String escape(String s) {
    if (s == null || clean(s, true)) return s;
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) appendEscaped(sb, s.charAt(i), true);
    return sb.toString();
  }

  /** Several lines: newlines stay, every other control character is escaped. */
  public static String escapeKeepingLines(String s) {
    if (s == null || clean(s, false)) return s;
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) appendEscaped(sb, s.charAt(i), false);
    return sb.toString();
  }

  /** A writer that escapes whatever passes through it, newlines excepted (for whole reports). */
  public static Writer writer(Writer out) {
    return new Escaping(out);
  }

  /** A print writer for messages on standard error: the same escaping, newlines excepted. */
  public static PrintWriter printWriter(PrintWriter err) {
    return new PrintWriter(new Escaping(err), true);
  }

  private static boolean isControl(char c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
  }

  private static boolean clean(String s, boolean newlines) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isControl(c) && (newlines || c != '\n')) return false;
    }
    return true;
  }

  private static void appendEscaped(StringBuilder sb, char c, boolean newlines) {
    if (!isControl(c) || (c == '\n' && !newlines)) {
      sb.append(c);
      return;
    }
    switch (c) {
      case 0x1b -> sb.append("\\e");
      case '\t' -> sb.append("\\t");
      case '\r' -> sb.append("\\r");
      case '\n' -> sb.append("\\n");
      default -> {
        if (c >= 0x80) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(String.format("\\x%02x", (int) c));
      }
    }
  }

  private static final class Escaping extends FilterWriter {
    Escaping(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      if (!isControl((char) c) || c == '\n') {
        out.write(c);
        return;
      }
      StringBuilder sb = new StringBuilder(6);
      appendEscaped(sb, (char) c, false);
      out.write(sb.toString());
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      int start = off;
      int end = off + len;
      for (int i = off; i < end; i++) {
        char c = cbuf[i];
        if (isControl(c) && c != '\n') {
          if (i > start) out.write(cbuf, start, i - start);
          write(c);
          start = i + 1;
        }
      }
      if (end > start) out.write(cbuf, start, end - start);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
      write(str.toCharArray(), off, len);
    }
  }
}
