package org.kreplay.ingest.internal.tracedat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses event format files ({@code events/<system>/<event>/format}) and the header_page and
 * header_event files. Runs once per event type, so regular expressions are fine here.
 */
final class FormatParser {
  private FormatParser() {}

  private static final Pattern FIELD = Pattern.compile(
      "^\\s*field:(.*?);\\s*offset:\\s*(\\d+);\\s*size:\\s*(\\d+);(?:\\s*signed:\\s*(\\d+);)?");
  // Words must be separated by spaces, so the match is linear (no ambiguous repetition).
  private static final Pattern CAST = Pattern.compile("^\\(\\s*[A-Za-z_]\\w*(?:\\s+[A-Za-z_]\\w*)*\\s*\\**\\s*\\)\\s*");
  private static final Pattern REC_FIELD = Pattern.compile("^REC\\s*->\\s*([A-Za-z_]\\w*)$");

  /**
   * Reads name and id of a format file ({@code name: x} and {@code ID: n} lines); the rest waits
   * for {@link #parseBody}. A trace.dat holds thousands of formats, so this scans, not matches.
   */
  static EventFormat header(String system, String text, long at) throws DatException {
    String name = lineValue(text, "name:");
    String idText = lineValue(text, "ID:");
    if (name == null || name.isEmpty() || idText == null) throw new DatException(at, "event format without name or ID");
    long id = -1;
    if (!idText.isEmpty() && idText.length() <= 6 && idText.chars().allMatch(Character::isDigit)) id = Long.parseLong(idText);
    if (id < 0 || id > 0xffff) throw new DatException(at, "event format ID " + idText + " out of range");
    int sp = 0;
    while (sp < name.length() && !Character.isWhitespace(name.charAt(sp))) sp++;
    return new EventFormat((int) id, system, name.substring(0, sp), text, at);
  }

  /** The stripped rest of the first line that starts with {@code key}, or null. */
  private static String lineValue(String text, String key) {
    int i = 0;
    while (i < text.length()) {
      int end = text.indexOf('\n', i);
      if (end < 0) end = text.length();
      if (text.startsWith(key, i)) return text.substring(i + key.length(), end).strip();
      i = end + 1;
    }
    return null;
  }

  /** Fills the fields and print format of {@code f}; returns null, or what is wrong. */
  static String parseBody(EventFormat f, int longSize) {
    List<FieldFormat> common = new ArrayList<>();
    List<FieldFormat> fields = new ArrayList<>();
    String printFmt = null;
    boolean inFormat = false;
    for (String line : f.text.split("\n")) {
      String t = line.strip();
      if (t.startsWith("format:")) {
        inFormat = true;
        continue;
      }
      if (t.startsWith("print fmt:")) {
        printFmt = t.substring("print fmt:".length()).strip();
        break;
      }
      if (!inFormat || !t.startsWith("field:")) continue;
      Matcher m = FIELD.matcher(t);
      if (!m.find()) return "malformed field line: " + clip(t);
      FieldFormat field;
      try {
        field = field(m.group(1).strip(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
            m.group(4) == null ? null : m.group(4).equals("1"), longSize);
      } catch (NumberFormatException e) {
        return "field offset or size out of range: " + clip(t);
      }
      if (field == null) return "malformed field declaration: " + clip(t);
      if (field.offset > 0xffff || field.size > 0xffff) return "field offset or size out of range: " + clip(t);
      (field.name.startsWith("common_") ? common : fields).add(field);
    }
    if (common.isEmpty() && fields.isEmpty()) return "format has no fields";
    f.commonFields = common.toArray(new FieldFormat[0]);
    f.fields = fields.toArray(new FieldFormat[0]);
    f.printFmt = printFmt;
    if (printFmt != null) applyHints(f, printFmt);
    return null;
  }

  /** A field from its C declaration ({@code unsigned long caller[8]}, {@code __data_loc char[] name}). */
  static FieldFormat field(String decl, int offset, int size, Boolean signed, int longSize) {
    boolean dataLoc = decl.startsWith("__data_loc");
    boolean relLoc = decl.startsWith("__rel_loc");
    String d = decl;
    boolean array = false;
    int arrayLength = 0;
    if (d.endsWith("]")) {
      int open = d.lastIndexOf('[');
      if (open < 0) return null;
      String len = d.substring(open + 1, d.length() - 1).strip();
      array = true;
      if (!len.isEmpty()) {
        try {
          arrayLength = Integer.parseInt(len);
        } catch (NumberFormatException e) {
          arrayLength = 0; // a macro the kernel did not expand: the size still tells
        }
      }
      d = d.substring(0, open).strip();
    }
    int end = d.length();
    int start = end;
    while (start > 0 && isIdent(d.charAt(start - 1))) start--;
    if (start == end) return null;
    String name = d.substring(start, end);
    String type = d.substring(0, start).strip();
    if (type.isEmpty()) return null;
    boolean isSigned = signed != null ? signed
        : !type.contains("unsigned") && type.indexOf('*') < 0 && !type.startsWith("u") && !type.contains("char");
    return new FieldFormat(name, type, offset, size, isSigned, array, arrayLength, dataLoc, relLoc, longSize);
  }

  private static boolean isIdent(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 97) + "..." : s;
  }

