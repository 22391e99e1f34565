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
 * <p>Records in order go to a queue, the few that come late to a heap, and the oldest of the two
 * heads is written first: nearly every record costs O(1).
 */
final class SortedRecords {
  static final int MAX_HELD = 1 << 17;

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
  private final ArrayDeque<Held> inOrder = new ArrayDeque<>();
  private final PriorityQueue<Held> late = new PriorityQueue<>();
  private long seq;
  private long lastQueuedTs = Long.MIN_VALUE;
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
    if (ts >= lastQueuedTs) {
      inOrder.addLast(h);
      lastQueuedTs = ts;
    } else {
      late.add(h);
    }
    while (inOrder.size() + late.size() > maxHeld) writeOldest();
  }

  void flush() throws IOException {
    while (!inOrder.isEmpty() || !late.isEmpty()) writeOldest();
  }

  long outOfOrder() {
    return outOfOrder;
  }

  private void writeOldest() throws IOException {
    Held a = inOrder.peekFirst();
    Held b = late.peek();
    Held h = b == null || (a != null && a.compareTo(b) < 0) ? inOrder.pollFirst() : late.poll();
    if (h.ts < writtenTs) outOfOrder++;
    else writtenTs = h.ts;
    sink.write(h.bytes);
  }
}
