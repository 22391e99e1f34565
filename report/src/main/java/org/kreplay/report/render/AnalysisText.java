package org.kreplay.report.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.CpuTimes;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.TraceSummary;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;

/**
 * The analysis as a terminal report or as Markdown: the same sections (trace summary, findings,
 * input accounting, context time per CPU, deferral latency), rendered by {@link Table}. Findings
 * come right after the trace summary: problems first.
 */
public final class AnalysisText {
  /** Events-by-name rows shown in the text report (all of them are in JSON). */
  static final int TOP_EVENTS = 20;

  private final AnalysisResult r;
  private final boolean markdown;
  private final StringBuilder out = new StringBuilder();

  private AnalysisText(AnalysisResult r, boolean markdown) {
    this.r = r;
    this.markdown = markdown;
  }

  public static String text(AnalysisResult r) {
    return new AnalysisText(r, false).render();
  }

  public static String markdown(AnalysisResult r) {
    return new AnalysisText(r, true).render();
  }

  private void heading(String title) {
    if (out.length() > 0) out.append('\n');
    out.append(markdown ? "### " + title + "\n\n" : title + "\n");
  }

  private void table(Table t) {
    out.append(markdown ? t.markdown() : t.text("  "));
  }

  private void para(String s) {
    out.append(markdown ? s + "\n\n" : "  " + s + "\n");
  }

  private String render() {
    TraceSummary s = r.summary();
    InputStats in = r.input();
    if (markdown) out.append("## kreplay analysis\n\n");
    heading("Trace");
    Table t = new Table("", "");
    t.row("inputs", String.join(", ", s.sources()));
    t.row("format", String.join(", ", s.formats()));
    t.row("flags column", String.join("; ", s.flagsFormats()));
    if (!s.kernels().isEmpty()) t.row("kernel", String.join("; ", s.kernels()));
    t.row("CPUs", s.cpus().size() + " " + s.cpus());
    t.row("duration", Units.duration(s.durationNs())
        + (s.sources().size() == 1 && s.events() > 0
            ? " (" + Units.timestamp(s.firstTimestamp()) + " to " + Units.timestamp(s.lastTimestamp()) + ")" : ""));
    t.row("events", Units.count(s.events()));
    if (SelectionText.of(in) != null) t.row("selected", SelectionText.of(in));
    t.row("HZ", s.hz() > 0 ? Integer.toString(s.hz()) : "unknown (timer-wheel lateness in jiffies)");
    t.row("timestamps", resolutionText(s));
    t.row("lost events", lostText(s, in));
    if (s.outOfOrder() > 0) t.row("out of order", Units.count(s.outOfOrder()) + " events earlier than the one before");
    if (s.contextRepairs() > 0 || s.unmatchedExits() > 0) {
      t.row("context", Units.count(s.unmatchedExits()) + " exits without entry, "
          + Units.count(s.contextRepairs()) + " missed exits corrected from flags");
    }
    if (s.untracked() > 0) t.row("untracked", Units.count(s.untracked()) + " enqueues (pending table full)");
    table(t);

    heading("Findings");
    out.append(FindingsText.render(r, markdown).stripTrailing()).append('\n');

    heading("Input lines");
    Table lines = new Table("lines>", "events>", "stack frames>", "header>", "blank>", "markers>", "filtered>", "skipped>");
    lines.row(Units.count(in.lines()), Units.count(in.events()), Units.count(in.stackFrames()),
        Units.count(in.headerLines()), Units.count(in.blankLines()), Units.count(in.markers()),
        Units.count(in.filtered()), Units.count(in.skippedTotal()));
    table(lines);
    if (in.skippedTotal() > 0) {
      Table reasons = new Table("skipped because", "lines>");
      in.skipped().forEach((k, v) -> reasons.row(k, Units.count(v)));
      table(reasons);
      Table ex = new Table("where", "reason", "text");
      for (InputProblem p : in.examples()) ex.row(p.location(), p.reason(), p.excerpt());
      table(ex);
    }

    heading("Events by name");
    List<Map.Entry<String, Long>> names = new ArrayList<>(s.eventsByName().entrySet());
    names.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    Table ev = new Table("event", "count>");
    for (int i = 0; i < names.size() && i < TOP_EVENTS; i++) {
      ev.row(names.get(i).getKey(), Units.count(names.get(i).getValue()));
    }
    table(ev);
    if (names.size() > TOP_EVENTS) para(Units.count(names.size() - TOP_EVENTS) + " more event names in the JSON output.");

    heading("Context time per CPU");
    Table cpus = new Table("CPU>", "span>", "task>", "idle>", "softirq>", "hardirq>", "nmi>", "unknown>", "irqs off>");
    for (CpuTimes c : r.cpus().values()) {
      long total = c.totalNs();
      cpus.row(Integer.toString(c.cpu()), Units.duration(total),
          Units.percent(c.ns(Category.TASK), total), Units.percent(c.ns(Category.IDLE), total),
          Units.percent(c.ns(Category.SOFTIRQ), total), Units.percent(c.ns(Category.HARDIRQ), total),
          Units.percent(c.ns(Category.NMI), total), Units.percent(c.ns(Category.UNKNOWN), total),
          c.irqsKnownNs() == 0 ? "unknown" : Units.percent(c.irqsOffNs(), c.irqsKnownNs()));
    }
    table(cpus);

    deferralSection("Deferral latency (enqueue to execution; timers: lateness past expiry)", DeferralRow.Metric.LATENCY);
    deferralSection("Run time (execution start to end)", DeferralRow.Metric.RUNTIME);
    return out.toString();
  }

