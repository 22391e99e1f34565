package org.kreplay.analyze;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kreplay.ingest.log.Splat;

/**
 * Reads a report's text the way syzkaller's Linux reporter does, with its rules as catalog data
 * ({@link SyzkallerRules}): the first line with an oops header starts the report; the earliest
 * title regex of that header's formats gives the title, filled from the regex's captures and the
 * frames its stack parts yield (the first frame no skip pattern matches); the report is corrupted
 * when the format says so, no frame was found, or a stack trace it needs is missing.
 */
final class SyzkallerTitles {
  private SyzkallerTitles() {}

  /** syzkaller's report.go reportFrameRe: the function after a title's last " in ". */
  static final Pattern FRAME_IN_TITLE = Pattern.compile(".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)");
  private static final int MAX_TITLE_BYTES = 120;
  private static final int FRAME_LOOKAHEAD = 15;

  /** The report as syzkaller would title it, or null when its text has no line syzkaller starts a report at. */
  static SyzkallerReading read(Splat s, Catalog catalog) {
    return read(s.text().lines(), s.task().callerTag() != null, catalog.syzkallerRules());
  }

  /**
   * @param text the report's lines, log prefix removed
   * @param tagged whether the log has printk caller tags: then a second report inside this one does not
   *     end the text its title is read from (the tags keep the reports apart)
   */
  static SyzkallerReading read(List<String> text, boolean tagged, SyzkallerRules r) {
    int start = -1;
    SyzkallerRules.Oops oops = null;
    for (int i = 0; i < text.size() && oops == null; i++) {
      if (!r.holdsHeader(text.get(i))) continue;
      for (SyzkallerRules.Oops o : r.oopses) {
        if (matches(text.get(i), o, r)) {
          start = i;
          oops = o;
          break;
        }
      }
    }
    if (oops == null) return null;
    String oopsLine = text.get(start);
    int minLines = r.cutAfterLow != null && r.cutAfterLow.matcher(oopsLine).find() ? r.cutAfterLowLines : -1;
    List<String> report = new ArrayList<>();
    int secondReport = -1;
    int textLines = 0;
    boolean skipText = false;
    for (int i = start; i < text.size(); i++) {
      String line = text.get(i);
      // (with caller tags a second report does not end this one's text: no need to look for it)
      if (!tagged && i > start && secondReport < 0 && (startsReport(line, r) || anyFind(r, r.infoWithStack, line))) {
        secondReport = report.size();
      }
      textLines++;
      boolean skip = skipText;
      if (anyFind(r, r.skipLines, line)) {
        skip = true;
      } else {
        for (Map.Entry<Pattern, Integer> cut : r.cutAfter.entrySet()) {
          if (find(r, cut.getKey(), line) && textLines > (minLines >= 0 ? minLines : cut.getValue())) {
            skipText = skip = true;
            break;
          }
        }
      }
      if (i > start && skip) continue;
      report.add(line);
    }
    int end = !tagged && secondReport >= 0 ? secondReport : report.size();
    Description d = describe(report.subList(0, end), oops, r);
    String corrupted = d.corrupted;
    if (corrupted == null) corrupted = corruption(d.title, report, d.format, r);
    if (corrupted == null) {
      for (String line : text) {
        for (String hangup : r.consoleHangup) {
          if (line.contains(hangup)) corrupted = "the console was disconnected";
        }
      }
    }
    String title = normalise(d.title, r);
    List<String> alts = new ArrayList<>();
    for (String a : d.alts) {
      String n = normalise(a, r);
      if (!alts.contains(n)) alts.add(n);
    }
    Matcher m = FRAME_IN_TITLE.matcher(title);
    String frame = m.find() ? m.group(1) : null;
    if ("corrupted".equals(frame)) frame = null;
    return new SyzkallerReading(title, alts, frame, type(title, r), corrupted, d.format == null ? null : d.format.source());
  }

  private static boolean matches(String line, SyzkallerRules.Oops o, SyzkallerRules r) {
    return line.contains(o.header()) && !anyFind(r, o.ignores(), line);
  }

  /** A line that would start a report of its own (syzkaller cuts the title's text there). */
  private static boolean startsReport(String line, SyzkallerRules r) {
    if (!r.holdsHeader(line)) return false;
    for (SyzkallerRules.Oops o : r.oopses) {
      if (matches(line, o, r)) return !anyFind(r, r.reportStartIgnores, line);
    }
    return false;
  }

