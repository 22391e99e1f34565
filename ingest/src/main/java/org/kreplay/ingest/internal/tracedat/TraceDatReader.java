package org.kreplay.ingest.internal.tracedat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.EventSelection;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;
import org.kreplay.ingest.internal.BodyDecoder;
import org.kreplay.ingest.internal.EventRecord;
import org.kreplay.ingest.internal.OwnedEvents;
import org.kreplay.ingest.internal.ReaderBase;
import org.kreplay.ingest.internal.RecordReader;
import org.kreplay.ingest.internal.Symbols;

/**
 * Reads trace-cmd's binary trace.dat, versions 6 and 7 (uncompressed, zlib, zstd), either byte
 * order, 32- and 64-bit kernels. Events of all CPUs come out in timestamp order (lowest CPU first
 * on equal times, as {@code trace-cmd report}), each CPU read page by page. Records are decoded
 * from the format files in the trace, so events kreplay has no special knowledge of still come out
 * with every field in their body; a {@code kernel_stack} record is attached to the event recorded
 * just before it on the same CPU. Every record is an event, a stack, a marker (lost events),
 * filtered, or skipped with a reason and its byte offset.
 */
public final class TraceDatReader extends ReaderBase<TraceInfo> implements RecordReader, OwnedEvents {
  /** One block (or decompressed chunk) per CPU is held while merging; more CPUs × pages is refused. */
  static final long MAX_MERGE_MEMORY = 128L << 20;
  /** Recent pid → comm lookups (tasks come back again and again). */
  private static final int COMM_CACHE = 256;

  private final ByteSource bytes;
  private final Symbols symbols = new Symbols();
  private final Symbols names = new Symbols();
  private final BodyDecoder decoder = new BodyDecoder(symbols);
  private final DatFile file;
  private final EventRenderer renderer;
  private final TypedFields typed;
  private final KernelFlags kernelFlags;
  private final TextOut out = new TextOut();
  private final long[] frames = new long[512];
  private final int lostTypeId;
  private final int stackTypeId;

  private final int[] commPids = new int[COMM_CACHE];
  private final String[] commCache = new String[COMM_CACHE];
  private boolean fromFile;
  private boolean started;
  /** CPU streams ordered by (timestamp, CPU index): a binary heap, its head the next record. */
  private CpuStream[] heap;
  private int heapSize;
  private EventRecord event = new EventRecord();
  /** Per CPU index: whether the last record taken was delivered (a following stack may attach). */
  private boolean[] lastFiltered;
  private CpuStream lastStream;
  /** For tests: keep a copy of each decoded record and its format. */
  boolean keepRecords;
  private EventFormat lastFormat;
  private byte[] lastBytes = new byte[256];
  private int lastLength;

  /**
   * Opens a trace.dat and reads its metadata; events are read by {@link #next}.
   *
   * @throws TraceFormatException when the file's header or metadata is unusable
   */
  TraceDatReader(String sourceName, ByteSource bytes, ReadOptions options, TraceInfo info) throws IOException {
    super(sourceName, options, info);
    this.bytes = bytes;
    names.intern("lost_events");
    lostTypeId = names.lastId();
    names.intern("kernel_stack");
    stackTypeId = names.lastId();
    try {
      this.file = DatFile.read(bytes, symbols);
    } catch (DatException e) {
      throw fatal(e.offset, e.reason);
    }
    info.markTraceHeader(); // the magic and a readable header: a trace.dat, if maybe an empty one
    this.kernelFlags = KernelFlags.fromUname(file.uname);
    if (KernelFlags.namesPreemptRt(file.uname)) info.setPreemptRt(Boolean.TRUE, "the trace.dat's uname: " + file.uname.strip());
    this.renderer = new EventRenderer(file);
    this.typed = new TypedFields(renderer, symbols, file.endian);
    BufferInstance buffer = chooseBuffer();
    String codec = file.codec == null ? "" : file.compression;
    String outer = info.compression();
    info.setCompression(outer.equals("none") ? (codec.isEmpty() ? "none" : codec) : codec.isEmpty() ? outer : outer + "+" + codec);
    info.setFlagsFormat(kernelFlags.describe());
    info.setDeclaredCpus(file.cpuCount >= 0 ? file.cpuCount : buffer.cpus());
    String clock = buffer.clock != null ? buffer.clock : file.traceClock;
    info.setClock((clock != null ? clock : "local")
        + (file.timeShift ? " (guest time: the file's TIME_SHIFT to host time is not applied)" : ""));
    TimeBase time = new TimeBase(file.tscMult, file.tscShift, file.tsOffset);
    this.buffer = buffer;
    this.time = time;
    List<CpuStream> streams = new ArrayList<>();
    for (int i = 0; i < buffer.cpus(); i++) {
      int cpu = buffer.cpuIds[i];
      if (buffer.dataSizes[i] <= 0) continue;
      if (!options.acceptsCpu(cpu)) {
        stats.noteSelectionNotRead(); // its events are never looked at, so never counted
        continue;
      }
      if (buffer.dataOffsets[i] < 0) {
        damaged(buffer.optionAt, "CPU " + cpu + ": negative data offset");
        continue;
      }
      // Data cut short by the end of the file is read as far as it goes; the stream reports the rest.
      streams.add(new CpuStream(streams.size(), cpu, bytes, file.endian, buffer.pageSize, file.headerPage,
          buffer.compressed ? file.codec : null, time, buffer.dataOffsets[i], buffer.dataSizes[i], buffer.cpus(),
          this::damaged));
    }
    long perCpu = (long) buffer.pageSize * (buffer.compressed ? 10 : 1);
    if (perCpu * streams.size() > MAX_MERGE_MEMORY) {
      throw fatal(buffer.optionAt, streams.size() + " CPUs of " + buffer.pageSize + "-byte pages need more than "
          + (MAX_MERGE_MEMORY >> 20) + " MiB to merge");
    }
    heap = streams.toArray(new CpuStream[0]);
    lastFiltered = new boolean[heap.length];
    heapSize = 0;
  }