  // ---- print fmt: which conversion shows each plain field

  /**
   * Pairs each conversion of the format string with its argument; an argument that is just
   * {@code REC->field} (after casts) gives that field its hint.
   */
  static void applyHints(EventFormat f, String printFmt) {
    int i = 0;
    StringBuilder fmt = new StringBuilder();
    int n = printFmt.length();
    // One or more adjacent quoted strings.
    while (i < n) {
      while (i < n && Character.isWhitespace(printFmt.charAt(i))) i++;
      if (i >= n || printFmt.charAt(i) != '"') break;
      i++;
      while (i < n && printFmt.charAt(i) != '"') {
        char c = printFmt.charAt(i);
        if (c == '\\' && i + 1 < n) {
          fmt.append(c).append(printFmt.charAt(i + 1));
          i += 2;
        } else {
          fmt.append(c);
          i++;
        }
      }
      i++;
    }
    List<String> args = splitArgs(printFmt, i);
    List<Character> convs = new ArrayList<>();
    List<String> exts = new ArrayList<>();
    conversions(fmt, convs, exts);
    for (int k = 0; k < convs.size() && k < args.size(); k++) {
      char conv = convs.get(k);
      if (conv == '*') continue;
      String arg = args.get(k);
      boolean str = false;
      if (arg.startsWith("__get_str(") && arg.endsWith(")")) {
        continue; // a __data_loc string: the field itself is printed as a string anyway
      }
      while (true) {
        String unparen = stripParens(arg);
        Matcher c = CAST.matcher(unparen);
        if (c.find() && c.end() < unparen.length()) {
          arg = unparen.substring(c.end()).strip();
        } else if (!unparen.equals(arg)) {
          arg = unparen;
        } else {
          break;
        }
      }
      Matcher m = REC_FIELD.matcher(arg);
      if (!m.find()) continue;
      FieldFormat field = null;
      for (FieldFormat ff : f.fields) {
        if (ff.name.equals(m.group(1))) field = ff;
      }
      if (field == null || field.hint != FieldFormat.Hint.NONE || field.array) continue;
      field.hint = hintOf(conv, exts.get(k), str);
    }
  }

  private static FieldFormat.Hint hintOf(char conv, String ext, boolean str) {
    switch (conv) {
      case 'p':
        if (ext.startsWith("s") || ext.startsWith("f")) return FieldFormat.Hint.SYMBOL;
        if (ext.startsWith("S") || ext.startsWith("F")) return FieldFormat.Hint.SYMBOL_OFFSET;
        return FieldFormat.Hint.POINTER;
      case 'x': case 'X': return FieldFormat.Hint.HEX;
      case 'd': case 'i': case 'u': return FieldFormat.Hint.DECIMAL;
      case 's': return FieldFormat.Hint.STRING;
      case 'c': return FieldFormat.Hint.CHAR;
      default: return FieldFormat.Hint.NONE;
    }
  }

  /**
   * The conversions of a printf format in argument order: '*' for a width/precision argument,
   * else the conversion letter; {@code exts} gets the letters after {@code %p}.
   */
  static void conversions(CharSequence fmt, List<Character> convs, List<String> exts) {
    int n = fmt.length();
    for (int i = 0; i < n; i++) {
      if (fmt.charAt(i) != '%') continue;
      if (i + 1 < n && fmt.charAt(i + 1) == '%') {
        i++;
        continue;
      }
      int j = i + 1;
      while (j < n && "-+ #0".indexOf(fmt.charAt(j)) >= 0) j++;
      while (j < n && (Character.isDigit(fmt.charAt(j)) || fmt.charAt(j) == '*' || fmt.charAt(j) == '.')) {
        if (fmt.charAt(j) == '*') {
          convs.add('*');
          exts.add("");
        }
        j++;
      }
      while (j < n && "hlLqjzZt".indexOf(fmt.charAt(j)) >= 0) j++;
      if (j >= n) break;
      char c = fmt.charAt(j);
      String ext = "";
      if (c == 'p') {
        int k = j + 1;
        while (k < n && Character.isLetterOrDigit(fmt.charAt(k))) k++;
        ext = fmt.subSequence(j + 1, k).toString();
      }
      convs.add(c);
      exts.add(ext);
      i = j;
    }
  }

