package org.kreplay.report.render;

import java.util.Locale;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.LatencyStats;
import org.kreplay.analyze.whatif.PredictionCheck;

/**
 * {@code compare --predicted-from}: each mechanism's predicted latency beside the row the trace
 * after the fix measured, with the error of each percentile ((predicted − measured) / measured).
 */
public final class PredictionCheckText {
  private PredictionCheckText() {}

  public static String render(PredictionCheck check, String from, boolean markdown) {
    StringBuilder sb = new StringBuilder();
    String title = "Prediction (whatif from " + from + ": defer " + check.prediction().what() + ")";
    sb.append(markdown ? "### " + title + "\n\n" : "\n" + title + "\n");
    Table t = new Table("via", "measured after", "samples>", "p50 predicted>", "measured>", "error>", "p90 predicted>",
        "measured>", "error>", "p99 predicted>", "measured>", "error>");
    for (PredictionCheck.Row r : check.rows()) {
      DeferralRow m = r.measured();
      LatencyStats p = r.predicted().replayed();
      LatencyStats s = m == null ? null : m.stats();
      t.row(r.predicted().via().label(), m == null ? "(no new row)" : m.mechanism().label() + " " + m.key(),
          s == null ? "" : String.valueOf(s.count()),
          pct(p, 50), pct(s, 50), error(r.error(50)), pct(p, 90), pct(s, 90), error(r.error(90)),
          pct(p, 99), pct(s, 99), error(r.error(99)));
    }
    sb.append(markdown ? t.markdown() + "\n" : t.text("  "));
    String note = "The measured row is the after trace's busiest row of the mechanism whose key the before trace"
        + " lacks (the deferral the fix added), else its row of the deferred code itself. Error = (predicted -"
        + " measured) / measured.";
    sb.append(markdown ? note + "\n" : TextWrap.wrap(note, "  ", "  ", 100));
    return sb.toString();
  }

  private static String pct(LatencyStats s, double p) {
    return s == null || s.count() == 0 ? "-" : Units.duration(s.percentile(p));
  }

  static String error(double e) {
    return Double.isNaN(e) ? "-" : String.format(Locale.ROOT, "%+.0f%%", e * 100);
  }
}
