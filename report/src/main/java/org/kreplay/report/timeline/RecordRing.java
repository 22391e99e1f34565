package org.kreplay.report.timeline;

import java.io.IOException;

/**
 * Records queued in the order they came, their bytes copied into one circular array that grows
 * as needed: holding a hundred thousand records costs a few arrays, not an object each. A record
 * that wraps around the array's end is put together in a scratch array when written.
 */
final class RecordRing {
  private long[] ts;
  private long[] seq;
  private int[] start;
  private int[] length;
  private int head;
  private int count;
  private byte[] data;
  private int writePos;
  private int usedBytes;
  private byte[] scratch = new byte[256];

  RecordRing() {
    this(1 << 10, 1 << 16);
  }

  /** Both capacities powers of two; they double when full. */
  RecordRing(int records, int bytes) {
    if (Integer.bitCount(records) != 1 || Integer.bitCount(bytes) != 1) {
      throw new IllegalArgumentException("capacities must be powers of two: " + records + ", " + bytes);
    }
    ts = new long[records];
    seq = new long[records];
    start = new int[records];
    length = new int[records];
    data = new byte[bytes];
  }

  boolean isEmpty() {
    return count == 0;
  }

  int size() {
    return count;
  }

  /** The newest record's timestamp; the ring must not be empty. */
  long lastTs() {
    return ts[(head + count - 1) & (ts.length - 1)];
  }

  long headTs() {
    return ts[head];
  }

  long headSeq() {
    return seq[head];
  }

  void add(long t, long s, byte[] b, int off, int len) {
    if (count == ts.length) growRecords();
    while (data.length - usedBytes < len) growBytes();
    int i = (head + count) & (ts.length - 1);
    ts[i] = t;
    seq[i] = s;
    start[i] = writePos;
    length[i] = len;
    int first = Math.min(len, data.length - writePos);
    System.arraycopy(b, off, data, writePos, first);
    System.arraycopy(b, off + first, data, 0, len - first);
    writePos = (writePos + len) & (data.length - 1);
    usedBytes += len;
    count++;
  }

  /** Writes the oldest record to {@code sink} and drops it; the ring must not be empty. */
  void writeHead(SortedRecords.Sink sink) throws IOException {
    int from = start[head];
    int len = length[head];
    head = (head + 1) & (ts.length - 1);
    count--;
    usedBytes -= len;
    if (from + len <= data.length) {
      sink.write(data, from, len);
      return;
    }
    if (scratch.length < len) scratch = new byte[Integer.highestOneBit(len) << 1];
    int first = data.length - from;
    System.arraycopy(data, from, scratch, 0, first);
    System.arraycopy(data, 0, scratch, first, len - first);
    sink.write(scratch, 0, len);
  }

  private void growRecords() {
    int n = ts.length;
    ts = unwrap(ts, n * 2);
    seq = unwrap(seq, n * 2);
    start = unwrap(start, n * 2);
    length = unwrap(length, n * 2);
    head = 0;
  }

  private long[] unwrap(long[] a, int capacity) {
    long[] b = new long[capacity];
    for (int k = 0; k < count; k++) b[k] = a[(head + k) & (a.length - 1)];
    return b;
  }

  private int[] unwrap(int[] a, int capacity) {
    int[] b = new int[capacity];
    for (int k = 0; k < count; k++) b[k] = a[(head + k) & (a.length - 1)];
    return b;
  }

  /** Doubles the byte array, the held bytes laid out from 0 in order. */
  private void growBytes() {
    if (data.length > (1 << 29)) throw new IllegalStateException("records too large to hold: " + usedBytes + " bytes");
    byte[] bigger = new byte[data.length * 2];
    int from = count == 0 ? 0 : start[head];
    int first = Math.min(usedBytes, data.length - from);
    System.arraycopy(data, from, bigger, 0, first);
    System.arraycopy(data, 0, bigger, first, usedBytes - first);
    for (int k = 0; k < count; k++) {
      int i = (head + k) & (ts.length - 1);
      start[i] = (start[i] - from) & (data.length - 1);
    }
    data = bigger;
    writePos = usedBytes;
  }
}
