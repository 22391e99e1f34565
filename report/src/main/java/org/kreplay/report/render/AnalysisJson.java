package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.CpuTimes;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.TraceSummary;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;

/**
 * The analysis as JSON, schema version {@value #SCHEMA_VERSION} (documented in docs/json-schema.md). Field
 * names are stable; new fields may be added within a version, never renamed or removed.
 */
public final class AnalysisJson {
  public static final int SCHEMA_VERSION = 1;

  private AnalysisJson() {}

  public static void write(AnalysisResult r, String toolVersion, OutputStream out) throws IOException {
    JsonDocument.write(out, SCHEMA_VERSION, "analysis", toolVersion, g -> {
      fields(g, r);
    });
  }

  /** The analysis' fields, for embedding in another document (batch output). */
  public static void fields(JsonGenerator g, AnalysisResult r) throws IOException {
    summary(g, r.summary(), r.input());
    input(g, r.input());
    g.writeObjectFieldStart("events_by_name");
    for (Map.Entry<String, Long> e : r.summary().eventsByName().entrySet()) g.writeNumberField(e.getKey(), e.getValue());
    g.writeEndObject();
    g.writeArrayFieldStart("cpus");
    for (CpuTimes c : r.cpus().values()) cpu(g, c);
    g.writeEndArray();
    g.writeArrayFieldStart("deferrals");
    for (DeferralRow row : r.deferrals().rows()) deferral(g, row);
    g.writeEndArray();
    FindingsJson.write(g, r);
  }

  private static void summary(JsonGenerator g, TraceSummary s, InputStats in) throws IOException {
    g.writeObjectFieldStart("summary");
    strings(g, "sources", s.sources());
    strings(g, "formats", s.formats());
    strings(g, "flags_formats", s.flagsFormats());
    strings(g, "kernel", s.kernels());
    g.writeArrayFieldStart("cpus");
    for (int c : s.cpus()) g.writeNumber(c);
    g.writeEndArray();
    g.writeNumberField("events", s.events());
    selection(g, in);
    g.writeNumberField("duration_ns", s.durationNs());
    if (s.events() > 0) {
      g.writeNumberField("first_timestamp_ns", s.firstTimestamp());
      g.writeNumberField("last_timestamp_ns", s.lastTimestamp());
    }
    g.writeNumberField("hz", s.hz());
    g.writeNumberField("timestamp_resolution_ns", s.timestampResolutionNs());
    g.writeNumberField("lost_markers", s.lostMarkers());
    g.writeNumberField("lost_events", in.lostEvents());
    g.writeNumberField("lost_markers_without_count", in.lostEventsUnknownCount());
    g.writeNumberField("buffer_started_markers", s.bufferStartedMarkers());
    g.writeNumberField("overwritten_events", s.overwrittenEvents());
    g.writeNumberField("out_of_order_events", s.outOfOrder());
    g.writeNumberField("unmatched_exits", s.unmatchedExits());
    g.writeNumberField("context_repairs", s.contextRepairs());
    g.writeNumberField("untracked_enqueues", s.untracked());
    g.writeNumberField("held_lock_resets", s.heldLockResets());
    g.writeEndObject();
  }

