package org.kreplay.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.TraceReader;

/** Reads kreplay's canonical CSV (see {@link CanonicalColumns}) with Apache Commons CSV. */
public final class CanonicalCsvReader implements TraceReader {
  /** First line of every canonical CSV file. */
  public static final String MAGIC = "# kreplay-events";

  static final CSVFormat FORMAT =
      CSVFormat.DEFAULT.builder().setCommentMarker('#').setRecordSeparator('\n').get();

  private final String source;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final ReadOptions options;
  private final TraceInfo info;
  private final ResolutionProbe resolution = new ResolutionProbe();
  private final InputStats stats = new InputStats();
  private final Symbols symbols = new Symbols();
  private final BodyDecoder decoder = new BodyDecoder(symbols);
  private final TraceEvent event = new TraceEvent();
  private final String[] values = new String[CanonicalColumns.NAMES.length];
  private final int[] columnIndex = new int[CanonicalColumns.NAMES.length];
  private long lastLine;

  public CanonicalCsvReader(String source, InputStream in, ReadOptions options, TraceInfo info)
      throws IOException {
    this.source = source;
    this.options = options;
    this.info = info;
    info.setFlagsFormat("canonical: per-column, empty = unknown");
    this.parser = CSVParser.builder()
        .setReader(new InputStreamReader(in, StandardCharsets.UTF_8))
        .setFormat(FORMAT.builder().setHeader().setSkipHeaderRecord(true).get())
        .get();
    checkHeader();
    this.records = parser.iterator();
  }

  private void checkHeader() throws IOException {
    String comment = parser.getHeaderComment();
    if (comment == null || !comment.startsWith(MAGIC.substring(2))) {
      // "ts_ns," without the magic comment is accepted: hand-made files often lack it.
      if (comment != null) stats.countLine();
    } else {
      int v = comment.indexOf("schema_version=");
      if (v >= 0) {
        String ver = comment.substring(v + 15).strip();
        if (!ver.equals(Integer.toString(CanonicalColumns.SCHEMA_VERSION))) {
          throw new TraceFormatException(new InputProblem(source, 1,
              "unsupported kreplay CSV schema_version " + ver + " (this kreplay reads "
                  + CanonicalColumns.SCHEMA_VERSION + ")", comment));
        }
      }
    }
    if (comment != null) {
      stats.countLine();
      stats.countHeader();
    }
    Map<String, Integer> header = parser.getHeaderMap();
    if (header == null || !header.containsKey("ts_ns") || !header.containsKey("event")) {
      throw new TraceFormatException(new InputProblem(source, comment == null ? 1 : 2,
          "kreplay CSV header must name at least ts_ns and event", String.valueOf(header)));
    }
    for (int i = 0; i < CanonicalColumns.NAMES.length; i++) {
      Integer idx = header.get(CanonicalColumns.NAMES[i]);
      columnIndex[i] = idx == null ? -1 : idx;
    }
    for (String name : header.keySet()) {
      if (indexOfName(name) < 0) {
        throw new TraceFormatException(new InputProblem(source, comment == null ? 1 : 2,
            "unknown kreplay CSV column '" + name + "'", String.join(",", header.keySet())));
      }
    }
    stats.countLine();
    stats.countHeader();
    info.markTraceHeader();
    lastLine = parser.getCurrentLineNumber();
  }

  private static int indexOfName(String name) {
    for (int i = 0; i < CanonicalColumns.NAMES.length; i++) {
      if (CanonicalColumns.NAMES[i].equals(name)) return i;
    }
    return -1;
  }

  @Override
  public TraceEvent next() throws IOException {
    while (true) {
      CSVRecord r;
      try {
        if (!records.hasNext()) return null;
        r = records.next();
      } catch (UncheckedIOException e) {
        long line = parser.getCurrentLineNumber() + 1;
        throw new TraceFormatException(InputProblem.of(source, line, "cannot read CSV", e.getCause().getMessage()));
      }
      long line = lastLine + 1;
      lastLine = parser.getCurrentLineNumber();
      // Comment lines between records are counted as header lines.
      if (r.hasComment()) {
        long comments = r.getComment().lines().count();
        for (long k = 0; k < comments; k++) {
          stats.countLine();
          stats.countHeader();
        }
        line += comments;
      }
      stats.countLine();
      if (r.size() != parser.getHeaderNames().size()) {
        problem(line, "wrong number of CSV columns", r.toString());
        continue;
      }
      for (int i = 0; i < values.length; i++) {
        values[i] = columnIndex[i] < 0 ? null : r.get(columnIndex[i]);
      }
      try {
        CanonicalColumns.fill(event, values, symbols, decoder);
      } catch (CanonicalColumns.BadColumn e) {
        problem(line, "invalid kreplay event", e.getMessage() + " in: " + String.join(",", r.values()));
        continue;
      }
      event.setLine(line);
      if (!options.accepts(event.cpu(), event.timestamp())) {
        if (event.kind().isMarker()) stats.countFiltered();
        else stats.countFilteredEvent();
        continue;
      }
      if (event.kind().isMarker()) {
        stats.countMarker();
        if (event.kind() == org.kreplay.ingest.EventKind.LOST_EVENTS) stats.countLost(event.value1());
      } else {
        stats.countEvent();
        resolution.see(event.timestamp(), info);
      }
      return event;
    }
  }

  private void problem(long line, String reason, String text) throws IOException {
    InputProblem p = InputProblem.of(source, line, reason, text);
    if (options.strict()) throw new TraceFormatException(p);
    stats.countSkipped(p);
  }

  @Override
  public TraceInfo info() {
    return info;
  }

  @Override
  public InputStats stats() {
    return stats;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
