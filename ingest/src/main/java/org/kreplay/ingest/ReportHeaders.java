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
 * found where syzkaller finds one: anywhere in a line ("usb 5-1: WARNING: …", a date-stamped
 * "2018/01/09 14:28:48 BUG: memory leak", a merged console line). Immutable.
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

  public ReportHeaders(List<Header> headers) {
    this.headers = List.copyOf(headers);
    this.bytes = new byte[this.headers.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = this.headers.get(i).text().getBytes(StandardCharsets.UTF_8);
      first[bytes[i][0] & 0xff] = true;
    }
  }

  public List<Header> headers() {
    return headers;
  }

  public boolean isEmpty() {
    return headers.isEmpty();
  }

  /**
   * The header that starts a report in the message {@code [s, e)}, or null: one found anywhere in
   * the line (as syzkaller's parser finds it; after a word, not inside one), on a line none of its
   * ignore patterns matches.
   */
  public Header find(byte[] b, int s, int e) {
    int i = position(b, s, e);
    if (i < 0) return null;
    Header h = headers.get(i);
    return ignored(h, b, s, e) ? null : h;
  }

  /** Whether the line carries a header only in a form that starts nothing ("WARNING: the mand mount option"). */
  public boolean ignores(byte[] b, int s, int e) {
    int i = position(b, s, e);
    return i >= 0 && ignored(headers.get(i), b, s, e);
  }

  /** The index of the first header in the line, or -1. */
  private int position(byte[] b, int s, int e) {
    if (headers.isEmpty()) return -1;
    for (int at = s; at < e; at++) {
      if (!first[b[at] & 0xff] || (at > s && isWordByte(b[at - 1]))) continue;
      for (int i = 0; i < bytes.length; i++) {
        if (startsWith(b, at, e, bytes[i])) return i;
      }
    }
    return -1;
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

  private static boolean ignored(Header h, byte[] b, int s, int e) {
    if (h.ignores().isEmpty()) return false;
    String line = new String(b, s, e - s, StandardCharsets.UTF_8);
    for (Pattern p : h.ignores()) {
      if (p.matcher(line).find()) return true;
    }
    return false;
  }
}
