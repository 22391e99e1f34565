package org.kreplay.analyze;

import java.io.IOException;
import org.kreplay.analyze.internal.Replay;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.TraceReader;

/**
 * Analyses one trace: replays its events through the context model and the deferral pairing and
 * returns a mergeable {@link AnalysisResult}. Several traces are analysed one by one and merged.
 */
public final class Analyzer {
  /** Called every {@link #PROGRESS_EVERY} events so a caller can report progress. */
  @FunctionalInterface
  public interface Progress {
    void update(long events);

    Progress NONE = events -> {};
  }

  static final int PROGRESS_EVERY = 1 << 16;

  private Analyzer() {}

  /** Analyses with the default rules (non-RT kernel, raw-lock nesting) and the built-in catalog. */
  public static AnalysisResult analyze(TraceReader reader, Progress progress) throws IOException {
    return analyze(reader, AnalysisOptions.defaults(), progress);
  }

  public static AnalysisResult analyze(TraceReader reader, AnalysisOptions options, Progress progress)
      throws IOException {
    AnalysisResult result = new AnalysisResult();
    result.deferrals().setWorst(options.worst());
    TraceEvent first = reader.next();
    // What the input says about its kernel is known once its header and first event are read.
    KernelConfig config = options.config();
    if (!options.kernelChosen() && Boolean.TRUE.equals(reader.info().preemptRt())) {
      config = new KernelConfig(true, config.judgeAsRt(), config.proveRawLockNesting());
    }
    result.summary().addRules(config.label());
    Replay replay = new Replay(result, config, options.catalog(), reader.info().source(),
        reader.info().format() == org.kreplay.ingest.TraceFormat.TRACE_DAT);
    long n = 0;
    for (TraceEvent e = first; e != null; e = reader.next()) {
      replay.accept(e);
      if ((++n & (PROGRESS_EVERY - 1)) == 0) progress.update(n);
    }
    TraceInfo info = reader.info();
    replay.finish(info.timestampResolutionNs());
    String format = info.format().label()
        + (info.compression().equals("none") ? "" : " (" + info.compression() + ")");
    result.summary().addSource(info.source(), format, info.flagsFormat());
    result.summary().addOverwritten(info.overwrittenEvents());
    result.input().add(reader.stats());
    return result;
  }
}
