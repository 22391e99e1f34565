package org.kreplay.report.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code analyze --export KIND=FILE}: more files written from the same pass. */
final class ExportOption {
  static final String TIMELINE = "timeline";
  static final String LOCK_GRAPH = "lock-graph";

  @Option(names = "--export", paramLabel = "KIND=FILE",
      description = "Also write, from the same pass (repeatable): timeline=FILE, the replayed timeline as `convert`"
          + " writes it (FILE ending .pftrace, .perfetto-trace or .pb: Perfetto, for ui.perfetto.dev; .json: Chrome"
          + " JSON; one trace only); lock-graph=FILE, lockdep's dependency graph the replay built (.json, or .dot/.gv"
          + " for Graphviz). Each file is written whole or not at all.")
  java.util.List<String> raw = new java.util.ArrayList<>();

  /** The exports asked for, by kind; a usage error for a word that is not KIND=FILE or a kind given twice. */
  private Map<String, Path> exports() {
    Map<String, Path> exports = new LinkedHashMap<>();
    for (String r : raw) {
      int eq = r.indexOf('=');
      if (eq <= 0) throw new KreplayCommand.UsageException("--export " + r + ": write KIND=FILE, e.g. lock-graph=locks.dot");
      String kind = r.substring(0, eq).strip();
      String file = r.substring(eq + 1).strip();
      if (file.isEmpty()) throw new KreplayCommand.UsageException("--export " + kind + "=: needs a file name");
      if (exports.containsKey(kind)) throw new KreplayCommand.UsageException("--export " + kind + " is given twice");
      exports.put(kind, Path.of(file));
    }
    return exports;
  }

  /** The timeline's file, or null. */
  Path timeline() {
    return exports().get(TIMELINE);
  }

  /** The lock graph's file, or null. */
  Path lockGraph() {
    return exports().get(LOCK_GRAPH);
  }

  /** Whether the lock graph is asked for as DOT (.dot, .gv) rather than JSON (.json). */
  static boolean dot(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".dot") || name.endsWith(".gv")) return true;
    if (name.endsWith(".json")) return false;
    throw new KreplayCommand.UsageException("--export lock-graph=" + file
        + ": name the file .json for JSON, or .dot or .gv for Graphviz (the name picks the format)");
  }

  /** Fails before any trace is read when an export cannot be made from these inputs. */
  void validate(int traces, int logs, Path report) {
    Map<String, Path> exports = exports();
    for (String kind : exports.keySet()) {
      if (!kind.equals(TIMELINE) && !kind.equals(LOCK_GRAPH)) {
        throw new KreplayCommand.UsageException("--export " + kind + ": unknown; known: " + TIMELINE + ", " + LOCK_GRAPH);
      }
    }
    Map<Path, String> named = new java.util.HashMap<>(); // each file by the option that names it
    if (report != null) named.put(report.toAbsolutePath().normalize(), "--output");
    exports.forEach((kind, file) -> {
      String other = named.putIfAbsent(file.toAbsolutePath().normalize(), "--export " + kind);
      if (other != null) {
        throw new KreplayCommand.UsageException("--export " + kind + " and " + other + " name the same file: " + file);
      }
    });
    Path lockGraph = exports.get(LOCK_GRAPH);
    if (lockGraph != null) dot(lockGraph);
    Path timeline = exports.get(TIMELINE);
    if (timeline == null) return;
    TimelineFile.formatOf(timeline);
    if (traces != 1 || logs != 0) {
      throw new KreplayCommand.UsageException("--export timeline replays one trace; " + traces
          + (traces == 1 ? " trace" : " traces") + (logs == 0 ? "" : " and " + logs + (logs == 1 ? " kernel log" : " kernel logs"))
          + " given (`kreplay convert -f perfetto` makes one file per trace)");
    }
  }
}
