package org.kreplay.report.timeline;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Puts encoded records out in timestamp order (ties in the order they came) with at most {@link
 * #MAX_HELD} held back. The replay tells events in trace order except the start of each deferral's
 * flow arrow, known only at the execution: it is placed in order when it is at most that many
 * records old, else written as soon as it comes and counted in {@link #outOfOrder()} (Perfetto
 * and Chrome's viewer sort on import, so it still shows where it belongs).
 *
 * <p>Records in trace order, nearly all, are held in a {@link RecordRing} (their bytes in one
 * array, no object each). A record older than the ring's newest (an arrow's start, late) joins
 * the first of a few runs it extends — the late starts come in execution order, so they form runs
 * of their own — or, when {@link #MAX_RUNS} are open, a heap. The oldest of the heads is written
 * first: the output is the same as one priority queue's, at a few comparisons a record.
 */
final class SortedRecords {
  static final int MAX_HELD = 1 << 17;
  static final int MAX_RUNS = 16;

  /** Where records go, in order; the bytes are only valid during the call. */
  interface Sink {
    void write(byte[] b, int off, int len) throws IOException;
  }

  private record Held(long ts, long seq, byte[] bytes) implements Comparable<Held> {
    @Override
    public int compareTo(Held o) {
      return compare(ts, seq, o.ts, o.seq);
    }
  }

  private final Sink sink;
  private final int maxHeld;
  private final RecordRing inOrder;
  private final List<ArrayDeque<Held>> runs = new ArrayList<>();
  private final PriorityQueue<Held> late = new PriorityQueue<>();
  private int size;
  private long seq;
  private long writtenTs = Long.MIN_VALUE;
  private long outOfOrder;

  SortedRecords(Sink sink) {
    this(sink, MAX_HELD, new RecordRing());
  }

  SortedRecords(Sink sink, int maxHeld) {
    this(sink, maxHeld, new RecordRing());
  }

  SortedRecords(Sink sink, int maxHeld, RecordRing ring) {
    if (maxHeld < 1) throw new IllegalArgumentException("maxHeld must be at least 1: " + maxHeld);
    this.sink = sink;
    this.maxHeld = maxHeld;
    this.inOrder = ring;
  }

  /** Holds a copy of {@code len} bytes of {@code b} from {@code off}, to be written in {@code ts} order. */
  void add(long ts, byte[] b, int off, int len) throws IOException {
    long s = seq++;
    if (inOrder.isEmpty() || inOrder.lastTs() <= ts) {
      inOrder.add(ts, s, b, off, len);
    } else {
      addLate(new Held(ts, s, Arrays.copyOfRange(b, off, off + len)));
    }
    if (++size > maxHeld) writeOldest();
  }

  void add(long ts, byte[] b) throws IOException {
    add(ts, b, 0, b.length);
  }

  private void addLate(Held h) {
    for (ArrayDeque<Held> r : runs) {
      if (r.peekLast().ts <= h.ts) {
        r.addLast(h);
        return;
      }
    }
    if (runs.size() < MAX_RUNS) {
      ArrayDeque<Held> r = new ArrayDeque<>();
      r.addLast(h);
      runs.add(r);
    } else {
      late.add(h);
    }
  }

  void flush() throws IOException {
    while (size > 0) writeOldest();
  }

  long outOfOrder() {
    return outOfOrder;
  }

  private void writeOldest() throws IOException {
    Held h = late.peek();
    ArrayDeque<Held> from = null;
    for (ArrayDeque<Held> r : runs) {
      Held head = r.peekFirst();
      if (h == null || head.compareTo(h) < 0) {
        h = head;
        from = r;
      }
    }
    size--;
    if (!inOrder.isEmpty() && (h == null || compare(inOrder.headTs(), inOrder.headSeq(), h.ts, h.seq) < 0)) {
      written(inOrder.headTs());
      inOrder.writeHead(sink);
      return;
    }
    if (from == null) {
      late.poll();
    } else {
      from.pollFirst();
      if (from.isEmpty()) runs.remove(from);
    }
    written(h.ts);
    sink.write(h.bytes, 0, h.bytes.length);
  }

  private void written(long ts) {
    if (ts < writtenTs) outOfOrder++;
    else writtenTs = ts;
  }

  private static int compare(long ts, long seq, long otherTs, long otherSeq) {
    int c = Long.compare(ts, otherTs);
    return c != 0 ? c : Long.compare(seq, otherSeq);
  }
}
