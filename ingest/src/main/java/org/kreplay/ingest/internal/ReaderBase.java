package org.kreplay.ingest.internal;

import org.kreplay.ingest.EventSelection;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;

/**
 * What every reader has: the input's name, the caller's options, what is known about the input
 * (its {@code TraceInfo} or {@code LogInfo}), the accounting of every line or record, and the one
 * problem policy (with {@code --strict} the read ends at the first problem, else it is counted).
 *
 * @param <I> the reader's description of its input
 */
public abstract class ReaderBase<I> {
  /** The input's name, as problems and positions cite it. */
  protected final String source;
  protected final ReadOptions options;
  protected final I info;
  protected final InputStats stats = new InputStats();

  protected ReaderBase(String source, ReadOptions options, I info) {
    this.source = source;
    this.options = options;
    this.info = info;
  }

  public I info() {
    return info;
  }

  public InputStats stats() {
    return stats;
  }

  /**
   * The --pid/--comm/--event selection for a reader that decodes each event whole before it can
   * look at it (canonical CSV/JSONL): true when the event is dropped (and counted as not selected);
   * false when it is selected, or kept for context and so marked (and counted as not selected).
   */
  protected final boolean leftOut(EventRecord e) {
    if (options.selection().isEmpty() || (e.kind().isMarker() && options.keepContext())) return false;
    EventSelection.Verdict v = options.selection().atHeader(e.pid(), e.comm(), e.name(), e.kind());
    if (v == EventSelection.Verdict.SELECTED
        || (v == EventSelection.Verdict.BY_BODY && options.selection().selectsByBody(e))) {
      return false;
    }
    if (e.kind().isMarker()) {
      stats.countFiltered();
      return true;
    }
    stats.countFilteredEvent();
    if (!options.keepContext()) return true;
    e.setContextOnly(true);
    return false;
  }

  /**
   * The one policy for an item the reader cannot use: with {@code --strict} the read ends with the
   * problem (file, line or byte offset, reason); else it is counted as skipped under its reason,
   * the first examples kept, and reading goes on.
   */
  protected final void skip(InputProblem p) throws TraceFormatException {
    if (options.strict()) throw new TraceFormatException(p);
    stats.countSkipped(p);
  }
}
