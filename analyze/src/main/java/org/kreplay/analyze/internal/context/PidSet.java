package org.kreplay.analyze.internal.context;

import java.util.Arrays;

/** A set of pids as a bitmap; cheaper than BitSet, which recounts its words on every clear. */
public final class PidSet {
  private long[] words = new long[64];

  public void add(int pid) {
    int w = pid >>> 6;
    if (w >= words.length) words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
    words[w] |= 1L << pid;
  }

  public void remove(int pid) {
    int w = pid >>> 6;
    if (w < words.length) words[w] &= ~(1L << pid);
  }

  public boolean contains(int pid) {
    int w = pid >>> 6;
    return w < words.length && (words[w] & (1L << pid)) != 0;
  }
}
