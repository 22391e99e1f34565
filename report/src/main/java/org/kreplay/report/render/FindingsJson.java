package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;

/**
 * The {@code rules}, {@code findings} and {@code findings_dropped} fields of the JSON output
 * (additive to schema version 1, documented in docs/json-schema.md). Times are given exactly in ns and,
 * for reading, in seconds with six decimals as the text report prints them; an unknown time,
 * CPU or task is left out rather than given a sentinel value.
 */
final class FindingsJson {
  private FindingsJson() {}

  static void write(JsonGenerator g, AnalysisResult r) throws IOException {
    g.writeArrayFieldStart("rules");
    for (String rule : r.summary().rules()) g.writeString(rule);
    g.writeEndArray();
    g.writeNumberField("findings_dropped", r.findings().dropped());
    g.writeArrayFieldStart("findings");
    for (Finding f : FindingsView.ordered(r)) finding(g, f);
    g.writeEndArray();
  }

  private static void finding(JsonGenerator g, Finding f) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", f.kind().label());
    g.writeStringField("kernel_header", f.kind().kernelHeader());
    g.writeStringField("certainty", f.certainty().label());
    g.writeStringField("signature", f.signature());
    g.writeStringField("culprit", f.culprit());
    g.writeStringField("message", f.message());
    g.writeStringField("context", f.context());
    g.writeStringField("remedy", f.remedy());
    g.writeStringField("rules", f.rules());
    strings(g, "locks", f.locks());
    strings(g, "chain", f.chain());
    g.writeNumberField("count", f.count());
    time(g, "first_timestamp_ns", "first_s", f.firstTimestamp());
    time(g, "last_timestamp_ns", "last_s", f.lastTimestamp());
    strings(g, "sources", f.sources());
    g.writeArrayFieldStart("evidence");
    for (Evidence e : f.evidence()) evidence(g, e);
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void evidence(JsonGenerator g, Evidence e) throws IOException {
    g.writeStartObject();
    g.writeStringField("source", e.source());
    g.writeNumberField("line", e.line());
    time(g, "timestamp_ns", "timestamp_s", e.timestamp());
    if (e.cpu() >= 0) g.writeNumberField("cpu", e.cpu());
    if (!e.task().isEmpty()) g.writeStringField("task", e.task());
    g.writeStringField("what", e.what());
    g.writeEndObject();
  }

  /** A time in ns and in seconds (µs precision, as ftrace prints it); left out when unknown. */
  private static void time(JsonGenerator g, String nsField, String secondsField, long ns) throws IOException {
    if (ns < 0) return;
    g.writeNumberField(nsField, ns);
    g.writeFieldName(secondsField);
    g.writeNumber(BigDecimal.valueOf(ns / 1000, 6));
  }

  private static void strings(JsonGenerator g, String name, Iterable<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) g.writeString(v);
    g.writeEndArray();
  }
}
