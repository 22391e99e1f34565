package org.kreplay.analyze.internal.deferral;

import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/** rcu_callback → rcu_invoke_callback by rcu_head (kvfree_rcu's own events keyed "kvfree_rcu"). */
final class RcuCallbackTracker {
  private final Samples samples;
  private final PendingTable rcuHeads = new PendingTable();

  RcuCallbackTracker(Samples samples) {
    this.samples = samples;
  }

  void register(Dispatch d) {
    d.on(EventKind.RCU_CALLBACK, (e, c) -> queued(e, e.function() == null ? "?" : e.function()));
    d.on(EventKind.RCU_INVOKE_CALLBACK, (e, c) -> invoked(e, e.function() == null ? "?" : e.function()));
    d.on(EventKind.RCU_KVFREE_CALLBACK, (e, c) -> queued(e, "kvfree_rcu"));
    d.on(EventKind.RCU_INVOKE_KVFREE_CALLBACK, (e, c) -> invoked(e, "kvfree_rcu"));
  }

  private void queued(TraceEvent e, String key) {
    rcuHeads.origin(rcuHeads.put(e.address(), e.timestamp(), e.cpu(), key, 0, 0), e.cpu(), e.pid(), e.comm(), e.line());
  }

  private void invoked(TraceEvent e, String key) {
    int slot = rcuHeads.find(e.address());
    if (slot < 0) {
      samples.unmatchedExecute(Mechanism.RCU, key, 0);
      return;
    }
    String k = key.equals("?") ? rcuHeads.name(slot) : key;
    if (samples.crossesGap(rcuHeads.timestamp(slot), rcuHeads.cpu(slot), e.cpu())) {
      samples.acrossGap(Mechanism.RCU, k);
    } else {
      samples.sample(Mechanism.RCU, Metric.LATENCY, k, 0, e.timestamp() - rcuHeads.timestamp(slot), rcuHeads, slot, e);
    }
    rcuHeads.remove(slot);
  }

  long untracked() {
    return rcuHeads.overflow();
  }

  void finish() {
    rcuHeads.forEach(s -> samples.unmatchedEnqueue(Mechanism.RCU, rcuHeads.name(s), 0));
  }
}
