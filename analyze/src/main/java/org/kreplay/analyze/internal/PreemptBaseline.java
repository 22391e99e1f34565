package org.kreplay.analyze.internal;

import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * The preempt depth every event of a trace carries for the tracepoint's own preempt_disable().
 * tracing_gen_ctx_dec() subtracts it only on kernels with CONFIG_PREEMPTION; a kernel with
 * PREEMPT_COUNT but without preemption (PREEMPT_VOLUNTARY with DEBUG_ATOMIC_SLEEP, as debug and
 * lockdep kernels are built) records it, so no event of a preemptible task ever shows depth 0
 * there. Seen as the least depth of task-context events with interrupts on, once enough of them
 * were seen; 0 otherwise.
 */
public final class PreemptBaseline {
  /** Task events with irqs on needed before their least depth is believed. */
  static final int ENOUGH = 64;
  private int least = Integer.MAX_VALUE;
  private int seen;

  public void see(TraceEvent e) {
    int f = e.flags();
    if (e.pid() <= 0 || e.kind() == EventKind.SCHED_SWITCH || e.kind().isMarker()) return;
    if (!ContextFlags.preemptKnown(f) || !ContextFlags.irqsKnown(f) || ContextFlags.irqsOff(f)) return;
    if (!ContextFlags.irqContextKnown(f) || ContextFlags.hardirq(f) || ContextFlags.softirq(f)) return;
    if (ContextFlags.nmiKnown(f) && ContextFlags.nmi(f)) return;
    least = Math.min(least, ContextFlags.preemptDepth(f));
    seen++;
  }

  /** Whether more events can still change {@link #depth}: a 0 settles it, and so do enough events. */
  public boolean settled() {
    return least == 0 || seen >= ENOUGH;
  }

  /** 0 or 1: more than the tracepoint's own level is a real section, not a baseline. */
  public int depth() {
    return seen >= ENOUGH ? Math.min(1, least) : 0;
  }
}
