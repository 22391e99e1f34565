package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Scheduling while atomic: sched_switch is traced with the runqueue lock held and preemption
 * disabled by __schedule(), so its preempt depth has a baseline (2 on current kernels); a switch
 * away from a sleeping task at a higher depth sleeps in an atomic section. The baseline is the
 * most common depth of the first switches; switches before it is known wait for it.
 */
final class ScheduleWhileAtomicRule {
  private static final int SWITCHES_FOR_BASELINE = 8;

  private final ModelState s;
  private final Reporter reporter;
  private int baseline = -1;
  private final List<TraceEvent> pending = new ArrayList<>();
  private final int[] depths = new int[16];
  private int seen;

  ScheduleWhileAtomicRule(ModelState state, Reporter reporter) {
    this.s = state;
    this.reporter = reporter;
  }

  void register(Dispatch d) {
    d.onCpu(EventKind.SCHED_SWITCH, this::schedSwitch);
  }

  private void schedSwitch(TraceEvent e, CpuContext c) {
    if (!ContextFlags.preemptKnown(e.flags()) || e.prevState() <= 0) return;
    int depth = ContextFlags.preemptDepth(e.flags());
    if (baseline < 0) {
      depths[depth]++;
      pending.add(e.copy());
      if (++seen < SWITCHES_FOR_BASELINE) return;
      settle(c);
      return;
    }
    check(e, c, depth);
  }

  /** The baseline is known (or the trace ended): the switches held back are judged, on {@code c} or their own CPU. */
  private void settle(CpuContext c) {
    int best = 0;
    for (int d = 1; d < depths.length; d++) if (depths[d] > depths[best]) best = d;
    baseline = best;
    for (TraceEvent p : pending) {
      CpuContext pc = c != null ? c : s.contexts.cpu(p.cpu());
      if (pc != null) check(p, pc, ContextFlags.preemptDepth(p.flags()));
    }
    pending.clear();
  }

  private void check(TraceEvent e, CpuContext c, int depth) {
    if (depth <= baseline) return;
    ModelState.Cpu m = s.cpu(c.cpu());
    List<Held> locks = s.held.held(e.prevPid());
    String culprit = e.stack().depth() > 0 ? reporter.culprit(e, m) : e.prevComm();
    int excess = depth - baseline;
    reporter.report(FindingKind.SCHEDULE_WHILE_ATOMIC,
        Finding.signature(FindingKind.SCHEDULE_WHILE_ATOMIC, culprit, List.of()), culprit,
        reporter.chain(e, c, m, "schedule"), List.of(), reporter.describeContext(e, c, m, locks),
        "scheduling while atomic: " + e.prevComm() + "/" + e.prevPid() + " sleeps with preemption disabled " + excess
            + " more time" + (excess == 1 ? "" : "s") + " than __schedule() itself (preempt_count " + depth + ", usual "
            + baseline + ")",
        "release the spinning lock / re-enable preemption before sleeping", Certainty.CERTAIN,
        reporter.contextEvidence(e, c, m, locks, "switches away from " + e.prevComm() + " (state " + e.prevState() + ")"), e);
  }

  /** The trace ended before enough switches: judge those seen against their most common depth. */
  void finish() {
    if (baseline < 0 && !pending.isEmpty()) settle(null);
  }
}
