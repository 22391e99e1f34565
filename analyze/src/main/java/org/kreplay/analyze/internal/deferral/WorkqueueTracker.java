package org.kreplay.analyze.internal.deferral;

import static org.kreplay.analyze.internal.deferral.Samples.orUnknown;

import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * workqueue_queue_work → workqueue_execute_start by work struct (latency, keyed by the work
 * function), and execute_start → execute_end on the same kworker (run time).
 */
final class WorkqueueTracker {
  private final Samples samples;
  private final ChainLinks chains;
  private final PendingTable works = new PendingTable();
  private final PendingTable runningWork = new PendingTable();

  WorkqueueTracker(Samples samples, ChainLinks chains) {
    this.samples = samples;
    this.chains = chains;
  }

  void register(Dispatch d) {
    d.on(EventKind.WORKQUEUE_QUEUE_WORK, this::queueWork);
    d.on(EventKind.WORKQUEUE_EXECUTE_START, this::executeWork);
    d.on(EventKind.WORKQUEUE_EXECUTE_END, (e, c) -> {
      chains.ended(e, c);
      endWork(e);
    });
  }

  private void queueWork(TraceEvent e, CpuContext c) {
    int slot = works.find(e.address());
    if (slot >= 0 && !samples.crossesGap(works.timestamp(slot), works.cpu(slot), e.cpu())) {
      return; // already pending: the first enqueue is the one the work waits from
    }
    int target = e.targetCpu() >= 0 ? e.targetCpu() : e.cpu();
    String fn = orUnknown(e.function());
    int put = works.put(e.address(), e.timestamp(), e.cpu(), fn, 0, target);
    works.origin(put, e.cpu(), e.pid(), e.comm(), e.line());
    works.chain(put, chains.handOn(e, c, Mechanism.WORKQUEUE, fn));
  }

  private void executeWork(TraceEvent e, CpuContext c) {
    String fn = orUnknown(e.function());
    int slot = works.find(e.address());
    if (slot < 0) {
      samples.unmatchedExecute(Mechanism.WORKQUEUE, fn, 0);
      chains.ended(e, c); // the kworker's previous work is over
    } else {
      if (samples.crossesGap(works.timestamp(slot), works.cpu(slot), e.cpu())) {
        samples.acrossGap(Mechanism.WORKQUEUE, fn);
        chains.ended(e, c);
      } else {
        samples.sample(Mechanism.WORKQUEUE, Metric.LATENCY, fn, 0, e.timestamp() - works.timestamp(slot), works, slot, e);
        chains.started(e, c, Mechanism.WORKQUEUE, fn, works, slot, works.timestamp(slot));
      }
      works.remove(slot);
    }
    if (e.pid() >= 0) {
      runningWork.origin(runningWork.put(e.pid(), e.timestamp(), e.cpu(), fn, 0, e.address()), e.cpu(), e.pid(),
          e.comm(), e.line());
    }
  }

  private void endWork(TraceEvent e) {
    if (e.pid() < 0) return;
    int slot = runningWork.find(e.pid());
    if (slot < 0) return;
    if (runningWork.extra(slot) == e.address()
        && !samples.crossesGap(runningWork.timestamp(slot), runningWork.cpu(slot), e.cpu())) {
      samples.sample(Mechanism.WORKQUEUE, Metric.RUNTIME, runningWork.name(slot), 0,
          e.timestamp() - runningWork.timestamp(slot), runningWork, slot, e);
    }
    runningWork.remove(slot);
  }

  long untracked() {
    return works.overflow() + runningWork.overflow();
  }

  /** Work still queued at the end of the trace. */
  void finish() {
    works.forEach(s -> samples.unmatchedEnqueue(Mechanism.WORKQUEUE, works.name(s), 0));
  }
}
