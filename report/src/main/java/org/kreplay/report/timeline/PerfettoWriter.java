package org.kreplay.report.timeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Perfetto's protobuf trace: a {@code Trace} of {@code TracePacket}s holding {@code
 * TrackDescriptor}s and {@code TrackEvent}s, on one packet sequence, without interning. Field
 * numbers are Perfetto's (protos/perfetto/trace/trace_packet.proto and track_event/*.proto); the
 * test suite decodes the output against those definitions.
 */
final class PerfettoWriter implements TrackWriter {
  // Trace
  private static final int TRACE_PACKET = 1;
  // TracePacket
  private static final int TIMESTAMP = 8;
  private static final int TRUSTED_PACKET_SEQUENCE_ID = 10;
  private static final int TRACK_EVENT = 11;
  private static final int SEQUENCE_FLAGS = 13;
  private static final int TRACK_DESCRIPTOR = 60;
  private static final int SEQ_INCREMENTAL_STATE_CLEARED = 1;
  // TrackDescriptor
  private static final int UUID = 1;
  private static final int NAME = 2;
  private static final int PARENT_UUID = 5;
  private static final int COUNTER = 8;
  // TrackEvent
  private static final int DEBUG_ANNOTATIONS = 4;
  private static final int TYPE = 9;
  private static final int TRACK_UUID = 11;
  private static final int CATEGORIES = 22;
  private static final int EVENT_NAME = 23;
  private static final int COUNTER_VALUE = 30;
  private static final int FLOW_IDS = 47;
  private static final int TERMINATING_FLOW_IDS = 48;
  private static final int TYPE_SLICE_BEGIN = 1;
  private static final int TYPE_SLICE_END = 2;
  private static final int TYPE_INSTANT = 3;
  private static final int TYPE_COUNTER = 4;
  // DebugAnnotation
  private static final int ANNOTATION_INT = 4;
  private static final int ANNOTATION_STRING = 6;
  private static final int ANNOTATION_NAME = 10;
  private static final int SEQUENCE_ID = 1;

  private final OutputStream out;
  private final SortedRecords sorted;
  /** Scratch buffers reused for every event: one for the TrackEvent, one for its packet. */
  private final ProtoBuffer event = new ProtoBuffer();
  private final ProtoBuffer packet = new ProtoBuffer();
  private final ProtoBuffer annotation = new ProtoBuffer();
  private boolean first = true;

  PerfettoWriter(OutputStream out) {
    this.out = out;
    this.sorted = new SortedRecords(this::writePacket);
  }

  @Override
  public void declare(Track track) throws IOException {
    ProtoBuffer d = new ProtoBuffer().varint(UUID, track.uuid()).string(NAME, track.name());
    if (track.parent() != null) d.varint(PARENT_UUID, track.parent().uuid());
    if (track.kind() == Kind.COUNTER) d.message(COUNTER, new ProtoBuffer());
    ProtoBuffer p = new ProtoBuffer().varint(TRUSTED_PACKET_SEQUENCE_ID, SEQUENCE_ID);
    if (first) p.varint(SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
    first = false;
    // Straight out, ahead of every held event: a track is declared before its first use.
    writePacket(frame(p.message(TRACK_DESCRIPTOR, d)));
  }

  @Override
  public void begin(long ts, Track track, String name, String category, List<Arg> args) throws IOException {
    ProtoBuffer e = event(TYPE_SLICE_BEGIN, track).string(EVENT_NAME, name);
    if (category != null) e.string(CATEGORIES, category);
    annotations(e, args);
    add(ts, e);
  }

  @Override
  public void end(long ts, Track track) throws IOException {
    add(ts, event(TYPE_SLICE_END, track));
  }

  @Override
  public void instant(long ts, Track track, String name, String category, List<Arg> args, long flowOut, long flowIn)
      throws IOException {
    ProtoBuffer e = event(TYPE_INSTANT, track).string(EVENT_NAME, name);
    if (category != null) e.string(CATEGORIES, category);
    annotations(e, args);
    if (flowOut > 0) e.fixed64(FLOW_IDS, flowOut);
    if (flowIn > 0) e.fixed64(TERMINATING_FLOW_IDS, flowIn);
    add(ts, e);
  }

  @Override
  public void counter(long ts, Track track, long value) throws IOException {
    add(ts, event(TYPE_COUNTER, track).varint(COUNTER_VALUE, value));
  }

  @Override
  public long outOfOrder() {
    return sorted.outOfOrder();
  }

  @Override
  public void close() throws IOException {
    sorted.flush();
    out.flush();
  }

  private ProtoBuffer event(int type, Track track) {
    return event.clear().varint(TYPE, type).varint(TRACK_UUID, track.uuid());
  }

  private void annotations(ProtoBuffer e, List<Arg> args) {
    for (Arg a : args) {
      ProtoBuffer d = annotation.clear().string(ANNOTATION_NAME, a.name());
      if (a.value() instanceof Number n) d.varint(ANNOTATION_INT, n.longValue());
      else d.string(ANNOTATION_STRING, String.valueOf(a.value()));
      e.message(DEBUG_ANNOTATIONS, d);
    }
  }

  private void add(long ts, ProtoBuffer event) throws IOException {
    ProtoBuffer p = packet.clear().varint(TIMESTAMP, ts).varint(TRUSTED_PACKET_SEQUENCE_ID, SEQUENCE_ID)
        .message(TRACK_EVENT, event);
    sorted.add(ts, frame(p));
  }

  /** One {@code Trace.packet} field, ready to write: the whole file is a {@code Trace} message. */
  private byte[] frame(ProtoBuffer p) {
    return p.toFramedArray(TRACE_PACKET);
  }

  private void writePacket(byte[] framedPacket) throws IOException {
    out.write(framedPacket);
  }
}
