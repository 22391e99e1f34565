package org.kreplay.report.timeline;

/**
 * One track of the exported timeline: {@code uuid} is unique in the trace (Perfetto's track uuid),
 * {@code group} and {@code row} place it in formats that group by process and thread (Chrome JSON).
 */
record Track(long uuid, String name, Track parent, TrackWriter.Kind kind, int group, int row) {
  Track {
    if (uuid <= 0) throw new IllegalArgumentException("track uuid must be positive: " + uuid);
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(kind, "kind");
  }
}
