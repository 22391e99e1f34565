package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.SplatVerdict;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Splat;

/**
 * Kernel reports as JSON ({@code "kind": "splats"}, schema version 1, docs/json-schema.md) and as a CSV table of
 * the distinct problems. Each problem carries its first report, structured.
 */
public final class SplatJson {
  private SplatJson() {}

  public static void write(SplatResult r, String toolVersion, OutputStream out) throws IOException {
    JsonDocument.write(out, 1, "splats", toolVersion, g -> {
      fields(g, r);
    });
  }

  /** The result's fields, from "logs" to "problems", into the current object (batch nests them). */
  public static void fields(JsonGenerator g, SplatResult r) throws IOException {
    g.writeArrayFieldStart("logs");
    for (String l : r.logs()) g.writeString(l);
    g.writeEndArray();
    g.writeNumberField("reports", r.reports());
    g.writeNumberField("reproduced", r.reproduced());
    g.writeNumberField("truncated", r.truncated());
    g.writeNumberField("corrupted", r.corrupted());
    g.writeNumberField("dropped", r.dropped());
    g.writeObjectFieldStart("reports_by_kind");
    for (Map.Entry<String, Long> e : r.reportsByKind().entrySet()) g.writeNumberField(e.getKey(), e.getValue());
    g.writeEndObject();
    g.writeObjectFieldStart("input");
    g.writeNumberField("lines", r.input().lines());
    g.writeNumberField("report_lines", r.input().reportLines());
    g.writeNumberField("frames", r.input().stackFrames());
    g.writeNumberField("log_lines", r.input().logLines());
    g.writeNumberField("kernel_lines", r.input().kernelLines());
    g.writeNumberField("skipped", r.input().skippedTotal());
    g.writeEndObject();
    g.writeArrayFieldStart("problems");
    for (SplatBucket b : r.buckets()) bucket(g, b);
    g.writeEndArray();
  }

