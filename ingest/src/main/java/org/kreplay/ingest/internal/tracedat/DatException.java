package org.kreplay.ingest.internal.tracedat;

import java.io.IOException;

/**
 * Damage found in a trace.dat: what is wrong and the byte offset of the structure where it was
 * found. The reader turns it into a {@link org.kreplay.ingest.TraceFormatException} (fatal) or a
 * counted skip, with the offset as the "line".
 */
final class DatException extends IOException {
  private static final long serialVersionUID = 1L;
  final long offset;
  final String reason;

  DatException(long offset, String reason) {
    super(reason + " at byte " + offset, null);
    this.offset = offset;
    this.reason = reason;
  }
}
