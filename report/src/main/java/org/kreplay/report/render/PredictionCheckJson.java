package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.whatif.PredictionCheck;

/** {@code "prediction"} in compare's JSON with --predicted-from: each mechanism predicted against the row measured after. */
final class PredictionCheckJson {
  private PredictionCheckJson() {}

  static void write(JsonGenerator g, PredictionCheck check, String from) throws IOException {
    g.writeObjectFieldStart("prediction");
    g.writeStringField("from", from);
    g.writeStringField("defer", check.prediction().what());
    g.writeNumberField("occurrences", check.prediction().occurrences());
    g.writeArrayFieldStart("rows");
    for (PredictionCheck.Row r : check.rows()) {
      g.writeStartObject();
      g.writeStringField("via", r.predicted().via().label());
      g.writeObjectFieldStart("predicted");
      WhatIfJson.stats(g, r.predicted().replayed());
      g.writeEndObject();
      DeferralRow m = r.measured();
      if (m != null) {
        g.writeObjectFieldStart("measured");
        g.writeStringField("mechanism", m.mechanism().label());
        g.writeStringField("key", m.key());
        WhatIfJson.stats(g, m.stats());
        g.writeEndObject();
        for (int p : new int[] {50, 90, 99}) {
          double e = r.error(p);
          if (!Double.isNaN(e)) g.writeNumberField("error_p" + p, e);
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