  private final BufferInstance buffer;
  private final TimeBase time;

  /**
   * The timestamp of the last record of the buffer read, over all its CPUs, from the end of each
   * CPU's data: its last pages where they are uncompressed (see CpuStream#lastRecordTs).
   * Long.MIN_VALUE when it holds none. Damage is left for the read itself to report.
   */
  public long lastTimestamp() throws IOException {
    long last = Long.MIN_VALUE;
    for (int i = 0; i < buffer.cpus(); i++) {
      if (buffer.dataSizes[i] <= 0 || buffer.dataOffsets[i] < 0) continue;
      CpuStream c = new CpuStream(0, buffer.cpuIds[i], bytes, file.endian, buffer.pageSize, file.headerPage,
          buffer.compressed ? file.codec : null, time, buffer.dataOffsets[i], buffer.dataSizes[i], buffer.cpus(),
          (offset, reason) -> {});
      last = Math.max(last, c.lastRecordTs());
    }
    return last;
  }

  /** Bytes of the file read so far (positional reads), for telling how much finding the end cost. */
  public long bytesConsumed() {
    return bytes.consumed();
  }

  /** Opens a trace.dat file for positional reads. */
  public static TraceDatReader open(String sourceName, java.nio.file.Path path, ReadOptions options, TraceInfo info)
      throws IOException {
    ByteSource src = ByteSource.of(path);
    try {
      TraceDatReader r = new TraceDatReader(sourceName, src, options, info);
      r.fromFile = true;
      return r;
    } catch (IOException | RuntimeException e) {
      src.close();
      throw e;
    }
  }

  /**
   * Opens a trace.dat arriving as a stream (stdin, decompressed .xz): the stream is copied to a
   * temporary file as far as reading needs it, never held in memory.
   */
  public static TraceDatReader open(String sourceName, java.io.InputStream in, ReadOptions options, TraceInfo info)
      throws IOException {
    ByteSource src = ByteSource.spooled(in);
    try {
      return new TraceDatReader(sourceName, src, options, info);
    } catch (IOException | RuntimeException e) {
      src.close();
      throw e;
    }
  }

  private void start() throws IOException {
    started = true;
    CpuStream[] all = heap;
    heapSize = 0;
    for (CpuStream s : all) {
      if (s.advance() != CpuStream.END) {
        heap[heapSize++] = s;
      }
    }
    for (int i = heapSize / 2 - 1; i >= 0; i--) siftDown(i);
  }

  private BufferInstance chooseBuffer() throws TraceFormatException {
    String want = options.instance() == null ? "" : options.instance();
    BufferInstance b = file.buffer(want);
    if (b == null) {
      StringBuilder sb = new StringBuilder();
      for (BufferInstance x : file.buffers) {
        if (!x.name.isEmpty()) sb.append(sb.length() == 0 ? "" : ", ").append(x.name);
      }
      throw fatal(0, want.isEmpty() ? "trace.dat has no top-instance buffer (instances: " + sb + ")"
          : "no buffer instance named '" + want + "' (instances: " + (sb.length() == 0 ? "none" : sb) + ")");
    }
    if (b.latency) {
      throw fatal(b.optionAt, b.label() + " holds latency-tracer text, not ring-buffer pages; kreplay cannot read it");
    }
    return b;
  }