  /** How fine the timestamps are, and what that means for the latencies shown. */
  public static String resolutionText(TraceSummary s) {
    long res = s.timestampResolutionNs();
    if (res <= 1) return "ns resolution";
    return Units.resolution(res) + " resolution: latencies between timestamps are shown to 1" + Units.resolution(res)
        + " (hrtimer lateness comes from ns fields)";
  }

  /** "none", or how many events were lost in how many gaps, buffers started late, overwritten. */
  public static String lostText(TraceSummary s, InputStats in) {
    if (s.lostMarkers() == 0 && s.bufferStartedMarkers() == 0 && s.overwrittenEvents() == 0) return "none";
    StringBuilder sb = new StringBuilder();
    sb.append(Units.count(in.lostEvents())).append(" in ").append(s.lostMarkers()).append(" gaps");
    if (in.lostEventsUnknownCount() > 0) sb.append(" (+").append(in.lostEventsUnknownCount()).append(" gaps of unknown size)");
    if (s.bufferStartedMarkers() > 0) sb.append(", ").append(s.bufferStartedMarkers()).append(" CPU buffers started late");
    if (s.overwrittenEvents() > 0) sb.append(", ").append(Units.count(s.overwrittenEvents())).append(" overwritten before reading");
    return sb.toString();
  }

  private void deferralSection(String title, DeferralRow.Metric metric) {
    List<DeferralRow> rows = new ArrayList<>();
    for (DeferralRow row : r.deferrals().rows()) if (row.metric() == metric) rows.add(row);
    heading(title);
    if (rows.isEmpty()) {
      para("none: the trace has no events to pair for this.");
      return;
    }
    boolean latency = metric == DeferralRow.Metric.LATENCY;
    // Wakeups of a task still on a CPU are counted apart; the column shows when there are any.
    boolean running = latency && rows.stream().anyMatch(row -> row.alreadyRunning() > 0);
    Table t = latency && running
        ? new Table("mechanism", "key", "class", "count>", "min>", "p50>", "p90>", "p99>", "p99.9>", "max>", "mean>",
            "unmatched enqueue>", "unmatched execute>", "across gap>", "already running>")
        : latency
        ? new Table("mechanism", "key", "class", "count>", "min>", "p50>", "p90>", "p99>", "p99.9>", "max>", "mean>",
            "unmatched enqueue>", "unmatched execute>", "across gap>")
        : new Table("mechanism", "key", "count>", "min>", "p50>", "p90>", "p99>", "p99.9>", "max>", "mean>");
    for (DeferralRow row : rows) {
      String u = row.unit();
      List<String> c = new ArrayList<>();
      c.add(row.mechanism().label());
      c.add(row.key());
      if (latency) c.add(row.classLabel());
      c.add(Units.count(row.count()));
      if (row.count() == 0) {
        for (int i = 0; i < 7; i++) c.add("-");
      } else {
        long res = row.resolutionNs();
        c.add(Units.value(row.minNs(), u, res));
        c.add(Units.value(row.percentileNs(50), u, res));
        c.add(Units.value(row.percentileNs(90), u, res));
        c.add(Units.value(row.percentileNs(99), u, res));
        c.add(Units.value(row.percentileNs(99.9), u, res));
        c.add(Units.value(row.maxNs(), u, res));
        c.add(Units.value(row.meanNs(), u));
      }
      if (latency) {
        c.add(Units.count(row.unmatchedEnqueue()));
        c.add(Units.count(row.unmatchedExecute()));
        c.add(Units.count(row.acrossGap()));
        if (running) c.add(Units.count(row.alreadyRunning()));
      }
      t.row(c.toArray(new String[0]));
    }
    table(t);
    Table worst = WorstView.table(WorstView.overallRows(r.deferrals(), metric), latency);
    if (worst != null) {
      if (!markdown) out.append('\n');
      para("Worst samples of each mechanism, with the two events each lies between (every row's are in --format json"
          + " and --csv-table worst):");
      table(worst);
    }
    Table tail = WorstView.tailTable(r.deferrals(), metric);
    if (tail != null) {
      if (!markdown) out.append('\n');
      para("The tail of each mechanism, the samples above its p99, and what their CPUs did while they "
          + (latency ? "waited" : "ran") + " (every row's in --format json):");
      table(tail);
    }
    Table chains = latency ? ChainView.table(r.deferrals()) : null;
    if (chains != null) {
      if (!markdown) out.append('\n');
      para("Deferrals handed on (a stage's callback queued the next), from the first stage's enqueue (a timer's: when"
          + " it was due) to the last one's execution, and where the time went: each stage's wait, and the time in the"
          + " callback that handed it on:");
      table(chains);
    }
  }
}
