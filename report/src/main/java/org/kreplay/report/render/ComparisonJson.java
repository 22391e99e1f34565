package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.Comparison.FindingChange;
import org.kreplay.analyze.Comparison.LatencyChange;
import org.kreplay.analyze.Comparison.ReportChange;
import org.kreplay.analyze.Comparison.Side;
import org.kreplay.analyze.Comparison.TailTest;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.SplatVerdict;

/**
 * A comparison as JSON, {@code "kind": "comparison"}, schema version {@value #SCHEMA_VERSION}
 * (docs/json-schema.md): the two sides, each finding's change, each deferral row side by side with its tests.
 * Values not computed (a test on too few samples) are left out rather than written as null.
 */
public final class ComparisonJson {
  public static final int SCHEMA_VERSION = 1;

  private ComparisonJson() {}

  public static void write(Comparison c, String toolVersion, OutputStream out) throws IOException {
    write(c, null, null, toolVersion, out);
  }

  /** With {@code check} (compare --predicted-from FILE), its rows as {@code "prediction"} at the end. */
  public static void write(Comparison c, org.kreplay.analyze.whatif.PredictionCheck check, String from, String toolVersion,
      OutputStream out) throws IOException {
    JsonDocument.write(out, SCHEMA_VERSION, "comparison", toolVersion, g -> {
      body(g, c);
      if (check != null) PredictionCheckJson.write(g, check, from);
    });
  }

  private static void body(JsonGenerator g, Comparison c) throws IOException {
      side(g, "before", c.before(), c.beforeLogs());
      side(g, "after", c.after(), c.afterLogs());
      g.writeArrayFieldStart("findings");
      for (FindingChange f : c.findings()) finding(g, f);
      g.writeEndArray();
      g.writeArrayFieldStart("kernel_reports");
      for (ReportChange r : c.reports()) report(g, r);
      g.writeEndArray();
      g.writeObjectFieldStart("thresholds");
      g.writeNumberField("alpha", Comparison.ALPHA);
      g.writeNumberField("negligible_effect", Comparison.NEGLIGIBLE_EFFECT);
      g.writeNumberField("min_samples", Comparison.MIN_SAMPLES);
      g.writeNumberField("max_samples", Comparison.MAX_SAMPLES);
      g.writeNumberField("tail_samples", Comparison.TAIL_SAMPLES);
      g.writeNumberField("tail_p999_samples", Comparison.TAIL_999_SAMPLES);
      g.writeEndObject();
      g.writeArrayFieldStart("latency");
      for (LatencyChange l : c.latencies()) latency(g, c, l);
      g.writeEndArray();
      g.writeObjectFieldStart("lock_dependencies");
      g.writeNumberField("before", c.lockDependencyCount(false));
      g.writeNumberField("after", c.lockDependencyCount(true));
      dependencies(g, "gone", c.lockDependencies(org.kreplay.analyze.Comparison.Change.FIXED));
      dependencies(g, "new", c.lockDependencies(org.kreplay.analyze.Comparison.Change.NEW));
      g.writeEndObject();
  }

