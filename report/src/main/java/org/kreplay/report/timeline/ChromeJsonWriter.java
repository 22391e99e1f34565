package org.kreplay.report.timeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Chrome Trace Event format ({@code {"traceEvents": [...]}}), the simple fallback that
 * chrome://tracing, Perfetto and speedscope open: a group track is a process, a slice track a
 * thread of it, counters are per process by name. Timestamps are microseconds with three decimals,
 * so nanoseconds survive.
 */
final class ChromeJsonWriter implements TrackWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private final OutputStream out;
  private final SortedRecords sorted;
  private static final byte[] SEPARATOR = ",\n".getBytes(StandardCharsets.US_ASCII);

  private final RecordBuffer buffer = new RecordBuffer();
  private final JsonGenerator g;
  private boolean firstRecord = true;

  ChromeJsonWriter(OutputStream out) throws IOException {
    this.out = out;
    this.sorted = new SortedRecords(this::writeRecord);
    this.g = JSON.createGenerator(buffer);
    g.setRootValueSeparator(null); // records are joined by the writer, not by spaces
    out.write("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void declare(Track track) throws IOException {
    if (track.kind() == Kind.COUNTER) return; // a counter is named by its events
    g.writeStartObject();
    g.writeStringField("ph", "M");
    boolean process = track.kind() == Kind.GROUP;
    g.writeStringField("name", process ? "process_name" : "thread_name");
    g.writeNumberField("pid", track.group());
    if (!process) g.writeNumberField("tid", track.row());
    g.writeObjectFieldStart("args");
    g.writeStringField("name", track.name());
    g.writeEndObject();
    g.writeEndObject();
    writeStraightOut();
  }

  @Override
  public void begin(long ts, Track track, String name, String category, List<Arg> args) throws IOException {
    start("B", ts, track, name, category);
    args(args);
    g.writeEndObject();
    hold(ts);
  }

  @Override
  public void end(long ts, Track track) throws IOException {
    start("E", ts, track, null, null);
    g.writeEndObject();
    hold(ts);
  }

  @Override
  public void instant(long ts, Track track, String name, String category, List<Arg> args, long flowOut, long flowIn)
      throws IOException {
    start("i", ts, track, name, category);
    g.writeStringField("s", "t");
    args(args);
    g.writeEndObject();
    hold(ts);
    if (flowOut > 0) flow("s", ts, track, flowOut);
    if (flowIn > 0) flow("f", ts, track, flowIn);
  }

  @Override
  public void counter(long ts, Track track, long value) throws IOException {
    start("C", ts, track, track.name(), null);
    g.writeObjectFieldStart("args");
    g.writeNumberField("value", value);
    g.writeEndObject();
    g.writeEndObject();
    hold(ts);
  }

  @Override
  public long outOfOrder() {
    return sorted.outOfOrder();
  }

  @Override
  public void close() throws IOException {
    sorted.flush();
    out.write("\n]}\n".getBytes(StandardCharsets.US_ASCII));
    g.close();
    out.flush();
  }

  private void flow(String phase, long ts, Track track, long id) throws IOException {
    start(phase, ts, track, "deferral", "deferral");
    g.writeNumberField("id", id);
    if (phase.equals("f")) g.writeStringField("bp", "e"); // binds to the slice enclosing the instant
    g.writeEndObject();
    hold(ts);
  }

  private void start(String phase, long ts, Track track, String name, String category) throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", phase);
    if (name != null) g.writeStringField("name", name);
    if (category != null) g.writeStringField("cat", category);
    g.writeFieldName("ts");
    g.writeNumber(BigDecimal.valueOf(ts, 3)); // ns as µs with three decimals
    g.writeNumberField("pid", track.group());
    if (track.kind() != Kind.COUNTER) g.writeNumberField("tid", track.row());
  }

  private void args(List<Arg> args) throws IOException {
    if (args.isEmpty()) return;
    g.writeObjectFieldStart("args");
    for (Arg a : args) {
      if (a.value() instanceof Number n) g.writeNumberField(a.name(), n.longValue());
      else g.writeStringField(a.name(), String.valueOf(a.value()));
    }
    g.writeEndObject();
  }

  /** The record just generated, held to be written in timestamp order. */
  private void hold(long ts) throws IOException {
    g.flush();
    sorted.add(ts, buffer.array(), 0, buffer.size());
    buffer.reset();
  }

  /** The record just generated, written ahead of the held ones. */
  private void writeStraightOut() throws IOException {
    g.flush();
    writeRecord(buffer.array(), 0, buffer.size());
    buffer.reset();
  }

  private void writeRecord(byte[] b, int off, int len) throws IOException {
    if (!firstRecord) out.write(SEPARATOR);
    firstRecord = false;
    out.write(b, off, len);
  }

  /** The generator's output, read in place. */
  private static final class RecordBuffer extends ByteArrayOutputStream {
    RecordBuffer() {
      super(256);
    }

    byte[] array() {
      return buf;
    }
  }
}
