package org.kreplay.ingest.internal.tracedat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kreplay.ingest.internal.Symbols;
import org.kreplay.ingest.internal.tracedat.Cursor.BufferCursor;
import org.kreplay.ingest.internal.tracedat.Cursor.FileCursor;

/**
 * Everything in a trace.dat except the ring-buffer pages: file header, header page/event layout,
 * event formats, kallsyms, printk formats, saved cmdlines, options and the buffer instances.
 * Version 6 is read front to back; version 7 by following its options sections to the other
 * sections (the man page's 4-byte section size is really 8 bytes, and the BUFFER option carries a
 * page size; see trace-formats.md §2.5).
 */
final class DatFile {
  static final byte[] MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};

  // Option ids (trace-cmd's TRACECMD_OPTION_*).
  static final int OPT_DONE = 0;
  static final int OPT_DATE = 1;
  static final int OPT_CPUSTAT = 2;
  static final int OPT_BUFFER = 3;
  static final int OPT_TRACECLOCK = 4;
  static final int OPT_UNAME = 5;
  static final int OPT_OFFSET = 7;
  static final int OPT_CPUCOUNT = 8;
  static final int OPT_VERSION = 9;
  static final int OPT_TIME_SHIFT = 12;
  static final int OPT_TSC2NSEC = 14;
  static final int OPT_HEADER_INFO = 16;
  static final int OPT_FTRACE_EVENTS = 17;
  static final int OPT_EVENT_FORMATS = 18;
  static final int OPT_KALLSYMS = 19;
  static final int OPT_PRINTK = 20;
  static final int OPT_CMDLINES = 21;
  static final int OPT_BUFFER_TEXT = 22;
  static final int SEC_FLYRECORD = 3;

  // Limits on lengths read from the file, checked before anything is allocated.
  static final int MAX_SMALL_TEXT = 1 << 16;
  static final int MAX_FORMAT = 1 << 20;
  static final int MAX_OPTION = 16 << 20;
  static final int MAX_TABLE = 64 << 20;
  static final int MAX_COUNT = 1 << 16;
  static final int MAX_CPUS = 1 << 14;
  /** Ring-buffer sub-buffers are 4 KiB by default; kernels from 6.8 allow larger ones. */
  static final int MIN_PAGE = 256;
  static final int MAX_PAGE = 1 << 20;
  static final int MAX_BUFFERS = 256;

  final ByteSource source;
  int version;
  Endian endian;
  /** Size of a long in the tracing user space; the kernel's comes from header_page. */
  int userLongSize;
  int pageSize;
  /** "none", "zlib" or "zstd". */
  String compression = "none";
  Codec codec;

  FormatParser.HeaderPage headerPage;
  /** Formats by event id. */
  EventFormat[] formats = new EventFormat[0];
  Kallsyms kallsyms = Kallsyms.EMPTY;
  PrintkFormats printk = PrintkFormats.EMPTY;
  Cmdlines cmdlines = new Cmdlines();

  int cpuCount = -1;
  String traceClock;
  long tsOffset;
  int tscMult;
  int tscShift;
  long tscOffset;
  /** A guest trace with host time-sync samples (TIME_SHIFT); kreplay keeps guest time. */
  boolean timeShift;
  String uname;
  String traceCmdVersion;
  final StringBuilder cpustats = new StringBuilder();
  final List<BufferInstance> buffers = new ArrayList<>();
  // The raw metadata, kept for tools that re-encode a file (tests); small next to the data.
  String headerPageText = "";
  String headerEventText = "";
  final List<EventFormat> ftraceFormats = new ArrayList<>();
  final java.util.LinkedHashMap<String, List<EventFormat>> systems = new java.util.LinkedHashMap<>();
  byte[] kallsymsText = new byte[0];
  byte[] printkText = new byte[0];
  byte[] cmdlinesText = new byte[0];
  /** Options other than BUFFER, section offsets and DONE, as stored: id and data. */
  final List<Object[]> plainOptions = new ArrayList<>();
  /** v6: a TRACECLOCK option announces the clock text after the CPU table. */
  private boolean clockAfterCpus;
  /** Section offsets from v7 options, and where each option is (for messages). */
  private final long[] sections = new long[32];
  private final long[] sectionPointers = new long[32];
  /** Where the DONE option that pointed to the next options section is. */
  private long donePointer;
  private final Symbols symbols;

  private DatFile(ByteSource source, Symbols symbols) {
    this.source = source;
    this.symbols = symbols;
    java.util.Arrays.fill(sections, -1);
  }

  /** Kernel long size (the page header's commit word). */
  int kernelLongSize() {
    return headerPage.commitSize;
  }

  BufferInstance buffer(String name) {
    for (BufferInstance b : buffers) {
      if (b.name.equals(name)) return b;
    }
    return null;
  }

  EventFormat format(int id) {
    return id >= 0 && id < formats.length ? formats[id] : null;
  }

  static DatFile read(ByteSource source, Symbols symbols) throws IOException {
    DatFile f = new DatFile(source, symbols);
    f.readHeader();
    return f;
  }

  private void readHeader() throws IOException {
    FileCursor c = new FileCursor(source, Endian.LITTLE, 0);
    c.what = "file header";
    byte[] magic = new byte[10];
    c.readFully(magic, 0, 10);
    if (!java.util.Arrays.equals(magic, MAGIC)) throw new DatException(0, "not a trace-cmd trace.dat (bad magic)");
    String v = c.cstring(16);
    try {
      version = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new DatException(10, "file version '" + v + "' is not a number");
    }
    if (version != 6 && version != 7) {
      throw new DatException(10, "trace.dat version " + version + " is not supported (6 and 7 are)");
    }
    long at = c.position();
    int e = c.u8();
    if (e > 1) throw new DatException(at, "endian byte " + e + " is neither 0 (little) nor 1 (big)");
    endian = e == 1 ? Endian.BIG : Endian.LITTLE;
    c = new FileCursor(source, endian, c.position());
    c.what = "file header";
    at = c.position();
    userLongSize = c.u8();
    if (userLongSize != 4 && userLongSize != 8) throw new DatException(at, "long size " + userLongSize + " is neither 4 nor 8");
    at = c.position();
    long ps = c.u32();
    if (ps < MIN_PAGE || ps > MAX_PAGE || Long.bitCount(ps) != 1) {
      throw new DatException(at, "page size " + ps + " is not a power of two between 256 bytes and 1 MiB");
    }
    pageSize = (int) ps;
    if (version == 6) {
      readV6(c);
    } else {
      at = c.position();
      String name = c.cstring(64);
      c.cstring(64); // codec version: trace-cmd accepts any version of a codec it knows
      compression = name;
      if (!name.equals("none")) {
        codec = Codec.forName(name);
        if (codec == null) throw new DatException(at, "unknown compression '" + name + "' (kreplay reads none, zlib and zstd)");
      }
      long pointer = c.position();
      long options = c.u64();
      readV7(options, pointer);
    }
    if (headerPage == null) throw new DatException(0, "trace.dat has no header_page");
    for (BufferInstance b : buffers) {
      if (b.pageSize == 0) b.pageSize = pageSize;
    }
  }

  // ---- v6: sections in a fixed order

  private void readV6(FileCursor c) throws IOException {
    readHeaderFiles(c);
    readFtraceFormats(c);
    readEventFormats(c);
    readKallsyms(c);
    readPrintk(c);
    readCmdlines(c);
    c.what = "CPU count";
    long cpus = c.u32();
    if (cpus > MAX_CPUS) throw new DatException(c.position() - 4, "CPU count " + cpus + " out of range");
    cpuCount = (int) cpus;
    BufferInstance top = new BufferInstance("", c.position());
    buffers.add(top);
    readV6Data(c, top, true);
    for (int i = 1; i < buffers.size(); i++) {
      BufferInstance b = buffers.get(i);
      c.seek(b.offset);
      readV6Data(c, b, false);
    }
  }

  /** The tag(s) after the CPU count (or at an instance's offset): options, then flyrecord. */
  private void readV6Data(FileCursor c, BufferInstance b, boolean top) throws IOException {
    c.what = b.label() + " data tag";
    String tag = tag(c);
    if (tag.startsWith("options")) {
      c.what = "options";
      readOptions(c, 6, top);
      c.what = b.label() + " data tag";
      tag = tag(c);
    }
    if (tag.startsWith("latency")) {
      b.latency = true;
      return;
    }
    if (!tag.startsWith("flyrecord")) throw new DatException(c.position() - 10, "expected 'flyrecord', found '" + tag.strip() + "'");
    int cpus = cpuCount;
    b.optionAt = c.position();
    b.cpuIds = new int[cpus];
    b.dataOffsets = new long[cpus];
    b.dataSizes = new long[cpus];
    c.what = b.label() + " CPU table";
    for (int i = 0; i < cpus; i++) {
      b.cpuIds[i] = i;
      b.dataOffsets[i] = c.u64();
      b.dataSizes[i] = c.u64();
    }
    b.clock = null;
    if (top && clockAfterCpus) {
      c.what = "trace clock";
      long size = c.u64();
      byte[] text = c.bytes(size, MAX_SMALL_TEXT, "trace clock size");
      traceClock = clockName(new String(text, StandardCharsets.UTF_8));
    }
  }

  private static String tag(Cursor c) throws IOException {
    byte[] t = new byte[10];
    c.readFully(t, 0, 10);
    int n = 0;
    while (n < 10 && t[n] != 0) n++;
    return new String(t, 0, n, StandardCharsets.ISO_8859_1);
  }

  // ---- v7: options sections pointing at the other sections

  private void readV7(long first, long firstPointer) throws IOException {
    Set<Long> seen = new HashSet<>();
    long next = first;
    long pointer = firstPointer;
    while (next != 0) {
      if (!seen.add(next) || seen.size() > 256) throw new DatException(pointer, "options sections form a loop");
      Cursor c = openSection(next, pointer, OPT_DONE, "options section");
      next = readOptions(c, 7, true);
      pointer = donePointer;
    }
    if (sections[OPT_HEADER_INFO] < 0) throw new DatException(firstPointer, "no HEADER_INFO option: no header_page in the file");
    readHeaderFiles(section(OPT_HEADER_INFO, "headers section"));
    if (sections[OPT_FTRACE_EVENTS] >= 0) readFtraceFormats(section(OPT_FTRACE_EVENTS, "ftrace events section"));
    if (sections[OPT_EVENT_FORMATS] >= 0) readEventFormats(section(OPT_EVENT_FORMATS, "event formats section"));
    if (sections[OPT_KALLSYMS] >= 0) readKallsyms(section(OPT_KALLSYMS, "kallsyms section"));
    if (sections[OPT_PRINTK] >= 0) readPrintk(section(OPT_PRINTK, "printk section"));
    if (sections[OPT_CMDLINES] >= 0) readCmdlines(section(OPT_CMDLINES, "cmdlines section"));
    for (BufferInstance b : buffers) {
      if (b.latency) continue;
      long size = source.knownSize();
      if (b.offset < 0 || (size >= 0 && b.offset + 16 > size)) {
        throw new DatException(b.optionAt, b.label() + ": data section offset " + Long.toUnsignedString(b.offset)
            + " is outside the file");
      }
      FileCursor c = new FileCursor(source, endian, b.offset);
      c.what = b.label() + " data section header";
      int id = c.u16();
      int flags = c.u16();
      if (id != SEC_FLYRECORD) throw new DatException(b.offset, b.label() + ": expected a flyrecord section (id 3), found id " + id);
      b.compressed = (flags & 1) != 0;
      if (b.compressed && codec == null) throw new DatException(b.offset, b.label() + " is compressed but the file names no codec");
    }
  }

  /**
   * Positions a cursor on the body of the section at {@code offset}: a v7 section header (u16 id,
   * u16 flags, u32 description, u64 size) then the data, or one compressed block (u32 compressed
   * size, u32 size, bytes) when flag bit 0 is set.
   */
  private Cursor section(int id, String what) throws IOException {
    return openSection(sections[id], sectionPointers[id], id, what);
  }

  /** @param pointer where the offset was read, named in the message when the offset is bad */
  private Cursor openSection(long offset, long pointer, int expectedId, String what) throws IOException {
    FileCursor c = new FileCursor(source, endian, offset);
    c.what = what + " header";
    long size = source.knownSize();
    if (offset <= 0 || (size >= 0 && offset >= size)) {
      throw new DatException(pointer, what + " offset " + Long.toUnsignedString(offset) + " is outside the file");
    }
    int id = c.u16();
    int flags = c.u16();
    c.u32(); // description string id
    long length = c.u64();
    if (id != expectedId) throw new DatException(offset, what + ": section id " + id + ", expected " + expectedId);
    if ((flags & 1) == 0) {
      c.what = what;
      byte[] body = c.bytes(length, MAX_TABLE, what + " size");
      return new BufferCursor(body, body.length, c.position() - body.length, endian, false);
    }
    if (codec == null) throw new DatException(offset, what + " is compressed but the file names no codec");
    c.what = what;
    long blockAt = c.position();
    long csize = c.u32();
    long usize = c.u32();
    if (usize > MAX_TABLE || usize > csize * 256 + (1 << 20)) {
      throw new DatException(blockAt, what + ": uncompressed size " + usize + " is implausible for " + csize + " compressed bytes");
    }
    byte[] in = c.bytes(csize, MAX_TABLE, what + " compressed size");
    byte[] out = new byte[(int) usize];
    codec.decompress(in, 0, in.length, out, (int) usize, blockAt);
    BufferCursor b = new BufferCursor(out, out.length, blockAt, endian, true);
    b.what = what;
    return b;
  }

  /**
   * Reads options up to DONE. v6: DONE is a bare id. v7: DONE carries the offset of the next
   * options section, which is returned (0 = last).
   */
  private long readOptions(Cursor c, int v, boolean top) throws IOException {
    for (int k = 0; ; k++) {
      long at = c.position();
      int id = c.u16();
      if (v == 6 && id == OPT_DONE) return 0;
      long size = c.u32();
      byte[] data = c.bytes(size, MAX_OPTION, "option " + id + " size");
      if (k > 100_000) throw new DatException(at, "too many options");
      if (id != OPT_DONE && id != OPT_BUFFER && id != OPT_BUFFER_TEXT && (id < OPT_HEADER_INFO || id > OPT_CMDLINES)) {
        plainOptions.add(new Object[] {id, data});
      }
      switch (id) {
        case OPT_DONE:
          if (data.length < 8) throw new DatException(at, "DONE option shorter than 8 bytes");
          donePointer = at;
          return endian.s64(data, 0);
        case OPT_DATE:
          if (top) tsOffset += parseCLong(data) * 1000;
          break;
        case OPT_OFFSET:
          if (top) tsOffset += parseCLong(data);
          break;
        case OPT_CPUSTAT:
          cpustats.append(new String(data, StandardCharsets.UTF_8).replace('\0', '\n'));
          break;
        case OPT_BUFFER:
        case OPT_BUFFER_TEXT:
          buffer(data, id, at, v);
          break;
        case OPT_TRACECLOCK:
          if (v == 6) {
            clockAfterCpus = true;
          } else {
            traceClock = clockName(cstr(data));
          }
          break;
        case OPT_UNAME:
          uname = cstr(data);
          break;
        case OPT_VERSION:
          traceCmdVersion = cstr(data);
          break;
        case OPT_CPUCOUNT:
          if (data.length >= 4) {
            long n = endian.u32(data, 0);
            if (n > MAX_CPUS) throw new DatException(at, "CPUCOUNT " + n + " out of range");
            cpuCount = (int) n;
          }
          break;
        case OPT_TIME_SHIFT:
          timeShift = true;
          break;
        case OPT_TSC2NSEC:
          if (data.length >= 16) {
            tscMult = endian.s32(data, 0);
            tscShift = endian.s32(data, 4);
            tscOffset = endian.s64(data, 8);
            if (tscShift < 0 || tscShift > 32) throw new DatException(at, "TSC2NSEC shift " + tscShift + " out of range");
          }
          break;
        case OPT_HEADER_INFO:
        case OPT_FTRACE_EVENTS:
        case OPT_EVENT_FORMATS:
        case OPT_KALLSYMS:
        case OPT_PRINTK:
        case OPT_CMDLINES:
          if (data.length >= 8) {
            sections[id] = endian.s64(data, 0);
            sectionPointers[id] = at;
          }
          break;
        default:
          break; // HOOK, PROCMAPS, TRACEID, GUEST, STRINGS…: nothing kreplay uses
      }
    }
  }

  /** BUFFER: u64 offset, name; v7 adds clock, u32 page size, u32 CPUs and per CPU {u32 id, u64 offset, u64 size}. */
  private void buffer(byte[] data, int id, long at, int v) throws DatException {
    BufferCursor c = new BufferCursor(data, data.length, at + 6, endian, false);
    c.what = "BUFFER option";
    try {
      long offset = c.u64();
      String name = c.cstring(4096);
      BufferInstance b = new BufferInstance(name, offset);
      b.optionAt = at;
      if (buffer(name) != null) throw new DatException(at, "two buffer instances named '" + name + "'");
      if (buffers.size() >= MAX_BUFFERS) throw new DatException(at, "more than " + MAX_BUFFERS + " buffer instances");
      if (v == 7) {
        b.clock = clockName(c.cstring(256));
        if (id == OPT_BUFFER_TEXT) {
          b.latency = true;
        } else {
          long ps = c.u32();
          if (ps < MIN_PAGE || ps > MAX_PAGE || Long.bitCount(ps) != 1) {
            throw new DatException(at, b.label() + ": sub-buffer size " + ps
                + " is not a power of two between 256 bytes and 1 MiB");
          }
          b.pageSize = (int) ps;
          long cpus = c.u32();
          if (cpus > MAX_CPUS || cpus * 20 > c.remaining()) {
            throw new DatException(at, b.label() + ": CPU count " + cpus + " does not fit the option");
          }
          int n = (int) cpus;
          b.cpuIds = new int[n];
          b.dataOffsets = new long[n];
          b.dataSizes = new long[n];
          for (int i = 0; i < n; i++) {
            long cpu = c.u32();
            if (cpu >= MAX_CPUS) throw new DatException(at, b.label() + ": CPU id " + cpu + " out of range");
            b.cpuIds[i] = (int) cpu;
            b.dataOffsets[i] = c.u64();
            b.dataSizes[i] = c.u64();
          }
        }
      }
      buffers.add(b);
    } catch (DatException e) {
      throw e;
    } catch (IOException e) {
      throw new DatException(at, "malformed BUFFER option");
    }
  }

  /** "[local] global counter" → "local"; a bare name stays. */
  static String clockName(String text) {
    String t = text.strip();
    int open = t.indexOf('[');
    int close = t.indexOf(']', open + 1);
    if (open >= 0 && close > open) return t.substring(open + 1, close);
    int sp = t.indexOf(' ');
    return sp < 0 ? t : t.substring(0, sp);
  }

  private static String cstr(byte[] data) {
    int n = 0;
    while (n < data.length && data[n] != 0) n++;
    return new String(data, 0, n, StandardCharsets.UTF_8).strip();
  }

  /** strtoll(s, NULL, 0): decimal, 0x hex or 0 octal, optional sign, stops at the first other character. */
  static long parseCLong(byte[] data) {
    String s = cstr(data);
    int i = 0;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
    int radix = 10;
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      radix = 16;
      i += 2;
    } else if (s.startsWith("0", i)) {
      radix = 8;
    }
    long v = 0;
    for (; i < s.length(); i++) {
      int d = Character.digit(s.charAt(i), radix);
      if (d < 0) break;
      v = v * radix + d;
    }
    return neg ? -v : v;
  }

  // ---- the metadata sections (same payload in v6 and v7)

  private void readHeaderFiles(Cursor c) throws IOException {
    c.what = "header_page";
    long at = c.position();
    if (!tag(c, 12).equals("header_page")) throw new DatException(at, "expected 'header_page'");
    long size = c.u64();
    at = c.position();
    String page = new String(c.bytes(size, MAX_SMALL_TEXT, "header_page size"), StandardCharsets.UTF_8);
    headerPage = FormatParser.headerPage(page, userLongSize, at);
    headerPageText = page;
    c.what = "header_event";
    at = c.position();
    if (!tag(c, 13).equals("header_event")) throw new DatException(at, "expected 'header_event'");
    size = c.u64();
    at = c.position();
    headerEventText = new String(c.bytes(size, MAX_SMALL_TEXT, "header_event size"), StandardCharsets.UTF_8);
    FormatParser.headerEvent(headerEventText, at);
  }

  private static String tag(Cursor c, int n) throws IOException {
    byte[] t = new byte[n];
    c.readFully(t, 0, n);
    int k = 0;
    while (k < n && t[k] != 0) k++;
    return new String(t, 0, k, StandardCharsets.ISO_8859_1);
  }

  private void readFtraceFormats(Cursor c) throws IOException {
    c.what = "ftrace event formats";
    long count = c.u32();
    if (count > MAX_COUNT) throw new DatException(c.position() - 4, "ftrace format count " + count + " out of range");
    for (long i = 0; i < count; i++) ftraceFormats.add(addFormat(c, "ftrace"));
  }

  private void readEventFormats(Cursor c) throws IOException {
    c.what = "event formats";
    long systemCount = c.u32();
    if (systemCount > MAX_COUNT) {
      throw new DatException(c.position() - 4, "event system count " + systemCount + " out of range");
    }
    for (long s = 0; s < systemCount; s++) {
      String system = c.cstring(256);
      long count = c.u32();
      if (count > MAX_COUNT) throw new DatException(c.position() - 4, "event count " + count + " of system " + system + " out of range");
      List<EventFormat> list = systems.computeIfAbsent(system, k -> new ArrayList<>());
      for (long i = 0; i < count; i++) list.add(addFormat(c, system));
    }
  }

  private EventFormat addFormat(Cursor c, String system) throws IOException {
    long size = c.u64();
    long at = c.position();
    byte[] text = c.bytes(size, MAX_FORMAT, "event format size");
    EventFormat f = FormatParser.header(system, new String(text, StandardCharsets.UTF_8), at);
    if (f.id >= formats.length) formats = java.util.Arrays.copyOf(formats, Math.max(f.id + 1, formats.length * 2));
    formats[f.id] = f;
    return f;
  }

  private void readKallsyms(Cursor c) throws IOException {
    c.what = "kallsyms";
    long size = c.u32();
    if (size == 0) return;
    kallsymsText = c.bytes(size, MAX_TABLE, "kallsyms size");
    kallsyms = Kallsyms.parse(kallsymsText, symbols);
  }

  private void readPrintk(Cursor c) throws IOException {
    c.what = "printk formats";
    long size = c.u32();
    if (size == 0) return;
    printkText = c.bytes(size, MAX_TABLE, "printk formats size");
    printk = PrintkFormats.parse(printkText);
  }

  private void readCmdlines(Cursor c) throws IOException {
    c.what = "saved cmdlines";
    long size = c.u64();
    if (size == 0) return;
    cmdlinesText = c.bytes(size, MAX_TABLE, "saved cmdlines size");
    cmdlines = Cmdlines.parse(cmdlinesText, symbols);
  }
}
