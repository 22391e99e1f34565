package org.kreplay.ingest;

import java.util.List;

/**
 * The kernel stack recorded with an event, innermost frame first, as function names without
 * offsets. Read-only; it is reused with its event, so copy the event ({@link TraceEvent#copy}) to
 * keep it.
 */
public interface StackTrace {
  /** Number of frames (0 when the event has no stack). */
  int depth();

  /** Frame {@code i}, 0 = innermost. */
  String frame(int i);

  /** All frames, innermost first, as an unmodifiable copy. */
  List<String> frames();
}
