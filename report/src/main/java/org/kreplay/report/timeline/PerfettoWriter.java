package org.kreplay.report.timeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;

/**
 * Perfetto's protobuf trace: a {@code Trace} of {@code TracePacket}s holding {@code
 * TrackDescriptor}s and {@code TrackEvent}s, on one packet sequence. Event names, categories and
 * argument names are interned (a trace of millions of slices has a few thousand names): each is
 * defined once, in an {@code InternedData} packet written straight out when first used — ahead of
 * every held event, so before its first use in file order, as trace processor reads interned data
 * — and the events carry its id. Field numbers are Perfetto's (protos/perfetto/trace/
 * trace_packet.proto, track_event/*.proto, interned_data/interned_data.proto); the test suite
 * decodes the output against those definitions.
 */
final class PerfettoWriter implements TrackWriter {
  // Trace
  private static final int TRACE_PACKET = 1;
  // TracePacket
  private static final int TIMESTAMP = 8;
  private static final int TRUSTED_PACKET_SEQUENCE_ID = 10;
  private static final int TRACK_EVENT = 11;
  private static final int INTERNED_DATA = 12;
  private static final int SEQUENCE_FLAGS = 13;
  private static final int TRACK_DESCRIPTOR = 60;
  private static final int SEQ_INCREMENTAL_STATE_CLEARED = 1;
  private static final int SEQ_NEEDS_INCREMENTAL_STATE = 2;
  // InternedData, and its entries' fields (EventCategory, EventName, DebugAnnotationName)
  private static final int EVENT_CATEGORIES = 1;
  private static final int EVENT_NAMES = 2;
  private static final int DEBUG_ANNOTATION_NAMES = 3;
  private static final int IID = 1;
  private static final int INTERNED_NAME = 2;
  // TrackDescriptor
  private static final int UUID = 1;
  private static final int NAME = 2;
  private static final int PARENT_UUID = 5;
  private static final int COUNTER = 8;
  // TrackEvent
  private static final int CATEGORY_IIDS = 3;
  private static final int DEBUG_ANNOTATIONS = 4;
  private static final int TYPE = 9;
  private static final int NAME_IID = 10;
  private static final int TRACK_UUID = 11;
  private static final int COUNTER_VALUE = 30;
  private static final int FLOW_IDS = 47;
  private static final int TERMINATING_FLOW_IDS = 48;
  private static final int TYPE_SLICE_BEGIN = 1;
  private static final int TYPE_SLICE_END = 2;
  private static final int TYPE_INSTANT = 3;
  private static final int TYPE_COUNTER = 4;
  // DebugAnnotation
  private static final int ANNOTATION_NAME_IID = 1;
  private static final int ANNOTATION_INT = 4;
  private static final int ANNOTATION_STRING = 6;
  private static final int SEQUENCE_ID = 1;
  /**
   * Bytes gathered before a write to the stream: one call per 256 KiB, not one per packet. Larger
   * than the 64 KiB buffers of the streams below it, which then pass each write straight through
   * instead of copying it twice more.
   */
  private static final int OUT_BUFFER = 1 << 18;
  /** Strings interned per kind, at most (a task's name is one each: a long trace has many tasks). */
  static final int MAX_INTERNED = 100_000;
  // The inline forms, for strings past MAX_INTERNED: TrackEvent.categories, .name, DebugAnnotation.name
  private static final int CATEGORIES = 22;
  private static final int EVENT_NAME = 23;
  private static final int ANNOTATION_NAME = 10;

