package org.kreplay.analyze;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's and SnakeYAML's messages about a catalog file, in the words of the file: one line, no
 * Java types, parser events or configuration switches (a user wrote YAML, not Java).
 */
final class YamlMessages {
  private YamlMessages() {}

  private static final Pattern EVENT = Pattern.compile("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event\\([^>]*\\)>");
  private static final Pattern TOKEN = Pattern.compile(" ?\\(token `JsonToken\\.\\w+`\\)");
  private static final Pattern FROM_VALUE =
      Pattern.compile("Cannot deserialize value of type `([^`]+)` from (Object|Array|String|Integer|Floating-point|Boolean|Null) value");
  private static final Pattern NO_CREATOR = Pattern.compile(
      "Cannot construct instance of `([^`]+)`.*?: no (\\w+)-argument constructor/factory method to deserialize from \\w+ value");
  private static final Pattern NULL_INTO = Pattern.compile("Cannot map `null` into type `([^`]+)`.*");
  private static final Pattern TYPE = Pattern.compile("`([a-zA-Z_$][\\w$.<>, ]*)`");

  static String readable(String message) {
    if (message == null) return "invalid";
    String m = message.replaceAll("\\s*\\R\\s*", " ").strip();
    m = EVENT.matcher(m).replaceAll(r -> event(r.group(1)));
    m = TOKEN.matcher(m).replaceAll("");
    m = FROM_VALUE.matcher(m).replaceAll(r -> "expected " + type(r.group(1)) + ", got " + value(r.group(2)));
    m = NO_CREATOR.matcher(m).replaceAll(r -> "expected " + type(r.group(1)) + ", got " + value(r.group(2)));
    m = NULL_INTO.matcher(m).replaceAll(r -> "expected " + type(r.group(1)) + ", got null");
    // Whatever else names a Java type says it in YAML words too.
    return TYPE.matcher(m).replaceAll(r -> type(r.group(1)));
  }

  /** Line breaks and other control characters of quoted file text as escapes ({@code \\n}, {@code \\x1b}). */
  static String escapeControls(String message) {
    StringBuilder sb = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '\n') sb.append("\\n");
      else if (c == '\r') sb.append("\\r");
      else if (c == '\t') sb.append("\\t");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        sb.append(c > 0xff ? String.format("\\u%04x", (int) c) : String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String event(String name) {
    switch (name) {
      case "MappingStart": return "a mapping";
      case "MappingEnd": return "the end of a mapping";
      case "SequenceStart": return "a list";
      case "SequenceEnd": return "the end of a list";
      case "Scalar": return "a value";
      case "Alias": return "an alias";
      case "DocumentStart": return "a new document";
      case "DocumentEnd": return "the end of the document";
      default: return "the end of the file";
    }
  }

  private static String value(String jackson) {
    switch (jackson) {
      case "Object": return "a mapping";
      case "Array": return "a list";
      case "Null": return "null";
      case "Integer": case "Floating-point": return "a number";
      case "Boolean": return "true or false";
      default: return "text";
    }
  }

  private static String type(String java) {
    if (java.startsWith("java.util.")) {
      int lt = java.indexOf('<');
      return lt < 0 || !java.endsWith(">") ? "a list" : "a list of " + type(java.substring(lt + 1, java.length() - 1));
    }
    if (java.endsWith("Entry")) return "an entry (a mapping of field: value)";
    if (java.endsWith("String")) return "text";
    if (java.equalsIgnoreCase("boolean") || java.endsWith("Boolean")) return "true or false";
    if (java.matches("int|long|java\\.lang\\.(Integer|Long)")) return "a whole number";
    Matcher simple = Pattern.compile("([\\w]+)$").matcher(java);
    return simple.find() ? simple.group(1) : "a value";
  }
}
