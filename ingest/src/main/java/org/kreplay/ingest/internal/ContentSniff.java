package org.kreplay.ingest.internal;

import java.nio.charset.StandardCharsets;

/**
 * What the first bytes of an input look like, for routing it and for saying what it was when it
 * turns out to be neither a trace nor a kernel log.
 */
public final class ContentSniff {
  private static final byte[] TRACE_DAT = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};

  private ContentSniff() {}

  /** trace-cmd's magic: 0x17 0x08 0x44 "tracing". */
  public static boolean isTraceDat(byte[] head) {
    if (head.length < TRACE_DAT.length) return false;
    for (int i = 0; i < TRACE_DAT.length; i++) if (head[i] != TRACE_DAT[i]) return false;
    return true;
  }

  /** kreplay's own CSV or JSON Lines header at the start (after blanks). */
  public static boolean isCanonical(byte[] head) {
    String start = start(head);
    return start.startsWith(CanonicalCsvReader.MAGIC) || start.startsWith("ts_ns,")
        || start.startsWith("{\"kreplay\"");
  }

  /** The first 64 characters after leading blanks, as text. */
  static String start(byte[] head) {
    int i = 0;
    while (i < head.length && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) i++;
    return new String(head, i, Math.min(head.length - i, 64), StandardCharsets.UTF_8);
  }

  /**
   * Binary data rather than text: a NUL byte, or more than 2% control bytes that no text has
   * (tab, line ends, form feed and the escape of terminal colours excepted). Random bytes have about 11%.
   */
  public static boolean isBinary(byte[] head) {
    int control = 0;
    for (byte b : head) {
      if (b == 0) return true;
      if (b > 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b) control++;
    }
    return head.length > 0 && control * 50 > head.length;
  }
}
