package org.kreplay.analyze.internal.deferral;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;
import static org.kreplay.analyze.DeferralRow.CLASS_THREAD;

import java.util.Arrays;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * irq_work raised (the function tracer's entry of a function the catalog says enqueues irq_work,
 * keyed by its caller) → run: by the callback the function tracer shows under a catalog
 * irq_work runner (classed hard in the IPI, thread in the irq_work/N thread), else by the
 * self-IPI (irq_work_entry) that runs everything raised before it.
 */
final class IrqWorkTracker {
  private static final int MAX_PENDING = 1024;

  private final Samples samples;
  private final Catalog catalog;
  private final ChainLinks chains;
  /** Whether the function tracer showed an irq_work callback: then each callback, not the IPI, is a stage. */
  private boolean callbacksSeen;
  /** Per CPU, the pending raises in order: when, keyed by, who raised it and where. */
  private long[][] raisedTs = new long[0][];
  private String[][] keys = new String[0][];
  private int[][] raisedPid = new int[0][];
  private String[][] raisedComm = new String[0][];
  private long[][] raisedPos = new long[0][];
  private ChainLinks.Chain[][] raisedChain = new ChainLinks.Chain[0][];
  private int[] count = new int[0];
  /** Per CPU, the self-IPI running: entry time (-1: none), its task and position, callbacks seen in it. */
  private long[] ipiTs = new long[0];
  private int[] ipiPid = new int[0];
  private String[] ipiComm = new String[0];
  private long[] ipiPos = new long[0];
  private int[] ipiCallbacks = new int[0];

  IrqWorkTracker(Samples samples, Catalog catalog, ChainLinks chains) {
    this.samples = samples;
    this.catalog = catalog;
    this.chains = chains;
  }

  void register(Dispatch d) {
    d.on(EventKind.IRQ_WORK_ENTRY, this::run);
    d.on(EventKind.IRQ_WORK_EXIT, (e, c) -> {
      if (e.cpu() >= 0 && e.cpu() < ipiTs.length && ipiTs[e.cpu()] >= 0) ipiEnd(e.cpu());
    });
    d.on(EventKind.FUNCTION, this::function);
  }

  int cpus() {
    return count.length;
  }

  private void ensure(int cpu) {
    if (cpu < count.length) return;
    int n = Math.max(cpu + 1, count.length * 2);
    int old = count.length;
    raisedTs = Arrays.copyOf(raisedTs, n);
    keys = Arrays.copyOf(keys, n);
    raisedPid = Arrays.copyOf(raisedPid, n);
    raisedComm = Arrays.copyOf(raisedComm, n);
    raisedPos = Arrays.copyOf(raisedPos, n);
    raisedChain = Arrays.copyOf(raisedChain, n);
    count = Arrays.copyOf(count, n);
    ipiTs = Arrays.copyOf(ipiTs, n);
    ipiPid = Arrays.copyOf(ipiPid, n);
    ipiComm = Arrays.copyOf(ipiComm, n);
    ipiPos = Arrays.copyOf(ipiPos, n);
    ipiCallbacks = Arrays.copyOf(ipiCallbacks, n);
    for (int i = old; i < n; i++) {
      ipiTs[i] = -1;
      raisedTs[i] = new long[8];
      keys[i] = new String[8];
      raisedPid[i] = new int[8];
      raisedComm[i] = new String[8];
      raisedPos[i] = new long[8];
      raisedChain[i] = new ChainLinks.Chain[8];
    }
  }

  /** Drops the oldest pending irq_work of {@code cpu} (index 0), shifting the rest down. */
  private void shift(int cpu) {
    int n = count[cpu];
    System.arraycopy(raisedTs[cpu], 1, raisedTs[cpu], 0, n - 1);
    System.arraycopy(keys[cpu], 1, keys[cpu], 0, n - 1);
    System.arraycopy(raisedPid[cpu], 1, raisedPid[cpu], 0, n - 1);
    System.arraycopy(raisedComm[cpu], 1, raisedComm[cpu], 0, n - 1);
    System.arraycopy(raisedPos[cpu], 1, raisedPos[cpu], 0, n - 1);
    System.arraycopy(raisedChain[cpu], 1, raisedChain[cpu], 0, n - 1);
    keys[cpu][n - 1] = null;
    raisedComm[cpu][n - 1] = null;
    raisedChain[cpu][n - 1] = null;
    count[cpu] = n - 1;
  }

  private void grow(int cpu) {
    int n = raisedTs[cpu].length * 2;
    raisedTs[cpu] = Arrays.copyOf(raisedTs[cpu], n);
    keys[cpu] = Arrays.copyOf(keys[cpu], n);
    raisedPid[cpu] = Arrays.copyOf(raisedPid[cpu], n);
    raisedComm[cpu] = Arrays.copyOf(raisedComm[cpu], n);
    raisedPos[cpu] = Arrays.copyOf(raisedPos[cpu], n);
    raisedChain[cpu] = Arrays.copyOf(raisedChain[cpu], n);
  }

  /** The function tracer shows irq_work being queued, and the callbacks irq_work_single() runs. */
  private void function(TraceEvent e, CpuContext c) {
    if (catalog.enqueues(e.function(), Mechanism.IRQ_WORK)) {
      raise(e, c);
    } else if (catalog.runsIrqWorkCallbacks(e.parent())) {
      callback(e, c);
    }
  }

