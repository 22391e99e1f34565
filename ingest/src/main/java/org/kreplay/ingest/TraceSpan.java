package org.kreplay.ingest;

/**
 * The first and last event timestamps of one trace file, which place a relative window (--from
 * +1.5s, --until -2s, 25%), and how the last one was found: from the end of the file where its
 * format allows, else by a first pass.
 *
 * @param bytesRead bytes of the stored file read to find the last timestamp once the first was
 *     known (for a first pass, the whole file)
 */
public record TraceSpan(long firstNs, long lastNs, How how, long bytesRead) {
  public enum How {
    /** trace.dat: the last pages of each CPU's data. */
    LAST_PAGES,
    /** Uncompressed text: its last lines. */
    TAIL,
    /** A pass over the whole input (compressed, canonical CSV/JSONL). */
    FIRST_PASS,
    /** No event at all: any window selects nothing. */
    EMPTY
  }
}
