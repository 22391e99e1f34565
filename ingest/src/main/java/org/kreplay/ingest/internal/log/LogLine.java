package org.kreplay.ingest.internal.log;

import java.nio.charset.StandardCharsets;
import org.kreplay.ingest.log.LogFormat;

/**
 * The current input line split into its log prefix (timestamps, host, caller tag) and the kernel's
 * message. One instance is reused for every line; nothing here allocates unless asked for text.
 */
final class LogLine {
  byte[] b;
  /** The whole line, [start, end). */
  int start;
  int end;
  long number;
  /** Where the message starts (after the prefix and its one separating space). */
  int msgStart;
  /** First non-blank byte of the message ({@code == end} for a blank message). */
  int text;
  /** Whether a log prefix was recognised. */
  boolean prefixed;
  /** False for syslog lines of other programs ("systemd[1]: ..."). */
  boolean kernel;
  /** The message began with blanks (continuation lines, frames, lock lists) or a syslog "#011". */
  boolean indented;
  /** Seconds from the dmesg or /dev/kmsg timestamp, or -1 (see {@link #timestamp()}). */
  double timestamp;
  /** A dmesg timestamp not converted yet: [tsStart, tsEnd) holds "123.456789". */
  private int tsStart = -1;
  private int tsEnd;
  /** Seconds of day from a wall-clock prefix, or -1; only to notice long gaps. */
  double wallSeconds;
  /** The wall-clock prefix [wallStart, wallEnd), or wallStart -1. */
  int wallStart;
  int wallEnd;
  /** 'T' or 'C' for a printk caller tag, 0 for none. */
  char tagKind;
  int tagValue;
  /** The prefix style found, or null. */
  LogFormat format;
  /** Control bytes (other than tab) remain after cleaning: nothing a kernel prints. */
  boolean unprintable;

  void reset(byte[] b, int start, int end, long number) {
    this.b = b;
    this.start = start;
    this.end = end;
    this.number = number;
    msgStart = start;
    text = start;
    prefixed = false;
    kernel = true;
    indented = false;
    timestamp = -1;
    tsStart = -1;
    wallSeconds = -1;
    wallStart = -1;
    wallEnd = -1;
    tagKind = 0;
    tagValue = 0;
    format = null;
  }

  void timestampDigits(int s, int e) {
    tsStart = s;
    tsEnd = e;
  }

  /** Seconds from the dmesg or /dev/kmsg timestamp, or -1. */
  double timestamp() {
    if (tsStart >= 0) {
      int dot = tsStart;
      while (b[dot] != '.') dot++;
      long secs = 0;
      for (int p = tsStart; p < dot; p++) secs = secs * 10 + (b[p] - '0');
      timestamp = secs + PrefixParser.fraction(b, dot + 1, tsEnd);
      tsStart = -1;
    }
    return timestamp;
  }

  boolean blank() {
    return text >= end;
  }

  boolean hasTag() {
    return tagKind != 0;
  }

  /** A key for the caller tag: T-numbers positive, C-numbers negative, 0 for none. */
  int tagKey() {
    if (tagKind == 'T') return tagValue + 1;
    if (tagKind == 'C') return -(tagValue + 1);
    return 0;
  }

  String tagText() {
    return tagKind == 0 ? null : tagKind + Integer.toString(tagValue);
  }

  /** The message from its first non-blank byte, trailing blanks removed. */
  String text() {
    int e = end;
    while (e > text && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
    return new String(b, text, e - text, StandardCharsets.UTF_8);
  }

  /** The message as printed after the log prefix, leading blanks kept (syzkaller's frame regexes anchor on them). */
  String message() {
    return new String(b, msgStart, end - msgStart, StandardCharsets.UTF_8);
  }

  String wallTime() {
    return wallStart < 0 ? null : new String(b, wallStart, wallEnd - wallStart, StandardCharsets.UTF_8);
  }

  /** The whole line (clipped) for problem messages, control bytes shown as '?'. */
  String excerpt() {
    String t = new String(b, start, Math.min(end - start, 200), StandardCharsets.UTF_8);
    StringBuilder out = null;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        if (out == null) out = new StringBuilder(t.substring(0, i));
        out.append('?');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? t : out.toString();
  }

  /** Timestamp usable to notice gaps: kernel time when known, else wall clock. */
  double clock() {
    double t = timestamp();
    return t >= 0 ? t : wallSeconds;
  }
}
