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
 * found where syzkaller finds one: at the start of a message, or right after a "] " that a merged
 * console line left in the middle of it. Immutable.
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

  public ReportHeaders(List<Header> headers) {
    this.headers = List.copyOf(headers);
    this.bytes = new byte[this.headers.size()][];
    for (int i = 0; i < bytes.length; i++) bytes[i] = this.headers.get(i).text().getBytes(StandardCharsets.UTF_8);
  }

  public List<Header> headers() {
    return headers;
  }

  public boolean isEmpty() {
    return headers.isEmpty();
  }

  /**
   * The header that starts a report in the message {@code [s, e)}, or null: one found at {@code s}
   * or after a "] ", on a line none of its ignore patterns matches.
   */
  public Header find(byte[] b, int s, int e) {
    if (headers.isEmpty()) return null;
    for (int at = s; at >= 0 && at < e; at = nextAfterBracket(b, at, e)) {
      for (int i = 0; i < bytes.length; i++) {
        if (startsWith(b, at, e, bytes[i]) && !ignored(headers.get(i), b, s, e)) return headers.get(i);
      }
    }
    return null;
  }

  private static int nextAfterBracket(byte[] b, int from, int e) {
    for (int i = from + 1; i + 1 < e; i++) {
      if (b[i] == ']' && b[i + 1] == ' ') return i + 2;
    }
    return -1;
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
