package org.kreplay.ingest.internal;

import java.nio.charset.StandardCharsets;

/**
 * Finds where the values of a fixed set of keys start in a {@code key=value key=value} body, in one
 * pass. A key counts where it starts the body or follows a space, '[' or '('; the first occurrence
 * wins. Values are not delimited here (a comm may contain spaces); callers know each value's shape.
 */
final class KeyScanner {
  private final byte[][] keys;
  private final int[] starts;
  /**
   * The key seen right after each key in the last body that had both (first: the body's first key),
   * or -1: one event type prints its keys in one order, so the next token is tried as that key
   * first, before the general search of every key. Learned, so any order still scans right.
   */
  private final int[] after;
  private int first;

  KeyScanner(String... keys) {
    this.keys = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) this.keys[i] = keys[i].getBytes(StandardCharsets.US_ASCII);
    this.starts = new int[keys.length];
    this.after = new int[keys.length];
    for (int i = 0; i < keys.length; i++) after[i] = i + 1 < keys.length ? i + 1 : -1;
    this.first = 0;
  }

  /** Scans {@code b[0..end)}; afterwards {@link #value(int)} gives each key's value offset or -1. */
  KeyScanner scan(byte[] b, int end) {
    int[] st = starts;
    java.util.Arrays.fill(st, -1);
    int found = 0;
    int previous = -1; // the key found last, whose successor is tried first
    int guess = first;
    int i = 0; // always at a token start: position 0 or just after a separator
    while (i < end) {
      int k;
      int hit = -1;
      if (guess >= 0 && st[guess] < 0 && (k = i + keys[guess].length) < end && b[k] == '=' && same(b, i, keys[guess])) {
        hit = guess;
      } else {
        k = i;
        while (k < end && KEY_CHAR[b[k] & 0xff]) k++;
        if (k > i && k < end && b[k] == '=') {
          int len = k - i;
          for (int j = 0; j < keys.length; j++) {
            if (st[j] < 0 && keys[j].length == len && same(b, i, keys[j])) {
              hit = j;
              break;
            }
          }
        }
      }
      if (hit >= 0) {
        st[hit] = k + 1;
        if (previous < 0) first = hit;
        else after[previous] = hit;
        previous = hit;
        if (++found == keys.length) return this;
        guess = after[hit];
      }
      // Skip to just after the next separator.
      while (k < end && !SEPARATOR[b[k] & 0xff]) k++;
      i = k + 1;
    }
    return this;
  }

  private static final boolean[] KEY_CHAR = new boolean[256];
  private static final boolean[] SEPARATOR = new boolean[256];

  static {
    for (int c = 'a'; c <= 'z'; c++) KEY_CHAR[c] = true;
    for (int c = 'A'; c <= 'Z'; c++) KEY_CHAR[c] = true;
    for (int c = '0'; c <= '9'; c++) KEY_CHAR[c] = true;
    KEY_CHAR['_'] = true;
    SEPARATOR[' '] = true;
    SEPARATOR['['] = true;
    SEPARATOR['('] = true;
  }

  int value(int key) {
    return starts[key];
  }

  private static boolean same(byte[] b, int off, byte[] key) {
    for (int j = 0; j < key.length; j++) {
      if (b[off + j] != key[j]) return false;
    }
    return true;
  }
}
