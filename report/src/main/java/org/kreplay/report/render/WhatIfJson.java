package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import org.kreplay.analyze.CatalogTypes.WaitStep;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.LatencyStats;
import org.kreplay.analyze.whatif.Prediction;
import org.kreplay.analyze.whatif.WhatIfResult;

/** {@code kreplay whatif} as JSON, {@code "kind": "whatif"}, schema version 1 (docs/json-schema.md). */
public final class WhatIfJson {
  private WhatIfJson() {}

  public static void write(WhatIfResult r, String input, String toolVersion, OutputStream out) throws IOException {
    JsonDocument.write(out, 1, "whatif", toolVersion, g -> {
      g.writeStringField("input", input);
      g.writeStringField("defer", r.what());
      g.writeStringField("rules", r.rt() ? "PREEMPT_RT" : "non-RT");
      g.writeStringField("found_as", r.foundAs());
      g.writeArrayFieldStart("finding_kinds");
      for (String k : r.findingKinds()) g.writeString(k);
      g.writeEndArray();
      g.writeNumberField("occurrences", r.occurrences());
      g.writeArrayFieldStart("cpus");
      for (int c : r.cpus()) g.writeNumber(c);
      g.writeEndArray();
      g.writeNumberField("span_ns", r.spanNs());
      g.writeNumberField("per_second", r.perSecond());
      g.writeArrayFieldStart("predictions");
      for (Prediction p : r.predictions()) prediction(g, p);
      g.writeEndArray();
      if (r.occurrences() > 0) g.writeStringField("trade_off", WhatIfText.tradeOff(r));
    });
  }

  private static void prediction(JsonGenerator g, Prediction p) throws IOException {
    g.writeStartObject();
    g.writeStringField("via", p.via().label());
    g.writeStringField("runs_in", p.runsIn().label());
    g.writeArrayFieldStart("steps");
    for (WaitStep s : p.steps()) g.writeString(s.toString());
    g.writeEndArray();
    g.writeObjectFieldStart("replayed");
    stats(g, p.replayed());
    g.writeEndObject();
    g.writeNumberField("modeled", p.modeled());
    g.writeNumberField("unresolved", p.unresolved());
    g.writeNumberField("runner_not_seen", p.notSeen());
    DeferralRow o = p.observed();
    if (o != null && o.stats().count() > 0) {
      g.writeObjectFieldStart("observed");
      g.writeStringField("mechanism", o.mechanism().label());
      stats(g, o.stats());
      g.writeEndObject();
    }
    g.writeObjectFieldStart("verdict");
    g.writeBooleanField("fixes", p.verdict().fixes());
    g.writeStringField("why", p.verdict().why());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** {@code count}, then with samples {@code p50_ns}, {@code p90_ns}, {@code p99_ns}, {@code max_ns}. */
  static void stats(JsonGenerator g, LatencyStats s) throws IOException {
    g.writeNumberField("count", s.count());
    if (s.count() == 0) return;
    g.writeNumberField("p50_ns", s.percentile(50));
    g.writeNumberField("p90_ns", s.percentile(90));
    g.writeNumberField("p99_ns", s.percentile(99));
    g.writeNumberField("max_ns", s.max());
  }
}
