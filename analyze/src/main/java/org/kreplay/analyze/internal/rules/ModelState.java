package org.kreplay.analyze.internal.rules;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.Findings;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;

/**
 * What the kernel rules know beyond the context stacks, shared by the rule parts: the locks each
 * task holds, lockdep's graph, the callbacks and interrupt state of each CPU, the work item each
 * kworker runs, and what the trace has shown so far about itself.
 */
final class ModelState {
  /** What one CPU runs beyond the context frames: callbacks, the previous event, who disabled interrupts. */
  static final class Cpu {
    final CallbackStack callbacks = new CallbackStack();
    int prevFlags = ContextFlags.UNKNOWN;
    /** Kind of the previous event on this CPU. */
    EventKind prevKind = EventKind.OTHER;
    /** Caller of the outermost irq_disable (preemptirq), or null. */
    String irqsOffBy;
    /** The last irq_disable came from a spin_lock_irq*() whose lock_acquire has not been seen yet. */
    boolean lockIrqOffPending;

    /** Lost events: what ran and who disabled interrupts is no longer known. */
    void forget() {
      callbacks.clear();
      prevFlags = ContextFlags.UNKNOWN;
      irqsOffBy = null;
      lockIrqOffPending = false;
      prevKind = EventKind.OTHER;
    }
  }

  final KernelConfig config;
  final Catalog catalog;
  final ContextTracker contexts;
  final LockGraph graph;
  final Findings findings;
  final String source;
  final HeldLocks held = new HeldLocks();
  /** The work function each kworker (by pid) is executing. */
  final Map<Integer, String> works = new HashMap<>();
  /** Per task, the function the function tracer last saw it enter in task context (its own code, as the user filtered it). */
  final Map<Integer, String> lastTraced = new HashMap<>();
  private Cpu[] cpus = new Cpu[0];
  /** Whether the event being judged runs in task context (no interrupt frame). */
  boolean inTask;
  /** The trace has lockdep events: the held-lock state is complete, not a guess. */
  boolean lockEventsSeen;
  boolean preemptIrqEventsSeen;
  /**
   * The preempt depth every event of this kernel carries for the tracepoint's own
   * preempt_disable(): 1 where PREEMPT_COUNT is on but PREEMPTION is not (a debug kernel with
   * DEBUG_ATOMIC_SLEEP), whose tracing_gen_ctx_dec() does not subtract it; else 0.
   */
  int eventBaseline;

  ModelState(KernelConfig config, Catalog catalog, ContextTracker contexts, LockGraph graph, Findings findings,
      String source) {
    this.config = config;
    this.catalog = catalog;
    this.contexts = contexts;
    this.graph = graph;
    this.findings = findings;
    this.source = source;
  }

  Cpu cpu(int n) {
    if (n >= cpus.length) cpus = Arrays.copyOf(cpus, Math.max(n + 1, cpus.length * 2));
    Cpu c = cpus[n];
    if (c == null) {
      c = new Cpu();
      cpus[n] = c;
    }
    return c;
  }
}