  private static void bucket(JsonGenerator g, SplatBucket b) throws IOException {
    SplatVerdict v = b.verdict();
    g.writeStartObject();
    g.writeStringField("signature", v.signature());
    g.writeStringField("kind", v.kind());
    g.writeStringField("culprit", v.culprit());
    // syzkaller's reading: its title (syzbot's bucket), type, corrupted verdict and blamed frame
    g.writeStringField("syz_title", v.syzTitle());
    if (v.syzkaller() != null) {
      strings(g, "syz_alt_titles", v.syzkaller().altTitles());
      g.writeStringField("syz_type", v.syzkaller().type());
      g.writeBooleanField("syz_corrupted", v.syzkaller().corrupted());
      if (v.syzkaller().corrupted()) g.writeStringField("syz_corrupted_reason", v.syzkaller().corruptedReason());
    }
    g.writeStringField("frame", v.frame());
    if (v.blame() != null) g.writeStringField("culprit_differs", v.blame());
    strings(g, "chain", v.chain());
    g.writeStringField("context", v.context());
    strings(g, "locks", v.locks());
    g.writeStringField("message", v.message());
    g.writeStringField("remedy", v.remedy());
    g.writeStringField("rules", v.rules());
    g.writeBooleanField("reproduced", v.reproduced());
    strings(g, "model_kinds", v.modelKinds());
    g.writeNumberField("count", b.count());
    g.writeStringField("first_seen", b.firstSeen());
    g.writeStringField("last_seen", b.lastSeen());
    if (b.firstTimestamp() >= 0) g.writeNumberField("first_timestamp_s", b.firstTimestamp());
    if (b.lastTimestamp() >= 0) g.writeNumberField("last_timestamp_s", b.lastTimestamp());
    strings(g, "logs", b.sources());
    g.writeNumberField("more_logs", b.moreSources());
    g.writeNumberField("truncated", b.truncated());
    g.writeObjectFieldStart("example");
    report(g, v.splat());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void report(JsonGenerator g, Splat s) throws IOException {
    g.writeStringField("kind", s.kind().label());
    g.writeStringField("header", s.header());
    g.writeStringField("source", s.where().source());
    g.writeNumberField("first_line", s.where().firstLine());
    g.writeNumberField("last_line", s.where().lastLine());
    if (s.where().timestamp() >= 0) g.writeNumberField("timestamp_s", s.where().timestamp());
    if (s.task().cpu() >= 0) g.writeNumberField("cpu", s.task().cpu());
    if (s.task().pid() >= 0) g.writeNumberField("pid", s.task().pid());
    if (s.task().comm() != null) g.writeStringField("comm", s.task().comm());
    if (s.task().callerTag() != null) g.writeStringField("caller", s.task().callerTag());
    if (s.kernel().release() != null) g.writeStringField("kernel", s.kernel().release());
    if (s.kernel().taint() != null) g.writeStringField("taint", s.kernel().taint());
    if (s.kernel().hardware() != null) g.writeStringField("hardware", s.kernel().hardware());
    g.writeObjectFieldStart("facts");
    for (Map.Entry<String, String> e : s.facts().entrySet()) g.writeStringField(e.getKey(), e.getValue());
    g.writeEndObject();
    if (s.atomic().preemptCount() >= 0) {
      g.writeObjectFieldStart("preempt_count");
      g.writeNumberField("raw", s.atomic().preemptCount());
      g.writeNumberField("preempt", s.atomic().decodedPreemptCount().preempt());
      g.writeNumberField("softirq", s.atomic().decodedPreemptCount().softirq());
      g.writeNumberField("hardirq", s.atomic().decodedPreemptCount().hardirq());
      g.writeNumberField("nmi", s.atomic().decodedPreemptCount().nmi());
      g.writeEndObject();
    }
    if (s.atomic().inAtomic() != null) g.writeBooleanField("in_atomic", s.atomic().inAtomic());
    if (s.atomic().irqsDisabled() != null) g.writeBooleanField("irqs_disabled", s.atomic().irqsDisabled());
    if (s.atomic().rcuNestDepth() >= 0) g.writeNumberField("rcu_nest_depth", s.atomic().rcuNestDepth());
    if (s.atomic().preemptionDisabledAt() != null) g.writeStringField("preemption_disabled_at", s.atomic().preemptionDisabledAt());
    lock(g, "acquiring", s.lockdep().acquiring());
    lock(g, "holding", s.lockdep().holding());
    lock(g, "lock", s.lockdep().lock());
    if (s.lockdep().usageTransition() != null) g.writeStringField("usage_transition", s.lockdep().usageTransition());
    g.writeArrayFieldStart("held_locks");
    for (LockLine l : s.lockdep().heldLocks()) lockObject(g, l);
    g.writeEndArray();
    g.writeArrayFieldStart("chain");
    for (ChainLink c : s.lockdep().chain()) {
      g.writeStartObject();
      g.writeNumberField("n", c.n());
      lock(g, "lock", c.lock());
      g.writeNumberField("frames", c.frames().size());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("frames");
    for (Frame f : s.stacks().frames()) {
      g.writeStartObject();
      g.writeStringField("function", f.function());
      if (f.offset() >= 0) g.writeNumberField("offset", f.offset());
      if (f.size() >= 0) g.writeNumberField("size", f.size());
      if (f.module() != null) g.writeStringField("module", f.module());
      if (f.unreliable()) g.writeBooleanField("unreliable", true);
      g.writeStringField("section", f.section().name().toLowerCase(java.util.Locale.ROOT));
      g.writeBooleanField("section_marked", f.sectionMarked());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeBooleanField("truncated", s.damage().truncated());
    g.writeBooleanField("corrupted", s.damage().corrupted());
    strings(g, "problems", s.damage().problems());
  }

  private static void lock(JsonGenerator g, String field, LockLine l) throws IOException {
    if (l == null) return;
    g.writeFieldName(field);
    lockObject(g, l);
  }

  private static void lockObject(JsonGenerator g, LockLine l) throws IOException {
    g.writeStartObject();
    g.writeStringField("class", l.className());
    if (l.usage() != null) g.writeStringField("usage", l.usage());
    if (l.outerWait() >= 0) g.writeNumberField("outer_wait", l.outerWait());
    if (l.innerWait() >= 0) g.writeNumberField("inner_wait", l.innerWait());
    if (l.atFunction() != null) g.writeStringField("at", l.atFunction());
    if (l.index() >= 0) g.writeNumberField("index", l.index());
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String name, Iterable<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) g.writeString(v);
    g.writeEndArray();
  }

  /** One row per distinct problem. */
  public static void csv(SplatResult r, Writer out) throws IOException {
    try (CSVPrinter p = CsvOut.printer(out, "kind",
        "signature", "culprit", "count", "first_seen", "last_seen", "context", "locks", "reproduced", "message",
        "logs", "syz_title", "frame")) {
      for (SplatBucket b : r.buckets()) {
        SplatVerdict v = b.verdict();
        p.printRecord(v.kind(), v.signature(), v.culprit(), b.count(), b.firstSeen(), b.lastSeen(), v.context(),
            String.join(";", v.locks()), v.reproduced(), v.message(), String.join(";", b.sources()),
            v.syzTitle() == null ? "" : v.syzTitle(), v.frame() == null ? "" : v.frame());
      }
    }
  }
}
