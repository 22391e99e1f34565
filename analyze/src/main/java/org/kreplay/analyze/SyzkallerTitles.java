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
    return read(s.text(), s.callerTag() != null, catalog.syzkallerRules());
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
      if (i > start && secondReport < 0 && (startsReport(line, r) || anyFind(r, r.infoWithStack, line))) {
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
    for (SyzkallerRules.Oops o : r.oopses) {
      if (matches(line, o, r)) return !anyFind(r, r.reportStartIgnores, line);
    }
    return false;
  }

  /** The pattern's first match in the line, tried only when the line holds the text every match begins with. */
  private static boolean find(SyzkallerRules r, Pattern p, String line) {
    return r.mayFind(p, line) && p.matcher(line).find();
  }

  private static boolean anyFind(SyzkallerRules r, List<Pattern> patterns, String line) {
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
    for (SyzkallerRules.Format f : oops.formats()) {
      Match m = find(f.title(), lines, r);
      if (m == null || !(m.before(startPos) || m.same(startPos))) continue;
      if (m.same(startPos) && desc != null) continue;
      if (m.before(startPos)) {
        desc = null;
        format = null;
        startPos = m;
      }
      matchedTitle = true;
      if (f.report() != null) {
        m = find(f.report(), lines, r);
        if (m == null) continue;
      }
      List<Frame> frames = List.of();
      corrupted = null;
      if (f.hasStack()) {
        Frames fr = stackFrames(f, from(lines, m), r);
        frames = fr.frames;
        if (!fr.ok) corrupted = "extracted no frames";
      }
      List<String> args = new ArrayList<>(m.groups());
      for (Frame fr : frames) args.add(fr.canonical);
      desc = format(f.fmt(), args);
      for (String alt : f.alt()) alts.add(format(alt, args));
      // titles with the syscall prefixes stripped one by one, for deduplication
      for (int i = 0; i <= r.stripPrefixes.size(); i++) {
        String prefix = i == 0 ? "" : r.stripPrefixes.get(i - 1);
        boolean add = i == 0;
        List<String> seq = new ArrayList<>(m.groups());
        for (Frame fr : frames) {
          String trimmed = fr.raw.startsWith(prefix) ? fr.raw.substring(prefix.length()) : fr.raw;
          if (!trimmed.equals(fr.raw)) add = true;
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
  private static Match find(List<SyzkallerRules.Segment> segments, List<String> lines, SyzkallerRules r) {
    SyzkallerRules.Segment first = segments.get(0);
    for (int i = 0; i < lines.size(); i++) {
      if (!r.mayFind(first.pattern(), lines.get(i))) continue;
      Matcher m = first.pattern().matcher(lines.get(i));
      if (!m.find()) continue;
      List<String> groups = new ArrayList<>();
      addGroups(m, groups);
      int at = i;
      for (int k = 1; k < segments.size() && at >= 0; k++) {
        SyzkallerRules.Segment seg = segments.get(k);
        int found = -1;
        for (int j = at + 1; j < lines.size(); j++) {
          Matcher mj = seg.pattern().matcher(lines.get(j));
          if (r.mayFind(seg.pattern(), lines.get(j)) && mj.find()) {
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

  // ---------------------------------------------------------------- frames

  private record Frame(String canonical, String raw) {}

  private record Frames(List<Frame> frames, boolean ok) {}

  private static Frames stackFrames(SyzkallerRules.Format f, List<String> lines, SyzkallerRules r) {
    Frames res = stackFrames(f, f.stack(), lines, r);
    if (res.ok || f.stack2() == null) return res;
    return stackFrames(f, f.stack2(), lines, r);
  }

  /**
   * The stack parts matched in order: a regex part advances to the first line it matches (its
   * captures are frames), a stack part takes every frame up to the next stack start or the next part's
   * line; each stack part and the end yield one key frame.
   */
  private static Frames stackFrames(SyzkallerRules.Format f, List<Pattern> parts, List<String> lines, SyzkallerRules r) {
    List<String> raw = new ArrayList<>();
    List<Frame> results = new ArrayList<>();
    boolean ok = true;
    int stacks = 0;
    int li = 0;
    for (int partIdx = 0; ; partIdx++) {
      if (partIdx == parts.size() || parts.get(partIdx) == SyzkallerRules.STACK && stacks > 0) {
        Frame key = keyFrame(f, raw, r);
        if (key == null) {
          key = new Frame("corrupted", "corrupted");
          ok = false;
        }
        results.add(key);
        raw = new ArrayList<>();
      }
      if (partIdx == parts.size()) break;
      Pattern part = parts.get(partIdx);
      if (part == SyzkallerRules.STACK) {
        stacks++;
        while (li < lines.size()) {
          String ln = lines.get(li++);
          if (anyFind(r, r.corruptedLines, ln)) {
            ok = false;
            break;
          }
          if (anyFind(r, r.stackStarts, ln)) break;
          if (partIdx != parts.size() - 1) {
            Matcher next = parts.get(partIdx + 1).matcher(ln);
            if (next.find()) {
              append(raw, next, f, r);
              partIdx++;
              break;
            }
          }
          for (Pattern fr : r.frames) {
            Matcher m = fr.matcher(ln);
            if (m.find()) {
              append(raw, m, f, r);
              break;
            }
          }
        }
      } else {
        while (li < lines.size()) {
          String ln = lines.get(li++);
          if (anyFind(r, r.corruptedLines, ln)) {
            ok = false;
            break;
          }
          Matcher m = part.matcher(ln);
          if (r.mayFind(part, ln) && m.find()) {
            append(raw, m, f, r);
            break;
          }
        }
      }
    }
    return new Frames(results, ok);
  }

  private static void append(List<String> frames, Matcher m, SyzkallerRules.Format f, SyzkallerRules r) {
    for (int g = 1; g <= m.groupCount(); g++) {
      String frame = m.group(g);
      if (frame == null) continue;
      frame = Demangler.demangle(frame);
      if (f.skip() == null || !r.skips(f, frame)) frames.add(frame);
    }
  }

  /** The blamed frame of what a stack part collected: the first, or the format's extractor's choice. */
  private static Frame keyFrame(SyzkallerRules.Format f, List<String> raw, SyzkallerRules r) {
    if (raw.isEmpty()) return null;
    List<String> stripped = new ArrayList<>(raw.size());
    for (String fr : raw) stripped.add(strip(fr, r));
    if (f.extractor() == null) return new Frame(stripped.get(0), raw.get(0));
    int idx = f.extractor().equals("stall") ? stallFrame(stripped, r) : hangFrame(stripped, r);
    if (idx < 0) return null;
    String frame = stripped.get(idx);
    if (f.extractor().equals("stall") && frame.contains("smp_call_function")) frame = "smp_call_function";
    if (f.extractor().equals("hang")) {
      for (Map.Entry<String, String> a : r.hangAnchors.entrySet()) {
        if (frame.contains(a.getKey())) {
          if (!a.getValue().isEmpty()) frame = a.getValue();
          break;
        }
      }
    }
    return new Frame(frame, raw.get(idx));
  }

  /** The shortest of a frame's names with one syscall-wrapper prefix removed ("__x64_sys_read" → "read"). */
  private static String strip(String frame, SyzkallerRules r) {
    String best = frame;
    for (String p : r.stripPrefixes) {
      if (frame.startsWith(p) && frame.length() - p.length() < best.length()) best = frame.substring(p.length());
    }
    return best;
  }

  /**
   * A stall loops somewhere in a call chain: blame the frame before the first anchor (a syscall,
   * work item or timer entry), or the anchor itself for smp_call_function; -1 when no anchor is seen.
   */
  private static int stallFrame(List<String> frames, SyzkallerRules r) {
    int prev = 0;
    for (int i = 0; i < frames.size(); i++) {
      if (anyFind(r, r.stallAnchors, frames.get(i))) {
        return frames.get(i).contains("smp_call_function") ? i : prev;
      }
      prev = i;
    }
    return -1;
  }

  /** A hung task: its rtnl_lock/synchronize_* frame, else the first frame that is not a waiting primitive. */
  private static int hangFrame(List<String> frames, SyzkallerRules r) {
    for (int i = 0; i < frames.size(); i++) {
      for (String anchor : r.hangAnchors.keySet()) {
        if (frames.get(i).contains(anchor)) return i;
      }
    }
    next:
    for (int i = 0; i < frames.size(); i++) {
      for (String skip : r.hangSkips) {
        if (frames.get(i).contains(skip)) continue next;
      }
      return i;
    }
    return -1;
  }

  /**
   * The frame syzkaller's global skip list leaves first in a call trace (innermost first), its
   * name cut at the compiler suffix and a syscall prefix stripped; null for none.
   */
  static String firstUnskipped(List<String> functions, SyzkallerRules r) {
    for (String f : functions) {
      if (f.startsWith("0x")) continue;
      String name = Demangler.demangle(Catalog.stripSuffix(f));
      if (!anyFind(r, r.blameSkips, name)) return strip(name, r);
    }
    return null;
  }

  // ---------------------------------------------------------------- corrupted

  /** syzkaller's isCorrupted(): a title with a timestamp in it, or a stack trace the format needs and lacks. */
  private static String corruption(String title, List<String> report, SyzkallerRules.Format format, SyzkallerRules r) {
    if (anyFind(r, r.corruptedTitles, title)) return "title matches corrupted regexp";
    if (format == null || format.noStackTrace()) return null;
    String text = String.join("\n", report) + "\n";
    boolean hasStackTrace = false;
    for (Pattern key : r.stackStarts) {
      if (!r.mayFind(key, text)) continue;
      Matcher m = key.matcher(text);
      if (!m.find()) continue;
      String[] frames = text.substring(m.start()).split("\n", -1);
      if (frames.length < 4) return "call trace is missed";
      boolean corrupted = true;
      outer:
      for (int i = 1; i <= FRAME_LOOKAHEAD && i < frames.length; i++) {
        for (Pattern start : r.stackStarts) {
          if (start.matcher(frames[i]).find()) break outer;
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
