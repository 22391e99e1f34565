package org.kreplay.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * A stream of events from one input, in the order the input holds them (for every supported
 * format that is timestamp order across CPUs). Obtain one from {@link Traces#open}.
 *
 * <pre>{@code
 * try (TraceReader r = Traces.open(path, ReadOptions.defaults())) {
 *   for (TraceEvent e; (e = r.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public interface TraceReader extends Closeable {
  /**
   * The next event, or null at the end. The returned object is reused by the following call; copy
   * it with {@link TraceEvent#copyFrom} to keep it.
   *
   * @throws TraceFormatException in strict mode at the first unusable line, or when the input
   *     cannot be read at all
   */
  TraceEvent next() throws IOException;

  /** What the input says about itself (complete once the header has been read). */
  TraceInfo info();

  /** Line accounting so far; final after {@link #next} returned null. */
  InputStats stats();

  /** Bytes of the input (compressed, as stored) consumed so far, or -1; for progress reports. */
  default long inputBytesRead() {
    return -1;
  }

  /** Size of the input in bytes (compressed, as stored), or -1 when unknown (stdin). */
  default long inputSize() {
    return -1;
  }
}
