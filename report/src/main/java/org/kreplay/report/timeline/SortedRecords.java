package org.kreplay.report.timeline;

import java.io.IOException;
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
 * the first of a few sorted runs it extends — the late starts come in execution order, so they
 * form runs of their own — found by binary search, as the runs' last timestamps fall from the
 * first run to the last; when {@link #MAX_RUNS} are open it goes into a heap. The runs' heads are
 * kept in a heap of their own. Each write compares the ring's head with the oldest late head:
 * the output is the same as one priority queue's, at one comparison for a record in order and a
 * few for a late one.
 */
final class SortedRecords {
  static final int MAX_HELD = 1 << 17;
  static final int MAX_RUNS = 64;
  /** A run's first capacities (they double as needed). */
  private static final int RUN_RECORDS = 256;
  private static final int RUN_BYTES = 1 << 13;

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
  /** Open runs of late records, their last timestamps falling from first to last (first fit keeps it so). */
  private final List<RecordRing> runs = new ArrayList<>();
  private final PriorityQueue<RecordRing> runsByHead = new PriorityQueue<>(SortedRecords::byHead);
  private final PriorityQueue<Held> late = new PriorityQueue<>();
  private int size;
  private long seq;
  private long writtenTs = Long.MIN_VALUE;
  private long outOfOrder;
  /** The oldest late record's time and place (the older of the two heaps' tops): looked up when they change. */
  private boolean anyLate;
  private long oldestLateTs;
  private long oldestLateSeq;

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
      addLate(ts, s, b, off, len);
    }
    if (++size > maxHeld) writeOldest();
  }

  void add(long ts, byte[] b) throws IOException {
    add(ts, b, 0, b.length);
  }

  private void addLate(long ts, long s, byte[] b, int off, int len) {
    int i = firstRunEndingBy(ts);
    if (i < runs.size()) {
      runs.get(i).add(ts, s, b, off, len); // behind its head: the heap of heads stays as it is
      return;
    }
    if (runs.size() < MAX_RUNS) {
      RecordRing r = new RecordRing(RUN_RECORDS, RUN_BYTES);
      r.add(ts, s, b, off, len);
      runs.add(r); // its last timestamp is below every other run's, or it would have joined one
      runsByHead.add(r);
    } else {
      late.add(new Held(ts, s, Arrays.copyOfRange(b, off, off + len)));
    }
    if (!anyLate || compare(ts, s, oldestLateTs, oldestLateSeq) < 0) {
      anyLate = true;
      oldestLateTs = ts;
      oldestLateSeq = s;
    }
  }

  /** The first run whose last timestamp is at most {@code ts}, or the number of runs. */
  private int firstRunEndingBy(long ts) {
    int lo = 0;
    int hi = runs.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (runs.get(mid).lastTs() <= ts) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  void flush() throws IOException {
    while (size > 0) writeOldest();
  }

  long outOfOrder() {
    return outOfOrder;
  }

  private void writeOldest() throws IOException {
    size--;
    if (!inOrder.isEmpty() && (!anyLate || compare(inOrder.headTs(), inOrder.headSeq(), oldestLateTs, oldestLateSeq) < 0)) {
      written(inOrder.headTs());
      inOrder.writeHead(sink);
      return;
    }
    written(oldestLateTs);
    RecordRing run = runsByHead.peek();
    if (run != null && run.headSeq() == oldestLateSeq) {
      runsByHead.poll();
      run.writeHead(sink);
      if (run.isEmpty()) runs.remove(run);
      else runsByHead.add(run);
    } else {
      Held h = late.poll();
      sink.write(h.bytes, 0, h.bytes.length);
    }
    findOldestLate();
  }

  /** The older of the two heaps' tops. */
  private void findOldestLate() {
    RecordRing run = runsByHead.peek();
    Held h = late.peek();
    anyLate = run != null || h != null;
    if (run != null && (h == null || compare(run.headTs(), run.headSeq(), h.ts, h.seq) < 0)) {
      oldestLateTs = run.headTs();
      oldestLateSeq = run.headSeq();
    } else if (h != null) {
      oldestLateTs = h.ts;
      oldestLateSeq = h.seq;
    }
  }

  private static int byHead(RecordRing a, RecordRing b) {
    return compare(a.headTs(), a.headSeq(), b.headTs(), b.headSeq());
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