  /** Bytes of the file read so far; -1 for a stream, whose stored bytes the caller counts. */
  @Override
  public long inputBytesRead() {
    return fromFile ? bytes.consumed() : -1;
  }

  @Override
  public long inputSize() {
    return fromFile ? bytes.knownSize() : -1;
  }

  @Override
  public void close() throws IOException {
    bytes.close();
  }

  @Override
  public EventRecord nextOwned(EventRecord replacement) throws IOException {
    EventRecord e = next();
    if (e != null) event = replacement;
    return e;
  }

  @Override
  public EventRecord next() throws IOException {
    try {
      return nextEvent();
    } catch (RuntimeException e) {
      // A decoding bug must not escape as anything but a located format error.
      long at = lastStream != null ? lastStream.recordOffset() : 0;
      throw fatal(at, "cannot decode record (" + e + ")");
    }
  }

  private EventRecord nextEvent() throws IOException {
    if (!started) start();
    while (heapSize > 0) {
      CpuStream s = heap[0];
      if (s.ts > options.toNs() && options.toNs() != Long.MAX_VALUE) {
        heapSize = 0; // every CPU is past the window: the rest is not read
        stats.noteSelectionNotRead();
        break;
      }
      EventRecord ev = event;
      boolean emitted;
      stats.countLine();
      if (s.state == CpuStream.LOST) {
        emitted = lost(s, ev);
        s.advance();
      } else if (!options.acceptsTime(s.ts)) { // before --from (the first call places a --from +N)
        if (isEvent(s)) stats.countFilteredEvent();
        else stats.countFiltered();
        lastFiltered[s.index] = true;
        s.advance();
        emitted = false;
      } else {
        emitted = record(s, ev);
        s.advance();
        if (emitted) attachStack(s, ev);
      }
      resift();
      if (emitted) return ev;
    }
    return null;
  }

  /** After the top stream moved: re-sort it, or drop it at its end. */
  private void resift() {
    if (heap[0].state == CpuStream.END) {
      heap[0] = heap[--heapSize];
      heap[heapSize] = null;
    }
    if (heapSize == 2) {
      // The common case of two CPUs: one comparison.
      if (less(heap[1], heap[0])) {
        CpuStream t = heap[0];
        heap[0] = heap[1];
        heap[1] = t;
      }
    } else if (heapSize > 2) {
      siftDown(0);
    }
  }

  private boolean less(CpuStream a, CpuStream b) {
    int c = Long.compareUnsigned(a.ts, b.ts);
    return c < 0 || (c == 0 && a.index < b.index);
  }

