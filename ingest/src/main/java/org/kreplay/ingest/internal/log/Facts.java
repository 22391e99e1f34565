package org.kreplay.ingest.internal.log;

import org.kreplay.ingest.log.Splat;
import org.kreplay.ingest.log.SplatKind;

/**
 * Reads the facts a report prints into a {@link SplatDraft}: who and where (header lines, "CPU:"
 * lines, lockdep's "comm/pid is trying to ..."), the kernel ident and taint, and the
 * might_sleep/schedule-bug numbers (in_atomic(), irqs_disabled(), preempt_count, RCU nest depth).
 * Works on the message text of report lines only, which are rare next to the rest of a log.
 */
final class Facts {
  private Facts() {}

  static final int MAX_FACTS = 64;
  static final int MAX_VALUE = 240;

  static void put(SplatDraft sb, String key, String value) {
    if (sb.facts().size() >= MAX_FACTS && !sb.facts().containsKey(key)) return;
    sb.fact(key, clip(value));
  }

  static String clip(String v) {
    return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE - 3) + "..." : v;
  }

  /** What the header line itself says: task, CPU, preempt count, source location. */
  static void fromHeader(SplatKind kind, String h, SplatDraft sb) {
    switch (kind) {
      case SLEEP_IN_ATOMIC: {
        location(sb, h, " at ");
        break;
      }
      case SCHEDULE_WHILE_ATOMIC: {
        // "BUG: scheduling while atomic: comm/pid/0x00000002" (2.6.17: comm/0x00000001/pid)
        int c = h.indexOf("atomic: ");
        if (c < 0) break;
        String rest = h.substring(c + 8).strip();
        int last = rest.lastIndexOf('/');
        int prev = last > 0 ? rest.lastIndexOf('/', last - 1) : -1;
        if (prev < 0) break;
        String a = rest.substring(prev + 1, last);
        String z = rest.substring(last + 1);
        if (z.startsWith("0x")) {
          setPreempt(sb, z.substring(2));
          sb.pid(parseInt(a, -1));
        } else if (a.startsWith("0x")) {
          setPreempt(sb, a.substring(2));
          sb.pid(parseInt(z, -1));
        }
        sb.comm(rest.substring(0, prev));
        break;
      }
      case SMP_PROCESSOR_ID_PREEMPTIBLE: {
        // "BUG: using smp_processor_id() in preemptible [00000000] code: swapper/0/1"
        int open = h.indexOf(" [");
        int close = open < 0 ? -1 : h.indexOf(']', open);
        if (close > open) setPreempt(sb, h.substring(open + 2, close));
        int code = h.indexOf("code: ");
        if (code > 0) commSlashPid(sb, h.substring(code + 6).strip());
        break;
      }
      case SPINLOCK_BUG: {
        // "BUG: spinlock lockup suspected on CPU#19, trinity-c19/17092"
        cpuHash(sb, h);
        int comma = h.indexOf(", ", h.indexOf("CPU#") + 1);
        if (h.contains("CPU#") && comma > 0) commSlashPid(sb, h.substring(comma + 2).strip());
        break;
      }
      case SOFT_LOCKUP: {
        // "watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [ksoftirqd/1:23]"
        cpuHash(sb, h);
        int open = h.lastIndexOf('[');
        if (open > 0 && h.endsWith("]")) commColonPid(sb, h.substring(open + 1, h.length() - 1));
        break;
      }
      case HUNG_TASK: {
        // "INFO: task jbd2/sda2-8:349 blocked for more than 120 seconds."
        int t = h.indexOf("task ");
        int blocked = h.indexOf(" blocked for more than ");
        if (t >= 0 && blocked >= t + 5) commColonPid(sb, h.substring(t + 5, blocked));
        break;
      }
      case WARNING: {
        warningHeader(sb, h);
        break;
      }
      case BUG: {
        if (h.startsWith("kernel BUG at ") || h.startsWith("Kernel BUG at ")) {
          String l = h.substring(14);
          sb.location(l.endsWith("!") ? l.substring(0, l.length() - 1) : l);
        } else if (h.contains("Watchdog detected hard LOCKUP on cpu ")) {
          sb.cpu(parseInt(h.substring(h.indexOf(" on cpu ") + 8).strip(), -1));
        }
        break;
      }
      default:
        break;
    }
  }

  /** "WARNING: CPU: 14 PID: 6684 at file:line func", "WARNING: at file:line func()", "WARNING: file:line at func, CPU#1: comm/pid". */
  private static void warningHeader(SplatDraft sb, String h) {
    int start = h.indexOf("WARNING: ");
    if (start < 0) return; // a lockdep "INFO: ..." title reported as a warning: nothing to take apart
    String w = h.substring(start + 9);
    if (w.startsWith("CPU: ")) {
      int pidAt = w.indexOf(" PID: ");
      if (pidAt >= 5) sb.cpu(parseInt(w.substring(5, pidAt), -1));
      int at = w.indexOf(" at ", Math.max(pidAt + 5, 0)); // after " PID: ", which may be empty
      if (pidAt > 0 && at >= pidAt + 6) sb.pid(parseInt(w.substring(pidAt + 6, at), -1));
      if (at > 0) locationAndFunction(sb, w.substring(at + 4));
    } else if (w.startsWith("at ")) {
      locationAndFunction(sb, w.substring(3));
    } else {
      int at = w.indexOf(" at ");
      if (at > 0) {
        sb.location(w.substring(0, at));
        String rest = w.substring(at + 4);
        int cpu = rest.lastIndexOf(", CPU#");
        if (cpu > 0) {
          put(sb, "at", rest.substring(0, cpu));
          String c = rest.substring(cpu + 6);
          int colon = c.indexOf(": ");
          if (colon > 0) {
            sb.cpu(parseInt(c.substring(0, colon), -1));
            commSlashPid(sb, c.substring(colon + 2).strip());
          }
        } else {
          put(sb, "at", rest);
        }
      }
    }
  }

  private static void locationAndFunction(SplatDraft sb, String at) {
    int sp = at.indexOf(' ');
    sb.location(sp < 0 ? at : at.substring(0, sp));
    if (sp > 0) put(sb, "at", at.substring(sp + 1).strip());
  }

  private static void location(SplatDraft sb, String h, String key) {
    int at = h.lastIndexOf(key);
    if (at < 0) return;
    String l = h.substring(at + key.length()).strip();
    int sp = l.indexOf(' ');
    sb.location(sp < 0 ? l : l.substring(0, sp));
  }

  private static void cpuHash(SplatDraft sb, String h) {
    int c = h.indexOf("CPU#");
    if (c < 0) return;
    int e = c + 4;
    while (e < h.length() && Character.isDigit(h.charAt(e))) e++;
    if (e > c + 4 && sb.cpu() < 0) sb.cpu(parseInt(h.substring(c + 4, e), -1));
  }

  /** "comm/pid" where comm may contain '/' ("ksoftirqd/0/16"). */
  static void commSlashPid(SplatDraft sb, String s) {
    int slash = s.lastIndexOf('/');
    if (slash <= 0) return;
    int pid = parseInt(s.substring(slash + 1), -1);
    if (pid < 0) return;
    if (sb.pid() < 0) sb.pid(pid);
    if (sb.comm() == null) sb.comm(s.substring(0, slash));
  }

  /** "comm:pid" where comm may contain ':' ("kworker/u8:2:123", "rs:main Q:Reg:3729"). */
  static void commColonPid(SplatDraft sb, String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) return;
    int pid = parseInt(s.substring(colon + 1), -1);
    if (pid < 0) return;
    if (sb.pid() < 0) sb.pid(pid);
    if (sb.comm() == null) sb.comm(s.substring(0, colon));
  }

  /**
   * dump_stack()'s "CPU: 1 [UID: 0] PID: 2848 Comm: life [Kdump: loaded] Tainted: G W 6.5.0 #1" (or
   * "Not tainted 5.10.0"), and old kernels' "Pid: 1921, comm: wrv.fs Tainted: P 2.6.35 #1".
   */
  static void cpuLine(String t, SplatDraft sb) {
    int taintAt;
    if (t.startsWith("CPU: ")) {
      int e = 5;
      while (e < t.length() && Character.isDigit(t.charAt(e))) e++;
      if (sb.cpu() < 0 && e > 5) sb.cpu(parseInt(t.substring(5, e), -1));
      int pid = t.indexOf(" PID: ");
      if (pid > 0) {
        int pe = pid + 6;
        while (pe < t.length() && Character.isDigit(t.charAt(pe))) pe++;
        if (sb.pid() < 0) sb.pid(parseInt(t.substring(pid + 6, pe), -1));
      }
      int comm = t.indexOf(" Comm: ");
      taintAt = tainted(t);
      if (comm > 0 && sb.comm() == null) {
        int end = t.length();
        int kd = t.indexOf(" Kdump: ", comm);
        if (kd > 0) end = Math.min(end, kd);
        if (taintAt > comm) end = Math.min(end, taintAt);
        int hash = t.indexOf(" #", comm + 7);
        if (taintAt < 0 && hash > 0) end = Math.min(end, hash);
        sb.comm(t.substring(comm + 7, Math.max(comm + 7, end)).strip()); // " Comm: Tainted:" has no comm
      }
    } else {
      // "Pid: 1921, comm: wrv.fs Tainted: P 2.6.35.6-48.fc14.x86_64 #1"
      int comma = t.indexOf(", comm: ");
      if (comma < 0) return;
      if (sb.pid() < 0 && comma >= 5) sb.pid(parseInt(t.substring(5, comma).strip(), -1));
      taintAt = tainted(t);
      int end = taintAt > comma ? Math.max(comma + 8, taintAt) : t.length(); // ", comm: Tainted:" has no comm
      if (sb.comm() == null) sb.comm(t.substring(comma + 8, end).strip());
    }
    if (taintAt >= 0) taintAndRelease(t.substring(taintAt + 1), sb);
  }

  /** Index of " Tainted: " or " Not tainted" in t, or -1. */
  private static int tainted(String t) {
    int a = t.indexOf(" Tainted: ");
    int b = t.indexOf(" Not tainted");
    if (a < 0) return b;
    if (b < 0) return a;
    return Math.min(a, b);
  }

  /** "Tainted: G   W   O 6.2.0-rc7 #2786 ..." or "Not tainted 4.1.2 #56": taint flags, then the release. */
  static void taintAndRelease(String t, SplatDraft sb) {
    String rest;
    StringBuilder taint = new StringBuilder();
    if (t.startsWith("Not tainted")) {
      rest = t.substring(11);
    } else if (t.startsWith("Tainted:")) {
      rest = t.substring(8);
    } else {
      return;
    }
    int i = 0;
    String release = null;
    boolean flags = t.startsWith("Tainted:");
    while (i < rest.length()) {
      while (i < rest.length() && rest.charAt(i) == ' ') i++;
      int e = i;
      while (e < rest.length() && rest.charAt(e) != ' ') e++;
      if (e == i) break;
      String tok = rest.substring(i, e);
      i = e;
      char c = tok.charAt(0);
      if (Character.isDigit(c)) {
        release = tok;
        break;
      }
      if (tok.startsWith("#") || tok.startsWith("[")) break;
      if (flags && isTaintToken(tok)) {
        if (taint.length() > 0) taint.append(' ');
        taint.append(tok);
      }
    }
    if (sb.taint() == null) sb.taint(taint.toString());
    if (release != null && sb.kernelRelease() == null) sb.kernelRelease(release);
  }

  /** Taint letters ("G", "W", "IOE"); the "---------" RHEL marker and such are skipped. */
  private static boolean isTaintToken(String tok) {
    for (int k = 0; k < tok.length(); k++) {
      if (!Character.isUpperCase(tok.charAt(k))) return false;
    }
    return tok.length() <= 20;
  }

  /** Lockdep's print_kernel_ident(): "6.8.0-rc3 #9 Tainted: G W", "4.1.2 #56 Not tainted", "2.6.19-rc6 #4". */
  static boolean ident(String t, SplatDraft sb) {
    if (t.isEmpty()) return false;
    int sp = t.indexOf(' ');
    String first = sp < 0 ? t : t.substring(0, sp);
    boolean looks = (sp > 0 && t.startsWith(" #", sp)) || t.contains(" Not tainted") || t.contains(" Tainted: ");
    if (!looks) return false;
    if (sb.kernelRelease() == null && !first.startsWith("#")) sb.kernelRelease(first);
    int taint = tainted(t);
    if (taint >= 0) taintAndRelease(t.substring(taint + 1), sb);
    return true;
  }

  /** "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/1" and older variants. */
  static void inAtomicLine(String t, SplatDraft sb) {
    keyValues(t, sb);
    String a = value(t, "in_atomic():");
    if (a != null) {
      sb.inAtomic(parseInt(firstWord(a), 0) != 0);
      int open = a.indexOf('[');
      int close = a.indexOf(']');
      if (open >= 0 && close > open && sb.preemptCount() < 0) setPreempt(sb, a.substring(open + 1, close));
    }
    String d = value(t, "irqs_disabled():");
    if (d != null) sb.irqsDisabled(parseInt(firstWord(d), 0) != 0);
    String pid = value(t, "pid:");
    if (pid != null && sb.pid() < 0) sb.pid(parseInt(firstWord(pid), -1));
    String name = value(t, "name:");
    if (name != null && sb.comm() == null) sb.comm(name.strip());
  }

  /** "preempt_count: 10001, expected: 0" (hex without 0x). */
  static void preemptCountLine(String t, SplatDraft sb) {
    keyValues(t, sb);
    String v = value(t, "preempt_count:");
    if (v != null) setPreempt(sb, firstWord(v));
    String x = value(t, "expected:");
    if (x != null) sb.expectedPreemptCount((int) Math.min(Integer.MAX_VALUE, parseHex(firstWord(x))));
  }

  /** "RCU nest depth: 0, expected: 0". */
  static void rcuNestLine(String t, SplatDraft sb) {
    keyValues(t, sb);
    String v = value(t, "RCU nest depth:");
    if (v != null) sb.rcuNestDepth(parseInt(firstWord(v), -1));
    String x = value(t, "expected:");
    if (x != null) sb.expectedRcuNestDepth(parseInt(firstWord(x), -1));
  }

  private static void setPreempt(SplatDraft sb, String hex) {
    long v = parseHex(hex.strip());
    // bit 31 is PREEMPT_NEED_RESCHED on architectures that keep it in the count: not a nesting level
    if (v >= 0) sb.preemptCount((int) (v & 0x7fffffffL));
  }

  /**
   * "a: 1, b(): 2, c: x" into facts; a later "expected" is keyed after the first key ("preempt_count
   * expected") so that the two "expected" of a sleeping-function report do not collide.
   */
  static void keyValues(String t, SplatDraft sb) {
    int i = 0;
    String firstKey = null;
    int guard = 0;
    while (i < t.length() && guard++ < 16) {
      int colon = t.indexOf(": ", i);
      if (colon < 0) break;
      String key = t.substring(i, colon).strip();
      int next = t.indexOf(", ", colon + 2);
      // the value runs to the next ", key:" (values such as "swapper/0" contain no ", ")
      String value = next < 0 ? t.substring(colon + 2) : t.substring(colon + 2, next);
      if (key.isEmpty() || key.length() > 40) break;
      if (firstKey == null) firstKey = key;
      else if (key.equals("expected")) key = firstKey + " expected";
      put(sb, key, value.strip());
      if (next < 0) break;
      i = next + 2;
    }
  }

  /** The text after {@code key} (up to the next ", "), or null. */
  static String value(String t, String key) {
    int k = t.indexOf(key);
    if (k < 0) return null;
    int s = k + key.length();
    int e = t.indexOf(", ", s);
    return t.substring(s, e < 0 ? t.length() : e).strip();
  }

  static String firstWord(String s) {
    String t = s.strip();
    int sp = t.indexOf(' ');
    return sp < 0 ? t : t.substring(0, sp);
  }

  static int parseInt(String s, int dflt) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 9) return dflt;
    int v = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') return dflt;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Hex with or without 0x; -1 when not hex or longer than 8 digits. */
  static long parseHex(String s) {
    String t = s.strip();
    if (t.startsWith("0x") || t.startsWith("0X")) t = t.substring(2);
    if (t.isEmpty() || t.length() > 8) return -1;
    long v = 0;
    for (int i = 0; i < t.length(); i++) {
      int d = Character.digit(t.charAt(i), 16);
      if (d < 0) return -1;
      v = (v << 4) | d;
    }
    return v;
  }
}
