package org.kreplay.report.render.html;

import java.awt.Color;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.LatencyStats;
import org.kreplay.analyze.whatif.Prediction;
import org.kreplay.analyze.whatif.WhatIfResult;
import org.kreplay.report.render.Units;
import org.kreplay.report.render.WhatIfText;
import org.kreplay.report.render.html.HtmlTable.Cell;
import org.kreplay.report.render.html.HtmlTable.Column;

/** {@code kreplay whatif -f html}: the occurrences, a row per mechanism, and their predicted CDFs overlaid. */
final class WhatIfPage {
  private WhatIfPage() {}

  static void write(WhatIfResult r, String input, String version, Writer out) {
    long fixing = r.predictions().stream().filter(p -> p.verdict().fixes()).count();
    List<Page.Badge> badges = List.of(new Page.Badge(Units.count(r.occurrences(), "occurrence", "occurrences"), ""),
        new Page.Badge(r.rt() ? "PREEMPT_RT rules" : "non-RT rules", ""),
        r.findingKinds().isEmpty() ? new Page.Badge("no findings to fix", "")
            : new Page.Badge(fixing + " of " + r.predictions().size() + " fix the findings", fixing > 0 ? "fixed" : "new"));
    Page page = Page.open(out, version, new Page.Head("kreplay whatif", "defer " + r.what() + " in " + input,
        List.of("trace: " + input), badges,
        List.of(new Page.NavLink("summary", "Summary"), new Page.NavLink("predictions", "Predictions"))));
    page.section("summary", "Summary");
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("defer", r.what());
    facts.put("found as", r.findingKinds().isEmpty() ? r.foundAs() : r.foundAs() + " (" + String.join(", ", r.findingKinds()) + ")");
    facts.put("occurrences", Units.count(r.occurrences()) + (r.cpus().isEmpty() ? "" : " on CPU" + (r.cpus().size() == 1 ? " " : "s ")
        + String.join(", ", r.cpus().stream().map(String::valueOf).toList())) + " over " + Units.duration(r.spanNs()));
    if (r.occurrences() > 0) facts.put("trade-off", WhatIfText.tradeOff(r));
    page.facts(facts);
    page.section("predictions", "Predictions");
    HtmlTable t = HtmlTable.sortable(page.out(), "predictions-table", Column.text("via"), Column.text("runs in"),
        Column.num("replayed"), Column.num("p50"), Column.num("p90"), Column.num("p99"), Column.num("max"),
        Column.num("not replayed"), Column.text("adds"), Column.text("followed"), Column.text("rules"));
    List<Charts.Series> series = new ArrayList<>();
    int color = 0;
    for (Prediction p : r.predictions()) {
      LatencyStats s = p.replayed();
      boolean any = s.count() > 0;
      t.row(Cell.mono(p.via().label()), Cell.label(p.runsIn().label()), Cell.count(s.count()), time(s, 50, any),
          time(s, 90, any), time(s, 99, any), any ? Cell.num(Units.duration(s.max()), s.max()) : Cell.dash(),
          Cell.count(p.unresolved() + p.notSeen()), Cell.text(WhatIfText.adds(p, r)), Cell.mono(WhatIfText.steps(p.steps())),
          p.verdict().fixes() ? Cell.badge(p.verdict().why(), "fixed") : Cell.badge(p.verdict().why(), "new"));
      if (any) series.add(new Charts.Series(distribution(p), colorOf(color++)));
    }
    t.end();
    if (!series.isEmpty()) {
      page.figure(page.charts().cdf("predicted latency, by mechanism", series),
          "The share of occurrences each mechanism would have run within a given time, replayed on the trace.");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("schema_version", 1);
    meta.put("kind", "whatif");
    meta.put("tool", Page.tool(version));
    meta.put("occurrences", r.occurrences());
    page.finish(meta);
  }

  private static Cell time(LatencyStats s, double p, boolean any) {
    if (!any) return Cell.dash();
    long v = s.percentile(p);
    return Cell.num(Units.duration(v), v);
  }

  private static Color colorOf(int i) {
    return i == 0 ? Charts.PRIMARY : Charts.KEYS[(i - 1) % Charts.KEYS.length];
  }

  private static Distribution distribution(Prediction p) {
    List<long[]> buckets = new ArrayList<>();
    p.replayed().forEachBucket((value, count) -> buckets.add(new long[] {value, count}));
    long[] v = new long[buckets.size()];
    long[] c = new long[buckets.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = buckets.get(i)[0];
      c[i] = buckets.get(i)[1];
    }
    return Distribution.of(p.via().label(), "ns", v, c);
  }
}
