package org.kreplay.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Further lines that start a kernel report, beyond the ones kreplay reads in detail: the oops
 * headers of syzkaller's Linux parser ("Kernel panic", "PANIC: double fault", "BUG kmalloc-",
 * "SYZFAIL:", …), each with the patterns of lines that carry the header yet start nothing. The data
 * lives in analyze's catalog (report-titles.yaml); the log reader only matches it. A header is
 * found where syzkaller's logs put one: at a message's start, after a device prefix ("usb 5-1:
 * WARNING: …"), after a date ("2018/01/09 14:28:48 BUG: memory leak") or inside a merged console
 * line; not in prose. Immutable.
 */
public final class ReportHeaders {
  /** No further headers: only the reports kreplay reads in detail. */
  public static final ReportHeaders NONE = new ReportHeaders(List.of());

  /** One header and the lines with it that are not reports. */
  public record Header(String text, List<Pattern> ignores) {
    public Header {
      if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty report header");
      ignores = List.copyOf(ignores);
    }
  }

  private final List<Header> headers;
  private final byte[][] bytes;
  /** The first bytes of the headers: the only places a header can start. */
  private final boolean[] first = new boolean[256];
  /** For each first byte, the headers that begin with it, in list order (the first that fits wins). */
  private final int[][] byFirst = new int[256][];

  public ReportHeaders(List<Header> headers) {
    this.headers = List.copyOf(headers);
    this.bytes = new byte[this.headers.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = this.headers.get(i).text().getBytes(StandardCharsets.UTF_8);
      int f = bytes[i][0] & 0xff;
      first[f] = true;
      int[] had = byFirst[f] == null ? new int[0] : byFirst[f];
      byFirst[f] = java.util.Arrays.copyOf(had, had.length + 1);
      byFirst[f][had.length] = i;
    }
  }

  public List<Header> headers() {
    return headers;
  }

  public boolean isEmpty() {
    return headers.isEmpty();
  }

  /**
   * The header that starts a report in the message {@code [s, e)}, or null: one found where
   * {@link #position} looks, on a line none of its ignore patterns matches.
   *
   * @param kernelLine whether the line had the kernel's log prefix (a timestamp)
   */
  public Header find(byte[] b, int s, int e, boolean kernelLine) {
    Header h = locate(b, s, e, kernelLine);
    return h == null || startsNothing(h, b, s, e) ? null : h;
  }

  /** Whether the line carries a header only in a form that starts nothing ("WARNING: the mand mount option"). */
  public boolean ignores(byte[] b, int s, int e, boolean kernelLine) {
    Header h = locate(b, s, e, kernelLine);
    return h != null && startsNothing(h, b, s, e);
  }

  /**
   * The header at one of the places {@link #position} looks, or null, whether or not the line is one
   * that starts nothing: for a reader that asks both {@link #find} and {@link #ignores} of a line
   * and should look for the header once.
   */
  public Header locate(byte[] b, int s, int e, boolean kernelLine) {
    int i = position(b, s, e, kernelLine);
    return i < 0 ? null : headers.get(i);
  }

  /** Whether one of the header's ignore patterns matches the line: it carries the header and starts nothing. */
  public boolean startsNothing(Header h, byte[] b, int s, int e) {
    if (h.ignores().isEmpty()) return false;
    String line = new String(b, s, e - s, StandardCharsets.UTF_8);
    for (Pattern p : h.ignores()) {
      if (p.matcher(line).find()) return true;
    }
    return false;
  }

  /**
   * The index of the header at one of the places syzkaller's logs put one, or -1: the message start,
   * after a "] " (a console line merged into another), after a device prefix as dev_printk() prints
   * it ("usb 5-1: "), or after the date and time syzkaller's own tools print ("2018/01/09 14:28:48 ").
   * On a line with the kernel's log prefix (a timestamp), anywhere after a word, as syzkaller looks
   * ("segment-related general protection fault"). Not anywhere in unprefixed prose: "`BUG:`
   * reports" in a README is no report.
   */
  private int position(byte[] b, int s, int e, boolean kernelLine) {
    if (headers.isEmpty()) return -1;
    int i = at(b, s, e);
    if (i >= 0) return i;
    if (kernelLine) {
      for (int k = s + 1; k < e; k++) {
        if (first[b[k] & 0xff] && !isWordByte(b[k - 1]) && (i = at(b, k, e)) >= 0) return i;
      }
      return -1;
    }
    int dev = afterDevicePrefix(b, s, e);
    if (dev > 0 && (i = at(b, dev, e)) >= 0) return i;
    int date = afterDate(b, s, e);
    if (date > 0 && (i = at(b, date, e)) >= 0) return i;
    for (int k = s + 1; k + 1 < e; k++) {
      if (b[k] == ']' && b[k + 1] == ' ' && timestampBefore(b, s, k) && (i = at(b, k + 2, e)) >= 0) return i;
    }
    return -1;
  }

  /** Whether {@code b[close]} ends a "[  76.471107" printk timestamp (a console line merged into this one). */
  private static boolean timestampBefore(byte[] b, int s, int close) {
    boolean dot = false;
    for (int k = close - 1; k >= s; k--) {
      byte c = b[k];
      if (c == '[') return dot && k < close - 2;
      if (c == '.') dot = true;
      else if (c != ' ' && (c < '0' || c > '9')) return false;
    }
    return false;
  }

  private int at(byte[] b, int at, int e) {
    if (at >= e) return -1;
    int[] candidates = byFirst[b[at] & 0xff];
    if (candidates == null) return -1;
    for (int i : candidates) {
      if (startsWith(b, at, e, bytes[i])) return i;
    }
    return -1;
  }

  /** After "driver device: " (one or two names of [A-Za-z0-9_.:-], no other blank), or -1. */
  private static int afterDevicePrefix(byte[] b, int s, int e) {
    int spaces = 0;
    for (int k = s; k + 1 < e && k < s + 48; k++) {
      byte c = b[k];
      if (c == ':' && b[k + 1] == ' ') return k > s ? k + 2 : -1;
      if (c == ' ') {
        if (++spaces > 1 || k == s) return -1;
      } else if (!(isWordByte(c) || c == '.' || c == '-' || c == ':')) {
        return -1;
      }
    }
    return -1;
  }

  /** After "YYYY/MM/DD HH:MM:SS ", or -1. */
  private static int afterDate(byte[] b, int s, int e) {
    String shape = "dddd/dd/dd dd:dd:dd ";
    if (e - s < shape.length()) return -1;
    for (int k = 0; k < shape.length(); k++) {
      byte c = b[s + k];
      char want = shape.charAt(k);
      if (want == 'd' ? c < '0' || c > '9' : c != want) return -1;
    }
    return s + shape.length();
  }

  private static boolean isWordByte(byte c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  private static boolean startsWith(byte[] b, int at, int e, byte[] h) {
    if (e - at < h.length) return false;
    for (int k = 0; k < h.length; k++) {
      if (b[at + k] != h[k]) return false;
    }
    return true;
  }

}
