package org.kreplay.ingest.internal.log;

import org.kreplay.ingest.log.LogFormat;

/**
 * Splits a log line into prefix and message. Recognised, in the order they can be stacked:
 * {@code <4>} console/syslog priority; {@code 4,622,406528882,-;} /dev/kmsg record; a wall-clock stamp
 * ("Mar 19 07:34:31[.123456]", RFC 3339, journal's "1707255557.133976") followed by "host kernel: ";
 * the dmesg timestamp {@code [  123.456789]} or {@code dmesg -T}'s {@code [Tue Mar 19 07:34:31 2026]};
 * a printk caller tag {@code [T123]}/{@code [    C1]}; rsyslog's "#012"/"#011" escapes. Byte scanning
 * only: this runs for every line.
 */
final class PrefixParser {
  /**
   * Whether dmesg-timestamped lines of this log go on with "host kernel: " (journalctl -o
   * short-monotonic): decided at the first such line, since a log does not change style, so that the
   * check is not paid on every line. 0 unknown, 1 yes, -1 no.
   */
  private int monotonicJournal;

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  void parse(LogLine l) {
    byte[] b = l.b;
    int e = l.end;
    int i = l.start;
    if (i < e && b[i] == '<') {
      int j = i + 1;
      while (j < e && j - i <= 3 && isDigit(b[j])) j++;
      if (j > i + 1 && j < e && b[j] == '>') {
        i = j + 1;
        l.prefixed = true;
        l.format = LogFormat.SYSLOG;
      }
    }
    boolean syslogStamp = false;
    if (i < e && isDigit(b[i])) {
      int k = kmsg(b, i, e, l);
      if (k > 0) {
        i = k;
      } else if ((k = isoStamp(b, i, e, l)) > 0) {
        i = k;
        syslogStamp = true;
        if (l.format == null) l.format = LogFormat.SYSLOG;
      } else if ((k = epochStamp(b, i, e, l)) > 0) {
        i = k;
        syslogStamp = true;
        if (l.format == null) l.format = LogFormat.JOURNAL;
      }
    } else if (i + 15 <= e && b[i] >= 'A' && b[i] <= 'S') {
      int k = monthStamp(b, i, e, l);
      if (k > 0) {
        i = k;
        syslogStamp = true;
        if (l.format == null) l.format = LogFormat.JOURNAL;
      }
    }
    if (syslogStamp) {
      int k = kernelTag(b, i, e);
      if (k < 0) {
        // another program's line in a syslog file: not a kernel message
        l.prefixed = true;
        l.kernel = false;
        l.msgStart = i;
        l.text = skipBlanks(b, i, e);
        return;
      }
      i = k;
      l.prefixed = true;
    }
    if (i < e && b[i] == '[') {
      int k = dmesgTimestamp(b, i, e, l);
      if (k > 0) {
        i = k;
        if (syslogStamp) {
          l.format = LogFormat.SYSLOG; // syslog files keep the kernel's own timestamp after "kernel:"
        } else {
          int kt = monotonicJournal < 0 ? -1 : kernelTagAfterTimestamp(b, i, e);
          if (monotonicJournal == 0) monotonicJournal = kt > 0 ? 1 : -1;
          if (kt > 0) {
            i = kt; // journalctl -o short-monotonic: "[  72.1] host kernel: "
            if (l.format == null) l.format = LogFormat.JOURNAL;
          } else if (l.format == null) {
            l.format = LogFormat.DMESG;
          }
        }
        l.prefixed = true;
      } else if ((k = wallClockBrackets(b, i, e, l)) > 0) {
        i = k;
        l.prefixed = true;
        if (l.format == null) l.format = LogFormat.DMESG_WALL_CLOCK;
      }
    }
    if (i < e && (b[i] == '[' || (b[i] == ' ' && i + 1 < e && b[i + 1] == '[' && l.prefixed))) {
      int k = callerTag(b, b[i] == '[' ? i : i + 1, e, l);
      if (k > 0) {
        i = k;
        l.prefixed = true;
      }
    }
    // one space separates "]" from the message; after "kernel: " and /dev/kmsg's ";" the text starts at once
    if (i > l.start && b[i - 1] == ']' && i < e && b[i] == ' ') i++;
    l.msgStart = i;
    // rsyslog writes control characters as #ooo: "#012" newlines (dropped), "#011" tabs (indent)
    int t = i;
    boolean tab = false;
    while (t + 3 < e && b[t] == '#' && b[t + 1] == '0' && b[t + 2] == '1' && (b[t + 3] == '2' || b[t + 3] == '1')) {
      tab |= b[t + 3] == '1';
      t += 4;
    }
    int text = skipBlanks(b, t, e);
    l.text = text;
    l.indented = tab || text > t;
  }

