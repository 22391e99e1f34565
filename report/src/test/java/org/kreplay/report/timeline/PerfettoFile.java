package org.kreplay.report.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kreplay.report.timeline.perfetto.PerfettoTrace.DebugAnnotation;
import org.kreplay.report.timeline.perfetto.PerfettoTrace.TracePacket;
import org.kreplay.report.timeline.perfetto.PerfettoTrace.TrackDescriptor;
import org.kreplay.report.timeline.perfetto.PerfettoTrace.TrackEvent;

/**
 * A Perfetto trace decoded with protobuf-java against Perfetto's message definitions (vendored
 * in src/test/protobuf), and checked the way trace processor would read it: every field known,
 * tracks declared before use, slices nested per track, flows paired.
 */
final class PerfettoFile {
  /** A slice as a viewer shows it: where, what, when, how deep. */
  record Slice(String track, String name, String category, long begin, long end, int depth, Map<String, Object> args) {}

  record Instant(String track, String name, String category, long ts, Map<String, Object> args, List<Long> flowOut,
      List<Long> flowIn) {}

  record Flow(long id, String fromTrack, long fromTs, String toTrack, long toTs) {}

  final List<TracePacket> packets = new ArrayList<>();
  final Map<Long, TrackDescriptor> tracks = new LinkedHashMap<>();
  final List<Slice> slices = new ArrayList<>();
  final List<Instant> instants = new ArrayList<>();
  final Map<String, List<long[]>> counters = new LinkedHashMap<>();
  final Map<Long, Flow> flows = new LinkedHashMap<>();
  /** Events whose timestamp is before an earlier packet's. */
  long outOfOrder;
  /** The interned strings, by id, as the file defined them so far (file order, as trace processor reads them). */
  private final Map<Long, String> eventNames = new HashMap<>();
  private final Map<Long, String> categoryNames = new HashMap<>();
  private final Map<Long, String> argNames = new HashMap<>();