  private static String stripParens(String s) {
    String t = s.strip();
    while (t.startsWith("(") && t.endsWith(")") && closes(t)) t = t.substring(1, t.length() - 1).strip();
    return t;
  }

  /** Whether the '(' at 0 closes at the last character. */
  private static boolean closes(String t) {
    int depth = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '(') depth++;
      else if (c == ')' && --depth == 0) return i == t.length() - 1;
    }
    return false;
  }

  /** The comma-separated arguments after the format strings, split at depth 0. */
  static List<String> splitArgs(String s, int from) {
    List<String> out = new ArrayList<>();
    int i = from;
    int n = s.length();
    while (i < n && s.charAt(i) != ',') i++;
    if (i >= n) return out;
    i++;
    int depth = 0;
    boolean quote = false;
    int start = i;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (quote) {
        if (c == '\\') i++;
        else if (c == '"') quote = false;
        continue;
      }
      if (c == '"') quote = true;
      else if (c == '(' || c == '[' || c == '{') depth++;
      else if (c == ')' || c == ']' || c == '}') depth--;
      else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i).strip());
        start = i + 1;
      }
    }
    out.add(s.substring(start).strip());
    return out;
  }

  // ---- header_page / header_event

  /** The ring-buffer page header: where the timestamp, commit word and data are. */
  static final class HeaderPage {
    final int timestampSize;
    final int commitOffset;
    final int commitSize;
    final int dataOffset;

    HeaderPage(int timestampSize, int commitOffset, int commitSize, int dataOffset) {
      this.timestampSize = timestampSize;
      this.commitOffset = commitOffset;
      this.commitSize = commitSize;
      this.dataOffset = dataOffset;
    }
  }

  static HeaderPage headerPage(String text, int userLongSize, long at) throws DatException {
    if (text.isBlank()) {
      // Kernels before 2.6.31 wrote no header page; their ring buffer format is not supported.
      throw new DatException(at, "no header_page: ring buffers of kernels before 2.6.31 are not supported");
    }
    int tsSize = -1;
    int commitOff = -1;
    int commitSize = -1;
    int dataOff = -1;
    for (String line : text.split("\n")) {
      // "field: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;"
      String t = line.strip();
      if (!t.startsWith("field:")) continue;
      int semi = t.indexOf(';');
      if (semi < 0) continue;
      FieldFormat f = field(t.substring(6, semi).strip(), intAfter(t, "offset:"), intAfter(t, "size:"), null, 8);
      if (f == null) continue;
      switch (f.name) {
        case "timestamp": tsSize = f.size; break;
        case "commit": commitOff = f.offset; commitSize = f.size; break;
        case "data": dataOff = f.offset; break;
        default: break;
      }
    }
    if (tsSize != 8) throw new DatException(at, "header_page: page timestamp is not 8 bytes");
    if (commitOff != 8 || (commitSize != 4 && commitSize != 8)) {
      throw new DatException(at, "header_page: commit field must be 4 or 8 bytes at offset 8");
    }
    if (dataOff < commitOff + commitSize || dataOff > 64) {
      throw new DatException(at, "header_page: data offset " + dataOff + " out of range");
    }
    return new HeaderPage(tsSize, commitOff, commitSize, dataOff);
  }

  /** The decimal number after {@code key} in {@code s}, or -1. */
  private static int intAfter(String s, String key) {
    int i = s.indexOf(key);
    if (i < 0) return -1;
    i += key.length();
    long v = 0;
    int digits = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && digits < 9) {
      v = v * 10 + (s.charAt(i++) - '0');
      digits++;
    }
    return digits == 0 ? -1 : (int) v;
  }

  /** Checks that header_event describes the 5/27-bit record header kreplay decodes. */
  static void headerEvent(String text, long at) throws DatException {
    if (text.isBlank()) return; // very old files leave it empty; the layout has not changed since 2.6.31
    String t = text.replaceAll("[ \\t]+", " ");
    if (!t.contains("type_len : 5 bits") || !t.contains("time_delta : 27 bits")) {
      throw new DatException(at, "header_event describes an unknown ring-buffer record header");
    }
  }
}
