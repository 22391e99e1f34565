package org.kreplay.analyze.whatif;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.CatalogTypes.RunsIn;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.Mechanism;
import org.kreplay.ingest.TraceReader;

/**
 * {@code kreplay whatif}: what deferring a piece of code would cost, predicted from a trace taken
 * before the change. The trace is analysed as {@code analyze} does; each moment the code runs in
 * the context its findings object to (or, without findings, each run of it as a callback) is an
 * occurrence, and from each the replay goes forward on that CPU through what each mechanism waits
 * for (catalog {@code deferral_mechanisms}), as the trace shows the kernel doing it then.
 */
public final class WhatIf {
  /** Findings about the context the code runs in: moving it to process context is what fixes them. */
  private static final Set<FindingKind> CONTEXT_KINDS = EnumSet.of(FindingKind.SLEEP_IN_ATOMIC,
      FindingKind.INVALID_WAIT_CONTEXT, FindingKind.SCHEDULE_WHILE_ATOMIC, FindingKind.RT_ALLOC_IN_ATOMIC,
      FindingKind.INCONSISTENT_LOCK_STATE);

  /** Findings about lock order: made by the locks held where the code runs, which a deferred callback does not hold. */
  private static final Set<FindingKind> LOCK_ORDER_KINDS = EnumSet.of(FindingKind.CIRCULAR_DEPENDENCY,
      FindingKind.RECURSIVE_LOCKING, FindingKind.IRQ_SAFE_TO_UNSAFE, FindingKind.IRQ_LOCK_INVERSION);

  private WhatIf() {}

  /** One trace, analysed once with every mechanism followed; {@code what} a culprit, signature or callback. */
  public static WhatIfResult predict(TraceReader reader, AnalysisOptions options, String what, List<Via> vias,
      Analyzer.Progress progress) throws IOException {
    if (vias.isEmpty()) throw new IllegalArgumentException("at least one mechanism");
    ForwardReplay replay = new ForwardReplay(what, vias, options.catalog());
    AnalysisResult analysis = Analyzer.analyze(reader, options, progress, replay);
    boolean rt = analysis.summary().rules().stream().anyMatch(r -> r.contains("PREEMPT_RT"));
    ForwardReplay.Source s = replay.fromFindings.occurrences > 0 ? replay.fromFindings : replay.fromCallbacks;
    List<Prediction> predictions = new ArrayList<>();
    for (Via v : vias) {
      ForwardReplay.Followed f = followed(s, v, rt);
      RunsIn runsIn = v.mechanism().runsIn(rt);
      predictions.add(new Prediction(v, f.steps, runsIn, f.latencies, f.modeled, f.unresolved, f.notSeen,
          observedRow(v, analysis), verdict(s.kinds, runsIn)));
    }
    Set<String> kinds = new TreeSet<>();
    for (FindingKind k : s.kinds) kinds.add(k.label());
    return new WhatIfResult(what, foundAs(s), s.occurrences, s.cpus, kinds, rt, analysis.summary().durationNs(),
        predictions, analysis);
  }

  /**
   * Several traces' predictions as one (same --defer and --via, in the same order): occurrences,
   * latencies and unresolved counts add up, the analyses merge (for the measured rows that stand
   * in), and each verdict is judged again on every trace's findings. PREEMPT_RT rules when any trace had them.
   */
  public static WhatIfResult merge(List<WhatIfResult> results) {
    if (results.isEmpty()) throw new IllegalArgumentException("nothing to merge");
    if (results.size() == 1) return results.get(0);
    WhatIfResult first = results.get(0);
    AnalysisResult analysis = new AnalysisResult();
    long occurrences = 0;
    long span = 0;
    boolean rt = false;
    Set<Integer> cpus = new TreeSet<>();
    Set<String> kinds = new TreeSet<>();
    String foundAs = "not found";
    for (WhatIfResult r : results) {
      if (r.predictions().size() != first.predictions().size() || !r.what().equals(first.what())) {
        throw new IllegalArgumentException("predictions of different questions");
      }
      Analyzer.merge(analysis, r.analysis());
      occurrences += r.occurrences();
      span += r.spanNs();
      rt |= r.rt();
      cpus.addAll(r.cpus());
      kinds.addAll(r.findingKinds());
      if (foundAs.equals("not found")) foundAs = r.foundAs();
    }
    Set<FindingKind> kindSet = EnumSet.noneOf(FindingKind.class);
    for (FindingKind k : FindingKind.values()) if (kinds.contains(k.label())) kindSet.add(k);
    List<Prediction> predictions = new ArrayList<>();
    for (int i = 0; i < first.predictions().size(); i++) {
      Prediction p0 = first.predictions().get(i);
      org.kreplay.analyze.LatencyStats stats = new org.kreplay.analyze.LatencyStats(3);
      long unresolved = 0;
      long notSeen = 0;
      long modeled = 0;
      for (WhatIfResult r : results) {
        stats.add(r.predictions().get(i).replayed());
        unresolved += r.predictions().get(i).unresolved();
        notSeen += r.predictions().get(i).notSeen();
        modeled += r.predictions().get(i).modeled();
      }
      RunsIn runsIn = p0.via().mechanism().runsIn(rt);
      predictions.add(new Prediction(p0.via(), p0.via().mechanism().waits(rt), runsIn, stats, modeled, unresolved,
          notSeen, observedRow(p0.via(), analysis), verdict(kindSet, runsIn)));
    }
    return new WhatIfResult(first.what(), foundAs, occurrences, cpus, kinds, rt, span, predictions, analysis);
  }

