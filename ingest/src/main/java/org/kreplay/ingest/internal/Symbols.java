package org.kreplay.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns byte slices as Strings, so that names repeated millions of times in a trace (comms,
 * event and function names) are decoded once and compared by identity afterwards. Open addressing
 * over parallel arrays; bounded: past {@link #MAX_ENTRIES} distinct names it stops interning and
 * returns fresh Strings, so a hostile input cannot grow it without limit.
 */
public final class Symbols {
  static final int MAX_ENTRIES = 1 << 20;

  private byte[][] keys = new byte[1024][];
  private String[] values = new String[1024];
  private int[] hashes = new int[1024];
  private int size;

  public String intern(byte[] b, int off, int len) {
    int h = hash(b, off, len);
    int mask = keys.length - 1;
    int i = h & mask;
    while (true) {
      byte[] k = keys[i];
      if (k == null) break;
      if (hashes[i] == h && k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    String s = new String(b, off, len, StandardCharsets.UTF_8);
    if (size >= MAX_ENTRIES) return s;
    keys[i] = Arrays.copyOfRange(b, off, off + len);
    values[i] = s;
    hashes[i] = h;
    if (++size * 2 > keys.length) grow();
    return s;
  }

  public String intern(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return intern(b, 0, b.length);
  }

  public int size() {
    return size;
  }

  private static int hash(byte[] b, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  private void grow() {
    byte[][] oldKeys = keys;
    String[] oldValues = values;
    int[] oldHashes = hashes;
    int n = oldKeys.length * 2;
    keys = new byte[n][];
    values = new String[n];
    hashes = new int[n];
    int mask = n - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] == null) continue;
      int i = oldHashes[j] & mask;
      while (keys[i] != null) i = (i + 1) & mask;
      keys[i] = oldKeys[j];
      values[i] = oldValues[j];
      hashes[i] = oldHashes[j];
    }
  }
}
