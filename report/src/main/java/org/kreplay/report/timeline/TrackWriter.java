package org.kreplay.report.timeline;

import java.io.IOException;
import java.util.List;

/**
 * Writes tracks and what happens on them in one trace-viewer format (Perfetto protobuf, Chrome
 * JSON). A track is declared before its first event; slices on one track nest; {@link #close}
 * writes what is held back and ends the document, leaving the stream open for its owner.
 */
interface TrackWriter extends AutoCloseable {
  /** What a track shows: a group of tracks, context or state slices, or a counter. */
  enum Kind { GROUP, SLICES, COUNTER }

  /** A key and a value shown with an event (text or a number). */
  record Arg(String name, Object value) {}

  void declare(Track track) throws IOException;

  void begin(long ts, Track track, String name, String category, List<Arg> args) throws IOException;

  void end(long ts, Track track) throws IOException;

  /**
   * A point event; {@code flowOut} > 0 starts a flow arrow there, {@code flowIn} > 0 ends one.
   */
  void instant(long ts, Track track, String name, String category, List<Arg> args, long flowOut, long flowIn)
      throws IOException;

  void counter(long ts, Track track, long value) throws IOException;

  /** Packets the writer had to put out of timestamp order (see {@link SortedRecords}). */
  long outOfOrder();

  @Override
  void close() throws IOException;
}
