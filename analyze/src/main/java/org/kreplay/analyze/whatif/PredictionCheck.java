package org.kreplay.analyze.whatif;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Mechanism;

/**
 * A whatif prediction beside what the trace after the fix measured ({@code compare
 * --predicted-from}): for each mechanism predicted, the after trace's new row of that mechanism —
 * a key the before trace does not have, the deferral the fix added — with the most samples, one
 * whose key names the deferred code first (rtvm_s1_put_obj's fix queues rtvm_s1_put_obj_rcu_cb,
 * while the after trace's busiest new RCU callback may be the maple tree's); failing
 * that, its row keyed by the deferred code itself (a fix that keeps the callback and changes how it runs).
 */
public record PredictionCheck(WhatIfResult prediction, List<Row> rows) {
  /** One mechanism: its prediction and the row measured after the fix, or null when the after trace has none. */
  public record Row(Prediction predicted, DeferralRow measured) {
    /** (predicted − measured) / measured at percentile {@code p}; NaN when either side has no sample. */
    public double error(double p) {
      if (measured == null || measured.stats().count() == 0 || predicted.replayed().count() == 0) return Double.NaN;
      long m = measured.stats().percentile(p);
      long q = predicted.replayed().percentile(p);
      return m == 0 ? Double.NaN : (double) (q - m) / m;
    }
  }

  public static PredictionCheck of(WhatIfResult prediction, AnalysisResult before, AnalysisResult after) {
    List<Row> rows = new ArrayList<>();
    for (Prediction p : prediction.predictions()) {
      Mechanism m = p.via().mechanism().observed();
      DeferralRow measured = m == null ? null : newRow(m, prediction.what(), before.deferrals(), after.deferrals());
      // the fix may keep the callback and change how it runs (seed 3: the same irq_work, now in a thread)
      if (measured == null && m != null) measured = after.deferrals().find(m, DeferralRow.Metric.LATENCY, prediction.what());
      rows.add(new Row(p, measured));
    }
    return new PredictionCheck(prediction, List.copyOf(rows));
  }

  /** The after side's busiest latency row of {@code m} whose key the before side lacks (not an "all" row), naming {@code what} first. */
  private static DeferralRow newRow(Mechanism m, String what, DeferralStats before, DeferralStats after) {
    DeferralRow best = null;
    for (DeferralRow r : after.rows()) {
      if (r.mechanism() != m || r.metric() != DeferralRow.Metric.LATENCY || r.stats().count() == 0) continue;
      if (r.key().equals(DeferralRow.ALL) || r.key().startsWith(DeferralRow.ALL + " ") || r.key().equals(DeferralStats.OTHER_KEY)) continue;
      if (before.find(m, DeferralRow.Metric.LATENCY, r.key()) != null) continue;
      boolean names = r.key().contains(what);
      boolean bestNames = best != null && best.key().contains(what);
      if (best == null || names && !bestNames || names == bestNames && r.stats().count() > best.stats().count()) best = r;
    }
    return best;
  }
}
