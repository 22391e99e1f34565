package org.kreplay.ingest.internal;

import java.io.IOException;
import org.kreplay.ingest.TraceReader;

/** A reader inside ingest: its events are the mutable records the next stage may fill further. */
public interface RecordReader extends TraceReader {
  @Override
  EventRecord next() throws IOException;
}
