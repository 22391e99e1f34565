package org.kreplay.analyze.internal.context;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Blame;
import org.kreplay.analyze.CpuTimes.Category;

/**
 * The recent history of one CPU as segments of time, each with what ran in it (the innermost
 * context; for a task its comm, pid and what held it in place: irqs or preemption off, a lock wait;
 * for idle, a task of this CPU blocked on a lock), so that a deferral's wait can be
 * split into what the CPU did meanwhile ({@link #blame}). Consecutive segments of the same
 * activity are one. A ring of at most {@link #CAPACITY} segments: memory is fixed per CPU, and a
 * wait longer than the history kept has its oldest part reported as not in the trace.
 */
final class CpuTimeline {
  static final int CAPACITY = 1024;
  private static final Category[] CATEGORIES = Category.values();

  private long[] start = new long[16];
  private long[] end = new long[16];
  private byte[] category = new byte[16];
  private int[] pid = new int[16];
  private String[] label = new String[16];
  /** What held the task in place ("irqs off in f ← g", "waiting for lock 0x…"), or null. */
  private String[] why = new String[16];
  /** Each segment's name for a blame, made when first asked for (most segments are never blamed). */
  private String[] names = new String[16];
  /** Index of the next segment to write, and how many are kept. */
  private int head;
  private int size;

  /**
   * Records that {@code [from, to)} ran {@code c}: the frame's label, or for a task its comm and pid;
   * {@code qualifier} says what held it in place, or is null.
   */
  void add(long from, long to, Category c, int taskPid, String what, String qualifier) {
    if (to <= from) return;
    if (size > 0) {
      int last = (head - 1 + start.length) % start.length;
      if (end[last] == from && category[last] == c.ordinal() && pid[last] == taskPid && same(why[last], qualifier)
          && same(label[last], what)) {
        end[last] = to;
        return;
      }
    }
    if (size == start.length && start.length < CAPACITY) grow();
    start[head] = from;
    end[head] = to;
    category[head] = (byte) c.ordinal();
    pid[head] = taskPid;
    label[head] = what;
    why[head] = qualifier;
    names[head] = null;
    head = (head + 1) % start.length;
    if (size < start.length) size++;
  }

  /** Before the ring first reaches its capacity nothing was overwritten: it is in order from 0. */
  private void grow() {
    int n = start.length * 2;
    start = java.util.Arrays.copyOf(start, n);
    end = java.util.Arrays.copyOf(end, n);
    category = java.util.Arrays.copyOf(category, n);
    pid = java.util.Arrays.copyOf(pid, n);
    label = java.util.Arrays.copyOf(label, n);
    why = java.util.Arrays.copyOf(why, n);
    names = java.util.Arrays.copyOf(names, n);
    head = size;
  }

  /** What ran in {@code [from, to)}, by activity, largest first; the uncovered rest is {@link Blame#NOT_IN_TRACE}. */
  Blame blame(long from, long to) {
    if (to <= from) return Blame.NONE;
    // few distinct parts in one wait: parallel arrays and a linear search, no map
    // parts are found by the segment fields (labels are mostly the same reference), named at the end
    int[] firsts = new int[8];
    long[] times = new long[8];
    int n = 0;
    long covered = 0;
    for (int k = 0; k < size; k++) {
      int i = (head - 1 - k + start.length * 2) % start.length;
      if (end[i] <= from) break;
      long s = Math.max(start[i], from);
      long e = Math.min(end[i], to);
      if (e <= s) continue;
      int j = 0;
      while (j < n && !sameActivity(firsts[j], i)) j++;
      if (j == n) {
        if (n == firsts.length) {
          firsts = java.util.Arrays.copyOf(firsts, n * 2);
          times = java.util.Arrays.copyOf(times, n * 2);
        }
        firsts[n] = i;
        n++;
      }
      times[j] += e - s;
      covered += e - s;
    }
    List<Blame.Share> shares = new ArrayList<>(n + 1);
    for (int j = 0; j < n; j++) shares.add(new Blame.Share(what(firsts[j]), times[j]));
    mergeSameNames(shares);
    if (covered < to - from) shares.add(new Blame.Share(Blame.NOT_IN_TRACE, to - from - covered));
    return Blame.of(shares);
  }

  private boolean sameActivity(int a, int b) {
    if (category[a] != category[b] || !same(why[a], why[b])) return false;
    Category c = CATEGORIES[category[a]];
    if (c == Category.IDLE || c == Category.UNKNOWN) return true;
    if (c == Category.TASK && pid[a] != pid[b]) return false;
    return same(label[a], label[b]);
  }

  /** Labels are mostly the same reference: that is checked first. */
  private static boolean same(String a, String b) {
    return a == b || a != null && a.equals(b);
  }

  /** Two activities with one name (a task's comm seen under two labels, say): one part. */
  private static void mergeSameNames(List<Blame.Share> shares) {
    for (int a = 0; a < shares.size(); a++) {
      for (int b = shares.size() - 1; b > a; b--) {
        if (shares.get(a).what().equals(shares.get(b).what())) {
          shares.set(a, new Blame.Share(shares.get(a).what(), shares.get(a).ns() + shares.get(b).ns()));
          shares.remove(b);
        }
      }
    }
  }

  private String what(int i) {
    String w = names[i];
    if (w == null) names[i] = w = name(i);
    return w;
  }

  private String name(int i) {
    Category c = CATEGORIES[category[i]];
    return switch (c) {
      case TASK -> CpuContext.taskName(label[i], pid[i]) + (why[i] != null ? ", " + why[i] : "");
      case IDLE -> "idle" + (why[i] != null ? ", " + why[i] : "");
      case UNKNOWN -> "unknown context";
      default -> label[i] != null ? label[i] : c.label();
    };
  }

  /** Segments kept (for tests). */
  int size() {
    return size;
  }
}