  private void siftDown(int i) {
    CpuStream x = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= heapSize) break;
      int r = l + 1;
      int m = r < heapSize && less(heap[r], heap[l]) ? r : l;
      if (!less(heap[m], x)) break;
      heap[i] = heap[m];
      i = m;
    }
    heap[i] = x;
  }

  /** A lost-events marker, as the text form's {@code CPU:N [LOST M EVENTS]}. */
  private boolean lost(CpuStream s, EventRecord ev) {
    lastFiltered[s.index] = false;
    if (!options.accepts(s.cpu, s.ts) || (!options.keepContext()
        && options.selection().atHeader(EventRecord.UNKNOWN, null, "lost_events", EventKind.LOST_EVENTS)
            != EventSelection.Verdict.SELECTED)) {
      stats.countFiltered();
      return false;
    }
    stats.countMarker();
    stats.countLost(s.lostCount);
    ev.clear();
    ev.setName("lost_events", EventKind.LOST_EVENTS, lostTypeId).setCpu(s.cpu).setTimestamp(s.ts);
    ev.setLine(s.recordOffset());
    ev.setValue1(s.lostCount);
    return true;
  }

  /**
   * Whether a record left out by --from would have been an event: not a user stack, not the kernel
   * stack of the (also left out) event before it on its CPU, not a record of an unknown id.
   */
  private boolean isEvent(CpuStream s) {
    if (s.recLength < 2) return false;
    EventFormat f = file.format(file.endian.u16(s.buffer(), s.recStart));
    if (f == null || f.shape == EventRenderer.Shape.USER_STACK) return false;
    return f.shape != EventRenderer.Shape.KERNEL_STACK || !lastFiltered[s.index];
  }

  /** Decodes the record {@code s} is on into {@code ev}; false when it is skipped or not an event. */
  private boolean record(CpuStream s, EventRecord ev) throws IOException {
    lastStream = s;
    boolean afterFiltered = lastFiltered[s.index];
    lastFiltered[s.index] = false;
    EventFormat f = format(s);
    if (f == null) return false;
    byte[] b = s.buffer();
    int off = s.recStart;
    int len = s.recLength;
    if (keepRecords) keep(b, off, len);
    switch (f.shape) {
      case USER_STACK:
        stats.countStackFrame(); // as the text reader: user stacks are not kept
        return false;
      case KERNEL_STACK:
        if (afterFiltered) {
          stats.countFiltered(); // the stack of a filtered event
          lastFiltered[s.index] = true;
          return false;
        }
        // Not right after an event of this CPU: a stack event of its own.
        ev.clear();
        header(s, f, ev, b, off);
        ev.setBody("<stack trace>");
        addFrames(f, b, off, len, ev);
        stats.countEvent();
        return true;
      default:
        break;
    }
    ev.clear();
    header(s, f, ev, b, off);
    EventSelection.Verdict verdict = options.selection().isEmpty() ? EventSelection.Verdict.SELECTED
        : options.selection().atHeader(ev.pid(), ev.comm(), f.name, f.kind);
    if (verdict == EventSelection.Verdict.NOT_SELECTED) {
      if (!options.keepContext()) return drop(s);
      ev.setContextOnly(true);
      if (!EventSelection.contextNeedsBody(f.kind)) {
        stats.countFilteredEvent();
        return true; // its header is all the replay's context needs: the record is not decoded
      }
    }
    // Typed fields come from the record where TypedFields knows the kind, else from the body text.
    boolean decodeText = f.typed == null && f.kind != EventKind.OTHER;
    try {
      if (options.bodies() || decodeText) {
        renderer.render(f, b, off, len, out);
        ev.setBody(out.buf, 0, out.len);
      }
      if (f.typed != null && !typed.fill(f, b, off, len, ev)) {
        skip(s.recordOffset(), BodyDecoder.failure(ev), "");
        return false;
      }
    } catch (EventRenderer.BadRecord e) {
      skip(s.recordOffset(), f.name + ": " + e.getMessage(), "");
      return false;
    }
    if (decodeText && !decoder.decode(ev)) {
      skip(s.recordOffset(), BodyDecoder.failure(ev), f.name + ": " + ev.body());
      return false;
    }
    if (verdict == EventSelection.Verdict.BY_BODY && !options.selection().selectsByBody(ev)) {
      if (!options.keepContext()) return drop(s);
      ev.setContextOnly(true);
    }
    if (ev.contextOnly()) stats.countFilteredEvent();
    else stats.countEvent();
    return true;
  }

  /** A record the selection leaves out, context not kept: not selected, and a stack after it goes with it. */
  private boolean drop(CpuStream s) {
    stats.countFilteredEvent();
    lastFiltered[s.index] = true;
    return false;
  }

  private void header(CpuStream s, EventFormat f, EventRecord ev, byte[] b, int off) {
    int pid = f.pidOffset >= 0 ? file.endian.s32(b, off + f.pidOffset) : EventRecord.UNKNOWN;
    int flags = f.flagsOffset >= 0 && f.preemptOffset >= 0
        ? kernelFlags.decode(b[off + f.flagsOffset] & 0xff, b[off + f.preemptOffset] & 0xff) : 0;
    ev.setTimestamp(s.ts).setCpu(s.cpu).setPid(pid).setFlags(flags).setLine(s.recordOffset());
    int slot = pid & (COMM_CACHE - 1);
    String comm = commCache[slot];
    if (comm == null || commPids[slot] != pid) {
      comm = file.cmdlines.comm(pid);
      commCache[slot] = comm;
      commPids[slot] = pid;
    }
    ev.setComm(comm);
    ev.setName(f.name, f.kind, f.typeId);
  }

  /** The record's event format, parsed on first use; null (and counted) when unusable. */
  private EventFormat format(CpuStream s) throws IOException {
    if (s.recLength < 2) {
      skip(s.recordOffset(), "record too short for an event id", "");
      return null;
    }
    int id = file.endian.u16(s.buffer(), s.recStart);
    EventFormat f = file.format(id);
    if (f == null) {
      skip(s.recordOffset(), "record of unknown event id " + id, "");
      return null;
    }
    String why = prepare(f);
    if (why != null) {
      skip(s.recordOffset(), "unusable format of " + f.name + ": " + why, "");
      return null;
    }
    if (s.recLength < f.minLength) {
      skip(s.recordOffset(), "record shorter than the " + f.name + " format (" + s.recLength + " < "
          + f.minLength + " bytes)", "");
      return null;
    }
    lastFormat = f;
    return f;
  }

  /** Parses a format on first use and settles how its events are rendered; null or why it is unusable. */
  private String prepare(EventFormat f) {
    if (f.shape != null) return null;
    String why = f.parse(file.kernelLongSize());
    if (why != null) return why;
    f.kind = EventKind.forName(f.name);
    f.typeId = f.system.equals("ftrace") && f.name.equals("kernel_stack") ? stackTypeId : typeId(f.name);
    f.pidOffset = offsetOf(f, "common_pid", 4);
    f.flagsOffset = offsetOf(f, "common_flags", 1);
    f.preemptOffset = offsetOf(f, "common_preempt_count", 1);
    // PREEMPT_RT's lazy preemption adds a common field (the 7-column flags of its text output); the
    // uname option of such a file names only the release ("6.1.0-57-rt-amd64"), not PREEMPT_RT
    if (f.field("common_preempt_lazy_count") != null && info.preemptRt() == null) {
      info.setPreemptRt(Boolean.TRUE, "the trace.dat's events have common_preempt_lazy_count (lazy preemption)");
    }
    f.shape = renderer.shapeOf(f);
    if (f.shape == EventRenderer.Shape.KERNEL_STACK) f.kind = EventKind.KERNEL_STACK;
    f.typed = TypedFields.plan(f);
    return null;
  }

  private int typeId(String name) {
    names.intern(name);
    return names.lastId();
  }

  private static int offsetOf(EventFormat f, String name, int size) {
    FieldFormat x = f.field(name);
    return x != null && x.size == size ? x.offset : -1;
  }

  /** After an event: a kernel_stack record next on the same CPU belongs to it. */
  private void attachStack(CpuStream s, EventRecord ev) throws IOException {
    if (s.state != CpuStream.RECORD || ev.kind() == EventKind.KERNEL_STACK || s.recLength < 2) return;
    EventFormat f = file.format(file.endian.u16(s.buffer(), s.recStart));
    if (f == null || prepare(f) != null || f.shape != EventRenderer.Shape.KERNEL_STACK) return;
    if (s.ts > options.toNs() || s.recLength < f.minLength) return;
    // A probe's stack is an event of its own (the trigger fires when the filter drops the hit too).
    int n = renderer.stackFrames(f, s.buffer(), s.recStart, s.recLength, frames);
    if (n > 0 && options.probeFrames().test(renderer.frameName(frames[0]))) return;
    stats.countLine();
    stats.countStackFrame();
    addFrames(n, ev);
    s.advance();
  }

  private void addFrames(EventFormat f, byte[] b, int off, int len, EventRecord ev) {
    addFrames(renderer.stackFrames(f, b, off, len, frames), ev);
  }

  /** The {@code n} frames {@code renderer.stackFrames} left in {@link #frames}, as names. */
  private void addFrames(int n, EventRecord ev) {
    for (int i = 0; i < n; i++) {
      String name = renderer.frameName(frames[i]);
      ev.stack().add(symbols.intern(name));
    }
  }

  // ---- problems

  /** Damage not tied to a record taken from the merge (a page, a chunk): one input item, skipped. */
  private void damaged(long offset, String reason) throws IOException {
    stats.countLine();
    skip(offset, reason, "");
  }

  /** A record (already counted as an input item) that cannot be used. */
  private void skip(long offset, String reason, String excerpt) throws IOException {
    InputProblem p = InputProblem.atOffset(source, offset, reason, excerpt);
    skip(p);
  }

  private TraceFormatException fatal(long offset, String reason) {
    return new TraceFormatException(InputProblem.atOffset(source, offset, reason, ""));
  }

  // ---- for tests in this package

  private void keep(byte[] b, int off, int len) {
    if (lastBytes.length < len) lastBytes = new byte[len];
    System.arraycopy(b, off, lastBytes, 0, len);
    lastLength = len;
  }

  /** The format of the record behind the last event returned (with {@link #keepRecords}). */
  EventFormat lastFormat() {
    return lastFormat;
  }

  /** A copy of that record's bytes (valid up to {@link #lastLength()}). */
  byte[] lastRecord() {
    return lastBytes;
  }

  int lastLength() {
    return lastLength;
  }

  DatFile file() {
    return file;
  }

  EventRenderer renderer() {
    return renderer;
  }
}