  /** A function-trace entry of irq_work_queue(): the raise, keyed by its caller. */
  private void raise(TraceEvent e, CpuContext c) {
    if (e.cpu() < 0) return;
    ensure(e.cpu());
    int cpu = e.cpu();
    int n = count[cpu];
    if (n == MAX_PENDING) {
      samples.unmatchedEnqueue(Mechanism.IRQ_WORK, keys[cpu][0], 0);
      shift(cpu);
      n--;
    }
    if (n == raisedTs[cpu].length) grow(cpu);
    raisedTs[cpu][n] = e.timestamp();
    keys[cpu][n] = e.parent() != null ? e.parent() : "irq_work";
    raisedPid[cpu][n] = e.pid();
    raisedComm[cpu][n] = e.comm();
    raisedPos[cpu][n] = e.line();
    raisedChain[cpu][n] = chains.handOn(e, c, Mechanism.IRQ_WORK, null); // its callback is not named yet
    count[cpu] = n + 1;
  }

  /**
   * irq_work_entry: the self-IPI runs the work raised on this CPU. Whether it ran all of it is
   * known at its exit: on PREEMPT_RT only IRQ_WORK_HARD_IRQ work runs here, the rest waits for
   * the irq_work/N thread.
   */
  private void run(TraceEvent e, CpuContext c) {
    if (e.cpu() < 0) return;
    ensure(e.cpu());
    int cpu = e.cpu();
    if (ipiTs[cpu] >= 0) ipiEnd(cpu); // the previous exit was lost
    if (count[cpu] == 0) samples.unmatchedExecute(Mechanism.IRQ_WORK, "irq_work", 0);
    if (count[cpu] == 1 && !callbacksSeen && !samples.gapSince(cpu, raisedTs[cpu][0])) {
      // the IPI runs the one item raised: a stage, named by who raised it as its row is
      chains.started(e, c, Mechanism.IRQ_WORK, keys[cpu][0], raisedChain[cpu][0], raisedTs[cpu][0], raisedTs[cpu][0], cpu,
          raisedPid[cpu][0], raisedComm[cpu][0], raisedPos[cpu][0]);
    }
    ipiTs[cpu] = e.timestamp();
    ipiPid[cpu] = e.pid();
    ipiComm[cpu] = e.comm();
    ipiPos[cpu] = e.line();
    ipiCallbacks[cpu] = 0;
  }

  /**
   * Without function-trace events of the callbacks, the IPI is taken to run everything raised
   * before it, keyed by who raised it; with them, each callback already took its raise.
   */
  private void ipiEnd(int cpu) {
    long ipi = ipiTs[cpu];
    ipiTs[cpu] = -1;
    if (ipiCallbacks[cpu] > 0) return;
    int n = count[cpu];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      String key = keys[cpu][i];
      long ts = raisedTs[cpu][i];
      if (ts > ipi) { // raised inside the IPI: runs at the next one
        keys[cpu][kept] = key;
        raisedPid[cpu][kept] = raisedPid[cpu][i];
        raisedComm[cpu][kept] = raisedComm[cpu][i];
        raisedPos[cpu][kept] = raisedPos[cpu][i];
        raisedChain[cpu][kept] = raisedChain[cpu][i];
        raisedTs[cpu][kept++] = ts;
        continue;
      }
      if (samples.gapSince(cpu, ts)) {
        samples.acrossGap(Mechanism.IRQ_WORK, key);
      } else {
        samples.sample(Mechanism.IRQ_WORK, Metric.LATENCY, key, CLASS_HARD, ipi - ts, ts, cpu, raisedPid[cpu][i],
            raisedComm[cpu][i], raisedPos[cpu][i], ipi, cpu, ipiPid[cpu], ipiComm[cpu], ipiPos[cpu]);
      }
    }
    for (int i = kept; i < n; i++) {
      keys[cpu][i] = null;
      raisedComm[cpu][i] = null;
      raisedChain[cpu][i] = null;
    }
    count[cpu] = kept;
  }

  /**
   * A callback seen by the function tracer, called from irq_work_single(): it takes the oldest
   * raise on its CPU, and the row is keyed by the callback, classed "hard" when it ran in the
   * IPI and "thread" when in task context (the irq_work/N thread on PREEMPT_RT).
   */
  private void callback(TraceEvent e, CpuContext c) {
    if (e.cpu() < 0) return;
    boolean inHardirq = c != null && c.inHardirq();
    callbacksSeen = true;
    ensure(e.cpu());
    int cpu = e.cpu();
    if (inHardirq && ipiTs[cpu] >= 0) ipiCallbacks[cpu]++;
    String key = e.function();
    int cls = inHardirq ? CLASS_HARD : CLASS_THREAD;
    if (count[cpu] == 0) {
      samples.unmatchedExecute(Mechanism.IRQ_WORK, key, cls);
      return;
    }
    long ts = raisedTs[cpu][0];
    if (samples.gapSince(cpu, ts)) {
      samples.acrossGap(Mechanism.IRQ_WORK, key);
    } else {
      samples.sample(Mechanism.IRQ_WORK, Metric.LATENCY, key, cls, e.timestamp() - ts, ts, cpu, raisedPid[cpu][0],
          raisedComm[cpu][0], raisedPos[cpu][0], e.timestamp(), cpu, e.pid(), e.comm(), e.line());
      chains.started(e, c, Mechanism.IRQ_WORK, key, raisedChain[cpu][0], ts, ts, cpu, raisedPid[cpu][0], raisedComm[cpu][0],
          raisedPos[cpu][0]);
    }
    shift(cpu);
  }

  /** At the end: an IPI whose exit was not seen ends now. */
  void finishIpi(int cpu) {
    if (cpu < ipiTs.length && ipiTs[cpu] >= 0) ipiEnd(cpu);
  }

  /** Raises on {@code cpu} still pending at the end. */
  void finishPending(int cpu) {
    if (cpu >= count.length) return;
    for (int i = 0; i < count[cpu]; i++) samples.unmatchedEnqueue(Mechanism.IRQ_WORK, keys[cpu][i], 0);
  }
}