  /** Whether the pattern matches in the line, tried only where the line holds the text every match contains. */
  static boolean find(SyzkallerRules r, Pattern p, String line) {
    return r.firstMatch(p, line) != null;
  }

  static boolean anyFind(SyzkallerRules r, List<Pattern> patterns, String line) {
    for (Pattern p : patterns) {
      if (find(r, p, line)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- title

  private record Description(String title, List<String> alts, SyzkallerRules.Format format, String corrupted) {}

  /** Where a match starts (line, column) and what its groups captured. */
  private record Match(int line, int col, List<String> groups) {
    boolean before(Match o) {
      return o == null || line < o.line || line == o.line && col < o.col;
    }

    boolean same(Match o) {
      return o != null && line == o.line && col == o.col;
    }
  }

  private static Description describe(List<String> lines, SyzkallerRules.Oops oops, SyzkallerRules r) {
    Match startPos = null;
    String desc = null;
    SyzkallerRules.Format format = null;
    boolean matchedTitle = false;
    String corrupted = null;
    LinkedHashSet<String> alts = new LinkedHashSet<>();
    int[] headerLines = linesHolding(lines, oops.header());
    for (SyzkallerRules.Format f : oops.formats()) {
      Match m = find(f.title(), lines, r, oops.header(), headerLines);
      if (m == null || !(m.before(startPos) || m.same(startPos))) continue;
      if (m.same(startPos) && desc != null) continue;
      if (m.before(startPos)) {
        desc = null;
        format = null;
        startPos = m;
      }
      matchedTitle = true;
      if (f.report() != null) {
        m = find(f.report(), lines, r, oops.header(), headerLines);
        if (m == null) continue;
      }
      List<SyzkallerFrames.Frame> frames = List.of();
      corrupted = null;
      if (f.hasStack()) {
        SyzkallerFrames.Frames fr = SyzkallerFrames.stackFrames(f, from(lines, m), r);
        frames = fr.frames();
        if (!fr.ok()) corrupted = "extracted no frames";
      }
      List<String> args = new ArrayList<>(m.groups());
      for (SyzkallerFrames.Frame fr : frames) args.add(fr.canonical());
      desc = format(f.fmt(), args);
      for (String alt : f.alt()) alts.add(format(alt, args));
      // titles with the syscall prefixes stripped one by one, for deduplication
      for (int i = 0; i <= r.stripPrefixes.size(); i++) {
        String prefix = i == 0 ? "" : r.stripPrefixes.get(i - 1);
        boolean add = i == 0;
        List<String> seq = new ArrayList<>(m.groups());
        for (SyzkallerFrames.Frame fr : frames) {
          String trimmed = fr.raw().startsWith(prefix) ? fr.raw().substring(prefix.length()) : fr.raw();
          if (!trimmed.equals(fr.raw())) add = true;
          seq.add(trimmed);
        }
        if (!add) continue;
        String altTitle = format(f.fmt(), seq);
        if (!altTitle.equals(desc)) alts.add(altTitle);
        for (String alt : f.alt()) alts.add(format(alt, seq));
      }
      format = f;
    }
    if (desc == null) {
      if (matchedTitle) corrupted = "matched title but not report regexp";
      for (String line : lines) {
        int at = line.indexOf(oops.header());
        if (at >= 0) {
          desc = line.substring(at);
          break;
        }
      }
      if (desc == null) desc = oops.header();
    }
    if (corrupted == null && format != null && format.corrupted()) corrupted = "report format is marked as corrupted";
    return new Description(desc, new ArrayList<>(alts), format, corrupted);
  }

  /**
   * The first match of a multi-line regex: its first segment in some line, each further one in a
   * later line (the first that matches) or, for a {{NEXT}} segment, in the very next line.
   */
  private static Match find(List<SyzkallerRules.Segment> segments, List<String> lines, SyzkallerRules r,
      String header, int[] headerLines) {
    SyzkallerRules.Segment first = segments.get(0);
    RegexLiteral literal = r.literalOf(first.pattern());
    // most formats' literal holds the oops header ("BUG: KASAN: "): only the few lines with it can match
    boolean onHeaderLines = literal.text().contains(header);
    int candidates = onHeaderLines ? headerLines.length : lines.size();
    for (int c = 0; c < candidates; c++) {
      int i = onHeaderLines ? headerLines[c] : c;
      Matcher m = SyzkallerRules.firstMatch(first.pattern(), literal, lines.get(i));
      if (m == null) continue;
      List<String> groups = new ArrayList<>();
      addGroups(m, groups);
      int at = i;
      for (int k = 1; k < segments.size() && at >= 0; k++) {
        SyzkallerRules.Segment seg = segments.get(k);
        int found = -1;
        for (int j = at + 1; j < lines.size(); j++) {
          Matcher mj = r.firstMatch(seg.pattern(), lines.get(j));
          if (mj != null) {
            addGroups(mj, groups);
            found = j;
            break;
          }
          if (seg.nextLine()) break;
        }
        at = found;
      }
      // a later first-segment line has fewer lines after it: if this one fails, they all do
      return at < 0 ? null : new Match(i, m.start(), groups);
    }
    return null;
  }

  /** The indices of the lines that contain the text, in order. */
  private static int[] linesHolding(List<String> lines, String text) {
    int[] at = new int[lines.size()];
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) at[n++] = i;
    }
    return java.util.Arrays.copyOf(at, n);
  }

  private static void addGroups(Matcher m, List<String> groups) {
    for (int g = 1; g <= m.groupCount(); g++) groups.add(m.group(g) == null ? "" : m.group(g));
  }

  /** The text from a match on: its line from the match's column, then the lines after it. */
  private static List<String> from(List<String> lines, Match m) {
    List<String> out = new ArrayList<>(lines.size() - m.line());
    out.add(lines.get(m.line()).substring(m.col()));
    out.addAll(lines.subList(m.line() + 1, lines.size()));
    return out;
  }

  /** Go's fmt with %[n]v verbs (the only ones the formats use). */
  static String format(String fmt, List<String> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c == '%' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '[') {
        int close = fmt.indexOf(']', i);
        if (close > i + 2 && close + 1 < fmt.length()) {
          int n = Integer.parseInt(fmt.substring(i + 2, close));
          out.append(n >= 1 && n <= args.size() ? args.get(n - 1) : "%!" + fmt.charAt(close + 1) + "(BADINDEX)");
          i = close + 1;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- corrupted

  /** syzkaller's isCorrupted(): a title with a timestamp in it, or a stack trace the format needs and lacks. */
  private static String corruption(String title, List<String> report, SyzkallerRules.Format format, SyzkallerRules r) {
    if (anyFind(r, r.corruptedTitles, title)) return "title matches corrupted regexp";
    if (format == null || format.noStackTrace()) return null;
    String text = String.join("\n", report) + "\n";
    boolean hasStackTrace = false;
    for (Pattern key : r.stackStarts) {
      Matcher m = r.firstMatch(key, text);
      if (m == null) continue;
      String[] frames = text.substring(m.start()).split("\n", -1);
      if (frames.length < 4) return "call trace is missed";
      boolean corrupted = true;
      outer:
      for (int i = 1; i <= FRAME_LOOKAHEAD && i < frames.length; i++) {
        for (Pattern start : r.stackStarts) {
          if (find(r, start, frames[i])) break outer;
        }
        if (frames[i].contains("(stack is not available)") || anyFind(r, r.frames, frames[i])) {
          hasStackTrace = true;
          corrupted = false;
          break;
        }
      }
      if (key != r.riscvStackStart && corrupted) return "no frames in a stack trace";
    }
    return hasStackTrace ? null : "no stack trace in report";
  }

  // ---------------------------------------------------------------- normalisation

  /** report.go's dynamic replacements (each until stable), then sanitizeTitle(). */
  static String normalise(String title, SyzkallerRules r) {
    String t = title;
    for (SyzkallerRules.Replacement rep : r.titleReplacements) {
      if (!r.mayFind(rep.match(), t)) continue; // no match: replaceAll would give the title back
      for (int round = 0; round < 64; round++) {
        String n = rep.match().matcher(t).replaceAll(rep.with());
        if (n.equals(t)) break;
        t = n;
      }
    }
    byte[] b = t.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    char prev = ' ';
    for (int i = 0; i < b.length && i < MAX_TITLE_BYTES; i++) {
      int ch = b[i] & 0xff;
      if (ch == '\t') ch = ' ';
      else if (ch < 0x20 || ch >= 0x7f) continue;
      if (ch == ' ' && prev == ' ') continue;
      out.append((char) ch);
      prev = (char) ch;
    }
    return out.toString().strip();
  }

  private static String type(String title, SyzkallerRules r) {
    for (Map.Entry<String, String> e : r.crashTypes.entrySet()) {
      if (title.startsWith(e.getKey())) return e.getValue();
    }
    return "UNKNOWN";
  }
}
