package org.kreplay.report.timeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link TrackWriter} run on a thread of its own, so the replay's thread only records the calls:
 * the format's encoding, its ordering and the output happen beside the replay, on the other core.
 * The calls (their numbers, and references to the tracks, names and argument lists, which are
 * immutable) go in chunks of {@link #CALLS} to the writer thread, which makes them on the wrapped
 * writer in the order they came: the file is the bytes the writer would write on one thread. At
 * most {@link #CHUNKS} chunks are in flight, so memory stays bounded and the replay waits when the
 * output cannot keep up. A failure of the writer is thrown to the replay at its next chunk or at
 * {@link #close}.
 */
final class ThreadedTrackWriter implements TrackWriter {
  static final int CALLS = 8192;
  static final int CHUNKS = 4;
  private static final byte DECLARE = 1;
  private static final byte BEGIN = 2;
  private static final byte END = 3;
  private static final byte INSTANT = 4;
  private static final byte COUNTER = 5;

  /** One chunk of calls, column by column. */
  private static final class Calls {
    final byte[] op = new byte[CALLS];
    final long[] ts = new long[CALLS];
    final long[] a = new long[CALLS];
    final long[] b = new long[CALLS];
    final Track[] track = new Track[CALLS];
    final String[] name = new String[CALLS];
    final String[] category = new String[CALLS];
    final Object[] args = new Object[CALLS];
    int size;
  }

  private static final Calls DONE = new Calls();

  private final TrackWriter writer;
  private final BlockingQueue<Calls> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<Calls> free = new ArrayBlockingQueue<>(CHUNKS);
  private final Thread thread;
  private Calls filling = new Calls();
  private volatile Throwable failure;
  private boolean closed;

  ThreadedTrackWriter(TrackWriter writer, String name) {
    this.writer = writer;
    for (int i = 1; i < CHUNKS; i++) free.add(new Calls());
    thread = new Thread(this::run, name);
    thread.setDaemon(true); // a replay that fails leaves it waiting: it must not keep the JVM up
    thread.start();
  }

  @Override
  public void declare(Track track) throws IOException {
    Calls c = slot();
    c.op[c.size] = DECLARE;
    c.track[c.size++] = track;
  }

  @Override
  public void begin(long ts, Track track, String name, String category, List<Arg> args) throws IOException {
    Calls c = slot();
    int i = c.size++;
    c.op[i] = BEGIN;
    c.ts[i] = ts;
    c.track[i] = track;
    c.name[i] = name;
    c.category[i] = category;
    c.args[i] = args;
  }

  @Override
  public void end(long ts, Track track) throws IOException {
    Calls c = slot();
    int i = c.size++;
    c.op[i] = END;
    c.ts[i] = ts;
    c.track[i] = track;
  }

  @Override
  public void instant(long ts, Track track, String name, String category, List<Arg> args, long flowOut, long flowIn)
      throws IOException {
    Calls c = slot();
    int i = c.size++;
    c.op[i] = INSTANT;
    c.ts[i] = ts;
    c.track[i] = track;
    c.name[i] = name;
    c.category[i] = category;
    c.args[i] = args;
    c.a[i] = flowOut;
    c.b[i] = flowIn;
  }

  @Override
  public void counter(long ts, Track track, long value) throws IOException {
    Calls c = slot();
    int i = c.size++;
    c.op[i] = COUNTER;
    c.ts[i] = ts;
    c.track[i] = track;
    c.a[i] = value;
  }

  /** Once {@link #close} returned: the writer's count. */
  @Override
  public long outOfOrder() {
    return writer.outOfOrder();
  }

  /** Every call made, the writer closed on this thread (after the writer thread ended). */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    submit();
    hand(DONE);
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw interrupted();
    }
    rethrow();
    writer.close();
  }

  /** The chunk with room for one more call. */
  private Calls slot() throws IOException {
    if (filling.size == CALLS) {
      submit();
      try {
        filling = free.take();
      } catch (InterruptedException e) {
        throw interrupted();
      }
    }
    return filling;
  }

  private void submit() throws IOException {
    rethrow();
    if (filling.size == 0) return;
    hand(filling);
    filling = null;
  }

  private void hand(Calls c) throws IOException {
    try {
      full.put(c);
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  /** The caller's thread was interrupted waiting for the writer: it keeps its interrupt. */
  private static InterruptedIOException interrupted() {
    Thread.currentThread().interrupt();
    return new InterruptedIOException("interrupted while the timeline was written");
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t == null) return;
    if (t instanceof IOException io) throw io;
    if (t instanceof RuntimeException r) throw r;
    if (t instanceof Error e) throw e;
    throw new IOException(t);
  }

  /** The writer thread: each chunk's calls in order; after a failure, chunks are only given back. */
  private void run() {
    while (true) {
      Calls c;
      try {
        c = full.take();
      } catch (InterruptedException e) {
        failure = new InterruptedIOException("the timeline's writer was interrupted");
        return;
      }
      if (c == DONE) return;
      if (failure == null) play(c);
      // the references go, so a chunk does not keep names and argument lists alive
      Arrays.fill(c.track, 0, c.size, null);
      Arrays.fill(c.name, 0, c.size, null);
      Arrays.fill(c.category, 0, c.size, null);
      Arrays.fill(c.args, 0, c.size, null);
      c.size = 0;
      free.offer(c);
    }
  }

  @SuppressWarnings("unchecked")
  private void play(Calls c) {
    try {
      for (int i = 0; i < c.size; i++) {
        switch (c.op[i]) {
          case DECLARE -> writer.declare(c.track[i]);
          case BEGIN -> writer.begin(c.ts[i], c.track[i], c.name[i], c.category[i], (List<Arg>) c.args[i]);
          case END -> writer.end(c.ts[i], c.track[i]);
          case INSTANT -> writer.instant(c.ts[i], c.track[i], c.name[i], c.category[i], (List<Arg>) c.args[i], c.a[i], c.b[i]);
          case COUNTER -> writer.counter(c.ts[i], c.track[i], c.a[i]);
          default -> throw new IllegalStateException("call " + c.op[i]);
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    }
  }
}
