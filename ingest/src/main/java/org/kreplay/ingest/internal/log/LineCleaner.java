package org.kreplay.ingest.internal.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Removes what serial consoles and mail clients add to kernel lines: carriage returns, terminal escape
 * sequences (colours, cursor movement), and non-breaking spaces (U+00A0) where a pasted report had
 * spaces. Lines that are plain ASCII without control bytes, almost all of them, are recognised eight
 * bytes at a time and left alone.
 */
final class LineCleaner {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long SPACES = 0x2020202020202020L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final byte ESC = 0x1b;

  private LineCleaner() {}

  /** Whether [s, e) holds a byte below 0x20 (tab, CR, ESC, NUL...) or above 0x7f (UTF-8). */
  static boolean needsCleaning(byte[] b, int s, int e) {
    int i = s;
    for (; i + 8 <= e; i += 8) {
      long x = (long) LONGS.get(b, i);
      // a byte below 0x20 borrows from its high bit; a byte >= 0x80 has it set already
      if (((((x - SPACES) & ~x) | x) & HIGH_BITS) != 0) return true;
    }
    for (; i < e; i++) {
      if (b[i] < 0x20) return true;
    }
    return false;
  }

  /**
   * Drops CRs and ESC sequences from [s, e) in place; returns the new end. Sets {@code console[0]} when
   * it removed anything a console writes.
   */
  static int clean(byte[] b, int s, int e, boolean[] console) {
    int w = s;
    int i = s;
    while (i < e) {
      byte c = b[i];
      if (c == '\r') {
        console[0] = true;
        i++;
        continue;
      }
      if (c == ESC) {
        console[0] = true;
        i = skipEscape(b, i, e);
        continue;
      }
      if (c == (byte) 0xc2 && i + 1 < e && b[i + 1] == (byte) 0xa0) {
        b[w++] = ' ';
        i += 2;
        continue;
      }
      b[w++] = c;
      i++;
    }
    return w;
  }

  /** Index after the escape sequence at {@code i}: CSI "ESC [ params final", OSC "ESC ] ... BEL", or ESC x. */
  private static int skipEscape(byte[] b, int i, int e) {
    if (i + 1 >= e) return e;
    byte k = b[i + 1];
    if (k == '[') {
      int j = i + 2;
      while (j < e && (b[j] < 0x40 || b[j] > 0x7e)) j++;
      return Math.min(e, j + 1);
    }
    if (k == ']') {
      int j = i + 2;
      while (j < e && b[j] != 0x07) {
        if (b[j] == ESC && j + 1 < e && b[j + 1] == '\\') return j + 2;
        j++;
      }
      return Math.min(e, j + 1);
    }
    return i + 2;
  }
}
