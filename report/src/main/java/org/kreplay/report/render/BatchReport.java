package org.kreplay.report.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.analyze.AnalysisResult;

/**
 * The per-file side of a batch: one row per file (what it was, how much it held, how long it
 * took, or why it could not be read), beside the merged analysis rendered as usual.
 */
public final class BatchReport {
  /** Files listed in the text and Markdown reports; all of them are in JSON and CSV. */
  static final int TEXT_ROWS = 200;

  /** One file of the batch; {@code error} is null when it was read. */
  public record FileResult(String path, String format, long events, int findings, long skippedLines,
      long millis, String error) {}

  private BatchReport() {}

  public static String filesSection(List<FileResult> files, boolean markdown) {
    StringBuilder out = new StringBuilder(markdown ? "## kreplay batch\n\n### Files\n\n" : "Files\n");
    long unreadable = files.stream().filter(f -> f.error() != null).count();
    String summary = files.size() + " files, " + (files.size() - unreadable) + " analysed, " + unreadable
        + " unreadable; the analysis below merges the analysed ones in path order.";
    out.append(markdown ? summary + "\n\n" : "  " + summary + "\n");
    Table t = new Table("file", "format", "events", "findings", "skipped lines", "time", "problem");
    int shown = 0;
    for (FileResult f : files) {
      // Unreadable files are always listed: they are what a reader must act on.
      if (shown >= TEXT_ROWS && f.error() == null) continue;
      t.row(f.path(), f.format() == null ? "-" : f.format(), f.error() == null ? Units.count(f.events()) : "-",
          f.error() == null ? Units.count(f.findings()) : "-", f.error() == null ? Units.count(f.skippedLines()) : "-",
          Units.duration(f.millis() * 1_000_000), f.error() == null ? "" : f.error());
      shown++;
    }
    out.append(markdown ? t.markdown() + "\n" : t.text("  "));
    if (files.size() > shown) {
      String more = (files.size() - shown) + " more analysed files are listed in the JSON and CSV outputs.";
      out.append(markdown ? more + "\n\n" : "  " + more + "\n");
    }
    out.append('\n');
    return out.toString();
  }

  public static void csv(List<FileResult> files, Writer out) throws IOException {
    try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
        .setHeader("file", "status", "format", "events", "findings", "skipped_lines", "millis", "problem").get())) {
      for (FileResult f : files) {
        p.printRecord(f.path(), f.error() == null ? "ok" : "unreadable", f.format() == null ? "" : f.format(),
            f.events(), f.findings(), f.skippedLines(), f.millis(), f.error() == null ? "" : f.error());
      }
    }
  }

  /** {@code "kind": "batch"}: the files, then the merged analysis under {@code "result"} (as analyze's JSON). */
  public static void json(List<FileResult> files, AnalysisResult total, String toolVersion, OutputStream out)
      throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("schema_version", AnalysisJson.SCHEMA_VERSION);
      g.writeStringField("kind", "batch");
      g.writeObjectFieldStart("tool");
      g.writeStringField("name", "kreplay");
      g.writeStringField("version", toolVersion);
      g.writeEndObject();
      g.writeArrayFieldStart("files");
      for (FileResult f : files) {
        g.writeStartObject();
        g.writeStringField("path", f.path());
        g.writeStringField("status", f.error() == null ? "ok" : "unreadable");
        if (f.format() != null) g.writeStringField("format", f.format());
        if (f.error() == null) {
          g.writeNumberField("events", f.events());
          g.writeNumberField("findings", f.findings());
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
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }
}
