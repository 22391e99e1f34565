package org.kreplay.report.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.Units;
import org.kreplay.report.timeline.TimelineExport;

/**
 * A replayed timeline being written to its file (Perfetto or Chrome JSON) while the trace is
 * analysed: made in a temporary file, put in place by {@link #finish} only once the analysis that
 * fed it has succeeded, so a failed run leaves no half-written timeline.
 */
final class TimelineFile implements AutoCloseable {
  private final Path output;
  private final OutputTarget target;
  private final BufferedOutputStream stream;
  private final TimelineExport export;

  private TimelineFile(Path output, OutputTarget target, TimelineExport.Format format) throws IOException {
    this.output = output;
    this.target = target;
    this.stream = new BufferedOutputStream(target.stream(), 1 << 16);
    this.export = TimelineExport.open(format, stream);
  }

  static TimelineFile open(Path output, TimelineExport.Format format) throws IOException {
    OutputTarget target = OutputTarget.open(output);
    try {
      return new TimelineFile(output, target, format);
    } catch (IOException | RuntimeException e) {
      target.close();
      throw e;
    }
  }

  /**
   * The format a file name asks for: Chrome JSON for {@code .json}, Perfetto for {@code .pftrace},
   * {@code .perfetto-trace} and {@code .pb}; any other name is a usage error that says which.
   */
  static TimelineExport.Format formatOf(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) return TimelineExport.Format.CHROME_JSON;
    if (name.endsWith(".pftrace") || name.endsWith(".perfetto-trace") || name.endsWith(".pb")) {
      return TimelineExport.Format.PERFETTO;
    }
    throw new KreplayCommand.UsageException("--export timeline=" + TerminalSafe.escape(file.toString())
        + ": name the file .pftrace, .perfetto-trace or .pb for Perfetto, or .json for Chrome JSON (the name picks the format)");
  }

  /** What the analysis tells as it replays the trace. */
  TimelineListener listener() {
    return export;
  }

  /** Ends the document and puts the file in place. */
  void finish() throws IOException {
    export.close();
    stream.flush();
    target.commit();
  }

  /** "N deferral arrows start further back than …", when the writer had to put some out of order, else null. */
  String outOfOrderNote() {
    if (export.outOfOrder() == 0) return null;
    return String.format("%,d deferral arrows start further back than the writer holds events; written out of"
        + " timestamp order (the viewers sort on import)", export.outOfOrder());
  }

  /** "wrote FILE: N slices and instants, M deferral arrows, K findings on C CPUs". */
  String summary(AnalysisResult result) {
    String where = output == null ? OutputTarget.STDOUT : TerminalSafe.escape(output.toString());
    return "wrote " + where + ": " + Units.count(export.slices(), "slice or instant", "slices and instants") + ", "
        + Units.count(export.flows(), "deferral arrow", "deferral arrows") + ", "
        + Units.count(result.findings().size(), "finding", "findings") + " on "
        + Units.count(result.summary().cpus().size(), "CPU", "CPUs");
  }

  @Override
  public void close() throws IOException {
    target.close();
  }
}
