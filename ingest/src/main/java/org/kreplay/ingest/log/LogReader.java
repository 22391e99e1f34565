package org.kreplay.ingest.log;

import java.io.Closeable;
import java.io.IOException;
import org.kreplay.ingest.InputStats;

/**
 * The kernel reports of one log, one at a time, in the order they end in the input. Memory stays
 * bounded by the reports being assembled (one per printk caller tag at most, capped), never by the log's
 * length. Obtain one from {@link KernelLogs#open}.
 *
 * <pre>{@code
 * try (LogReader r = KernelLogs.open(path, ReadOptions.defaults())) {
 *   for (Splat s; (s = r.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public interface LogReader extends Closeable {
  /**
   * The next report, or null at the end of the input.
   *
   * @throws org.kreplay.ingest.TraceFormatException in strict mode at the first malformed line inside a
   *     report (after every report completed before it), or when the input cannot be read at all
   */
  Splat next() throws IOException;

  /** What the log says about itself (complete at the end). */
  LogInfo info();

  /**
   * Line accounting so far; final after {@link #next} returned null. Every line is a report line
   * ({@link InputStats#reportLines()}, frames in {@link InputStats#stackFrames()}), a log line outside
   * reports ({@link InputStats#logLines()}), blank, or skipped with a reason.
   */
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