  /** Decodes the file as a {@code Trace}: a sequence of field 1, each one {@code TracePacket}. */
  static PerfettoFile decode(byte[] bytes) throws IOException {
    PerfettoFile f = new PerfettoFile();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setSizeLimit(Integer.MAX_VALUE);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      assertThat(WireFormat.getTagFieldNumber(tag)).as("Trace has only field 1, packet").isEqualTo(1);
      assertThat(WireFormat.getTagWireType(tag)).isEqualTo(WireFormat.WIRETYPE_LENGTH_DELIMITED);
      TracePacket p = TracePacket.parseFrom(in.readByteArray());
      noUnknownFields(p);
      f.packets.add(p);
    }
    f.read();
    return f;
  }

  /** Fields Perfetto does not define would decode as unknown ones: none may be there. */
  private static void noUnknownFields(TracePacket p) {
    require(p.getUnknownFields().asMap().isEmpty(), () -> "unknown fields in packet " + p);
    if (p.hasTrackDescriptor()) {
      require(p.getTrackDescriptor().getUnknownFields().asMap().isEmpty(), () -> "unknown fields in " + p);
    }
    if (p.hasInternedData()) {
      require(p.getInternedData().getUnknownFields().asMap().isEmpty(), () -> "unknown fields in " + p);
    }
    if (p.hasTrackEvent()) {
      require(p.getTrackEvent().getUnknownFields().asMap().isEmpty(), () -> "unknown fields in " + p);
      for (DebugAnnotation a : p.getTrackEvent().getDebugAnnotationsList()) {
        require(a.getUnknownFields().asMap().isEmpty(), () -> "unknown fields in " + p);
      }
    }
  }

  /** A plain check: hundreds of thousands of packets are checked, most of them fine. */
  private static void require(boolean ok, java.util.function.Supplier<String> what) {
    if (!ok) throw new AssertionError(what.get());
  }

  private void read() {
    Map<Long, Deque<Slice>> open = new HashMap<>();
    Map<Long, Instant> flowStarts = new HashMap<>();
    Set<Long> flowEnds = new HashSet<>();
    long lastTs = Long.MIN_VALUE;
    require(!packets.isEmpty() && (packets.get(0).getSequenceFlags() & SEQ_INCREMENTAL_STATE_CLEARED) != 0,
        () -> "the first packet starts the sequence's incremental state");
    for (TracePacket p : packets) {
      require(p.getTrustedPacketSequenceId() == 1, () -> "one packet sequence: " + p);
      if (p.hasInternedData()) {
        require(!p.hasTrackEvent() && !p.hasTrackDescriptor() && !p.hasTimestamp(), () -> "interned data apart: " + p);
        for (var n : p.getInternedData().getEventNamesList()) define(eventNames, n.getIid(), n.getName());
        for (var n : p.getInternedData().getEventCategoriesList()) define(categoryNames, n.getIid(), n.getName());
        for (var n : p.getInternedData().getDebugAnnotationNamesList()) define(argNames, n.getIid(), n.getName());
        continue;
      }
      if (p.hasTrackDescriptor()) {
        TrackDescriptor d = p.getTrackDescriptor();
        require(d.getUuid() > 0, () -> "track uuid: " + d);
        require(!tracks.containsKey(d.getUuid()), () -> "track declared once: " + d);
        require(!d.hasParentUuid() || tracks.containsKey(d.getParentUuid()), () -> "parent declared before its child: " + d);
        tracks.put(d.getUuid(), d);
        continue;
      }
      require(p.hasTrackEvent(), () -> "a packet is a descriptor or an event: " + p);
      require(p.hasTimestamp(), () -> "an event has a timestamp: " + p);
      long ts = p.getTimestamp();
      if (ts < lastTs) outOfOrder++;
      lastTs = Math.max(lastTs, ts);
      TrackEvent e = p.getTrackEvent();
      boolean interned = e.hasNameIid() || e.getCategoryIidsCount() > 0
          || e.getDebugAnnotationsList().stream().anyMatch(DebugAnnotation::hasNameIid);
      require(!interned || (p.getSequenceFlags() & SEQ_NEEDS_INCREMENTAL_STATE) != 0,
          () -> "an event using interned strings says it needs the incremental state: " + p);
      TrackDescriptor track = tracks.get(e.getTrackUuid());
      require(track != null, () -> "track declared before its first event: " + p);
      boolean counterTrack = track.hasCounter();
      Deque<Slice> stack = open.computeIfAbsent(e.getTrackUuid(), k -> new ArrayDeque<>());
      switch (e.getType()) {
        case TYPE_SLICE_BEGIN -> {
          require(!counterTrack, () -> "a slice on a counter track: " + p);
          stack.push(new Slice(track.getName(), name(e), category(e), ts, -1, stack.size(), args(e)));
        }
        case TYPE_SLICE_END -> {
          require(!stack.isEmpty(), () -> "an end without its begin on " + track.getName() + " at " + ts);
          Slice s = stack.pop();
          require(ts >= s.begin(), () -> "slice " + s.name() + " ends before it begins");
          slices.add(new Slice(s.track(), s.name(), s.category(), s.begin(), ts, s.depth(), s.args()));
        }
        case TYPE_INSTANT -> {
          Instant i = new Instant(track.getName(), name(e), category(e), ts, args(e), e.getFlowIdsList(),
              e.getTerminatingFlowIdsList());
          instants.add(i);
          for (long id : e.getFlowIdsList()) require(flowStarts.put(id, i) == null, () -> "flow " + id + " starts once");
          for (long id : e.getTerminatingFlowIdsList()) require(flowEnds.add(id), () -> "flow " + id + " ends once");
        }
        case TYPE_COUNTER -> {
          require(counterTrack, () -> "a counter value on a slice track: " + p);
          counters.computeIfAbsent(track.getName(), k -> new ArrayList<>()).add(new long[] {ts, e.getCounterValue()});
        }
        default -> throw new AssertionError("event without a type: " + e);
      }
    }
    open.forEach((uuid, stack) -> assertThat(stack).as("slices left open on %s", tracks.get(uuid).getName()).isEmpty());
    for (long id : flowEnds) require(flowStarts.containsKey(id), () -> "flow " + id + " ends without a start");
    for (Instant end : instants) {
      for (long id : end.flowIn()) {
        Instant start = flowStarts.get(id);
        require(start.ts() <= end.ts(), () -> "flow " + id + " starts before it ends");
        flows.put(id, new Flow(id, start.track(), start.ts(), end.track(), end.ts()));
      }
    }
    slices.sort((a, b) -> a.begin() != b.begin() ? Long.compare(a.begin(), b.begin()) : Integer.compare(a.depth(), b.depth()));
  }

  private static final int SEQ_INCREMENTAL_STATE_CLEARED = TracePacket.SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED_VALUE;
  private static final int SEQ_NEEDS_INCREMENTAL_STATE = TracePacket.SequenceFlags.SEQ_NEEDS_INCREMENTAL_STATE_VALUE;

  private static void define(Map<Long, String> interned, long iid, String name) {
    require(iid > 0, () -> "an interned id is positive: " + name);
    require(interned.put(iid, name) == null, () -> "interned id " + iid + " defined once (" + name + ")");
  }

  /** An interned string by id, defined before its first use in file order. */
  private static String lookUp(Map<Long, String> interned, long iid, String what) {
    String s = interned.get(iid);
    require(s != null, () -> what + " id " + iid + " used before it is defined");
    return s;
  }

  private String name(TrackEvent e) {
    return e.hasNameIid() ? lookUp(eventNames, e.getNameIid(), "event name") : e.getName();
  }

  private String category(TrackEvent e) {
    if (e.getCategoryIidsCount() > 0) return lookUp(categoryNames, e.getCategoryIids(0), "category");
    return e.getCategoriesCount() == 0 ? null : e.getCategories(0);
  }

  private Map<String, Object> args(TrackEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (DebugAnnotation a : e.getDebugAnnotationsList()) {
      String name = a.hasNameIid() ? lookUp(argNames, a.getNameIid(), "argument name") : a.getName();
      m.put(name, a.hasIntValue() ? (Object) a.getIntValue() : a.getStringValue());
    }
    return m;
  }

  List<Slice> slicesOn(String track) {
    return slices.stream().filter(s -> s.track().equals(track)).toList();
  }

  /** The file as lines a reader can check by eye: the golden files' form. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    tracks.values().forEach(d -> out.add("track " + d.getName() + (d.hasParentUuid() ? " in " + tracks.get(d.getParentUuid()).getName() : "")
        + (d.hasCounter() ? " (counter)" : "")));
    for (Slice s : slices) {
      out.add(seconds(s.begin()) + " to " + seconds(s.end()) + "  " + s.track() + "  " + "  ".repeat(s.depth()) + s.name()
          + " [" + s.category() + "]" + (s.args().isEmpty() ? "" : " " + s.args()));
    }
    for (Instant i : instants) {
      out.add(seconds(i.ts()) + "  " + i.track() + "  instant " + i.name() + " [" + i.category() + "]"
          + (i.args().isEmpty() ? "" : " " + i.args()) + (i.flowOut().isEmpty() ? "" : " flow out " + i.flowOut())
          + (i.flowIn().isEmpty() ? "" : " flow in " + i.flowIn()));
    }
    counters.forEach((name, values) -> {
      StringBuilder sb = new StringBuilder("counter " + name + ":");
      for (long[] v : values) sb.append(' ').append(seconds(v[0])).append('=').append(v[1]);
      out.add(sb.toString());
    });
    return out;
  }

  static String seconds(long ns) {
    return BigDecimal.valueOf(ns, 9).toPlainString();
  }
}
