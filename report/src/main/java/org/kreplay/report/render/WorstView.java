package org.kreplay.report.render;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralSample;
import org.kreplay.analyze.DeferralStats;

/**
 * The worst samples as the text, Markdown, CSV and HTML reports show them: the task as
 * {@code comm/pid}, the CPU as {@code 0} or {@code 0→1}, the events' positions as
 * {@code trace.txt:120 → :131} (lines) or {@code trace.dat@4096 → @8192} (byte offsets).
 */
public final class WorstView {
  private WorstView() {}

  /** Each mechanism's overall row of this metric that kept samples, in report order. */
  public static List<DeferralRow> overallRows(DeferralStats stats, DeferralRow.Metric metric) {
    List<DeferralRow> out = new ArrayList<>();
    for (DeferralRow r : stats.rows()) {
      if (r.metric() == metric && r.key().equals(DeferralRow.ALL) && !r.worst().isEmpty()) out.add(r);
    }
    return out;
  }

  public static String task(DeferralSample.Event e) {
    String comm = e.comm() == null ? "?" : e.comm();
    return e.pid() < 0 ? comm : comm + "/" + e.pid();
  }

  public static String cpus(DeferralSample s) {
    int a = s.enqueue().cpu();
    int b = s.execute().cpu();
    return a == b ? cpu(a) : cpu(a) + "→" + cpu(b);
  }

  private static String cpu(int c) {
    return c < 0 ? "?" : Integer.toString(c);
  }

  /** "trace.txt:120 → :131": where both events are, the second without repeating the file. */
  public static String where(DeferralSample s) {
    String second = s.execute().position() <= 0 ? "?" : (s.byteOffsets() ? "@" : ":") + s.execute().position();
    return s.where(s.enqueue()) + " → " + second;
  }

  /** The largest three parts of the sample's blame ("61% softirq TIMER, 22% task kworker/1:2/55"), or "-". */
  public static String blame(DeferralSample s) {
    return s.blame().isEmpty() ? "-" : s.blame().summary(3);
  }

  /** Each mechanism's overall row's p99 tail and its blame, or null when no row has one. */
  static Table tailTable(DeferralStats stats, DeferralRow.Metric metric) {
    Table t = new Table("mechanism", "above", "samples", "meanwhile on their CPUs");
    boolean any = false;
    for (DeferralRow r : stats.rows()) {
      if (r.metric() != metric || !r.key().equals(DeferralRow.ALL)) continue;
      org.kreplay.analyze.TailBlame.Tail tail = r.tailBlame();
      if (tail == null || tail.blame().isEmpty()) continue;
      any = true;
      t.row(r.mechanism().label(), Units.value(tail.fromNs(), r.unit(), r.resolutionNs()) + (tail.exact() ? "" : " (approx.)"),
          Units.count(tail.samples()), tail.blame().summary(4));
    }
    return any ? t : null;
  }

  /** The worst table of {@code rows}, or null when none kept samples. */
  static Table table(List<DeferralRow> rows, boolean latency) {
    Table t = new Table("mechanism", "key", latency ? "latency>" : "run time>", latency ? "enqueued" : "started",
        latency ? "ran" : "ended", "CPU", latency ? "enqueued by" : "started in", latency ? "ran in" : "ended in", "at",
        latency ? "meanwhile on its CPU" : "meanwhile");
    boolean any = false;
    for (DeferralRow r : rows) {
      for (DeferralSample s : r.worst()) {
        any = true;
        t.row(r.mechanism().label(), s.key(), Units.value(s.latencyNs(), r.unit(), r.resolutionNs()),
            Units.timestamp(s.enqueue().timestampNs()), Units.timestamp(s.execute().timestampNs()), cpus(s),
            task(s.enqueue()), task(s.execute()), where(s), blame(s));
      }
    }
    return any ? t : null;
  }
}
