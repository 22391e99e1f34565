package org.kreplay.report.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code analyze --export KIND=FILE}: more files written from the same pass over the trace. */
final class ExportOption {
  /** What can be exported beside the report. */
  enum Kind { timeline }

  @Option(names = "--export", paramLabel = "KIND=FILE",
      description = "Also write, from the same pass: timeline=FILE, the replayed timeline as `convert` writes it"
          + " (FILE ending .pftrace, .perfetto-trace or .pb: Perfetto, for ui.perfetto.dev; .json: Chrome JSON)."
          + " One trace only; the file is written whole or not at all.")
  Map<Kind, Path> exports = new EnumMap<>(Kind.class);

  /** The timeline's file, or null. */
  Path timeline() {
    return exports.get(Kind.timeline);
  }

  /** Fails before any trace is read when an export cannot be made from these inputs. */
  void validate(int traces, int logs, Path report) {
    Path timeline = timeline();
    if (timeline == null) return;
    TimelineFile.formatOf(timeline);
    if (traces != 1 || logs != 0) {
      throw new KreplayCommand.UsageException("--export timeline replays one trace; " + traces
          + (traces == 1 ? " trace" : " traces") + (logs == 0 ? "" : " and " + logs + (logs == 1 ? " kernel log" : " kernel logs"))
          + " given (`kreplay convert -f perfetto` makes one file per trace)");
    }
    if (report != null && report.toAbsolutePath().normalize().equals(timeline.toAbsolutePath().normalize())) {
      throw new KreplayCommand.UsageException("--export timeline and --output name the same file: " + report);
    }
  }
}
