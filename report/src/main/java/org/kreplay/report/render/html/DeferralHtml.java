package org.kreplay.report.render.html;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Mechanism;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/**
 * Deferral rows of one analysis, per mechanism: a histogram and a CDF of the 'all' row with the
 * most frequent keys drawn over it, then the mechanism's rows as a sortable table.
 */
final class DeferralHtml {
  /** Keys listed per mechanism and metric, besides its aggregate rows (all are in JSON and CSV). */
  static final int MAX_KEYS = 50;
  /** Keys drawn over the 'all' row in a mechanism's charts. */
  static final int CHARTED_KEYS = 4;

  private DeferralHtml() {}

  static boolean isAggregate(String key) {
    return key.equals(DeferralRow.ALL) || key.startsWith(DeferralRow.ALL + " ");
  }

  /** The rows of one metric, by mechanism, in report order (aggregates first, then keys by frequency). */
  static Map<Mechanism, List<DeferralRow>> byMechanism(DeferralStats stats, DeferralRow.Metric metric) {
    Map<Mechanism, List<DeferralRow>> out = new EnumMap<>(Mechanism.class);
    for (DeferralRow r : stats.rows()) {
      if (r.metric() == metric) out.computeIfAbsent(r.mechanism(), m -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** Per mechanism: a heading, the charts (latency only) and the table; {@code idPrefix} names the tables. */
  static void sections(Page page, DeferralStats stats, DeferralRow.Metric metric, String idPrefix) {
    Map<Mechanism, List<DeferralRow>> byMechanism = byMechanism(stats, metric);
    if (byMechanism.isEmpty()) {
      page.note("none: the trace has no events to pair for this.");
      return;
    }
    byMechanism.forEach((m, rows) -> {
      page.heading3(m.label());
      if (metric == DeferralRow.Metric.LATENCY) charts(page, stats, m, rows);
      table(page, idPrefix + "-" + m.label(), rows, metric == DeferralRow.Metric.LATENCY);
      worst(page, idPrefix + "-" + m.label() + "-worst", rows, metric == DeferralRow.Metric.LATENCY);
      tail(page, m, rows, metric == DeferralRow.Metric.LATENCY);
      if (m == Mechanism.CHAIN && metric == DeferralRow.Metric.LATENCY) stages(page, idPrefix + "-chain-stages", rows);
    });
  }

  /**
   * Where each chain's time went: one stacked bar per chain (its segments' shares), and the
   * segments with their means as a table.
   */
  private static void stages(Page page, String id, List<DeferralRow> rows) {
    List<DeferralRow> chains = new ArrayList<>();
    for (DeferralRow r : rows) if (r.stages() != null) chains.add(r);
    if (chains.isEmpty()) return;
    List<DeferralRow> charted = chains.subList(0, Math.min(TAIL_ROWS, chains.size()));
    List<String> series = new ArrayList<>();
    for (DeferralRow r : charted) for (String seg : r.stages().segments()) if (!series.contains(seg)) series.add(seg);
    boolean other = series.size() > PART_COLORS.length;
    if (other) {
      series = new ArrayList<>(series.subList(0, PART_COLORS.length));
      series.add("other");
    }
    double[][] values = new double[series.size()][charted.size()];
    List<String> names = new ArrayList<>();
    for (int c = 0; c < charted.size(); c++) {
      org.kreplay.analyze.ChainStages st = charted.get(c).stages();
      names.add(charted.get(c).key());
      for (int i = 0; i < st.segments().size(); i++) {
        int s = series.indexOf(st.segments().get(i));
        values[s < 0 ? series.size() - 1 : s][c] += st.share(i) * 100;
      }
    }
    java.awt.Color[] colors = new java.awt.Color[series.size()];
    for (int s = 0; s < series.size(); s++) colors[s] = other && s == series.size() - 1 ? OTHER_GREY : PART_COLORS[s];
    page.figure(page.charts().stackedShares("chains: where the time went", names, series, colors, values,
        "% of the chain's time, first enqueue to last execution"),
        "For each chain (a stage's callback queued the next): each stage's wait and the time in the callback that"
            + " handed it on, summed over its samples (every segment in --format json, stages).");
    HtmlTable t = HtmlTable.sortable(page.out(), id, Column.text("chain"), Column.num("count"),
        Column.text("where the time went (mean)"));
    for (DeferralRow r : chains) {
      t.row(Cell.key(r.key()), Cell.num(Units.count(r.count()), r.count()),
          Cell.text(org.kreplay.report.render.ChainView.stages(r.stages())));
    }
    t.end();
  }

  /** The rows charted in a tail chart: the overall row and the most frequent keys with a tail. */
  private static final int TAIL_ROWS = 6;
  /** Parts named in a tail chart; the rest are "other". */
  private static final int TAIL_PARTS = 7;
  private static final java.awt.Color OTHER_GREY = new java.awt.Color(0xb0b4ba);
  private static final java.awt.Color[] PART_COLORS = {Charts.PRIMARY, Charts.KEYS[0], Charts.KEYS[1], Charts.KEYS[2],
    Charts.KEYS[3], Charts.KEYS[4], new java.awt.Color(0xe8a317)};

  /**
   * What the CPUs did while each row's samples above p99 waited, as one stacked bar per row: the
   * parts that weigh most across the charted rows named, the rest as "other".
   */
  private static void tail(Page page, Mechanism m, List<DeferralRow> rows, boolean latency) {
    List<DeferralRow> charted = new ArrayList<>();
    List<org.kreplay.analyze.TailBlame.Tail> tails = new ArrayList<>();
    for (DeferralRow r : rows) {
      if (charted.size() == TAIL_ROWS) break;
      if (!r.key().equals(DeferralRow.ALL) && isAggregate(r.key())) continue;
      org.kreplay.analyze.TailBlame.Tail t = r.tailBlame();
      if (t == null || t.blame().isEmpty()) continue;
      charted.add(r);
      tails.add(t);
    }
    if (charted.isEmpty()) return;
    // the parts by their summed share across the rows
    Map<String, Double> weight = new java.util.HashMap<>();
    for (org.kreplay.analyze.TailBlame.Tail t : tails) {
      for (org.kreplay.analyze.Blame.Share p : t.blame().shares()) weight.merge(p.what(), t.blame().percent(p), Double::sum);
    }
    List<String> named = weight.entrySet().stream()
        .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Double.compare(b.getValue(), a.getValue()))
        .limit(TAIL_PARTS).map(Map.Entry::getKey).toList();
    List<String> series = new ArrayList<>(named);
    series.add("other");
    double[][] values = new double[series.size()][charted.size()];
    List<String> names = new ArrayList<>();
    for (int c = 0; c < charted.size(); c++) {
      org.kreplay.analyze.TailBlame.Tail t = tails.get(c);
      names.add(charted.get(c).key() + " (" + Units.count(t.samples()) + " above "
          + Units.value(t.fromNs(), charted.get(c).unit(), charted.get(c).resolutionNs()) + (t.exact() ? ")" : ", approx.)"));
      for (org.kreplay.analyze.Blame.Share p : t.blame().shares()) {
        int s = named.indexOf(p.what());
        values[s < 0 ? series.size() - 1 : s][c] += t.blame().percent(p);
      }
    }
    java.awt.Color[] colors = new java.awt.Color[series.size()];
    for (int s = 0; s < named.size(); s++) colors[s] = PART_COLORS[s];
    colors[series.size() - 1] = OTHER_GREY;
    page.figure(page.charts().stackedShares(m.label() + ": what the CPUs did in the p99 tail", names, series, colors,
        values, "% of the tail's " + (latency ? "waiting" : "running") + " time"),
        "For each row, its samples above p99: the time from enqueue (or expiry) to execution"
            + (latency ? "" : " (here: the run)") + " split by what ran on the CPU where each ran, summed"
            + " (every part in --format json, tail_blame).");
  }

  private static void table(Page page, String id, List<DeferralRow> rows, boolean latency) {
    boolean classes = rows.stream().anyMatch(r -> !r.classLabel().isEmpty());
    List<Column> cols = new ArrayList<>(List.of(Column.text("key")));
    if (classes) cols.add(Column.text("class").help("hrtimer mode (hard, soft, plain, ?), irq_work hard/thread, wakeup rt/normal"));
    cols.addAll(List.of(Column.num("count"), Column.num("min"), Column.num("p50"), Column.num("p90"), Column.num("p99"),
        Column.num("p99.9"), Column.num("max"), Column.num("mean")));
    if (latency) {
      cols.add(Column.num("unmatched enqueue").help("enqueued, still waiting when the trace ended"));
      cols.add(Column.num("unmatched execute").help("ran, but the enqueue happened before the trace began"));
      cols.add(Column.num("across gap").help("not measured: events were lost between enqueue and execution"));
    }
    boolean running = latency && rows.stream().anyMatch(r -> r.alreadyRunning() > 0);
    if (running) cols.add(Column.num("already running").help("woken while still on a CPU: nothing waited, not a sample"));
    HtmlTable t = HtmlTable.sortable(page.out(), id, cols.toArray(new Column[0]));
    int keys = 0;
    for (DeferralRow r : rows) {
      boolean aggregate = isAggregate(r.key());
      if (!aggregate && ++keys > MAX_KEYS) continue;
      List<Cell> c = new ArrayList<>();
      c.add(Cell.key(r.key()));
      if (classes) c.add(Cell.text(r.classLabel()));
      c.add(Cell.count(r.count()));
      if (r.count() == 0) {
        for (int i = 0; i < 7; i++) c.add(Cell.dash());
      } else {
        long res = r.resolutionNs();
        c.add(time(r.minNs(), r.unit(), res));
        c.add(time(r.percentileNs(50), r.unit(), res));
        c.add(time(r.percentileNs(90), r.unit(), res));
        c.add(time(r.percentileNs(99), r.unit(), res));
        c.add(time(r.percentileNs(99.9), r.unit(), res));
        c.add(time(r.maxNs(), r.unit(), res));
        c.add(time(r.meanNs(), r.unit()));
      }
      if (latency) {
        c.add(Cell.count(r.unmatchedEnqueue()));
        c.add(Cell.count(r.unmatchedExecute()));
        c.add(Cell.count(r.acrossGap()));
      }
      if (running) c.add(Cell.count(r.alreadyRunning()));
      t.row(aggregate ? "all" : null, c.toArray(new Cell[0]));
    }
    t.end();
    page.leftOut(keys - MAX_KEYS, "keys (the least frequent)", "all are in --format json and --format csv");
  }

  /** The overall row's worst samples with the two events each lies between, to look up in the trace. */
  private static void worst(Page page, String id, List<DeferralRow> rows, boolean latency) {
    DeferralRow all = rows.stream().filter(r -> r.key().equals(DeferralRow.ALL)).findFirst().orElse(null);
    if (all == null || all.worst().isEmpty()) return;
    page.para("Worst " + all.worst().size() + (latency ? " latencies" : " run times")
        + ", with the two events each lies between (every row's are in --format json and --csv-table worst):");
    HtmlTable t = HtmlTable.sortable(page.out(), id, Column.text("key"), Column.num(latency ? "latency" : "run time"),
        Column.num(latency ? "enqueued" : "started"), Column.num(latency ? "ran" : "ended"), Column.text("CPU"),
        Column.text(latency ? "enqueued by" : "started in"), Column.text(latency ? "ran in" : "ended in"),
        Column.text("at").help("input position of both events: file:line, or file@byte offset for trace.dat"),
        Column.text("meanwhile on its CPU").help("what ran on the CPU where it ran, from enqueue (or expiry) to"
            + " execution, largest parts first; all parts in --format json and --csv-table blame"));
    for (org.kreplay.analyze.DeferralSample s : all.worst()) {
      t.row(Cell.key(s.key()), time(s.latencyNs(), all.unit(), all.resolutionNs()),
          Cell.num(Units.timestamp(s.enqueue().timestampNs()), s.enqueue().timestampNs()),
          Cell.num(Units.timestamp(s.execute().timestampNs()), s.execute().timestampNs()),
          Cell.text(org.kreplay.report.render.WorstView.cpus(s)),
          Cell.mono(org.kreplay.report.render.WorstView.task(s.enqueue())),
          Cell.mono(org.kreplay.report.render.WorstView.task(s.execute())),
          Cell.mono(org.kreplay.report.render.WorstView.where(s)),
          Cell.text(org.kreplay.report.render.WorstView.blame(s)));
    }
    t.end();
  }

  /** A duration cell (or jiffies), sorted by its value. */
  static Cell time(long v, String unit) {
    return Cell.num(Units.value(v, unit), v);
  }

  /** A duration cell at the row's resolution. */
  static Cell time(long v, String unit, long resolutionNs) {
    return Cell.num(Units.value(v, unit, resolutionNs), v);
  }

  private static void charts(Page page, DeferralStats stats, Mechanism m, List<DeferralRow> rows) {
    DeferralRow all = stats.find(m, DeferralRow.Metric.LATENCY, DeferralRow.ALL);
    if (all == null || all.count() == 0) {
      page.note("No " + m.label() + " latency was measured (only unpaired enqueues or executions), so nothing is charted.");
      return;
    }
    Charts.Series allSeries = new Charts.Series(Distribution.of("all", all), Charts.PRIMARY);
    List<Charts.Series> keys = new ArrayList<>();
    for (DeferralRow r : rows) {
      if (keys.size() == CHARTED_KEYS) break;
      if (isAggregate(r.key()) || r.count() == 0 || !r.unit().equals(all.unit())) continue;
      keys.add(new Charts.Series(Distribution.of(r.key(), r), Charts.KEYS[keys.size()]));
    }
    List<Charts.Series> lines = new ArrayList<>(List.of(allSeries));
    lines.addAll(keys);
    String what = m.label() + " latency";
    String zero = lines.stream().anyMatch(s -> s.data().hasZero()) ? " 0 ns samples are drawn at 1 ns." : "";
    String keysDrawn = keys.isEmpty() ? "" : " and its " + keys.size() + " most frequent " + (keys.size() == 1 ? "key" : "keys");
    page.out().open("div", "class", "charts");
    page.figure(page.charts().histogram(what + ": histogram", Charts.Scale.COUNT, List.of(allSeries), keys),
        "Samples per bin: the 'all' row (" + Units.count(all.count()) + " samples) as bars" + keysDrawn
            + (keys.isEmpty() ? "" : " as outlines inside them") + "." + zero);
    page.figure(page.charts().cdf(what + ": CDF", lines),
        "Share of each row's samples at or below a time: the 'all' row" + keysDrawn + "." + zero);
    page.out().close("div").nl();
  }
}
