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
  private int[] ids = new int[1024];
  private String[] byId = new String[64];
  private int size;
  private int lastId = -1;

  public String intern(byte[] b, int off, int len) {
    int h = hash(b, off, len);
    int mask = keys.length - 1;
    int i = h & mask;
    while (true) {
      byte[] k = keys[i];
      if (k == null) break;
      if (hashes[i] == h && k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
        lastId = ids[i];
        return values[i];
      }
      i = (i + 1) & mask;
    }
    String s = new String(b, off, len, StandardCharsets.UTF_8);
    if (size >= MAX_ENTRIES) {
      lastId = -1;
      return s;
    }
    keys[i] = Arrays.copyOfRange(b, off, off + len);
    values[i] = s;
    hashes[i] = h;
    ids[i] = size;
    if (size == byId.length) byId = Arrays.copyOf(byId, size * 2);
    byId[size] = s;
    lastId = size;
    if (++size * 2 > keys.length) grow();
    return s;
  }

  /**
   * The id of the String the last {@link #intern} returned: ids are dense, 0 for the first
   * distinct value, stable for the table's life; -1 when the table was full.
   */
  public int lastId() {
    return lastId;
  }

  /** The String with this id. */
  public String byId(int id) {
    return byId[id];
  }

  public String intern(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return intern(b, 0, b.length);
  }

  public int size() {
    return size;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** Eight bytes per multiply: names are short, and this runs for several names per event. */
  private static int hash(byte[] b, int off, int len) {
    long h = len * 0x9E3779B97F4A7C15L;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (b[i] & 0xffL) << shift;
    }
    h = (h ^ tail) * 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 32));
  }

  private void grow() {
    byte[][] oldKeys = keys;
    String[] oldValues = values;
    int[] oldHashes = hashes;
    int[] oldIds = ids;
    int n = oldKeys.length * 2;
    keys = new byte[n][];
    values = new String[n];
    hashes = new int[n];
    ids = new int[n];
    int mask = n - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] == null) continue;
      int i = oldHashes[j] & mask;
      while (keys[i] != null) i = (i + 1) & mask;
      keys[i] = oldKeys[j];
      values[i] = oldValues[j];
      hashes[i] = oldHashes[j];
      ids[i] = oldIds[j];
    }
  }
}
