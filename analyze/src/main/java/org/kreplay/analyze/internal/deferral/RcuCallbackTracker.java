package org.kreplay.analyze.internal.deferral;

import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/** rcu_callback → rcu_invoke_callback by rcu_head (kvfree_rcu's own events keyed "kvfree_rcu"). */
final class RcuCallbackTracker {
  private final Samples samples;
  private final ChainLinks chains;
  private final PendingTable rcuHeads = new PendingTable();

  RcuCallbackTracker(Samples samples, ChainLinks chains) {
    this.samples = samples;
    this.chains = chains;
  }

  void register(Dispatch d) {
    d.on(EventKind.RCU_CALLBACK, (e, c) -> queued(e, c, e.function() == null ? "?" : e.function()));
    d.on(EventKind.RCU_INVOKE_CALLBACK, (e, c) -> invoked(e, c, e.function() == null ? "?" : e.function()));
    d.on(EventKind.RCU_KVFREE_CALLBACK, (e, c) -> queued(e, c, "kvfree_rcu"));
    d.on(EventKind.RCU_INVOKE_KVFREE_CALLBACK, (e, c) -> invoked(e, c, "kvfree_rcu"));
  }

  private void queued(TraceEvent e, CpuContext c, String key) {
    int put = rcuHeads.put(e.address(), e.timestamp(), e.cpu(), key, 0, 0);
    rcuHeads.origin(put, e.cpu(), e.pid(), e.comm(), e.line());
    rcuHeads.chain(put, chains.handOn(e, c, Mechanism.RCU, key));
  }

  private void invoked(TraceEvent e, CpuContext c, String key) {
    int slot = rcuHeads.find(e.address());
    if (slot < 0) {
      samples.unmatchedExecute(Mechanism.RCU, key, 0);
      chains.ended(e, c); // the callback before it is over
      return;
    }
    String k = key.equals("?") ? rcuHeads.name(slot) : key;
    if (samples.crossesGap(rcuHeads.timestamp(slot), rcuHeads.cpu(slot), e.cpu())) {
      samples.acrossGap(Mechanism.RCU, k);
    } else {
      samples.sample(Mechanism.RCU, Metric.LATENCY, k, 0, e.timestamp() - rcuHeads.timestamp(slot), rcuHeads, slot, e);
      chains.started(e, c, Mechanism.RCU, k, rcuHeads, slot, rcuHeads.timestamp(slot));
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