  private final OutputStream out;
  private final SortedRecords sorted;
  /**
   * Scratch buffers reused for every event: the TrackEvent, written after room for its packet's
   * fields in front (the event is not copied to frame it); those fields; a packet written straight
   * out, framed.
   */
  private final ProtoBuffer event = new ProtoBuffer();
  private final ProtoBuffer packetHead = new ProtoBuffer();
  private final ProtoBuffer framed = new ProtoBuffer();
  /**
   * Room for the fields in front of an event: the packet's tag and length, its timestamp, sequence
   * id and flags, the event's tag and length, at most 1 + 5 + 11 + 2 + 2 + 1 + 5 bytes.
   */
  private static final int HEADROOM = 32;
  private boolean first = true;
  /** The ids given so far, by string: names, categories and argument names are apart in Perfetto. */
  private final Interned names = new Interned(EVENT_NAMES);
  private final Interned categories = new Interned(EVENT_CATEGORIES);
  private final Interned argNames = new Interned(DEBUG_ANNOTATION_NAMES);
  private final byte[] buffer = new byte[OUT_BUFFER];
  private int buffered;

  PerfettoWriter(OutputStream out) {
    this.out = out;
    this.sorted = new SortedRecords(this::writePacket);
  }

  @Override
  public void declare(Track track) throws IOException {
    ProtoBuffer d = new ProtoBuffer().varint(UUID, track.uuid()).string(NAME, track.name());
    if (track.parent() != null) d.varint(PARENT_UUID, track.parent().uuid());
    if (track.kind() == Kind.COUNTER) d.message(COUNTER, new ProtoBuffer());
    // Straight out, ahead of every held event: a track is declared before its first use.
    writeFramed(straightOut().message(TRACK_DESCRIPTOR, d));
  }

