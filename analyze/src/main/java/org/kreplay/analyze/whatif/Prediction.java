package org.kreplay.analyze.whatif;

import java.util.List;
import org.kreplay.analyze.CatalogTypes.RunsIn;
import org.kreplay.analyze.CatalogTypes.WaitStep;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.LatencyStats;

/**
 * What one mechanism would cost, replayed on the trace: the latency from each occurrence to when
 * the mechanism would have run it ({@link #replayed()}), how many occurrences the trace ends too
 * soon to replay ({@link #unresolved()}), how many of the replayed end where their woken runner
 * (kworker, rcuc, a softirq) could first have run because the trace does not show it running within
 * 20 ms ({@link #modeled()}), how many have neither ({@link #notSeen()}), the measured row that stands in for those ({@link
 * #observed()}, null when the trace has none), where the callback would run and whether the
 * findings would stay ({@link #verdict()}).
 */
public record Prediction(Via via, List<WaitStep> steps, RunsIn runsIn, LatencyStats replayed, long modeled,
    long unresolved, long notSeen, DeferralRow observed, Verdict verdict) {

  /** Whether running the code in {@link #runsIn()} still breaks the rules its findings are about. */
  public record Verdict(boolean fixes, String why) {}
}