  private static void dependencies(JsonGenerator g, String name, java.util.List<org.kreplay.analyze.LockDependency> list)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (org.kreplay.analyze.LockDependency d : list) LockGraphJson.edge(g, d);
    g.writeEndArray();
  }

  private static void side(JsonGenerator g, String name, AnalysisResult r, SplatResult logs) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeArrayFieldStart("sources");
    for (String s : r.summary().sources()) g.writeString(s);
    g.writeEndArray();
    g.writeArrayFieldStart("rules");
    for (String s : r.summary().rules()) g.writeString(s);
    g.writeEndArray();
    g.writeNumberField("events", r.input().events());
    AnalysisJson.selection(g, r.input());
    g.writeNumberField("findings", r.findings().size());
    g.writeArrayFieldStart("logs");
    for (String s : logs.logs()) g.writeString(s);
    g.writeEndArray();
    g.writeNumberField("kernel_reports", logs.reports());
    g.writeEndObject();
  }

  /** A kernel-report problem: the splat JSON's problem fields that identify it, and its counts. */
  private static void report(JsonGenerator g, ReportChange rc) throws IOException {
    SplatVerdict v = rc.bucket().verdict();
    g.writeStartObject();
    g.writeStringField("change", rc.change().label());
    g.writeStringField("kind", v.kind());
    g.writeStringField("signature", v.signature());
    g.writeStringField("culprit", v.culprit());
    g.writeArrayFieldStart("locks");
    for (String l : v.locks()) g.writeString(l);
    g.writeEndArray();
    g.writeNumberField("before_count", rc.beforeCount());
    g.writeNumberField("after_count", rc.afterCount());
    g.writeStringField("message", v.message());
    g.writeStringField("context", v.context());
    g.writeBooleanField("reproduced", v.reproduced());
    g.writeStringField("first_seen", rc.bucket().firstSeen());
    g.writeEndObject();
  }

  private static void finding(JsonGenerator g, FindingChange fc) throws IOException {
    Finding f = fc.finding();
    g.writeStartObject();
    g.writeStringField("change", fc.change().label());
    g.writeStringField("kind", f.kind().label());
    g.writeStringField("certainty", f.certainty().label());
    g.writeStringField("signature", f.signature());
    g.writeStringField("culprit", f.culprit());
    g.writeArrayFieldStart("locks");
    for (String l : f.locks()) g.writeString(l);
    g.writeEndArray();
    g.writeNumberField("before_count", fc.beforeCount());
    g.writeNumberField("after_count", fc.afterCount());
    g.writeStringField("message", f.message());
    g.writeStringField("context", f.context());
    g.writeEndObject();
  }

  private static void latency(JsonGenerator g, Comparison c, LatencyChange l) throws IOException {
    g.writeStartObject();
    g.writeStringField("mechanism", l.mechanism().label());
    g.writeStringField("metric", l.metric().label());
    g.writeStringField("key", l.key());
    g.writeStringField("class", l.classLabel());
    stats(g, "before", l.before());
    stats(g, "after", l.after());
    number(g, "mann_whitney_p", l.mannWhitneyP());
    number(g, "kolmogorov_smirnov_p", l.kolmogorovSmirnovP());
    number(g, "cliffs_delta", l.effect());
    if (l.before().count() > 0 && l.after().count() > 0 && l.before().p99() > 0) {
      g.writeNumberField("p99_shift", (l.after().p99() - l.before().p99()) / (double) l.before().p99());
    }
    number(g, "tail_p", l.tailP());
    g.writeArrayFieldStart("tail");
    for (TailTest t : l.tails()) {
      g.writeStartObject();
      g.writeStringField("percentile", t.percentile());
      g.writeNumberField("before_threshold_ns", t.beforeThresholdNs());
      g.writeNumberField("before_above_before_threshold", t.beforeAboveBefore());
      g.writeNumberField("after_above_before_threshold", t.afterAboveBefore());
      g.writeNumberField("slower_p", t.slowerP());
      g.writeNumberField("after_threshold_ns", t.afterThresholdNs());
      g.writeNumberField("before_above_after_threshold", t.beforeAboveAfter());
      g.writeNumberField("after_above_after_threshold", t.afterAboveAfter());
      g.writeNumberField("faster_p", t.fasterP());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("verdict", l.verdict().label());
    g.writeBooleanField("tail_disagrees", l.tailDisagrees());
    // each side's worst samples, as in analyze's JSON, to look the tail up in either trace
    AnalysisJson.worst(g, "before_worst", c.before().deferrals().find(l.mechanism(), l.metric(), l.key()));
    AnalysisJson.worst(g, "after_worst", c.after().deferrals().find(l.mechanism(), l.metric(), l.key()));
    // and what the CPUs did in each side's p99 tail: how the blame moved
    AnalysisJson.tailBlame(g, "before_tail_blame", c.before().deferrals().find(l.mechanism(), l.metric(), l.key()));
    AnalysisJson.tailBlame(g, "after_tail_blame", c.after().deferrals().find(l.mechanism(), l.metric(), l.key()));
    g.writeEndObject();
  }

  private static void stats(JsonGenerator g, String name, Side s) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("count", s.count());
    if (s.count() > 0) {
      g.writeNumberField("p50_ns", s.p50());
      g.writeNumberField("p90_ns", s.p90());
      g.writeNumberField("p99_ns", s.p99());
      g.writeNumberField("max_ns", s.max());
      g.writeNumberField("mean_ns", s.mean());
    }
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String field, double v) throws IOException {
    if (!Double.isNaN(v)) g.writeNumberField(field, v);
  }
}
