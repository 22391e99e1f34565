package org.kreplay.ingest.internal;

import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;

/**
 * Every reader's one policy for an input item it cannot use: with {@code --strict} the read ends
 * there with the problem (file, line or byte offset, reason); otherwise the item is counted as
 * skipped under its reason, with the first examples kept, and reading goes on.
 */
public final class ReadProblems {
  private final ReadOptions options;
  private final InputStats stats;

  public ReadProblems(ReadOptions options, InputStats stats) {
    this.options = options;
    this.stats = stats;
  }

  /** Throws {@code p} in strict mode, else counts it as a skipped item. */
  public void skip(InputProblem p) throws TraceFormatException {
    if (options.strict()) throw new TraceFormatException(p);
    stats.countSkipped(p);
  }
}