  /** /dev/kmsg: "prio,seq,usec,flags;" (flags may be empty or "-", "c", "+"). */
  private static int kmsg(byte[] b, int i, int e, LogLine l) {
    int j = digits(b, i, e, 4);
    if (j < 0 || j >= e || b[j] != ',') return -1;
    int k = digits(b, j + 1, e, 20);
    if (k < 0 || k >= e || b[k] != ',') return -1;
    int u = digits(b, k + 1, e, 20);
    if (u < 0 || u >= e || b[u] != ',') return -1;
    int semi = u + 1;
    while (semi < e && semi - u <= 9 && b[semi] != ';') semi++;
    if (semi >= e || b[semi] != ';') return -1;
    long usec = 0;
    for (int p = k + 1; p < u && p - k < 19; p++) usec = usec * 10 + (b[p] - '0');
    l.timestamp = usec / 1e6;
    l.prefixed = true;
    l.format = LogFormat.KMSG;
    return semi + 1;
  }

  /** RFC 3339 as rsyslog writes it: 2016-03-26T20:52:22.526357+00:00, then a space. */
  private static int isoStamp(byte[] b, int i, int e, LogLine l) {
    if (i + 20 > e || b[i + 4] != '-' || b[i + 7] != '-' || b[i + 10] != 'T' || b[i + 13] != ':' || b[i + 16] != ':') {
      return -1;
    }
    int sp = i;
    while (sp < e && b[sp] != ' ' && sp - i < 40) sp++;
    if (sp >= e || b[sp] != ' ') return -1;
    l.wallStart = i;
    l.wallEnd = sp;
    l.wallSeconds = secondsOfDay(b, i + 11);
    return sp + 1;
  }

  /** journalctl -o short-unix: seconds since the epoch with a fraction, then a space. */
  private static int epochStamp(byte[] b, int i, int e, LogLine l) {
    int j = digits(b, i, e, 12);
    if (j < 0 || j - i < 9 || j >= e || b[j] != '.') return -1;
    int k = digits(b, j + 1, e, 9);
    if (k < 0 || k >= e || b[k] != ' ') return -1;
    l.wallStart = i;
    l.wallEnd = k;
    long secs = 0;
    for (int p = i; p < j; p++) secs = secs * 10 + (b[p] - '0');
    l.wallSeconds = secs % 86400 + fraction(b, j + 1, k);
    return k + 1;
  }

  /** Syslog / journalctl: "Mar  9 07:34:31" with an optional ".123456", then a space. */
  private static int monthStamp(byte[] b, int i, int e, LogLine l) {
    if (b[i + 3] != ' ' || !isMonth(b, i)) return -1;
    int d = i + 4;
    if (b[d] == ' ') d++;
    int dEnd = digits(b, d, e, 2);
    if (dEnd < 0 || dEnd + 9 > e || b[dEnd] != ' ') return -1;
    int t = dEnd + 1;
    if (!isDigit(b[t]) || !isDigit(b[t + 1]) || b[t + 2] != ':' || !isDigit(b[t + 3]) || !isDigit(b[t + 4])
        || b[t + 5] != ':' || !isDigit(b[t + 6]) || !isDigit(b[t + 7])) {
      return -1;
    }
    int k = t + 8;
    double frac = 0;
    if (k < e && b[k] == '.') {
      int f = digits(b, k + 1, e, 9);
      if (f < 0) return -1;
      frac = fraction(b, k + 1, f);
      k = f;
    }
    if (k >= e || b[k] != ' ') return -1;
    l.wallStart = i;
    l.wallEnd = k;
    l.wallSeconds = secondsOfDay(b, t) + frac;
    return k + 1;
  }

  /**
   * After a syslog stamp: up to two tokens (host, "kern.warn") then "kernel:" or "kernel[N]:"; returns
   * the index after it (and one space), or -1 when the line is not the kernel's.
   */
  private static int kernelTag(byte[] b, int i, int e) {
    int t = i;
    for (int n = 0; n < 3 && t < e; n++) {
      t = skipBlanks(b, t, e);
      int te = t;
      while (te < e && b[te] != ' ') te++;
      if (isKernelToken(b, t, te)) return te < e ? te + 1 : te;
      t = te;
    }
    return -1;
  }

