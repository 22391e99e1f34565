package org.kreplay.report.cli;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Blame;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.ReplayedState;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.report.render.Table;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.Units;

/**
 * One sample's interval as {@code explain} prints it: the events on the CPU where it ran, from the
 * start of its wait to its execution (and the event that queued it), each with the context and
 * held locks right after it, and the CPU's blame for the wait. At most {@code limit} events are
 * kept, the first and the last halves, so a long wait stays bounded in memory.
 */
final class ExplainedInterval implements TimelineListener {
  private final ExplainedSample sample;
  private final int limit;
  private final long from;
  private final List<String[]> head = new ArrayList<>();
  private final ArrayDeque<String[]> tail = new ArrayDeque<>();
  private long notShown;
  private long shown;
  private final String selection;
  private long notSelected;
  private boolean queuedSeen;
  private Blame blame;

  /** {@code selection}: the --pid/--comm/--event given, "" for none; events it leaves out are counted, not shown. */
  ExplainedInterval(ExplainedSample sample, int limit, String selection) {
    this.sample = sample;
    this.limit = limit;
    this.from = sample.waitStart();
    this.selection = selection;
  }

  @Override
  public void event(TraceEvent e, ReplayedState state) {
    long ts = e.timestamp();
    boolean queued = !queuedSeen && e.cpu() == sample.enqueueCpu() && ts == sample.enqueueTs();
    boolean inWait = e.cpu() == sample.executeCpu() && ts >= from && ts <= sample.executeTs();
    if (!queued && !inWait) return;
    if (queued) queuedSeen = true;
    boolean ran = e.cpu() == sample.executeCpu() && ts == sample.executeTs();
    if (ran && blame == null) blame = state.blame(from, sample.executeTs());
    if (e.contextOnly()) { // replayed for the context, not selected for printing
      notSelected++;
      return;
    }
    String body = e.body();
    String[] row = {seconds(ts), offset(ts), String.valueOf(e.cpu()), queued ? queuedWord() : ran ? "ran" : "",
        e.name() + (body == null || body.isEmpty() ? "" : ": " + body), state.context(),
        state.locksHeld().isEmpty() ? "" : String.join(", ", state.locksHeld())};
    keep(row);
  }

  private String queuedWord() {
    return sample.mechanism() == Mechanism.HRTIMER || sample.mechanism() == Mechanism.TIMER ? "started" : "queued";
  }

  private void keep(String[] row) {
    shown++;
    if (limit == 0 || head.size() < limit / 2) {
      head.add(row);
      return;
    }
    tail.addLast(row);
    if (tail.size() > limit - limit / 2) {
      tail.removeFirst();
      notShown++;
    }
  }

  private String offset(long ts) {
    long d = ts - from;
    return d == 0 ? "0" : (d > 0 ? "+" : "-") + Units.duration(Math.abs(d));
  }

  static String seconds(long ns) {
    BigDecimal s = BigDecimal.valueOf(ns, 9);
    return ns % 1000 == 0 ? s.setScale(6).toPlainString() : s.toPlainString();
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    Mechanism m = sample.mechanism();
    long wait = sample.executeTs() - from;
    sb.append(m.label()).append(' ').append(sample.key()).append(": ")
        .append(m == Mechanism.HRTIMER ? "ran " + Units.duration(wait) + " late" : "waited " + Units.duration(wait))
        .append(" on CPU ").append(sample.executeCpu()).append('\n');
    sb.append(String.format("  %-9s %s on CPU %d%n", queuedWord(), seconds(sample.enqueueTs()), sample.enqueueCpu()));
    if (m == Mechanism.HRTIMER) sb.append(String.format("  %-9s %s%n", "expired", seconds(from)));
    sb.append(String.format("  %-9s %s on CPU %d%n", "ran", seconds(sample.executeTs()), sample.executeCpu()));
    if (blame != null && !blame.isEmpty()) {
      sb.append("\n  meanwhile on CPU ").append(sample.executeCpu()).append(":\n");
      Table t = new Table("share>", "time>", "what ran");
      for (Blame.Share s : blame.shares()) {
        double pct = blame.percent(s);
        t.row(pct < 0.5 ? "<1%" : String.format(java.util.Locale.ROOT, "%.0f%%", pct), Units.duration(s.ns()), s.what());
      }
      sb.append(t.text("    "));
    }
    sb.append('\n');
    Table events = new Table("time", "since wait>", "CPU>", "", "event", "context after it", "locks held");
    head.forEach(events::row);
    if (notShown > 0) {
      events.row("…", "", "", "", notShown + " more events (--limit 0 shows all " + shown + ")", "", "");
    }
    tail.forEach(events::row);
    sb.append(events.text("  "));
    if (notSelected > 0) {
      sb.append("  ").append(Units.count(notSelected, "event", "events")).append(" left out by ").append(TerminalSafe.escape(selection))
          .append(" (the context column and the split count them)\n");
    }
    return sb.toString();
  }
}
