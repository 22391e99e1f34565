package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.LockDependency;
import org.kreplay.analyze.LockType;

/**
 * lockdep's dependency graph as the replay built it ({@code analyze --export lock-graph=FILE.json}),
 * {@code "kind": "lock-graph"}: the classes with their types and the edges held → taken with their
 * dependency types and where each was first seen.
 */
public final class LockGraphJson {
  private LockGraphJson() {}

  /** Writes the graph; returns how many edges it has. */
  public static int write(AnalysisResult r, String toolVersion, OutputStream out) throws IOException {
    List<LockDependency> deps = Analyzer.lockDependencies(r);
    JsonDocument.write(out, 1, "lock-graph", toolVersion, g -> {
      g.writeArrayFieldStart("classes");
      for (Map.Entry<String, LockType> c : classes(deps).entrySet()) {
        g.writeStartObject();
        g.writeStringField("name", c.getKey());
        g.writeStringField("type", c.getValue().label());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("edges");
      for (LockDependency d : deps) edge(g, d);
      g.writeEndArray();
      g.writeNumberField("dropped_edges", Analyzer.droppedLockDependencies(r));
    });
    return deps.size();
  }

  /** Every class an edge names, with its type, by name. */
  static Map<String, LockType> classes(List<LockDependency> deps) {
    Map<String, LockType> classes = new TreeMap<>();
    for (LockDependency d : deps) {
      classes.put(d.held(), d.heldType());
      classes.put(d.taken(), d.takenType());
    }
    return classes;
  }

  static void edge(JsonGenerator g, LockDependency d) throws IOException {
    g.writeStartObject();
    g.writeStringField("held", d.held());
    g.writeStringField("taken", d.taken());
    g.writeArrayFieldStart("types");
    for (String k : d.kinds()) g.writeString(k);
    g.writeEndArray();
    Evidence e = d.firstSeen();
    if (e != null) {
      g.writeObjectFieldStart("first_seen");
      g.writeStringField("source", e.source());
      if (e.line() > 0) g.writeNumberField("line", e.line());
      if (e.timestamp() >= 0) g.writeNumberField("ts_ns", e.timestamp());
      if (e.cpu() >= 0) g.writeNumberField("cpu", e.cpu());
      if (!e.task().isEmpty()) g.writeStringField("task", e.task());
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
