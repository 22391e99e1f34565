package org.kreplay.analyze.internal.deferral;

import static org.kreplay.analyze.DeferralRow.CLASS_NORMAL;
import static org.kreplay.analyze.DeferralRow.CLASS_RT;
import static org.kreplay.analyze.internal.deferral.Samples.orUnknown;

import java.util.EnumSet;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.context.PidSet;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * sched_waking (or sched_wakeup) → the sched_switch that puts the woken task on a CPU, keyed by
 * its comm and classed RT or normal by its priority. A task woken while still on a CPU waits for
 * nothing and is counted as already running.
 */
final class WakeupTracker {
  private final Samples samples;
  private final PendingTable wakeups = new PendingTable();
  /**
   * sched_waking of a task still on a CPU, until its next switch-in settles it as already running
   * — unless it switches out asleep and the wakeup's sched_wakeup follows: try_to_wake_up() waited
   * for it to leave the CPU and then woke it, a real wakeup from that sched_wakeup on. Cancelled =
   * switched out asleep since.
   */
  private final PendingTable runningWakings = new PendingTable();
  /** Pids whose last switch-out was a sleep: their next switch-in should follow a wakeup. */
  private final PidSet sleeping = new PidSet();

  WakeupTracker(Samples samples) {
    this.samples = samples;
  }

  void register(Dispatch d) {
    d.on(EnumSet.of(EventKind.SCHED_WAKING, EventKind.SCHED_WAKEUP, EventKind.SCHED_WAKEUP_NEW), (e, c) -> waking(e));
    d.on(EventKind.SCHED_SWITCH, (e, c) -> switchTo(e));
  }

  /** Settles a waking of a running task that nothing later turned into a real wakeup. */
  private void settleRunningWaking(int pid) {
    int r = runningWakings.find(pid);
    if (r < 0) return;
    samples.alreadyRunning(runningWakings.name(r), runningWakings.cls(r));
    runningWakings.remove(r);
  }

  /** sched_waking / sched_wakeup / sched_wakeup_new of {@code e.nextPid()}. */
  private void waking(TraceEvent e) {
    int pid = e.nextPid();
    if (pid <= 0) return;
    String comm = orUnknown(e.nextComm());
    int cls = prioClass(e.nextPrio());
    int target = e.targetCpu() >= 0 ? e.targetCpu() : e.cpu();
    boolean secondHalf = e.kind() == EventKind.SCHED_WAKEUP; // sched_waking was its first tracepoint
    int r = runningWakings.find(pid);
    if (samples.isRunning(pid)) {
      if (r >= 0 && !secondHalf) settleRunningWaking(pid); // a second waking while it runs
      if (runningWakings.find(pid) < 0 && !(secondHalf && r >= 0)) {
        runningWakings.put(pid, e.timestamp(), target, comm, cls, 0);
      }
      return;
    }
    if (r >= 0) {
      if (secondHalf && runningWakings.cancelled(r)) {
        // It went to sleep as it was being woken: this sched_wakeup makes it runnable.
        runningWakings.remove(r);
      } else if (secondHalf) {
        return; // the rest of a wakeup of a running (now preempted) task
      } else {
        settleRunningWaking(pid);
      }
    }
    int slot = wakeups.find(pid);
    if (slot >= 0 && !samples.crossesGap(wakeups.timestamp(slot), wakeups.cpu(slot), e.cpu())) {
      // Woken again before it ran: it has not slept since the first one, which it waits from.
      if (e.kind() == EventKind.SCHED_WAKING) samples.alreadyRunning(comm, cls);
      return;
    }
    wakeups.origin(wakeups.put(pid, e.timestamp(), target, comm, cls, 0), e.cpu(), e.pid(), e.comm(), e.line());
  }

  /**
   * {@code pid} is seen running on a CPU without a traced switch to it (the switch event is
   * missing): its pending wakeup cannot be measured.
   */
  void untracedSwitchIn(int pid) {
    if (pid <= 0) return;
    settleRunningWaking(pid);
    int slot = wakeups.find(pid);
    if (slot < 0) return;
    samples.acrossGap(Mechanism.WAKEUP, wakeups.name(slot));
    wakeups.remove(slot);
  }

  /** Kernel prio below 100 is RT; deadline tasks show -1. */
  private static int prioClass(int prio) {
    return prio < 100 ? CLASS_RT : CLASS_NORMAL;
  }

  /** sched_switch: the previous task leaves (maybe to sleep), the next one gets the CPU. */
  private void switchTo(TraceEvent e) {
    int prev = e.prevPid();
    if (prev > 0 && e.prevState() != 0) {
      int r = runningWakings.find(prev);
      if (r >= 0) runningWakings.setCancelled(r);
      // Going to sleep: a wakeup recorded while it was still running is spent.
      int slot = wakeups.find(prev);
      if (slot >= 0) wakeups.remove(slot);
      if (e.prevState() > 0 && prev < ContextTracker.MAX_PID) sleeping.add(prev);
    }
    int next = e.nextPid();
    if (next <= 0) return;
    settleRunningWaking(next);
    int slot = wakeups.find(next);
    if (slot >= 0) {
      String comm = wakeups.name(slot);
      if (samples.crossesGap(wakeups.timestamp(slot), wakeups.cpu(slot), e.cpu())) {
        samples.acrossGap(Mechanism.WAKEUP, comm);
      } else {
        // the runner is the task switched in, not the one leaving
        samples.sample(Mechanism.WAKEUP, Metric.LATENCY, comm, wakeups.cls(slot), e.timestamp() - wakeups.timestamp(slot),
            wakeups.timestamp(slot), wakeups.originCpu(slot), wakeups.pid(slot), wakeups.comm(slot),
            wakeups.position(slot), e.timestamp(), e.cpu(), next, e.nextComm(), e.line());
      }
      wakeups.remove(slot);
    } else if (next < ContextTracker.MAX_PID && sleeping.contains(next)) {
      samples.unmatchedExecute(Mechanism.WAKEUP, orUnknown(e.nextComm()), prioClass(e.nextPrio()));
    }
    if (next < ContextTracker.MAX_PID) sleeping.remove(next);
  }

  long untracked() {
    return wakeups.overflow() + runningWakings.overflow();
  }

  void finish() {
    wakeups.forEach(s -> samples.unmatchedEnqueue(Mechanism.WAKEUP, wakeups.name(s), wakeups.cls(s)));
    runningWakings.forEach(s -> samples.alreadyRunning(runningWakings.name(s), runningWakings.cls(s)));
  }
}
