package org.kreplay.analyze.internal.deferral;

import java.util.Arrays;

/**
 * Enqueued-but-not-yet-executed deferrals, keyed by their identity (work struct, hrtimer, pid…):
 * an open-addressing map from {@code long} to parallel arrays, with backward-shift deletion so
 * that nothing is allocated per enqueue. Capacity is bounded by {@link #MAX_ENTRIES}: live state,
 * not trace length, decides its size, and a runaway input cannot exhaust the heap.
 */
final class PendingTable {
  static final int MAX_ENTRIES = 1 << 20;

  private long[] keys;
  private boolean[] used;
  private long[] timestamps;
  private int[] cpus;
  private String[] names;
  private int[] classes;
  private long[] extras;
  private boolean[] cancelled;
  /** The enqueuing event's task and input position, for the worst samples. */
  private int[] originCpus;
  private int[] pids;
  private String[] comms;
  private long[] positions;
  /** The chain an entry carries when it was queued from inside another deferral's callback, or null. */
  private ChainLinks.Chain[] chains;
  private int size;
  private long overflow;

  PendingTable() {
    allocate(64);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    used = new boolean[capacity];
    timestamps = new long[capacity];
    cpus = new int[capacity];
    names = new String[capacity];
    classes = new int[capacity];
    extras = new long[capacity];
    cancelled = new boolean[capacity];
    originCpus = new int[capacity];
    pids = new int[capacity];
    comms = new String[capacity];
    positions = new long[capacity];
    chains = new ChainLinks.Chain[capacity];
  }

  int size() {
    return size;
  }

  /** Enqueues dropped because the table was full. */
  long overflow() {
    return overflow;
  }

  private static int hash(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** Slot of {@code key}, or -1. */
  int find(long key) {
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; used[i]; i = (i + 1) & mask) {
      if (keys[i] == key) return i;
    }
    return -1;
  }

  /**
   * Inserts or overwrites; returns the slot, or -1 when the table is full (counted in {@link
   * #overflow()}).
   */
  int put(long key, long timestamp, int cpu, String name, int cls, long extra) {
    int slot = find(key);
    if (slot < 0) {
      if (size >= MAX_ENTRIES) {
        overflow++;
        return -1;
      }
      if ((size + 1) * 2 > keys.length) grow();
      int mask = keys.length - 1;
      slot = hash(key) & mask;
      while (used[slot]) slot = (slot + 1) & mask;
      used[slot] = true;
      keys[slot] = key;
      size++;
    }
    timestamps[slot] = timestamp;
    cpus[slot] = cpu;
    names[slot] = name;
    classes[slot] = cls;
    extras[slot] = extra;
    cancelled[slot] = false;
    originCpus[slot] = -1;
    pids[slot] = -1;
    comms[slot] = null;
    positions[slot] = 0;
    chains[slot] = null;
    return slot;
  }

  /** Records who enqueued the entry at {@code slot} (a slot from {@link #put}; -1 is ignored). */
  void origin(int slot, int cpu, int pid, String comm, long position) {
    if (slot < 0) return;
    originCpus[slot] = cpu;
    pids[slot] = pid;
    comms[slot] = comm;
    positions[slot] = position;
  }

  /** Records the chain the entry at {@code slot} carries (-1 is ignored). */
  void chain(int slot, ChainLinks.Chain chain) {
    if (slot >= 0) chains[slot] = chain;
  }

  ChainLinks.Chain chain(int slot) {
    return chains[slot];
  }

  /** The CPU of the enqueuing event (not the target CPU some tables keep in {@link #cpu}). */
  int originCpu(int slot) {
    return originCpus[slot];
  }

  int pid(int slot) {
    return pids[slot];
  }

  String comm(int slot) {
    return comms[slot];
  }

  long position(int slot) {
    return positions[slot];
  }

  /** Marks an entry cancelled but keeps it (see DeferralTracker#timerCancel). */
  void setCancelled(int slot) {
    cancelled[slot] = true;
  }

  boolean cancelled(int slot) {
    return cancelled[slot];
  }

  long timestamp(int slot) {
    return timestamps[slot];
  }

  int cpu(int slot) {
    return cpus[slot];
  }

  String name(int slot) {
    return names[slot];
  }

  int cls(int slot) {
    return classes[slot];
  }

  long extra(int slot) {
    return extras[slot];
  }

  long key(int slot) {
    return keys[slot];
  }

  /** Removes the entry at {@code slot} (obtained from {@link #find}). */
  void remove(int slot) {
    int mask = keys.length - 1;
    used[slot] = false;
    names[slot] = null;
    comms[slot] = null;
    chains[slot] = null;
    size--;
    // Backward-shift the following cluster so lookups never need tombstones.
    int hole = slot;
    for (int i = (slot + 1) & mask; used[i]; i = (i + 1) & mask) {
      int home = hash(keys[i]) & mask;
      boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
      if (movable) {
        moveSlot(i, hole);
        hole = i;
      }
    }
  }

  private void moveSlot(int from, int to) {
    used[to] = true;
    keys[to] = keys[from];
    timestamps[to] = timestamps[from];
    cpus[to] = cpus[from];
    names[to] = names[from];
    classes[to] = classes[from];
    extras[to] = extras[from];
    cancelled[to] = cancelled[from];
    originCpus[to] = originCpus[from];
    pids[to] = pids[from];
    comms[to] = comms[from];
    positions[to] = positions[from];
    chains[to] = chains[from];
    used[from] = false;
    names[from] = null;
    comms[from] = null;
    chains[from] = null;
  }

  /** Visits every entry (for the end-of-trace accounting). */
  void forEach(SlotVisitor v) {
    for (int i = 0; i < keys.length; i++) {
      if (used[i]) v.visit(i);
    }
  }

  /** Removes every entry matching the predicate. */
  void removeIf(SlotPredicate p) {
    for (int i = 0; i < keys.length; ) {
      if (used[i] && p.test(i)) {
        remove(i); // a later entry may have shifted into i: look at it again
      } else {
        i++;
      }
    }
  }

  void clear() {
    Arrays.fill(used, false);
    Arrays.fill(names, null);
    Arrays.fill(comms, null);
    Arrays.fill(chains, null);
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    boolean[] oldUsed = used;
    long[] oldTs = timestamps;
    int[] oldCpus = cpus;
    String[] oldNames = names;
    int[] oldClasses = classes;
    long[] oldExtras = extras;
    boolean[] oldCancelled = cancelled;
    int[] oldOriginCpus = originCpus;
    int[] oldPids = pids;
    String[] oldComms = comms;
    long[] oldPositions = positions;
    ChainLinks.Chain[] oldChains = chains;
    allocate(oldKeys.length * 2);
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (!oldUsed[j]) continue;
      int i = hash(oldKeys[j]) & mask;
      while (used[i]) i = (i + 1) & mask;
      used[i] = true;
      keys[i] = oldKeys[j];
      timestamps[i] = oldTs[j];
      cpus[i] = oldCpus[j];
      names[i] = oldNames[j];
      classes[i] = oldClasses[j];
      extras[i] = oldExtras[j];
      cancelled[i] = oldCancelled[j];
      originCpus[i] = oldOriginCpus[j];
      pids[i] = oldPids[j];
      comms[i] = oldComms[j];
      positions[i] = oldPositions[j];
      chains[i] = oldChains[j];
    }
  }

  interface SlotVisitor {
    void visit(int slot);
  }

  interface SlotPredicate {
    boolean test(int slot);
  }
}
