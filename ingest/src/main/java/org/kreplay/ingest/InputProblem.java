package org.kreplay.ingest;

import java.util.Locale;

/**
 * A line (or record) of an input that could not be used, with where it is and why.
 *
 * @param source the input's name as the user gave it ("trace.txt", "-" for stdin)
 * @param line 1-based line number; for binary inputs the byte offset (see {@link #byteOffset}); 0 when
 *     the problem is the whole input (it cannot be opened, it is not a trace)
 * @param reason short fixed text, the key under which it is counted ("malformed event line")
 * @param excerpt the start of the offending text, clipped
 * @param byteOffset whether {@code line} is a byte offset into a binary input (trace.dat), not a line
 */
public record InputProblem(String source, long line, String reason, String excerpt, boolean byteOffset) implements java.io.Serializable {
  /** A problem at a line of a text input (line 0: the input as a whole). */
  public InputProblem(String source, long line, String reason, String excerpt) {
    this(source, line, reason, excerpt, false);
  }

  /**
   * {@code source:line: reason: excerpt}, the form every error message uses; {@code source: byte
   * offset 1,234: reason} for binary inputs, {@code source: reason} for the input as a whole.
   */
  @Override
  public String toString() {
    return location() + ": " + reason + (excerpt.isEmpty() ? "" : ": " + excerpt);
  }

  /** Where it is, as messages and reports show it: "trace.txt:12", "trace.dat: byte offset 4,096", "trace.txt". */
  public String location() {
    if (byteOffset) return source + ": byte offset " + String.format(Locale.ROOT, "%,d", line);
    return line > 0 ? source + ":" + line : source;
  }

  static String clip(String text) {
    String t = text.strip();
    return t.length() > 120 ? t.substring(0, 117) + "..." : t;
  }

  public static InputProblem of(String source, long line, String reason, String text) {
    return new InputProblem(source, line, reason, clip(text));
  }

  /** A problem at a byte offset of a binary input. */
  public static InputProblem atOffset(String source, long offset, String reason, String text) {
    return new InputProblem(source, offset, reason, clip(text), true);
  }
}
