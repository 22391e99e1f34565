package org.kreplay.ingest;

/**
 * A line (or record) of an input that could not be used, with where it is and why.
 *
 * @param source the input's name as the user gave it ("trace.txt", "-" for stdin)
 * @param line 1-based line number, or for binary inputs the byte offset
 * @param reason short fixed text, the key under which it is counted ("malformed event line")
 * @param excerpt the start of the offending text, clipped
 */
public record InputProblem(String source, long line, String reason, String excerpt) {
  /** {@code source:line: reason: excerpt}, the form every error message uses. */
  @Override
  public String toString() {
    return source + ":" + line + ": " + reason + (excerpt.isEmpty() ? "" : ": " + excerpt);
  }

  static String clip(String text) {
    String t = text.strip();
    return t.length() > 120 ? t.substring(0, 117) + "..." : t;
  }

  public static InputProblem of(String source, long line, String reason, String text) {
    return new InputProblem(source, line, reason, clip(text));
  }
}
