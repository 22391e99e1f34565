package org.kreplay.report.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.ChainStages;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Mechanism;

/**
 * Deferral chains as every report shows them: each chain's row (first enqueue to last execution)
 * with where its time went, stage by stage ("hrtimer wait 60% (44.0µs), in schedule_page_work_fn
 * 3% (2.0µs), workqueue wait 37% (27.0µs)").
 */
public final class ChainView {
  private ChainView() {}

  /** The chain rows that carry their stages, in report order. */
  public static List<DeferralRow> rows(DeferralStats stats) {
    List<DeferralRow> out = new ArrayList<>();
    for (DeferralRow r : stats.rows()) if (r.mechanism() == Mechanism.CHAIN && r.stages() != null) out.add(r);
    return out;
  }

  /** Each segment's share of the chain's time and its mean. */
  public static String stages(ChainStages s) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < s.segments().size(); i++) {
      parts.add(s.segments().get(i) + " " + percent(s.share(i)) + " (" + Units.duration(s.meanNs(i)) + ")");
    }
    return String.join(", ", parts);
  }

  /** A share as "37%", or "<1%" for a part that is there but small. */
  public static String percent(double share) {
    long p = Math.round(share * 100);
    if (p == 0 && share > 0) return "<1%";
    return String.format(Locale.ROOT, "%d%%", p);
  }

  /** The chains table, or null when the trace has no chain. */
  static Table table(DeferralStats stats) {
    List<DeferralRow> rows = rows(stats);
    if (rows.isEmpty()) return null;
    Table t = new Table("chain", "count>", "p50>", "p99>", "max>", "where the time went (mean)");
    for (DeferralRow r : rows) {
      long res = r.resolutionNs();
      t.row(r.key(), Units.count(r.count()), Units.value(r.percentileNs(50), r.unit(), res),
          Units.value(r.percentileNs(99), r.unit(), res), Units.value(r.maxNs(), r.unit(), res), stages(r.stages()));
    }
    return t;
  }
}
