package org.kreplay.ingest.internal.log;

import org.kreplay.ingest.internal.Bytes;

/**
 * Tells a kernel log from a trace by its first lines. A log line has a log prefix (dmesg timestamp,
 * syslog/journal "kernel:", /dev/kmsg record) or is report text (a header, "Call Trace:", a CPU line);
 * a trace line has ftrace's "-PID [CPU]" anchor, a "# tracer:" header, "cpus=N" or "=> frame" lines.
 * A head is a log when it has log lines and clearly more of them than trace lines.
 */
public final class LogSniffer {
  private static final int MAX_LINES = 256;

  private LogSniffer() {}

  public static boolean looksLikeKernelLog(byte[] head, int len) {
    int[] scores = scores(head, len);
    return scores[0] >= 4 && scores[0] > 2 * scores[1];
  }

  /** Whether the head has ftrace lines and clearly more of them than log lines. */
  public static boolean looksLikeTrace(byte[] head, int len) {
    int[] scores = scores(head, len);
    return scores[1] >= 4 && scores[1] > scores[0];
  }

  /** {log score, trace score} of the head's first lines. */
  private static int[] scores(byte[] head, int len) {
    int n = Math.min(len, head.length);
    head = java.util.Arrays.copyOf(head, n); // cleaned in place below: the caller's bytes stay as they are
    boolean[] console = new boolean[1];
    LogLine l = new LogLine();
    PrefixParser prefixes = new PrefixParser();
    int logScore = 0;
    int traceScore = 0;
    int s = 0;
    int count = 0;
    while (s < n && count < MAX_LINES) {
      int e = s;
      while (e < n && head[e] != '\n') e++;
      if (e == n && n == len && s > 0) break; // the last line may be cut: ignore it
      int end = e > s && head[e - 1] == '\r' ? e - 1 : e;
      // as the reader does: no escapes, carriage returns or no-break spaces (pasted reports) in the way
      if (LineCleaner.needsCleaning(head, s, end)) end = LineCleaner.clean(head, s, end, console);
      count++;
      int t = PrefixParser.skipBlanks(head, s, end);
      if (t < end) {
        if (traceLine(head, t, end)) {
          traceScore += 2;
        } else {
          l.reset(head, s, end, count);
          prefixes.parse(l);
          if (l.prefixed && l.kernel) logScore += 2;
          if (!l.blank() && (Headers.match(head, l.text, end) != null || Headers.stackDumpStart(head, l.text, end))) logScore += 3;
        }
      }
      s = e + 1;
    }
    return new int[] {logScore, traceScore};
  }

  /** ftrace/trace-cmd text: "# tracer:", "cpus=2", "=> frame", or "comm-123 [001] ..." / "comm-123 (tgid) [001]". */
  private static boolean traceLine(byte[] b, int s, int e) {
    if (b[s] == '#') return Bytes.indexOf(b, s, Math.min(e, s + 40), "tracer") > 0 || Bytes.indexOf(b, s, e, "entries-in-buffer") > 0
        || Bytes.indexOf(b, s, e, "TASK-PID") > 0 || Bytes.indexOf(b, s, e, "irqs-off") > 0;
    if (Bytes.startsWith(b, s, e, "cpus=") || Bytes.startsWith(b, s, e, "=> ") || Bytes.startsWith(b, s, e, "version = ")) return true;
    int limit = Math.min(e, s + 48);
    for (int p = s + 1; p < limit; p++) {
      if (b[p] != '-' || p + 1 >= e || !Bytes.isDigit(b[p + 1])) continue;
      int q = p + 1;
      while (q < e && Bytes.isDigit(b[q])) q++;
      int r = PrefixParser.skipBlanks(b, q, e);
      if (r > q && r < e && (b[r] == '[' || b[r] == '(')) return true;
    }
    return false;
  }
}
