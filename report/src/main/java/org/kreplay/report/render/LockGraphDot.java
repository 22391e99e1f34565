package org.kreplay.report.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.LockDependency;
import org.kreplay.analyze.LockType;

/**
 * lockdep's dependency graph as Graphviz DOT ({@code analyze --export lock-graph=FILE.dot}): a node
 * per class labelled with its type, an edge held → taken labelled with its dependency types, with
 * where it was first seen as its tooltip.
 * Render with {@code dot -Tsvg FILE.dot > graph.svg}.
 */
public final class LockGraphDot {
  private LockGraphDot() {}

  /** Writes the graph; returns how many edges it has. */
  public static int write(AnalysisResult r, Writer out) throws IOException {
    List<LockDependency> deps = Analyzer.lockDependencies(r);
    out.write("digraph lock_dependencies {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (Map.Entry<String, LockType> c : LockGraphJson.classes(deps).entrySet()) {
      out.write("  " + quote(c.getKey()) + " [label=" + quote(c.getKey() + "\n" + c.getValue().label()) + "];\n");
    }
    for (LockDependency d : deps) {
      String seen = d.firstSeen() == null ? "" : ", tooltip=" + quote("first seen " + d.firstSeen().source()
          + (d.firstSeen().line() > 0 ? ":" + d.firstSeen().line() : ""));
      out.write("  " + quote(d.held()) + " -> " + quote(d.taken()) + " [label=" + quote(String.join(",", d.kinds())) + seen + "];\n");
    }
    out.write("}\n");
    return deps.size();
  }

  /** A DOT string: quotes and backslashes escaped, control characters from the input shown as \\xNN. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
      else if (ch == '\n') sb.append("\\n");
      else if (ch < 0x20 || ch == 0x7f) sb.append(String.format("\\\\x%02x", (int) ch));
      else sb.append(ch);
    }
    return sb.append('"').toString();
  }
}
