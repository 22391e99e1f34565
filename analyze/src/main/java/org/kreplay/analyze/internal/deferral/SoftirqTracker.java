package org.kreplay.analyze.internal.deferral;

import java.util.Arrays;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.ContextUpdates;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * softirq_raise → softirq_entry per vector and CPU (latency; a vector raised again while pending
 * waits from its first raise), and softirq_entry → softirq_exit (run time).
 */
final class SoftirqTracker {
  private final Samples samples;
  /** Per CPU and vector: when it was raised (MIN_VALUE: not pending), and who raised it. */
  private long[][] raised = new long[0][];
  private int[][] raisedPid = new int[0][];
  private String[][] raisedComm = new String[0][];
  private long[][] raisedPos = new long[0][];
  /** Per CPU: the vector running (-1: none), since when, and in which task. */
  private int[] runningVec = new int[0];
  private long[] runningTs = new long[0];
  private int[] runningPid = new int[0];
  private String[] runningComm = new String[0];
  private long[] runningPos = new long[0];

  SoftirqTracker(Samples samples) {
    this.samples = samples;
  }

  void register(Dispatch d) {
    d.on(EventKind.SOFTIRQ_RAISE, (e, c) -> raise(e));
    d.on(EventKind.SOFTIRQ_ENTRY, (e, c) -> entry(e));
    d.on(EventKind.SOFTIRQ_EXIT, (e, c) -> exit(e));
  }

  int cpus() {
    return runningVec.length;
  }

  private void ensure(int cpu) {
    if (cpu < runningVec.length) return;
    int n = Math.max(cpu + 1, runningVec.length * 2);
    int old = runningVec.length;
    raised = Arrays.copyOf(raised, n);
    raisedPid = Arrays.copyOf(raisedPid, n);
    raisedComm = Arrays.copyOf(raisedComm, n);
    raisedPos = Arrays.copyOf(raisedPos, n);
    runningVec = Arrays.copyOf(runningVec, n);
    runningTs = Arrays.copyOf(runningTs, n);
    runningPid = Arrays.copyOf(runningPid, n);
    runningComm = Arrays.copyOf(runningComm, n);
    runningPos = Arrays.copyOf(runningPos, n);
    int vectors = ContextUpdates.softirqVectors();
    for (int i = old; i < n; i++) {
      raised[i] = new long[vectors];
      Arrays.fill(raised[i], Long.MIN_VALUE);
      raisedPid[i] = new int[vectors];
      raisedComm[i] = new String[vectors];
      raisedPos[i] = new long[vectors];
      runningVec[i] = -1;
    }
  }

  private static boolean valid(TraceEvent e) {
    return e.cpu() >= 0 && e.vector() >= 0 && e.vector() < ContextUpdates.softirqVectors();
  }

  private void raise(TraceEvent e) {
    if (!valid(e)) return;
    int cpu = e.cpu();
    int vec = e.vector();
    ensure(cpu);
    if (raised[cpu][vec] == Long.MIN_VALUE) {
      raised[cpu][vec] = e.timestamp();
      raisedPid[cpu][vec] = e.pid();
      raisedComm[cpu][vec] = e.comm();
      raisedPos[cpu][vec] = e.line();
    }
  }

  private void entry(TraceEvent e) {
    if (!valid(e)) return;
    int cpu = e.cpu();
    int vec = e.vector();
    ensure(cpu);
    long at = raised[cpu][vec];
    String key = ContextUpdates.softirqName(vec);
    if (at == Long.MIN_VALUE || at > e.timestamp()) {
      samples.unmatchedExecute(Mechanism.SOFTIRQ, key, 0);
    } else if (samples.gapSince(cpu, at)) {
      samples.acrossGap(Mechanism.SOFTIRQ, key);
    } else {
      samples.sample(Mechanism.SOFTIRQ, Metric.LATENCY, key, 0, e.timestamp() - at, at, cpu, raisedPid[cpu][vec],
          raisedComm[cpu][vec], raisedPos[cpu][vec], e.timestamp(), cpu, e.pid(), e.comm(), e.line());
    }
    raised[cpu][vec] = Long.MIN_VALUE;
    raisedComm[cpu][vec] = null;
    runningVec[cpu] = vec;
    runningTs[cpu] = e.timestamp();
    runningPid[cpu] = e.pid();
    runningComm[cpu] = e.comm();
    runningPos[cpu] = e.line();
  }

  private void exit(TraceEvent e) {
    if (!valid(e)) return;
    int cpu = e.cpu();
    int vec = e.vector();
    ensure(cpu);
    if (runningVec[cpu] == vec && !samples.gapSince(cpu, runningTs[cpu])) {
      samples.sample(Mechanism.SOFTIRQ, Metric.RUNTIME, ContextUpdates.softirqName(vec), 0, e.timestamp() - runningTs[cpu],
          runningTs[cpu], cpu, runningPid[cpu], runningComm[cpu], runningPos[cpu], e.timestamp(), cpu, e.pid(), e.comm(),
          e.line());
    }
    runningVec[cpu] = -1;
  }

  /** Vectors still raised on {@code cpu} at the end. */
  void finish(int cpu) {
    if (cpu >= raised.length) return;
    for (int v = 0; v < raised[cpu].length; v++) {
      if (raised[cpu][v] != Long.MIN_VALUE) samples.unmatchedEnqueue(Mechanism.SOFTIRQ, ContextUpdates.softirqName(v), 0);
    }
  }
}