  /**
   * {@code "selection": {"options": "--from 500", "selected": 0, "of": 73840, "of_is_lower_bound": false}},
   * present whenever --cpu/--from/--until was given.
   */
  static void selection(JsonGenerator g, InputStats in) throws IOException {
    if (in.selection() == null) return;
    g.writeObjectFieldStart("selection");
    g.writeStringField("options", in.selection());
    g.writeNumberField("selected", in.events());
    g.writeNumberField("of", in.eventsBeforeSelection());
    g.writeBooleanField("of_is_lower_bound", in.selectionNotRead());
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String name, Iterable<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) g.writeString(v);
    g.writeEndArray();
  }

  private static void input(JsonGenerator g, InputStats in) throws IOException {
    g.writeObjectFieldStart("input");
    g.writeNumberField("lines", in.lines());
    g.writeNumberField("events", in.events());
    g.writeNumberField("stack_frames", in.stackFrames());
    g.writeNumberField("header_lines", in.headerLines());
    g.writeNumberField("blank_lines", in.blankLines());
    g.writeNumberField("markers", in.markers());
    g.writeNumberField("filtered", in.filtered());
    g.writeNumberField("skipped", in.skippedTotal());
    g.writeObjectFieldStart("skipped_by_reason");
    for (Map.Entry<String, Long> e : in.skipped().entrySet()) g.writeNumberField(e.getKey(), e.getValue());
    g.writeEndObject();
    g.writeArrayFieldStart("problems");
    for (InputProblem p : in.examples()) {
      g.writeStartObject();
      g.writeStringField("source", p.source());
      g.writeNumberField(p.byteOffset() ? "byte_offset" : "line", p.line());
      g.writeStringField("reason", p.reason());
      g.writeStringField("excerpt", p.excerpt());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void cpu(JsonGenerator g, CpuTimes c) throws IOException {
    g.writeStartObject();
    g.writeNumberField("cpu", c.cpu());
    g.writeNumberField("span_ns", c.totalNs());
    for (Category cat : Category.values()) g.writeNumberField(cat.label() + "_ns", c.ns(cat));
    g.writeNumberField("irqs_off_ns", c.irqsOffNs());
    g.writeNumberField("irqs_known_ns", c.irqsKnownNs());
    g.writeNumberField("events", c.events());
    g.writeEndObject();
  }

  /** One end of a worst sample: timestamp, CPU, task, position ("where": file:line or file@offset). */
  private static void sampleEvent(JsonGenerator g, String name, org.kreplay.analyze.DeferralSample w,
      org.kreplay.analyze.DeferralSample.Event e) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("ts_ns", e.timestampNs());
    g.writeNumberField("cpu", e.cpu());
    g.writeNumberField("pid", e.pid());
    if (e.comm() != null) g.writeStringField("comm", e.comm());
    g.writeNumberField("position", e.position());
    g.writeStringField("where", w.where(e));
    g.writeEndObject();
  }

  private static void deferral(JsonGenerator g, DeferralRow row) throws IOException {
    g.writeStartObject();
    String[] v = AnalysisCsv.deferralValues(row);
    for (int i = 0; i < v.length; i++) {
      String name = AnalysisCsv.DEFERRAL_COLUMNS[i];
      if (AnalysisCsv.isNumeric(i)) g.writeNumberField(name, Long.parseLong(v[i]));
      else g.writeStringField(name, v[i]);
    }
    worst(g, "worst", row);
    tailBlame(g, "tail_blame", row);
    if (row.stages() != null) stages(g, row.stages());
    g.writeEndObject();
  }

  /** A chain row's segments: where its time went, in order. */
  private static void stages(JsonGenerator g, org.kreplay.analyze.ChainStages s) throws IOException {
    g.writeArrayFieldStart("stages");
    for (int i = 0; i < s.segments().size(); i++) {
      g.writeStartObject();
      g.writeStringField("segment", s.segments().get(i));
      g.writeNumberField("mean_ns", s.meanNs(i));
      g.writeNumberField("percent", Math.round(s.share(i) * 1000) / 10.0);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A row's p99-tail blame as an object field, or null (no row, no tail). */
  static void tailBlame(JsonGenerator g, String field, DeferralRow row) throws IOException {
    org.kreplay.analyze.TailBlame.Tail tail = row == null ? null : row.tailBlame();
    if (tail == null) {
      g.writeNullField(field);
      return;
    }
    g.writeObjectFieldStart(field);
    g.writeNumberField("from_ns", tail.fromNs());
    g.writeNumberField("samples", tail.samples());
    g.writeBooleanField("exact", tail.exact());
    blame(g, tail.blame());
    g.writeEndObject();
  }

  /** What the executing CPU did in the sample's interval, largest part first (empty when unknown). */
  private static void blame(JsonGenerator g, org.kreplay.analyze.Blame b) throws IOException {
    g.writeArrayFieldStart("blame");
    for (org.kreplay.analyze.Blame.Share part : b.shares()) {
      g.writeStartObject();
      g.writeStringField("what", part.what());
      g.writeNumberField("ns", part.ns());
      g.writeNumberField("percent", Math.round(b.percent(part) * 10) / 10.0);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A row's worst samples as an array field (empty for a missing row). */
  static void worst(JsonGenerator g, String field, DeferralRow row) throws IOException {
    g.writeArrayFieldStart(field);
    if (row == null) {
      g.writeEndArray();
      return;
    }
    for (org.kreplay.analyze.DeferralSample w : row.worst()) {
      g.writeStartObject();
      g.writeStringField("key", w.key());
      g.writeNumberField("latency_ns", w.latencyNs());
      g.writeStringField("source", w.source());
      g.writeStringField("position_kind", w.byteOffsets() ? "byte_offset" : "line");
      sampleEvent(g, "enqueue", w, w.enqueue());
      sampleEvent(g, "execute", w, w.execute());
      blame(g, w.blame());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
