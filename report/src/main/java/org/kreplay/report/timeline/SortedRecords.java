package org.kreplay.report.timeline;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * Puts encoded records out in timestamp order (ties in the order they came) with at most {@link
 * #MAX_HELD} held back. The replay tells events in trace order except the start of each deferral's
 * flow arrow, known only at the execution: it is placed in order when it is at most that many
 * records old, else written as soon as it comes and counted in {@link #outOfOrder()} (Perfetto
 * and Chrome's viewer sort on import, so it still shows where it belongs).
 *
 * <p>Records are kept in a few runs, each in timestamp order: a record joins the first run it
 * extends (nearly all join the first, in trace order; the arrows' starts, late, form runs of
 * their own as they come in execution order), and the oldest head of all runs is written first.
 * Only when {@link #MAX_RUNS} runs are open does a record go to a heap. Nearly every record costs a
 * few comparisons.
 */
final class SortedRecords {
  static final int MAX_HELD = 1 << 17;
  static final int MAX_RUNS = 16;

  interface Sink {
    void write(byte[] record) throws IOException;
  }

  private record Held(long ts, long seq, byte[] bytes) implements Comparable<Held> {
    @Override
    public int compareTo(Held o) {
      int c = Long.compare(ts, o.ts);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Sink sink;
  private final int maxHeld;
  private final java.util.List<ArrayDeque<Held>> runs = new java.util.ArrayList<>();
  private final PriorityQueue<Held> late = new PriorityQueue<>();
  private int size;
  private long seq;
  private long writtenTs = Long.MIN_VALUE;
  private long outOfOrder;

  SortedRecords(Sink sink) {
    this(sink, MAX_HELD);
  }

  SortedRecords(Sink sink, int maxHeld) {
    if (maxHeld < 1) throw new IllegalArgumentException("maxHeld must be at least 1: " + maxHeld);
    this.sink = sink;
    this.maxHeld = maxHeld;
  }

  void add(long ts, byte[] bytes) throws IOException {
    Held h = new Held(ts, seq++, bytes);
    ArrayDeque<Held> run = null;
    for (ArrayDeque<Held> r : runs) {
      if (r.peekLast().ts <= ts) {
        run = r;
        break;
      }
    }
    if (run == null && runs.size() < MAX_RUNS) runs.add(run = new ArrayDeque<>());
    if (run != null) run.addLast(h);
    else late.add(h);
    if (++size > maxHeld) writeOldest();
  }

  void flush() throws IOException {
    while (size > 0) writeOldest();
  }

  long outOfOrder() {
    return outOfOrder;
  }

  private void writeOldest() throws IOException {
    ArrayDeque<Held> from = null;
    Held h = late.peek();
    for (ArrayDeque<Held> r : runs) {
      Held head = r.peekFirst();
      if (h == null || head.compareTo(h) < 0) {
        h = head;
        from = r;
      }
    }
    if (from == null) {
      late.poll();
    } else {
      from.pollFirst();
      if (from.isEmpty()) runs.remove(from);
    }
    size--;
    if (h.ts < writtenTs) outOfOrder++;
    else writtenTs = h.ts;
    sink.write(h.bytes);
  }
}
