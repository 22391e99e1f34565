package org.kreplay.report.render.html;

/**
 * Escaping for the three places input text can land in a page: element text, attribute values,
 * and data inside a {@code <script>} element. Everything a trace names (comms, functions, lock
 * classes, file names, log text) goes through one of these; markup is only ever written from
 * constants.
 */
public final class Html {
  /** Longest text put in one place; a hostile input must not make a page unusable. */
  static final int MAX_TEXT = 4096;

  private Html() {}

  /** Element text: {@code < > &} escaped (quotes too, so the result is also safe in attributes). */
  public static String text(String s) {
    return attr(s);
  }

  /** A double-quoted attribute value. */
  public static String attr(String s) {
    if (s == null) return "";
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        // NUL and other C0 controls (but tab, LF, CR) are parse errors in HTML: show them visibly.
        default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "\uFFFD" : null;
      };
      if (rep == null) {
        if (sb != null) sb.append(c);
        continue;
      }
      if (sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      sb.append(rep);
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * JSON text made safe inside a {@code <script>} element: {@code <}, {@code >} and {@code &} become
   * {@code \u003c}-style escapes (so neither {@code </script>} nor {@code <!--} can appear), as do
   * U+2028/U+2029. Valid because in JSON those characters can only occur inside strings.
   */
  public static String scriptJson(String json) {
    StringBuilder sb = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<' -> sb.append("\\u003c");
        case '>' -> sb.append("\\u003e");
        case '&' -> sb.append("\\u0026");
        case '\u2028' -> sb.append("\\u2028");
        case '\u2029' -> sb.append("\\u2029");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Clips text longer than {@link #MAX_TEXT} characters, saying how much was cut. */
  static String clip(String s) {
    if (s == null) return "";
    if (s.length() <= MAX_TEXT) return s;
    int cut = Character.isHighSurrogate(s.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
    return s.substring(0, cut) + "… (" + (s.length() - cut) + " more characters)";
  }
}
