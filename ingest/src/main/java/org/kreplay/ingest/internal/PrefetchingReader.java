package org.kreplay.ingest.internal;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.EventSelection;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;

/**
 * Reads ahead on a thread of its own, so parsing runs in parallel with whatever consumes the
 * events. Events travel in a few recycled batches (memory stays fixed); readers that support it
 * hand their event objects over instead of copying them. Errors reach the consumer after every event
 * read before them.
 */
public final class PrefetchingReader implements RecordReader {
  static final int BATCH = 2048;
  static final int BATCHES = 4;

  private static final class Batch {
    final EventRecord[] events = new EventRecord[BATCH];
    int size;
    boolean last;
    Throwable error;

    Batch() {
      for (int i = 0; i < BATCH; i++) events[i] = new EventRecord();
    }
  }

  private final RecordReader source;
  /** Set when the source leaves bodies undecoded: they are decoded here, on the consumer's thread. */
  private final BodyDecoder decoder;
  private final InputStats decodeStats = new InputStats();
  private final boolean strict;
  /** The --pid/--comm/--event selection, decided here for the events whose body decides it. */
  private final EventSelection selection;
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final Thread producer;
  private volatile boolean closed;
  private Batch current;
  private int index;
  private boolean finished;

  /**
   * @param decodeHere the source defers body decoding (and the counting of events) to this reader
   */
  public PrefetchingReader(RecordReader source, boolean decodeHere, boolean strict) {
    this(source, decodeHere, strict, EventSelection.of(null, null, null));
  }

  /**
   * @param selection the selection the source read with, context kept: an event it left
   *     undecided (decided by its body) is decided here, after decoding
   */
  public PrefetchingReader(RecordReader source, boolean decodeHere, boolean strict, EventSelection selection) {
    this.source = source;
    this.selection = selection;
    this.decoder = decodeHere ? new BodyDecoder(new Symbols()) : null;
    this.strict = strict;
    for (int i = 0; i < BATCHES; i++) free.add(new Batch());
    producer = new Thread(this::produce, "kreplay-reader");
    producer.setDaemon(true);
    producer.start();
  }

  private void produce() {
    OwnedEvents owned = source instanceof OwnedEvents ? (OwnedEvents) source : null;
    try {
      while (!closed) {
        Batch b = free.take();
        b.size = 0;
        try {
          while (b.size < BATCH) {
            EventRecord slot = b.events[b.size];
            if (owned != null) {
              EventRecord e = owned.nextOwned(slot);
              if (e == null) {
                b.last = true;
                break;
              }
              b.events[b.size++] = e;
            } else {
              EventRecord e = source.next();
              if (e == null) {
                b.last = true;
                break;
              }
              slot.copyFrom(e);
              b.size++;
            }
          }
        } catch (Throwable t) {
          b.error = t;
          b.last = true;
        }
        full.put(b);
        if (b.last) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public EventRecord next() throws IOException {
    while (true) {
      if (current != null && index < current.size) {
        EventRecord e = current.events[index++];
        if (decoder == null || e.kind().isMarker()) return e;
        if (e.contextOnly() && !EventSelection.contextNeedsBody(e.kind())) {
          decodeStats.countFilteredEvent(); // its header is all the replay's context needs
          return e;
        }
        if (decoder.decode(e)) {
          if (!e.contextOnly() && !selection.isEmpty()
              && selection.atHeader(e.pid(), e.comm(), e.name(), e.kind()) == EventSelection.Verdict.BY_BODY
              && !selection.selectsByBody(e)) {
            e.setContextOnly(true);
          }
          if (e.contextOnly()) decodeStats.countFilteredEvent();
          else decodeStats.countEvent();
          return e;
        }
        InputProblem p = InputProblem.of(source.info().source(), e.line(), BodyDecoder.failure(e),
            e.name() + ": " + e.body());
        if (strict) throw new TraceFormatException(p);
        decodeStats.countSkipped(p);
        continue;
      }
      if (finished) return null;
      if (current != null) {
        if (current.last) {
          finished = true;
          rethrow(current.error);
          return null;
        }
        free.add(current);
      }
      try {
        current = full.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while reading");
      }
      index = 0;
    }
  }

  private static void rethrow(Throwable t) throws IOException {
    if (t == null) return;
    if (t instanceof IOException) throw (IOException) t;
    if (t instanceof RuntimeException) throw (RuntimeException) t;
    if (t instanceof Error) throw (Error) t;
    throw new IOException(t);
  }

  @Override
  public TraceInfo info() {
    return source.info();
  }

  /** The source's line accounting plus the events and decode failures counted here. */
  @Override
  public InputStats stats() {
    if (decoder == null) return source.stats();
    return InputStats.merged(source.stats(), decodeStats);
  }

  @Override
  public long inputBytesRead() {
    return source.inputBytesRead();
  }

  @Override
  public long inputSize() {
    return source.inputSize();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    producer.interrupt();
    source.close();
  }
}
