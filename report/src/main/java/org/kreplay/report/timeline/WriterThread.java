package org.kreplay.report.timeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A timeline writer's ordering and output on a thread of their own, so the replay's thread only
 * encodes: the records it adds (to be put in timestamp order by a {@link SortedRecords}) and those
 * it writes straight out (declarations, interned strings) are copied into chunks, in the order
 * they came, and the writer thread plays them back in that order, so the file is the same bytes a
 * single thread would write. {@link #CHUNKS} chunks of {@link #CHUNK_BYTES} at most are in flight:
 * memory stays bounded, and the replay waits when the output cannot keep up.
 */
final class WriterThread {
  static final int CHUNK_BYTES = 1 << 20;
  static final int CHUNKS = 4;
  private static final byte HELD = 1;
  private static final byte STRAIGHT = 2;
  /** A record's header in a chunk: its kind, timestamp and length. */
  private static final int HEADER = 1 + 8 + 4;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final SortedRecords.Sink out;
  private final SortedRecords sorted;
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS);
  private final Thread thread;
  private ByteBuffer filling;
  private volatile Throwable failure;
  private boolean finished;

  /** {@code out} is called on the writer thread only, with the records in their order. */
  WriterThread(SortedRecords.Sink out, String name) {
    this.out = out;
    this.sorted = new SortedRecords(out);
    for (int i = 1; i < CHUNKS; i++) free.add(ByteBuffer.allocate(CHUNK_BYTES));
    filling = ByteBuffer.allocate(CHUNK_BYTES);
    thread = new Thread(this::run, name);
    thread.setDaemon(true); // a replay that fails leaves it waiting: it must not keep the JVM up
    thread.start();
  }

  /** A record to write in {@code ts} order (see {@link SortedRecords#add}). */
  void add(long ts, byte[] b, int off, int len) throws IOException {
    put(HELD, ts, b, off, len);
  }

  /** A record to write ahead of the held ones, as soon as the records before it are taken. */
  void straight(byte[] b, int off, int len) throws IOException {
    put(STRAIGHT, 0, b, off, len);
  }

  /** Every record written (the held ones flushed); the writer's failure, if any, thrown here. */
  void finish() throws IOException {
    if (finished) return;
    finished = true;
    submit();
    hand(END);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the timeline was written");
    }
    rethrow();
  }

  /** The held records written out of order; once {@link #finish} returned. */
  long outOfOrder() {
    return sorted.outOfOrder();
  }

  private void put(byte kind, long ts, byte[] b, int off, int len) throws IOException {
    if (filling.remaining() < HEADER + len) {
      submit();
      filling = HEADER + len > CHUNK_BYTES ? ByteBuffer.allocate(HEADER + len) : take();
    }
    filling.put(kind).putLong(ts).putInt(len).put(b, off, len);
  }

  private void submit() throws IOException {
    rethrow();
    if (filling.position() == 0) return;
    filling.flip();
    hand(filling);
    filling = null;
  }

  private void hand(ByteBuffer chunk) throws IOException {
    try {
      full.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the timeline was written");
    }
  }

  private ByteBuffer take() throws IOException {
    try {
      ByteBuffer b = free.take();
      b.clear();
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the timeline was written");
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t == null) return;
    if (t instanceof IOException io) throw io;
    if (t instanceof RuntimeException r) throw r;
    if (t instanceof Error e) throw e;
    throw new IOException(t);
  }

  /** The writer thread: each chunk's records in order; after a failure, chunks are only given back. */
  private void run() {
    while (true) {
      ByteBuffer chunk;
      try {
        chunk = full.take();
      } catch (InterruptedException e) {
        failure = new InterruptedIOException("the timeline's writer was interrupted");
        return;
      }
      if (chunk == END) {
        if (failure == null) flush();
        return;
      }
      if (failure == null) play(chunk);
      if (chunk.capacity() == CHUNK_BYTES) free.offer(chunk); // an outsized one is dropped
    }
  }

  private void play(ByteBuffer chunk) {
    byte[] a = chunk.array();
    try {
      while (chunk.hasRemaining()) {
        byte kind = chunk.get();
        long ts = chunk.getLong();
        int len = chunk.getInt();
        int at = chunk.position();
        if (kind == HELD) sorted.add(ts, a, at, len);
        else out.write(a, at, len);
        chunk.position(at + len);
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    }
  }

  private void flush() {
    try {
      sorted.flush();
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    }
  }
}
