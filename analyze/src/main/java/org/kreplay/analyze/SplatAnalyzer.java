package org.kreplay.analyze;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.kreplay.analyze.internal.ListReader;
import org.kreplay.analyze.internal.SplatEvents;
import org.kreplay.analyze.internal.SplatFacts;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.LogReader;
import org.kreplay.ingest.log.Splat;
import org.kreplay.ingest.log.SplatKind;

/**
 * Kernel reports read from logs, judged by the same kernel model as traces: each report's call
 * trace is replayed (see {@code SplatEvents}) and the finding that comes out gives the verdict,
 * culprit, context and remedy; reports are grouped by signature into distinct problems.
 */
public final class SplatAnalyzer {
  private SplatAnalyzer() {}

  /** Every report of one log, grouped. */
  public static SplatResult analyze(LogReader reader, AnalysisOptions options) throws IOException {
    return analyze(reader, options, 1);
  }

  /**
   * Every report of one log, grouped, judging up to {@code workers} reports at once while this
   * thread reads on (a report-dense log spends most of its time in the verdicts, each independent
   * of the others). Verdicts are added in the log's order, so the result is the same for any count.
   */
  public static SplatResult analyze(LogReader reader, AnalysisOptions options, int workers) throws IOException {
    if (workers < 1) throw new IllegalArgumentException("workers must be at least 1: " + workers);
    SplatResult result = new SplatResult();
    if (workers == 1) {
      for (Splat s = reader.next(); s != null; s = reader.next()) result.add(verdict(s, options));
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
        Thread t = new Thread(r, "kreplay-verdict");
        t.setDaemon(true);
        return t;
      });
      // bounded: the reader stays at most a few reports per worker ahead of the verdicts
      ArrayDeque<Future<SplatVerdict>> inFlight = new ArrayDeque<>();
      try {
        for (Splat s = reader.next(); s != null; s = reader.next()) {
          Splat report = s;
          inFlight.add(pool.submit(() -> verdict(report, options)));
          if (inFlight.size() >= 4 * workers) result.add(await(inFlight.poll()));
        }
        while (!inFlight.isEmpty()) result.add(await(inFlight.poll()));
      } finally {
        pool.shutdownNow();
      }
    }
    result.addLog(reader.info().source(), reader.stats());
    return result;
  }

  private static SplatVerdict await(Future<SplatVerdict> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while judging reports");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) throw io;
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new IOException(cause);
    }
  }

  /** One report, replayed. */
  public static SplatVerdict verdict(Splat s, AnalysisOptions options) throws IOException {
    Catalog catalog = options.catalog();
    boolean rt = options.kernelChosen() ? options.config().tracedRt()
        : options.config().tracedRt() || SplatFacts.fromRtKernel(s, catalog);
    // The reporting kernel's lock-nesting checks, where its lock lines show them, win over the default.
    Boolean nesting = SplatFacts.rawLockNesting(s, catalog);
    KernelConfig config = new KernelConfig(rt, options.config().judgeAsRt(),
        nesting != null && !options.kernelChosen() ? nesting : options.config().proveRawLockNesting());
    List<TraceEvent> events = SplatEvents.of(s, catalog, rt);
    AnalysisResult replay = Analyzer.analyze(new ListReader(s.where().source(), events, rt),
        new AnalysisOptions(config, catalog, true), Analyzer.Progress.NONE);

    List<Finding> findings = replay.findings().all();
    Finding primary = null;
    for (Finding f : findings) {
      if (f.kind().label().equals(s.kind().label())) {
        primary = f;
        break;
      }
    }
    boolean reproduced = primary != null || (!s.kind().isLockdep() && !findings.isEmpty());
    if (primary == null) {
      // the innermost operation's finding: the one the replay came to last
      for (Finding f : findings) if (primary == null || f.firstTimestamp() > primary.firstTimestamp()) primary = f;
    }
    List<String> modelKinds = new ArrayList<>();
    for (Finding f : findings) modelKinds.add(f.kind().label());

    String kind = s.kind() == SplatKind.STACK_DUMP && primary != null ? primary.kind().label() : s.kind().label();
    List<String> frames = new ArrayList<>();
    for (Frame f : SplatFacts.meaningful(s, catalog)) frames.add(f.function());
    String culprit = primary != null && !primary.culprit().equals(Finding.NO_STACK) ? primary.culprit()
        : catalog.culpritOf(frames);
    if (culprit == null) culprit = frames.isEmpty() ? "(no call trace)" : Catalog.stripSuffix(frames.get(0));
    List<String> chain = new ArrayList<>();
    if (primary != null) {
      chain.addAll(primary.chain());
    } else {
      for (int i = frames.size() - 1; i >= 0; i--) chain.add(frames.get(i));
    }
    List<String> locks = reportLocks(s);
    if (locks.isEmpty() && primary != null) locks = primary.locks();
    String context = primary != null ? primary.context() : SplatFacts.contextOf(events) + facts(s) + " [" + config.label() + "]";
    // A lockdep report the replay did not reproduce keeps lockdep's own words as the verdict.
    String message = primary != null && (reproduced || !s.kind().isLockdep()) ? primary.message() : s.header();
    String remedy = primary != null ? primary.remedy() : "";
    SyzkallerReading syz = SyzkallerTitles.read(s, catalog);
    String frame = syz != null ? syz.frame() : SyzkallerFrames.firstUnskipped(frames, catalog.syzkallerRules());
    // Reports are bucketed as syzbot buckets them, by the title one of its formats gives; a bare call
    // trace, or a report no format fits (an abridged lockdep report titled by its header alone), by
    // kreplay's own key, so that two different deadlocks do not share "WARNING: possible recursive locking".
    String signature = syz != null && syz.rule() != null ? syz.title() : signature(kind, culprit, locks, primary);
    return new SplatVerdict(s.withoutText(), kind, signature, culprit, chain, context, locks, message, remedy,
        config.label(), reproduced, modelKinds, syz, frame, blame(culprit, frame, primary, syz));
  }

  /** Why kreplay's culprit is not syzkaller's frame, or null when they agree (or either is missing). */
  static String blame(String culprit, String frame, Finding primary, SyzkallerReading syz) {
    if (frame == null || culprit == null || culprit.startsWith("(")) return null;
    if (Catalog.stripSuffix(culprit).equals(frame) || culprit.equals(frame)) return null;
    String ours = primary != null && !primary.culprit().equals(Finding.NO_STACK)
        ? "the replay's " + primary.kind().label() + " finding blames " + culprit + ", the code that broke the rule"
        : "kreplay blames " + culprit + ", the first frame outside its skip list";
    String theirs = syz != null
        ? "syzkaller blames " + frame + (syz.rule() == null ? "" : " (" + syz.rule() + ")")
        : "syzkaller's skip lists leave " + frame + " (it would not report a call trace without a header)";
    return ours + "; " + theirs;
  }

  /** The lock classes a report names: the acquired and held ones of a lockdep report, its chain. */
  private static List<String> reportLocks(Splat s) {
    Set<String> names = new LinkedHashSet<>();
    for (ChainLink c : s.lockdep().chain()) names.add(c.lock().baseName());
    for (LockLine l : new LockLine[] {s.lockdep().holding(), s.lockdep().acquiring(), s.lockdep().lock(), s.lockdep().safeLock(), s.lockdep().unsafeLock()}) {
      if (l != null) names.add(l.baseName());
    }
    return new ArrayList<>(names);
  }

  private static String facts(Splat s) {
    StringBuilder sb = new StringBuilder();
    if (s.atomic().preemptCount() >= 0) sb.append("; preempt_count 0x").append(Integer.toHexString(s.atomic().preemptCount()))
        .append(" (").append(s.atomic().decodedPreemptCount()).append(')');
    if (s.atomic().irqsDisabled() != null) sb.append(s.atomic().irqsDisabled() ? "; irqs off" : "; irqs on");
    if (s.task().comm() != null) sb.append("; task ").append(s.task().comm()).append('/').append(s.task().pid());
    return sb.toString();
  }

  /**
   * Kind, culprit and lock classes: no addresses, offsets, pids or times, so the same problem on
   * another kernel build or machine gets the same signature. A cycle is named by its classes in
   * canonical rotation, as trace findings are.
   */
  static String signature(String kind, String culprit, List<String> locks, Finding primary) {
    if (primary != null && primary.kind() == FindingKind.CIRCULAR_DEPENDENCY && kind.equals("circular-dependency")) {
      return primary.signature() + ":" + culprit;
    }
    List<String> sorted = new ArrayList<>(locks);
    java.util.Collections.sort(sorted);
    return kind + ":" + culprit + (sorted.isEmpty() ? "" : ":" + String.join(",", sorted));
  }
}
