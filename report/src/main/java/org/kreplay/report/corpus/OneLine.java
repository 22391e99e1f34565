package org.kreplay.report.corpus;

/**
 * Folds a multi-line error message into the one line kreplay prints. YAML parser messages add
 * indented lines (an excerpt of the input with a caret, "in 'reader', line 3") under the lines
 * that say what is wrong; the location is already in front of the message, so those go.
 */
public final class OneLine {
  private OneLine() {}

  public static String of(String message) {
    if (message == null) return "";
    StringBuilder sb = new StringBuilder();
    for (String line : message.split("\\R")) {
      if (line.isBlank() || Character.isWhitespace(line.charAt(0))) continue;
      if (sb.length() > 0) sb.append("; ");
      sb.append(line.strip());
    }
    return sb.toString();
  }
}
