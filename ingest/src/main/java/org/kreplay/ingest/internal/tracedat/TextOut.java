package org.kreplay.ingest.internal.tracedat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A reusable byte buffer for rendering event bodies without creating Strings. */
final class TextOut {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  byte[] buf = new byte[256];
  int len;

  void reset() {
    len = 0;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(len + extra, buf.length * 2));
  }

  TextOut put(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  TextOut put(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
    if (!ascii) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return put(b, 0, b.length);
    }
    ensure(n);
    for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    return this;
  }

  TextOut put(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  TextOut decimal(long v) {
    if (v == Long.MIN_VALUE) return put("-9223372036854775808");
    if (v < 0) {
      put('-');
      v = -v;
    }
    return unsignedDecimal(v);
  }

  /** {@code v} read as an unsigned 64-bit number. */
  TextOut unsignedDecimal(long v) {
    ensure(20);
    if (v >= 0 && v < 10) {
      buf[len++] = (byte) ('0' + v);
      return this;
    }
    int start = len;
    if (v < 0) {
      // Top bit set: divide once unsigned, then go on signed.
      long q = Long.divideUnsigned(v, 10);
      int r = (int) (v - q * 10);
      buf[len++] = (byte) ('0' + r);
      v = q;
    }
    while (v > 0) {
      buf[len++] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    reverse(start, len - 1);
    return this;
  }

  /** {@code 0x} and lower-case hex digits, without leading zeros. */
  TextOut hex(long v) {
    ensure(18);
    buf[len++] = '0';
    buf[len++] = 'x';
    return hexDigits(v);
  }

  TextOut hexDigits(long v) {
    ensure(16);
    int start = len;
    do {
      buf[len++] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    } while (v != 0);
    reverse(start, len - 1);
    return this;
  }

  /** Two hex digits. */
  TextOut hexByte(int b) {
    ensure(2);
    buf[len++] = HEX[(b >> 4) & 0xf];
    buf[len++] = HEX[b & 0xf];
    return this;
  }

  private void reverse(int i, int j) {
    while (i < j) {
      byte t = buf[i];
      buf[i++] = buf[j];
      buf[j--] = t;
    }
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}
