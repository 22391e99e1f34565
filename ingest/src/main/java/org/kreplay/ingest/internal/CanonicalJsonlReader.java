package org.kreplay.ingest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;

/**
 * Reads kreplay's canonical JSON Lines: a header object {@code {"kreplay":"events",
 * "schema_version":1}} then one object per event with the {@link CanonicalColumns} keys (absent
 * key = unknown; {@code stack} is an array). Lines are split by {@link LineSource} and each is parsed
 * with Jackson's streaming parser, so a bad line is reported with its number and skipped.
 */
public final class CanonicalJsonlReader extends ReaderBase<TraceInfo> implements RecordReader {
  private static final JsonFactory JSON = new JsonFactory();

  private final LineSource lines;
  private final InputStream in;
  private final ResolutionProbe resolution = new ResolutionProbe();
  private final Symbols symbols = new Symbols();
  private final BodyDecoder decoder = new BodyDecoder(symbols);
  private final EventRecord event = new EventRecord();
  private final String[] values = new String[CanonicalColumns.NAMES.length];
  private boolean sawHeader;

  public CanonicalJsonlReader(String source, InputStream in, ReadOptions options, TraceInfo info) {
    super(source, options, info);
    this.in = in;
    this.lines = LineSource.limited(in, options.limits().maxLineLength());
    info.setFlagsFormat("canonical: per-key, absent = unknown");
  }

  @Override
  public EventRecord next() throws IOException {
    while (nextLine()) {
      stats.countLine();
      if (lines.tooLong()) {
        problem("line too long", null);
        continue;
      }
      int s = Bytes.skipSpaces(lines.buffer(), lines.start(), lines.end());
      if (s == lines.end()) {
        stats.countBlank();
        continue;
      }
      Arrays.fill(values, null);
      boolean header;
      try (JsonParser p = JSON.createParser(lines.buffer(), s, lines.end() - s)) {
        header = parseObject(p);
      } catch (JsonProcessingException e) {
        problem("malformed JSON", e.getOriginalMessage());
        continue;
      } catch (IOException e) {
        // From an in-memory line this can only be undecodable text (Jackson guessed an encoding).
        problem("malformed JSON", e.getMessage());
        continue;
      } catch (BadLine e) {
        problem("invalid kreplay event", e.getMessage());
        continue;
      }
      if (header) {
        stats.countHeader();
        continue;
      }
      if (!sawHeader) {
        throw new TraceFormatException(InputProblem.of(source, lines.lineNumber(),
            "kreplay JSONL must start with {\"kreplay\":\"events\",\"schema_version\":"
                + CanonicalColumns.SCHEMA_VERSION + "}", lines.lineText()));
      }
      try {
        CanonicalColumns.fill(event, values, symbols, decoder);
      } catch (CanonicalColumns.BadColumn e) {
        problem("invalid kreplay event", e.getMessage());
        continue;
      }
      event.setLine(lines.lineNumber());
      if (!options.accepts(event.cpu(), event.timestamp())) {
        if (event.kind().isMarker()) stats.countFiltered();
        else stats.countFilteredEvent();
        continue;
      }
      if (leftOut(event)) continue;
      if (event.contextOnly()) return event; // counted as not selected
      if (event.kind().isMarker()) {
        stats.countMarker();
        if (event.kind() == EventKind.LOST_EVENTS) stats.countLost(event.lostEvents());
      } else {
        stats.countEvent();
        resolution.see(event.timestamp(), info);
      }
      return event;
    }
    return null;
  }

  private boolean nextLine() throws IOException {
    try {
      return lines.next();
    } catch (IOException e) {
      throw new TraceFormatException(new InputProblem(source, lines.lineNumber() + 1,
          org.kreplay.ingest.Traces.cannotRead(info.compression(), e), ""));
    }
  }

  private static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message, null, false, false);
    }
  }

  /** Fills {@link #values}; returns true for the header object. */
  private boolean parseObject(JsonParser p) throws IOException, BadLine {
    if (p.nextToken() != JsonToken.START_OBJECT) throw new BadLine("a line must be one JSON object");
    boolean header = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (key.equals("kreplay")) {
        if (!"events".equals(p.getValueAsString())) throw new BadLine("not a kreplay events file");
        header = true;
        continue;
      }
      if (key.equals("schema_version")) {
        int v = p.getValueAsInt(-1);
        if (v != CanonicalColumns.SCHEMA_VERSION) {
          throw new BadLine("unsupported kreplay JSONL schema_version " + p.getText()
              + " (this kreplay reads " + CanonicalColumns.SCHEMA_VERSION + ")");
        }
        sawHeader = true;
        info.markTraceHeader();
        continue;
      }
      int idx = index(key);
      if (idx < 0) throw new BadLine("unknown key '" + key + "'");
      if (t == JsonToken.VALUE_NULL) continue;
      if (key.equals("stack")) {
        if (t != JsonToken.START_ARRAY) throw new BadLine("stack must be an array of frames");
        StringBuilder sb = new StringBuilder();
        while (p.nextToken() == JsonToken.VALUE_STRING) {
          if (sb.length() > 0) sb.append(';');
          sb.append(p.getText());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) throw new BadLine("stack frames must be strings");
        values[idx] = sb.toString();
      } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
        values[idx] = t == JsonToken.VALUE_TRUE ? "1" : "0";
      } else if (t.isScalarValue()) {
        values[idx] = p.getText();
      } else {
        throw new BadLine(key + " must be a scalar");
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) throw new BadLine("malformed JSON object");
    if (p.nextToken() != null) throw new BadLine("text after the JSON object");
    if (header && !sawHeader) throw new BadLine("header lacks schema_version");
    return header;
  }

  private static int index(String key) {
    String[] names = CanonicalColumns.NAMES;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) return i;
    }
    return -1;
  }

  /** Counts (or in strict mode throws) a bad line under a fixed {@code reason}; {@code detail} says what. */
  private void problem(String reason, String detail) throws IOException {
    String text = detail == null ? lines.lineText() : detail + " in: " + lines.lineText();
    InputProblem p = InputProblem.of(source, lines.lineNumber(), reason, text);
    skip(p);
  }



  @Override
  public void close() throws IOException {
    in.close();
  }
}
