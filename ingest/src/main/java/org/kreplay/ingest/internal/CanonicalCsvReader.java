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
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;

/** Reads kreplay's canonical CSV (see {@link CanonicalColumns}) with Apache Commons CSV. */
public final class CanonicalCsvReader extends ReaderBase<TraceInfo> implements RecordReader {
  /** First line of every canonical CSV file. */
  public static final String MAGIC = "# kreplay-events";

  static final CSVFormat FORMAT =
      CSVFormat.DEFAULT.builder().setCommentMarker('#').setRecordSeparator('\n').get();

  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final ResolutionProbe resolution = new ResolutionProbe();
  private final Symbols symbols = new Symbols();
  private final BodyDecoder decoder = new BodyDecoder(symbols);
  private final EventRecord event = new EventRecord();
  private final String[] values = new String[CanonicalColumns.NAMES.length];
  private final int[] columnIndex = new int[CanonicalColumns.NAMES.length];
  /** Lines the parser has read, up to the end of the last record. */
  private long lastLine;
  private boolean atEnd;

  public CanonicalCsvReader(String source, InputStream in, ReadOptions options, TraceInfo info)
      throws IOException {
    super(source, options, info);
    info.setFlagsFormat("canonical: per-column, empty = unknown");
    try {
      this.parser = CSVParser.builder()
          .setReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .setFormat(FORMAT.builder().setHeader().setSkipHeaderRecord(true).get())
          .get();
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      // Commons CSV reads the header row here: a quote never closed, a duplicate or an empty column name.
      String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      throw new TraceFormatException(InputProblem.of(source, 1, "cannot read the kreplay CSV header", why));
    }
    checkHeader();
    this.records = parser.iterator();
  }

  private void checkHeader() throws IOException {
    String comment = parser.getHeaderComment();
    // "ts_ns," without the magic comment is accepted: hand-made files often lack it.
    if (comment != null && comment.startsWith(MAGIC.substring(2))) {
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
    Map<String, Integer> header = parser.getHeaderMap();
    lastLine = parser.getCurrentLineNumber();
    long headerRowLines = header == null ? 0 : 1 + lineBreaks(parser.getHeaderNames());
    long headerLine = Math.max(1, lastLine - headerRowLines + 1);
    if (header == null || !header.containsKey("ts_ns") || !header.containsKey("event")) {
      throw new TraceFormatException(InputProblem.of(source, headerLine,
          "kreplay CSV header must name at least ts_ns and event", String.valueOf(header)));
    }
    for (int i = 0; i < CanonicalColumns.NAMES.length; i++) {
      Integer idx = header.get(CanonicalColumns.NAMES[i]);
      columnIndex[i] = idx == null ? -1 : idx;
    }
    for (String name : header.keySet()) {
      if (indexOfName(name) < 0) {
        throw new TraceFormatException(InputProblem.of(source, headerLine,
            "unknown kreplay CSV column '" + name + "'", String.join(",", header.keySet())));
      }
    }
    count(lastLine, commentLines(comment), headerRowLines);
    info.markTraceHeader();
    for (long k = 0; k < headerRowLines; k++) {
      stats.countLine();
      if (k == 0) stats.countHeader();
      else stats.countContinuationLine();
    }
  }

  /**
   * Counts the blank and comment lines among the {@code consumed} lines the parser read for one
   * record ({@code recordLines} of them are the record's own, counted by the caller). Commons CSV
   * skips blank lines and gathers comment lines into the next record; neither is lost here.
   */
  private void count(long consumed, long comments, long recordLines) {
    for (long k = 0; k < comments; k++) {
      stats.countLine();
      stats.countHeader();
    }
    for (long k = consumed - comments - recordLines; k > 0; k--) {
      stats.countLine();
      stats.countBlank();
    }
  }

  /** Comment lines Commons CSV joined into one comment (with "\n", an empty line as ""). */
  private static long commentLines(String comment) {
    return comment == null ? 0 : 1 + comment.chars().filter(c -> c == '\n').count();
  }

  /** Line breaks inside quoted values (CR LF, LF, CR), each of which begins a line of the file. */
  private static long lineBreaks(Iterable<String> values) {
    long n = 0;
    for (String v : values) {
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '\n' || (c == '\r' && (i + 1 == v.length() || v.charAt(i + 1) != '\n'))) n++;
      }
    }
    return n;
  }

  private static int indexOfName(String name) {
    for (int i = 0; i < CanonicalColumns.NAMES.length; i++) {
      if (CanonicalColumns.NAMES[i].equals(name)) return i;
    }
    return -1;
  }

  @Override
  public EventRecord next() throws IOException {
    while (true) {
      CSVRecord r;
      try {
        if (!records.hasNext()) {
          if (!atEnd) {
            atEnd = true;
            count(parser.getCurrentLineNumber() - lastLine, commentLines(parser.getTrailerComment()), 0);
          }
          return null;
        }
        r = records.next();
      } catch (UncheckedIOException e) {
        // The record that begins after the last one read cannot be parsed (a quote never closed…).
        throw new TraceFormatException(InputProblem.of(source, lastLine + 1, "cannot read CSV",
            e.getCause().getMessage()));
      }
      long now = parser.getCurrentLineNumber();
      long recordLines = 1 + lineBreaks(r);
      long line = now - recordLines + 1; // the record's first line
      count(now - lastLine, commentLines(r.getComment()), recordLines);
      lastLine = now;
      stats.countLine();
      for (long k = 1; k < recordLines; k++) {
        stats.countLine();
        stats.countContinuationLine();
      }
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
      if (leftOut(event)) continue;
      if (event.contextOnly()) return event; // counted as not selected
      if (event.kind().isMarker()) {
        stats.countMarker();
        if (event.kind() == org.kreplay.ingest.EventKind.LOST_EVENTS) stats.countLost(event.lostEvents());
      } else {
        stats.countEvent();
        resolution.see(event.timestamp(), info);
      }
      return event;
    }
  }

  private void problem(long line, String reason, String text) throws IOException {
    InputProblem p = InputProblem.of(source, line, reason, text);
    skip(p);
  }



  @Override
  public void close() throws IOException {
    parser.close();
  }
}
