package org.kreplay.analyze.internal;

import java.util.Iterator;
import java.util.List;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.TraceReader;

/**
 * Events built in memory (a replayed kernel report, a test scenario) as a trace; each event counts
 * as one input line, as in the canonical formats.
 */
public final class ListReader implements TraceReader {
  private final Iterator<TraceEvent> events;
  private final TraceInfo info;
  private final InputStats stats = new InputStats();

  public ListReader(String source, List<TraceEvent> events, Boolean preemptRt) {
    this.events = events.iterator();
    this.info = new TraceInfo(source, TraceFormat.CANONICAL_JSONL);
    if (preemptRt != null) info.setPreemptRt(preemptRt);
  }

  @Override
  public TraceEvent next() {
    if (!events.hasNext()) return null;
    stats.countLine();
    stats.countEvent();
    return events.next();
  }

  @Override
  public TraceInfo info() {
    return info;
  }

  @Override
  public InputStats stats() {
    return stats;
  }

  @Override
  public void close() {}
}