  /** The trace's measured row of the mechanism that stands in for {@code v} (its "all" row), or null. */
  private static DeferralRow observedRow(Via v, AnalysisResult analysis) {
    Mechanism m = v.mechanism().observed();
    return m == null ? null : analysis.deferrals().find(m, DeferralRow.Metric.LATENCY, DeferralRow.ALL);
  }

  private static ForwardReplay.Followed followed(ForwardReplay.Source s, Via v, boolean rt) {
    ForwardReplay.Followed plain = null;
    for (ForwardReplay.Followed f : s.followed) {
      if (f.via != v) continue;
      if (f.rt == rt) return f;
      plain = f;
    }
    return plain; // the mechanism waits the same on both kernels
  }

  private static String foundAs(ForwardReplay.Source s) {
    if (s.occurrences == 0) return "not found";
    if (!s.kinds.isEmpty()) return "the code of its findings";
    return "a " + s.callbackOf.label() + " callback";
  }

  /**
   * Whether code whose findings are {@code kinds} would break the same rules when run in {@code
   * runsIn}. Findings about the context (sleeping, waiting, allocating where it may not) go only in
   * task context. Lock-order findings go with any deferral: the callback runs later, without the
   * locks held where the code ran, so the dependencies from those locks to the ones it takes are not
   * made. A bad unlock balance is the code's own and stays.
   */
  static Prediction.Verdict verdict(Set<FindingKind> kinds, RunsIn runsIn) {
    if (kinds.isEmpty()) return new Prediction.Verdict(true, "runs in " + runsIn.label() + " context");
    Set<String> stay = new TreeSet<>();
    boolean lockOrder = false;
    for (FindingKind k : kinds) {
      if (k == FindingKind.INVALID_WAIT_CONTEXT) {
        // lockdep's check_wait_context(): softirq allows LD_WAIT_CONFIG (a spinlock_t), hardirq only LD_WAIT_SPIN
        if (runsIn == RunsIn.HARDIRQ) stay.add(k.label());
      } else if (CONTEXT_KINDS.contains(k)) {
        if (runsIn != RunsIn.TASK) stay.add(k.label());
      } else if (LOCK_ORDER_KINDS.contains(k)) {
        lockOrder = true;
      } else {
        stay.add(k.label());
      }
    }
    if (stay.isEmpty()) {
      String why = null;
      if (kinds.stream().anyMatch(k -> CONTEXT_KINDS.contains(k) && (k != FindingKind.INVALID_WAIT_CONTEXT || runsIn == RunsIn.TASK))) {
        why = runsIn.label() + " context may sleep";
      } else if (kinds.contains(FindingKind.INVALID_WAIT_CONTEXT)) {
        why = runsIn.label() + " context may take a spinlock_t"; // LD_WAIT_CONFIG, not a sleep
      }
      if (lockOrder) why = (why == null ? "" : why + "; ") + "runs without the locks held where the code ran";
      return new Prediction.Verdict(true, "fixes: " + why);
    }
    boolean context = stay.stream().anyMatch(l -> CONTEXT_KINDS.stream().anyMatch(k -> k.label().equals(l)));
    return new Prediction.Verdict(false, (context ? "still " + runsIn.label() + " context: " : "")
        + String.join(", ", stay) + " stay");
  }
}
