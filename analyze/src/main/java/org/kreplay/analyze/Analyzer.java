package org.kreplay.analyze;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.internal.PreemptBaseline;
import org.kreplay.analyze.internal.Replay;
import org.kreplay.analyze.internal.RtEvidence;
import org.kreplay.analyze.internal.rules.CrossTraceCycles;
import org.kreplay.analyze.internal.rules.LockGraph;
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
  /** Events held back, at most, while looking for what says PREEMPT_RT where the format does not. */
  static final int LOOKAHEAD = 1 << 15;

  private Analyzer() {}

  /**
   * Adds {@code other} into {@code into} and returns it. The lock graphs are merged too, and a
   * dependency cycle that only the union of both contains (an ABBA whose halves were recorded in
   * different traces) becomes a finding.
   */
  public static AnalysisResult merge(AnalysisResult into, AnalysisResult other) {
    // A cycle new to the union contains an edge from each side: none when this side was empty.
    boolean wasEmpty = into.lockGraph().edgeCount() == 0;
    into.addValues(other);
    List<LockGraph.Edge> added = into.lockGraph().merge(other.lockGraph());
    if (!wasEmpty) CrossTraceCycles.find(into.lockGraph(), added, into.findings());
    return into;
  }

  /** Every lock dependency {@code r}'s replay saw, by held then taken class name (the graph {@code --export lock-graph} writes). */
  public static List<LockDependency> lockDependencies(AnalysisResult r) {
    List<LockDependency> out = new ArrayList<>();
    LockGraph graph = r.lockGraph();
    for (LockGraph.LockClass c : graph.classes()) {
      for (LockGraph.Edge e : graph.after(c)) {
        out.add(new LockDependency(c.name(), c.type(), e.next().name(), e.next().type(), LockDependency.kinds(e.dep()),
            e.evidence()));
      }
    }
    out.sort(java.util.Comparator.comparing(LockDependency::held).thenComparing(LockDependency::taken));
    return out;
  }

  /** Lock dependencies of {@code r} not recorded because the graph was full. */
  public static long droppedLockDependencies(AnalysisResult r) {
    return r.lockGraph().droppedEdges();
  }

  /** Analyses with the default rules (non-RT kernel, raw-lock nesting) and the built-in catalog. */
  public static AnalysisResult analyze(TraceReader reader, Progress progress) throws IOException {
    return analyze(reader, AnalysisOptions.defaults(), progress);
  }

  public static AnalysisResult analyze(TraceReader reader, AnalysisOptions options, Progress progress)
      throws IOException {
    return analyze(reader, options, progress, null);
  }

  /**
   * Analyses and tells {@code timeline} what the replay rebuilds as it goes (the export of the
   * replayed timeline); null tells nothing.
   */
  public static AnalysisResult analyze(TraceReader reader, AnalysisOptions options, Progress progress,
      TimelineListener timeline) throws IOException {
    AnalysisResult result = new AnalysisResult();
    result.deferrals().setWorst(options.worst());
    TraceEvent first = reader.next();
    // What the input's format says about its kernel is known once its header and first event are
    // read; the first events say more: an RT-only thread or function where the format is silent,
    // and the preempt depth every event carries for the tracepoint itself.
    List<TraceEvent> ahead = new ArrayList<>();
    boolean rtUnknown = !options.kernelChosen() && reader.info().preemptRt() == null;
    RtEvidence rt = new RtEvidence(options.catalog());
    PreemptBaseline baseline = new PreemptBaseline();
    String why = options.kernelChosen() ? options.config().label() + ": as --kernel says" : null;
    TraceEvent e = first;
    while (e != null) {
      ahead.add(e.copy());
      baseline.see(e);
      String seen = rtUnknown && why == null ? rt.of(e) : null;
      if (seen != null) why = "PREEMPT_RT: " + seen + ", at " + reader.info().source() + (e.line() > 0 ? ":" + e.line() : "");
      if (ahead.size() == LOOKAHEAD || (baseline.settled() && (!rtUnknown || why != null))) break;
      e = reader.next();
    }
    first = e == null ? null : reader.next();
    if (why == null && !options.kernelChosen() && Boolean.TRUE.equals(reader.info().preemptRt())) {
      String said = reader.info().preemptRtEvidence();
      why = "PREEMPT_RT: " + (said != null ? said : "the input says so");
    }
    KernelConfig config = options.config();
    if (!options.kernelChosen() && why != null) config = new KernelConfig(true, config.judgeAsRt(), config.proveRawLockNesting());
    result.summary().addRules(config.label());
    result.summary().addKernel(why != null ? why : "non-RT: nothing in the input says PREEMPT_RT");
    Replay replay = new Replay(new ResultRecording(result), result.lockGraph(), config, options.catalog(), reader.info().source(),
        reader.info().format() == org.kreplay.ingest.TraceFormat.TRACE_DAT, timeline);
    if (timeline != null) result.findings().observe(replay::timelineFinding);
    replay.eventPreemptBaseline(baseline.depth());
    long n = 0;
    for (TraceEvent a : ahead) {
      replay.accept(a);
      if ((++n & (PROGRESS_EVERY - 1)) == 0) progress.update(n);
    }
    ahead.clear();
    for (e = first; e != null; e = reader.next()) {
      replay.accept(e);
      if ((++n & (PROGRESS_EVERY - 1)) == 0) progress.update(n);
    }
    TraceInfo info = reader.info();
    replay.finish(info.timestampResolutionNs());
    result.findings().observe(null);
    String format = info.format().label()
        + (info.compression().equals("none") ? "" : " (" + info.compression() + ")");
    result.summary().addSource(info.source(), format, info.flagsFormat());
    result.summary().addOverwritten(info.overwrittenEvents());
    result.input().add(reader.stats());
    return result;
  }
}
