package org.kreplay.report.cli;

import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.TimelineListener;

/**
 * Picks the sample {@code explain --at} means from every paired latency the replay tells: the
 * longest that ran at that time (within the precision it was written with), else the longest
 * whose wait holds it; only on {@code cpu} when one is given.
 */
final class SampleFinder implements TimelineListener {
  private final long at;
  private final long tolerance;
  private final int cpu;
  private ExplainedSample ranThen;
  private ExplainedSample waitingThen;

  SampleFinder(long at, long tolerance, int cpu) {
    this.at = at;
    this.tolerance = tolerance;
    this.cpu = cpu;
  }

  @Override
  public void deferral(Mechanism m, String key, long enqueueTs, int enqueueCpu, long executeTs, int executeCpu,
      long latencyNs) {
    if (cpu >= 0 && executeCpu != cpu) return;
    ExplainedSample s = new ExplainedSample(m, key, enqueueTs, enqueueCpu, executeTs, executeCpu, latencyNs);
    if (Math.abs(executeTs - at) <= tolerance) {
      if (ranThen == null || longer(s, ranThen)) ranThen = s;
    } else if (s.waitStart() <= at && at <= executeTs) {
      if (waitingThen == null || longer(s, waitingThen)) waitingThen = s;
    }
  }

  private static boolean longer(ExplainedSample a, ExplainedSample b) {
    return a.executeTs() - a.waitStart() > b.executeTs() - b.waitStart();
  }

  /** The sample, or null when none ran or waited then. */
  ExplainedSample found() {
    return ranThen != null ? ranThen : waitingThen;
  }
}