  /** A packet written ahead of the held events; the first of the sequence starts its incremental state. */
  private ProtoBuffer straightOut() {
    ProtoBuffer p = new ProtoBuffer().varint(TRUSTED_PACKET_SEQUENCE_ID, SEQUENCE_ID);
    if (first) p.varint(SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
    first = false;
    return p;
  }

  /**
   * Strings of one kind and their ids (from 1), each defined in its own packet when first used. At
   * most MAX_INTERNED of a kind, so memory stays bounded: beyond, strings go inline.
   */
  private final class Interned {
    private final int field;
    private final HashMap<String, Long> ids = new HashMap<>();

    Interned(int field) {
      this.field = field;
    }

    /** The string's id, or 0 when it is written inline. */
    long id(String s) throws IOException {
      Long id = ids.get(s);
      if (id != null) return id;
      if (ids.size() == MAX_INTERNED) return 0;
      long iid = ids.size() + 1L;
      ids.put(s, iid);
      ProtoBuffer entry = new ProtoBuffer().varint(IID, iid).string(INTERNED_NAME, s);
      writeFramed(straightOut().message(INTERNED_DATA, new ProtoBuffer().message(field, entry)));
      return iid;
    }
  }

  @Override
  public void begin(long ts, Track track, String name, String category, List<Arg> args) throws IOException {
    ProtoBuffer e = named(TYPE_SLICE_BEGIN, track, name, category);
    annotations(e, args);
    addInterned(ts, e);
  }

  @Override
  public void end(long ts, Track track) throws IOException {
    add(ts, event(TYPE_SLICE_END, track));
  }

  @Override
  public void instant(long ts, Track track, String name, String category, List<Arg> args, long flowOut, long flowIn)
      throws IOException {
    ProtoBuffer e = named(TYPE_INSTANT, track, name, category);
    annotations(e, args);
    if (flowOut > 0) e.fixed64(FLOW_IDS, flowOut);
    if (flowIn > 0) e.fixed64(TERMINATING_FLOW_IDS, flowIn);
    addInterned(ts, e);
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
    drain();
    out.flush();
  }

  private ProtoBuffer event(int type, Track track) {
    return event.clearWithHeadroom(HEADROOM).varint(TYPE, type).varint(TRACK_UUID, track.uuid());
  }

  /** An event with an interned name and category (the ids made first: their packets go out before this one). */
  private ProtoBuffer named(int type, Track track, String name, String category) throws IOException {
    long nameIid = names.id(name);
    long categoryIid = category == null ? 0 : categories.id(category);
    ProtoBuffer e = event(type, track);
    if (nameIid > 0) e.varint(NAME_IID, nameIid);
    else e.string(EVENT_NAME, name);
    if (categoryIid > 0) e.varint(CATEGORY_IIDS, categoryIid);
    else if (category != null) e.string(CATEGORIES, category);
    return e;
  }

  /** Each argument a DebugAnnotation, its length worked out first so that it is written in place. */
  private void annotations(ProtoBuffer e, List<Arg> args) throws IOException {
    for (Arg a : args) {
      long nameIid = argNames.id(a.name());
      byte[] name = nameIid > 0 ? null : a.name().getBytes(StandardCharsets.UTF_8);
      int nameSize = name == null ? ProtoBuffer.varintFieldSize(ANNOTATION_NAME_IID, nameIid)
          : ProtoBuffer.lengthDelimitedFieldSize(ANNOTATION_NAME, name.length);
      if (a.value() instanceof Number n) {
        long v = n.longValue();
        e.header(DEBUG_ANNOTATIONS, nameSize + ProtoBuffer.varintFieldSize(ANNOTATION_INT, v));
        annotationName(e, nameIid, name);
        e.varint(ANNOTATION_INT, v);
      } else {
        byte[] text = String.valueOf(a.value()).getBytes(StandardCharsets.UTF_8);
        e.header(DEBUG_ANNOTATIONS, nameSize + ProtoBuffer.lengthDelimitedFieldSize(ANNOTATION_STRING, text.length));
        annotationName(e, nameIid, name);
        e.bytes(ANNOTATION_STRING, text);
      }
    }
  }

  private static void annotationName(ProtoBuffer e, long nameIid, byte[] name) {
    if (name == null) e.varint(ANNOTATION_NAME_IID, nameIid);
    else e.bytes(ANNOTATION_NAME, name);
  }

  private void add(long ts, ProtoBuffer event) throws IOException {
    addPacket(ts, event, false);
  }

  /** An event that refers to interned strings: it says it needs the sequence's incremental state. */
  private void addInterned(long ts, ProtoBuffer event) throws IOException {
    addPacket(ts, event, true);
  }

  /**
   * The event's {@code Trace.packet} field: the packet's fields put in the room left in front of
   * the event (their length computed ahead), and the whole held for its place in time.
   */
  private void addPacket(long ts, ProtoBuffer event, boolean interned) throws IOException {
    int eventSize = event.size() - HEADROOM;
    int length = ProtoBuffer.varintFieldSize(TIMESTAMP, ts) + ProtoBuffer.varintFieldSize(TRUSTED_PACKET_SEQUENCE_ID, SEQUENCE_ID)
        + (interned ? ProtoBuffer.varintFieldSize(SEQUENCE_FLAGS, SEQ_NEEDS_INCREMENTAL_STATE) : 0)
        + ProtoBuffer.lengthDelimitedFieldSize(TRACK_EVENT, eventSize);
    ProtoBuffer h = packetHead.clear().header(TRACE_PACKET, length).varint(TIMESTAMP, ts)
        .varint(TRUSTED_PACKET_SEQUENCE_ID, SEQUENCE_ID);
    if (interned) h.varint(SEQUENCE_FLAGS, SEQ_NEEDS_INCREMENTAL_STATE);
    h.header(TRACK_EVENT, eventSize);
    int from = event.prepend(h, HEADROOM);
    sorted.add(ts, event.array(), from, event.size() - from);
  }

  /**
   * One {@code Trace.packet} field, ready to write (the whole file is a {@code Trace} message), in
   * a scratch buffer reused for every packet.
   */
  private ProtoBuffer frame(ProtoBuffer p) {
    return framed.clear().message(TRACE_PACKET, p);
  }

  private void writeFramed(ProtoBuffer p) throws IOException {
    ProtoBuffer f = frame(p);
    writePacket(f.array(), 0, f.size());
  }

  private void writePacket(byte[] b, int off, int len) throws IOException {
    if (len > buffer.length - buffered) {
      drain();
      if (len > buffer.length) {
        out.write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, buffer, buffered, len);
    buffered += len;
  }

  private void drain() throws IOException {
    out.write(buffer, 0, buffered);
    buffered = 0;
  }
}
