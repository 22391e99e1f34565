package org.kreplay.report.cli;

import org.kreplay.analyze.Mechanism;

/**
 * The latency sample {@code explain} shows: queued (hrtimers and timers: started) at {@code
 * enqueueTs}, ran at {@code executeTs}; {@code latencyNs} as its row records it (-1 for
 * timer-wheel timers, in jiffies).
 */
record ExplainedSample(Mechanism mechanism, String key, long enqueueTs, int enqueueCpu, long executeTs, int executeCpu,
    long latencyNs) {
  /** Where the wait starts: the enqueue, or for a timer its expiry (the execution less its lateness). */
  long waitStart() {
    return latencyNs < 0 ? enqueueTs : executeTs - latencyNs;
  }
}
