package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.SplatResult;

/**
 * The per-file side of a batch: one row per file (what it was, how much it held, how long it
 * took, or why it could not be read), beside the merged analysis rendered as usual.
 */
public final class BatchReport {
  /** Files listed in the text and Markdown reports; all of them are in JSON and CSV. */
  static final int TEXT_ROWS = 200;

  /**
   * One file of the batch; {@code error} is null when it was read. A trace has events and findings;
   * a kernel log has reports, grouped into {@code findings} distinct problems.
   */
  public record FileResult(String path, String format, long events, int findings, long reports, long skippedLines,
      long millis, String error) {}

  /** The format label of kernel logs in the file table. */
  public static final String KERNEL_LOG = "kernel log";

  private BatchReport() {}

  static boolean anyLog(List<FileResult> files) {
    return files.stream().anyMatch(f -> KERNEL_LOG.equals(f.format()));
  }

  public static String filesSection(List<FileResult> files, boolean markdown) {
    StringBuilder out = new StringBuilder(markdown ? "## kreplay batch\n\n### Files\n\n" : "Files\n");
    long unreadable = files.stream().filter(f -> f.error() != null).count();
    String summary = Units.count(files.size(), "file", "files") + ", " + Units.count(files.size() - unreadable)
        + " analysed, " + Units.count(unreadable) + " unreadable; the analysis below merges the analysed ones in path order.";
    out.append(markdown ? summary + "\n\n" : "  " + summary + "\n");
    boolean logs = anyLog(files);
    Table t = logs ? new Table("file", "format", "events", "findings", "reports", "skipped lines", "time", "problem")
        : new Table("file", "format", "events", "findings", "skipped lines", "time", "problem");
    int shown = 0;
    for (FileResult f : files) {
      // Unreadable files are always listed: they are what a reader must act on.
      if (shown >= TEXT_ROWS && f.error() == null) continue;
      boolean ok = f.error() == null;
      boolean log = KERNEL_LOG.equals(f.format());
      List<String> cells = new java.util.ArrayList<>(List.of(f.path(), f.format() == null ? "-" : f.format(),
          ok && !log ? Units.count(f.events()) : "-", ok ? Units.count(f.findings()) : "-"));
      if (logs) cells.add(ok && log ? Units.count(f.reports()) : "-");
      cells.addAll(List.of(ok ? Units.count(f.skippedLines()) : "-", f.millis() == 0 ? "<1ms" : Units.duration(f.millis() * 1_000_000),
          ok ? "" : f.error()));
      t.row(cells.toArray(new String[0]));
      shown++;
    }
    out.append(markdown ? t.markdown() + "\n" : t.text("  "));
    if (files.size() > shown) {
      String more = Units.count(files.size() - shown, "more analysed file is", "more analysed files are")
          + " listed in the JSON and CSV outputs.";
      out.append(markdown ? more + "\n\n" : "  " + more + "\n");
    }
    out.append('\n');
    return out.toString();
  }

  public static void csv(List<FileResult> files, AnalysisResult total, Writer out) throws IOException {
    AnalysisCsv.selectionComment(total.input(), out);
    try (CSVPrinter p = CsvOut.printer(out, "file", "status", "format", "events", "findings", "kernel_reports", "skipped_lines", "millis",
            "problem")) {
      for (FileResult f : files) {
        p.printRecord(f.path(), f.error() == null ? "ok" : "unreadable", f.format() == null ? "" : f.format(),
            f.events(), f.findings(), f.reports(), f.skippedLines(), f.millis(), f.error() == null ? "" : f.error());
      }
    }
  }

  /**
   * {@code "kind": "batch"}: the files, the merged analysis of the traces under {@code "result"} (as
   * analyze's JSON), and the kernel logs' reports under {@code "kernel_reports"} (as splat's JSON).
   */
  public static void json(List<FileResult> files, AnalysisResult total, SplatResult reports, String toolVersion,
      OutputStream out) throws IOException {
    JsonDocument.write(out, AnalysisJson.SCHEMA_VERSION, "batch", toolVersion, g -> {
      g.writeArrayFieldStart("files");
      for (FileResult f : files) {
        g.writeStartObject();
        g.writeStringField("path", f.path());
        g.writeStringField("status", f.error() == null ? "ok" : "unreadable");
        if (f.format() != null) g.writeStringField("format", f.format());
        if (f.error() == null) {
          g.writeNumberField("events", f.events());
          g.writeNumberField("findings", f.findings());
          if (KERNEL_LOG.equals(f.format())) g.writeNumberField("kernel_reports", f.reports());
          g.writeNumberField("skipped_lines", f.skippedLines());
        } else {
          g.writeStringField("problem", f.error());
        }
        g.writeNumberField("millis", f.millis());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("result");
      AnalysisJson.fields(g, total);
      g.writeEndObject();
      g.writeObjectFieldStart("kernel_reports");
      SplatJson.fields(g, reports);
      g.writeEndObject();
    });
  }
}
