package org.kreplay.report.render;

/** Word wrapping with a hanging indent, for the free-text parts of the terminal report. */
final class TextWrap {
  private TextWrap() {}

  /**
   * Wraps {@code text} at spaces into lines of at most {@code width} characters, the first
   * starting with {@code first}, the others with {@code rest}. A word longer than a line (a long
   * path) stays whole on a line of its own: a broken path is worse than a long line.
   */
  static String wrap(String text, String first, String rest, int width) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(first);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (word.isEmpty()) continue;
      if (!empty && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line = new StringBuilder(rest);
        empty = true;
      }
      if (!empty) line.append(' ');
      line.append(word);
      empty = false;
    }
    return out.append(line.toString().stripTrailing()).append('\n').toString();
  }
}
