package org.kreplay.ingest;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.kreplay.ingest.internal.CanonicalWriters;

/**
 * Writes events in one of kreplay's canonical formats, which {@link Traces#open} reads back to the
 * same events. {@link #close()} flushes everything written; the stream itself stays open for its
 * owner to close.
 */
public interface EventWriter extends Closeable {
  void write(TraceEvent event) throws IOException;

  /** Canonical CSV (a {@code # kreplay-events schema_version=N} line, then a header row). */
  static EventWriter csv(OutputStream out) throws IOException {
    return CanonicalWriters.csv(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
  }

  /** Canonical JSON Lines (a header object, then one object per event). */
  static EventWriter jsonl(OutputStream out) throws IOException {
    return CanonicalWriters.jsonl(out);
  }
}
