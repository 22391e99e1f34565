package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * syzkaller's frame extraction for a report title (linux.go's stack parts, skip patterns, the
 * stall and hang extractors): the frames a format's stack parts yield and the key frame a title
 * is named after.
 */
final class SyzkallerFrames {
  private SyzkallerFrames() {}

  record Frame(String canonical, String raw) {}

  record Frames(List<Frame> frames, boolean ok) {}

  static Frames stackFrames(SyzkallerRules.Format f, List<String> lines, SyzkallerRules r) {
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
          if (SyzkallerTitles.anyFind(r, r.corruptedLines, ln)) {
            ok = false;
            break;
          }
          if (SyzkallerTitles.anyFind(r, r.stackStarts, ln)) break;
          if (partIdx != parts.size() - 1) {
            Matcher next = r.firstMatch(parts.get(partIdx + 1), ln);
            if (next != null) {
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
          if (SyzkallerTitles.anyFind(r, r.corruptedLines, ln)) {
            ok = false;
            break;
          }
          Matcher m = r.firstMatch(part, ln);
          if (m != null) {
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
      if (SyzkallerTitles.anyFind(r, r.stallAnchors, frames.get(i))) {
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
      if (!SyzkallerTitles.anyFind(r, r.blameSkips, name)) return strip(name, r);
    }
    return null;
  }
}
