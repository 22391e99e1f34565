package org.kreplay.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading helpers for tests: whole inputs into lists of copied events. */
public final class TestTraces {
  private TestTraces() {}

  public static InputStream resource(String name) {
    InputStream in = TestTraces.class.getResourceAsStream("/" + name);
    if (in == null) throw new IllegalArgumentException("no test resource " + name);
    return in;
  }

  /** Reads every event of a test resource. */
  public static Result readResource(String name, ReadOptions options) throws IOException {
    return read(name, resource(name), options);
  }

  /** Reads every event of the given text. */
  public static Result readText(String text, ReadOptions options) throws IOException {
    return read("test.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), options);
  }

  public static Result readText(String text) throws IOException {
    return readText(text, ReadOptions.defaults());
  }

  public static Result read(String source, InputStream in, ReadOptions options) throws IOException {
    List<TraceEvent> events = new ArrayList<>();
    try (TraceReader r = Traces.open(source, in, options)) {
      for (TraceEvent e; (e = r.next()) != null; ) events.add(e.copy());
      return new Result(events, r.stats(), r.info());
    }
  }

  /** Events plus what the reader said about the input. */
  public record Result(List<TraceEvent> events, InputStats stats, TraceInfo info) {
    public TraceEvent event(int i) {
      return events.get(i);
    }

    public TraceEvent only() {
      if (events.size() != 1) throw new AssertionError("expected one event, got " + events);
      return events.get(0);
    }
  }
}
