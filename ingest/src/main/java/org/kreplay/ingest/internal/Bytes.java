package org.kreplay.ingest.internal;

/** Number and token scanning over byte arrays, without creating Strings. */
public final class Bytes {
  private Bytes() {}

  /** Value returned by the parse methods when there is no number at the position. */
  public static final long NONE = Long.MIN_VALUE;

  public static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  public static boolean isSpace(byte c) {
    return c == ' ' || c == '\t';
  }

  private static final byte[] HEX = new byte[256];

  static {
    java.util.Arrays.fill(HEX, (byte) -1);
    for (int c = '0'; c <= '9'; c++) HEX[c] = (byte) (c - '0');
    for (int c = 'a'; c <= 'f'; c++) HEX[c] = (byte) (c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; c++) HEX[c] = (byte) (c - 'A' + 10);
  }

  public static int hexValue(byte c) {
    return HEX[c & 0xff];
  }

  public static int skipSpaces(byte[] b, int i, int end) {
    while (i < end && isSpace(b[i])) i++;
    return i;
  }

  /** End of the token at {@code i}: the next space or {@code end}. */
  public static int tokenEnd(byte[] b, int i, int end) {
    while (i < end && !isSpace(b[i])) i++;
    return i;
  }

  /** Parses an optionally signed decimal number in [i, end); NONE if there is none. */
  public static long parseDecimal(byte[] b, int i, int end) {
    boolean neg = false;
    if (i < end && b[i] == '-') {
      neg = true;
      i++;
    }
    if (i >= end || !isDigit(b[i])) return NONE;
    long v = 0;
    while (i < end && isDigit(b[i])) {
      v = v * 10 + (b[i++] - '0');
    }
    return neg ? -v : v;
  }

  /** A decimal number filling exactly [i, end) (no sign, no other characters); NONE otherwise. */
  public static long parseExactDecimal(byte[] b, int i, int end) {
    if (i >= end || end - i > 18) return NONE;
    long v = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) return NONE;
      v = v * 10 + d;
    }
    return v;
  }

  /** Parses hex digits with an optional 0x prefix; {@code (nil)} is 0; NONE if there are none. */
  public static long parseHex(byte[] b, int i, int end) {
    if (i + 1 < end && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) i += 2;
    if (i < end && b[i] == '(') return startsWith(b, i, end, "(nil)") ? 0 : NONE;
    if (i >= end || hexValue(b[i]) < 0) return NONE;
    long v = 0;
    int d;
    while (i < end && (d = hexValue(b[i])) >= 0) {
      v = (v << 4) | d;
      i++;
    }
    return v;
  }

  /** A number written in decimal, or in hex with a 0x prefix. */
  public static long parseNumber(byte[] b, int i, int end) {
    if (i + 1 < end && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) return parseHex(b, i, end);
    return parseDecimal(b, i, end);
  }

  public static boolean startsWith(byte[] b, int i, int end, String prefix) {
    int n = prefix.length();
    if (end - i < n) return false;
    for (int k = 0; k < n; k++) {
      if (b[i + k] != prefix.charAt(k)) return false;
    }
    return true;
  }

  /** Index of the first occurrence of {@code needle} in [from, end), or -1. */
  public static int indexOf(byte[] b, int from, int end, String needle) {
    int n = needle.length();
    if (n == 0) return from;
    byte first = (byte) needle.charAt(0);
    for (int i = from, last = end - n; i <= last; i++) {
      if (b[i] != first) continue;
      int k = 1;
      while (k < n && b[i + k] == needle.charAt(k)) k++;
      if (k == n) return i;
    }
    return -1;
  }

  public static int indexOf(byte[] b, int from, int end, byte c) {
    for (int i = from; i < end; i++) {
      if (b[i] == c) return i;
    }
    return -1;
  }

  /**
   * Index just after {@code key=} where the key starts the range or follows a space, '[' or '(';
   * -1 if absent.
   */
  public static int valueOf(byte[] b, int from, int end, String key) {
    int i = from;
    while (true) {
      int k = indexOf(b, i, end, key);
      if (k < 0) return -1;
      int after = k + key.length();
      boolean startOk = k == from || b[k - 1] == ' ' || b[k - 1] == '[' || b[k - 1] == '(';
      if (startOk && after < end && b[after] == '=') return after + 1;
      i = k + 1;
    }
  }
}