  /** journalctl -o short-monotonic: after "[ ts] ", "host kernel: " within two tokens; else -1. */
  private static int kernelTagAfterTimestamp(byte[] b, int i, int e) {
    int t = i;
    for (int n = 0; n < 2 && t < e; n++) {
      t = skipBlanks(b, t, e);
      int te = t;
      while (te < e && b[te] != ' ') te++;
      if (isKernelToken(b, t, te)) return te < e ? te + 1 : te;
      if (te - t > 64 || te == t) return -1;
      t = te;
    }
    return -1;
  }

  private static boolean isKernelToken(byte[] b, int t, int te) {
    if (te - t < 7 || b[t] != 'k' || b[t + 1] != 'e' || b[t + 2] != 'r' || b[t + 3] != 'n' || b[t + 4] != 'e'
        || b[t + 5] != 'l') {
      return false;
    }
    if (te - t == 7) return b[t + 6] == ':';
    return b[t + 6] == '[' && b[te - 1] == ':' && b[te - 2] == ']';
  }

  /** "[  123.456789]": seconds with 1-9 fraction digits. */
  private static int dmesgTimestamp(byte[] b, int i, int e, LogLine l) {
    int j = skipBlanks(b, i + 1, e);
    int d = digits(b, j, e, 12);
    if (d < 0 || d >= e || b[d] != '.') return -1;
    int f = digits(b, d + 1, e, 9);
    if (f < 0) return -1;
    int close = skipBlanks(b, f, e);
    if (close >= e || b[close] != ']') return -1;
    l.timestampDigits(j, f); // converted only when asked for: most lines never need it
    return close + 1;
  }

  /** dmesg -T: "[Tue Mar 19 07:34:31 2026]". */
  private static int wallClockBrackets(byte[] b, int i, int e, LogLine l) {
    if (i + 26 > e || b[i + 4] != ' ' || b[i + 8] != ' ' || !isMonth(b, i + 5)) return -1;
    int close = i + 1;
    while (close < e && close - i < 32 && b[close] != ']') close++;
    if (close >= e || b[close] != ']') return -1;
    int colon = i + 9;
    while (colon < close && b[colon] != ':') colon++;
    if (colon - 2 < i || colon + 6 > close) return -1;
    l.wallStart = i + 1;
    l.wallEnd = close;
    l.wallSeconds = secondsOfDay(b, colon - 2);
    return close + 1;
  }

  /** printk caller id: "[T123]", "[    C1]". */
  private static int callerTag(byte[] b, int i, int e, LogLine l) {
    int j = skipBlanks(b, i + 1, e);
    if (j >= e || (b[j] != 'T' && b[j] != 'C')) return -1;
    int d = digits(b, j + 1, e, 9);
    if (d < 0 || d >= e || b[d] != ']') return -1;
    int v = 0;
    for (int p = j + 1; p < d; p++) v = v * 10 + (b[p] - '0');
    l.tagKind = (char) b[j];
    l.tagValue = v;
    return d + 1;
  }

  private static boolean isMonth(byte[] b, int i) {
    for (int m = 0; m < 36; m += 3) {
      if (b[i] == MONTHS.charAt(m) && b[i + 1] == MONTHS.charAt(m + 1) && b[i + 2] == MONTHS.charAt(m + 2)) return true;
    }
    return false;
  }

  /** "HH:MM:SS" at {@code t}, as seconds; -1 if malformed. */
  private static double secondsOfDay(byte[] b, int t) {
    if (!isDigit(b[t]) || !isDigit(b[t + 1]) || !isDigit(b[t + 3]) || !isDigit(b[t + 4]) || !isDigit(b[t + 6])
        || !isDigit(b[t + 7])) {
      return -1;
    }
    int h = (b[t] - '0') * 10 + b[t + 1] - '0';
    int m = (b[t + 3] - '0') * 10 + b[t + 4] - '0';
    int s = (b[t + 6] - '0') * 10 + b[t + 7] - '0';
    return h * 3600 + m * 60 + s;
  }

  static double fraction(byte[] b, int s, int e) {
    long v = 0;
    long scale = 1;
    for (int p = s; p < e && p - s < 9; p++) {
      v = v * 10 + (b[p] - '0');
      scale *= 10;
    }
    return (double) v / scale;
  }

  /** End of a run of 1..max digits at i, or -1. */
  private static int digits(byte[] b, int i, int e, int max) {
    int j = i;
    while (j < e && j - i < max && isDigit(b[j])) j++;
    if (j == i || (j < e && j - i == max && isDigit(b[j]))) return -1;
    return j;
  }

  static int skipBlanks(byte[] b, int i, int e) {
    while (i < e && (b[i] == ' ' || b[i] == '\t')) i++;
    return i;
  }

  static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
