package org.kreplay.ingest.internal.tracedat;

import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.kreplay.ingest.internal.Symbols;

/**
 * Test tool: re-encodes a recorded trace.dat as another file of the same trace — version 6 or 7,
 * no/zlib/zstd compression, little- or big-endian, a 64- or 32-bit kernel — with extra options.
 * Pages are decoded here independently of the reader (the kbuffer rules), every record is re-laid
 * out field by field from its format, and the pages are encoded again with the same timestamps.
 * A 32-bit kernel has 4-byte longs and pointers: those fields shrink (values keep their low 32
 * bits, kallsyms and printk addresses likewise), the format files get new offsets and sizes, and
 * the page header a 4-byte commit word.
 */
final class DatWriter {
  /** One ring-buffer page: its timestamp, lost-events flag and records. */
  static final class Page {
    long ts;
    boolean missed;
    /** Stored count of lost events, or -1 when the page only says "lost". */
    long missedCount = -1;
    final List<Rec> recs = new ArrayList<>();
  }

  /** A record with its absolute (raw) timestamp. */
  static final class Rec {
    long ts;
    byte[] payload;

    /** A record built by a test: its payload and its absolute timestamp. */
    static Rec of(byte[] payload, long ts) {
      Rec r = new Rec();
      r.payload = payload;
      r.ts = ts;
      return r;
    }
  }

  /** What the writer produces. */
  static final class Target {
    int version = 7;
    boolean big;
    boolean bits32;
    String compression = "zstd";
    final List<Object[]> extraOptions = new ArrayList<>();

    Target version(int v) {
      version = v;
      return this;
    }

    Target big(boolean b) {
      big = b;
      return this;
    }

    Target bits32(boolean b) {
      bits32 = b;
      return this;
    }

    Target compression(String c) {
      compression = c;
      return this;
    }

    Target option(int id, byte[] data) {
      extraOptions.add(new Object[] {id, data});
      return this;
    }
  }

  final DatFile src;
  final List<List<Page>> cpus = new ArrayList<>();
  final int[] cpuIds;
  final String clock;

  private DatWriter(DatFile src, BufferInstance top, byte[] file) throws IOException {
    this.src = src;
    this.cpuIds = top.cpuIds.clone();
    this.clock = top.clock != null ? top.clock : src.traceClock != null ? src.traceClock : "local";
    for (int i = 0; i < top.cpus(); i++) cpus.add(readPages(file, top, i));
  }

  /** Adds an event format (of a system new or known) to the file. */
  void addFormat(EventFormat f) {
    src.systems.computeIfAbsent(f.system, k -> new ArrayList<>()).add(f);
    if (f.id >= src.formats.length) src.formats = Arrays.copyOf(src.formats, f.id + 1);
    src.formats[f.id] = f;
  }

  static DatWriter read(byte[] file) throws IOException {
    DatFile f = DatFile.read(ByteSource.of(file), new Symbols());
    return new DatWriter(f, f.buffer(""), file);
  }

  // ---- reading pages (kbuffer rules, independent of CpuStream)

  private List<Page> readPages(byte[] file, BufferInstance b, int i) throws IOException {
    List<Page> pages = new ArrayList<>();
    byte[] data;
    if (b.dataSizes[i] == 0) return pages;
    Endian en = src.endian;
    if (b.compressed) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int p = (int) b.dataOffsets[i];
      long chunks = en.u32(file, p);
      p += 4;
      for (long k = 0; k < chunks; k++) {
        int zsize = (int) en.u32(file, p);
        int size = (int) en.u32(file, p + 4);
        byte[] o = new byte[size];
        src.codec.decompress(file, p + 8, zsize, o, size, p);
        out.write(o);
        p += 8 + zsize;
      }
      data = out.toByteArray();
    } else {
      data = Arrays.copyOfRange(file, (int) b.dataOffsets[i], (int) (b.dataOffsets[i] + b.dataSizes[i]));
    }
    int ps = b.pageSize;
    int dataOff = src.headerPage.dataOffset;
    int cs = src.headerPage.commitSize;
    for (int at = 0; at + dataOff <= data.length; at += ps) {
      Page page = new Page();
      page.ts = en.s64(data, at);
      long commit = cs == 8 ? en.s64(data, at + 8) : en.u32(data, at + 8);
      int size = (int) (commit & ((1 << 27) - 1));
      page.missed = (commit & (1L << 31)) != 0;
      if (page.missed && (commit & (1L << 30)) != 0) {
        page.missedCount = cs == 8 ? en.s64(data, at + dataOff + size) : en.u32(data, at + dataOff + size);
      }
      long ts = page.ts;
      int p = at + dataOff;
      int end = p + size;
      while (p < end) {
        int h = en.s32(data, p);
        int type = en.big ? h >>> 27 : h & 31;
        long delta = en.big ? h & ((1 << 27) - 1) : h >>> 5;
        if (type == 29) {
          ts += delta;
          p += 4 + (int) en.u32(data, p + 4);
        } else if (type == 30) {
          ts += (en.u32(data, p + 4) << 27) + delta;
          p += 8;
        } else if (type == 31) {
          ts = ((en.u32(data, p + 4) << 27) + delta) | (ts & (0xf8L << 56));
          p += 8;
        } else {
          int len;
          int start;
          if (type == 0) {
            len = (int) ((en.u32(data, p + 4) - 4 + 3) & ~3L);
            start = p + 8;
          } else {
            len = type * 4;
            start = p + 4;
          }
          ts += delta;
          Rec r = new Rec();
          r.ts = ts;
          r.payload = Arrays.copyOfRange(data, start, start + len);
          page.recs.add(r);
          p = start + len;
        }
      }
      pages.add(page);
    }
    return pages;
  }

  // ---- record layout for the target

  /** Where each field goes in the target's record. */
  private static final class Layout {
    final EventFormat format;
    final FieldFormat[] all;
    final int[] dstOffset;
    final int[] dstSize;
    final int[] srcElem;
    final int[] dstElem;
    final int fixedEnd;
    final String text;

    Layout(EventFormat format, FieldFormat[] all, int[] dstOffset, int[] dstSize, int[] srcElem, int[] dstElem,
        int fixedEnd, String text) {
      this.format = format;
      this.all = all;
      this.dstOffset = dstOffset;
      this.dstSize = dstSize;
      this.srcElem = srcElem;
      this.dstElem = dstElem;
      this.fixedEnd = fixedEnd;
      this.text = text;
    }
  }

  private final Map<EventFormat, Layout> layouts = new HashMap<>();

  private static boolean isLong(FieldFormat f) {
    String t = f.type.replace("__data_loc", "").replace("__rel_loc", "").replace("[]", "");
    return f.pointer || (t.contains("long") && !t.contains("long long")) || t.strip().endsWith("size_t");
  }

  private Layout layout(EventFormat f, boolean bits32) {
    return layouts.computeIfAbsent(f, k -> {
      String why = f.parse(src.kernelLongSize());
      if (why != null) throw new IllegalStateException(why);
      FieldFormat[] all = new FieldFormat[f.commonFields.length + f.fields.length];
      System.arraycopy(f.commonFields, 0, all, 0, f.commonFields.length);
      System.arraycopy(f.fields, 0, all, f.commonFields.length, f.fields.length);
      int n = all.length;
      int[] off = new int[n];
      int[] size = new int[n];
      int[] se = new int[n];
      int[] de = new int[n];
      int pos = 0;
      for (int i = 0; i < n; i++) {
        FieldFormat x = all[i];
        se[i] = x.dynamic() ? 4 : x.elementSize;
        boolean shrink = bits32 && isLong(x) && !x.dynamic() && se[i] == 8;
        de[i] = shrink ? 4 : se[i];
        int count = x.array && !x.dynamic() ? (x.size == 0 ? 0 : x.size / Math.max(1, se[i])) : 1;
        size[i] = x.array && !x.dynamic() ? count * de[i] : shrink ? 4 : x.size;
        if (!bits32) {
          off[i] = x.offset;
        } else {
          int align = Math.min(4, Math.max(1, de[i]));
          pos = (pos + align - 1) / align * align;
          off[i] = pos;
          pos += size[i];
        }
      }
      int fixedEnd = bits32 ? pos : f.minLength;
      String text = bits32 ? relayout(f.text, all, off, size) : f.text;
      return new Layout(f, all, off, size, se, de, fixedEnd, text);
    });
  }

  /** The format text with the fields' new offsets and sizes. */
  private static String relayout(String text, FieldFormat[] all, int[] off, int[] size) {
    StringBuilder sb = new StringBuilder();
    int k = 0;
    for (String line : text.split("\n", -1)) {
      if (line.strip().startsWith("field:") && k < all.length) {
        int semi = line.indexOf(';');
        String signed = line.contains("signed:1") ? "1" : "0";
        sb.append(line, 0, semi + 1).append("\toffset:").append(off[k]).append(";\tsize:").append(size[k])
            .append(";\tsigned:").append(signed).append(';');
        k++;
      } else {
        sb.append(line);
      }
      sb.append('\n');
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /** The record re-laid out for the target. */
  private byte[] convert(byte[] rec, Target t) {
    Endian se = src.endian;
    Endian de = t.big ? Endian.BIG : Endian.LITTLE;
    EventFormat f = src.format(se.u16(rec, 0));
    Layout l = layout(f, t.bits32);
    if (!t.bits32) return swapInPlace(rec, l, se, de);
    ByteArrayOutputStream dyn = new ByteArrayOutputStream();
    int dynStart = (l.fixedEnd + 3) & ~3;
    byte[] out = new byte[Math.max(rec.length * 2, dynStart) + 64];
    for (int i = 0; i < l.all.length; i++) {
      FieldFormat x = l.all[i];
      if (x.dynamic()) {
        long loc = se.u32(rec, x.offset);
        int start = (int) (loc & 0xffff) + (x.relLoc ? x.offset + x.size : 0);
        int len = (int) (loc >>> 16);
        int at = dynStart + dyn.size();
        byte[] part = swapElements(rec, start, len, 1, 1, se, de);
        dyn.write(part, 0, part.length);
        int newOff = x.relLoc ? at - (l.dstOffset[i] + 4) : at;
        de.put32(out, l.dstOffset[i], (part.length << 16) | newOff);
        continue;
      }
      if (x.array) {
        int count = x.size == 0 ? (rec.length - x.offset) / Math.max(1, l.srcElem[i])
            : Math.min(x.size, rec.length - x.offset) / Math.max(1, l.srcElem[i]);
        if (x.size == 0 && !x.string) count = (rec.length - x.offset) / l.srcElem[i];
        byte[] part = swapElements(rec, x.offset, count * l.srcElem[i], l.srcElem[i], l.dstElem[i], se, de);
        System.arraycopy(part, 0, out, l.dstOffset[i], part.length);
        if (x.size == 0 || x.name.equals("caller")) dynStart = Math.max(dynStart, (l.dstOffset[i] + part.length + 3) & ~3);
        continue;
      }
      long v = se.unsigned(rec, x.offset, x.size);
      put(out, l.dstOffset[i], l.dstSize[i], v, de);
    }
    int total = dynStart + dyn.size();
    byte[] d = dyn.toByteArray();
    System.arraycopy(d, 0, out, dynStart, d.length);
    return Arrays.copyOf(out, (total + 3) & ~3);
  }

  /** Same layout, other byte order: every number swapped where it is. */
  private static byte[] swapInPlace(byte[] rec, Layout l, Endian se, Endian de) {
    byte[] out = rec.clone();
    if (se == de) return out;
    for (FieldFormat x : l.all) {
      if (x.dynamic()) {
        long loc = se.u32(rec, x.offset);
        de.put32(out, x.offset, (int) loc);
        int start = (int) (loc & 0xffff) + (x.relLoc ? x.offset + x.size : 0);
        int len = (int) Math.min(loc >>> 16, Math.max(0, rec.length - start));
        byte[] part = swapElements(rec, start, len, x.string ? 1 : x.elementSize, x.string ? 1 : x.elementSize, se, de);
        System.arraycopy(part, 0, out, start, part.length);
      } else if (x.array) {
        int len = x.size == 0 ? rec.length - x.offset : Math.min(x.size, rec.length - x.offset);
        int el = x.string ? 1 : x.elementSize;
        byte[] part = swapElements(rec, x.offset, len / el * el, el, el, se, de);
        System.arraycopy(part, 0, out, x.offset, part.length);
      } else {
        put(out, x.offset, x.size, se.unsigned(rec, x.offset, x.size), de);
      }
    }
    return out;
  }

  private static byte[] swapElements(byte[] b, int off, int len, int srcElem, int dstElem, Endian se, Endian de) {
    if (srcElem <= 1) return Arrays.copyOfRange(b, off, off + len);
    int n = len / srcElem;
    byte[] out = new byte[n * dstElem];
    for (int i = 0; i < n; i++) put(out, i * dstElem, dstElem, se.unsigned(b, off + i * srcElem, srcElem), de);
    return out;
  }

  private static void put(byte[] b, int at, int size, long v, Endian e) {
    switch (size) {
      case 1: b[at] = (byte) v; break;
      case 2:
        if (e.big) {
          b[at] = (byte) (v >> 8);
          b[at + 1] = (byte) v;
        } else {
          b[at] = (byte) v;
          b[at + 1] = (byte) (v >> 8);
        }
        break;
      case 4: e.put32(b, at, (int) v); break;
      case 8: e.put64(b, at, v); break;
      default: break;
    }
  }

  // ---- pages

  private byte[] encodePages(List<Page> pages, Target t, int pageSize) {
    Endian de = t.big ? Endian.BIG : Endian.LITTLE;
    int cs = t.bits32 ? 4 : 8;
    int dataOff = 8 + cs;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Page src : pages) {
      byte[] page = new byte[pageSize];
      de.put64(page, 0, src.ts);
      int p = dataOff;
      long ts = src.ts;
      for (Rec r : src.recs) {
        byte[] pl = convert(r.payload, t);
        long delta = r.ts - ts;
        if (delta >= (1L << 27) || delta < 0) {
          header(page, p, 30, delta & ((1 << 27) - 1), de);
          de.put32(page, p + 4, (int) (delta >>> 27));
          p += 8;
          delta = 0;
        }
        int len = pl.length;
        if (len <= 28 * 4) {
          header(page, p, len / 4, delta, de);
          System.arraycopy(pl, 0, page, p + 4, len);
          p += 4 + len;
        } else {
          header(page, p, 0, delta, de);
          de.put32(page, p + 4, len + 4);
          System.arraycopy(pl, 0, page, p + 8, len);
          p += 8 + len;
        }
        ts = r.ts;
      }
      long commit = p - dataOff;
      if (src.missed) {
        commit |= 1L << 31;
        if (src.missedCount >= 0 && p + cs <= pageSize) {
          commit |= 1L << 30;
          if (cs == 8) de.put64(page, p, src.missedCount);
          else de.put32(page, p, (int) src.missedCount);
        }
      }
      if (cs == 8) de.put64(page, 8, commit);
      else de.put32(page, 8, (int) commit);
      out.write(page, 0, pageSize);
    }
    return out.toByteArray();
  }

  private static void header(byte[] page, int p, int type, long delta, Endian de) {
    int h = de.big ? (type << 27) | (int) delta : ((int) delta << 5) | type;
    de.put32(page, p, h);
  }

  // ---- the file

  private final class Out {
    final ByteArrayOutputStream b = new ByteArrayOutputStream();
    final Endian e;

    Out(Endian e) {
      this.e = e;
    }

    int pos() {
      return b.size();
    }

    void bytes(byte[] x) {
      b.write(x, 0, x.length);
    }

    void u8(int v) {
      b.write(v);
    }

    void u16(int v) {
      byte[] x = new byte[2];
      put(x, 0, 2, v, e);
      bytes(x);
    }

    void u32(long v) {
      byte[] x = new byte[4];
      e.put32(x, 0, (int) v);
      bytes(x);
    }

    void u64(long v) {
      byte[] x = new byte[8];
      e.put64(x, 0, v);
      bytes(x);
    }

    void str(String s) {
      bytes(s.getBytes(StandardCharsets.UTF_8));
      u8(0);
    }

    void pad(int align) {
      while (pos() % align != 0) u8(0);
    }

    byte[] array() {
      return b.toByteArray();
    }
  }

  /** Writes the trace as {@code t} says. */
  byte[] write(Target t) throws IOException {
    Endian de = t.big ? Endian.BIG : Endian.LITTLE;
    int pageSize = src.pageSize;
    for (BufferInstance b : src.buffers) {
      if (b.name.isEmpty()) pageSize = b.pageSize;
    }
    // Metadata payloads, v6-style.
    byte[] headers = headers(t, de);
    byte[] ftrace = formats(null, t, de);
    byte[] events = formats("", t, de);
    byte[] kallsyms = sized(t.bits32 ? truncateAddresses(src.kallsymsText, false) : src.kallsymsText, 4, de);
    byte[] printk = sized(t.bits32 ? truncateAddresses(src.printkText, true) : src.printkText, 4, de);
    byte[] cmdlines = sized(src.cmdlinesText, 8, de);
    List<byte[]> cpuData = new ArrayList<>();
    for (List<Page> pages : cpus) cpuData.add(encodePages(pages, t, pageSize));
    List<Object[]> options = new ArrayList<>();
    for (Object[] o : src.plainOptions) {
      byte[] data = optionData((int) o[0], (byte[]) o[1], de);
      if (data != null) options.add(new Object[] {o[0], data});
    }
    options.addAll(t.extraOptions);

    Out o = new Out(de);
    o.bytes(DatFile.MAGIC);
    o.str(Integer.toString(t.version));
    o.u8(t.big ? 1 : 0);
    o.u8(t.bits32 ? 4 : src.userLongSize);
    o.u32(pageSize);
    if (t.version == 6) {
      o.bytes(headers);
      o.bytes(ftrace);
      o.bytes(events);
      o.bytes(kallsyms);
      o.bytes(printk);
      o.bytes(cmdlines);
      o.u32(cpus.size());
      o.bytes("options  \0".getBytes(StandardCharsets.ISO_8859_1));
      String clockText = null;
      for (Object[] opt : options) {
        int id = (int) opt[0];
        byte[] data = (byte[]) opt[1];
        if (id == DatFile.OPT_TRACECLOCK) {
          clockText = new String(data, StandardCharsets.UTF_8);
          data = new byte[0];
        }
        o.u16(id);
        o.u32(data.length);
        o.bytes(data);
      }
      o.u16(0);
      o.bytes("flyrecord\0".getBytes(StandardCharsets.ISO_8859_1));
      int table = o.pos();
      int after = table + cpus.size() * 16 + (clockText != null ? 8 + clockText.length() : 0);
      long[] offs = new long[cpus.size()];
      long next = (after + pageSize - 1) / pageSize * (long) pageSize;
      for (int i = 0; i < cpus.size(); i++) {
        offs[i] = cpuData.get(i).length == 0 ? 0 : next;
        next += (cpuData.get(i).length + pageSize - 1) / pageSize * (long) pageSize;
        o.u64(offs[i]);
        o.u64(cpuData.get(i).length);
      }
      if (clockText != null) {
        o.u64(clockText.length());
        o.bytes(clockText.getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < cpus.size(); i++) {
        if (offs[i] == 0) continue;
        while (o.pos() < offs[i]) o.u8(0);
        o.bytes(cpuData.get(i));
      }
      return o.array();
    }
    Codec codec = t.compression.equals("none") ? null : Codec.forName(t.compression);
    o.str(t.compression);
    o.str(t.compression.equals("zstd") ? "1.5.4" : t.compression.equals("zlib") ? "1.2.13" : "");
    int optionsPtr = o.pos();
    o.u64(0);
    long[] sec = new long[32];
    sec[DatFile.OPT_HEADER_INFO] = section(o, DatFile.OPT_HEADER_INFO, headers, t);
    sec[DatFile.OPT_FTRACE_EVENTS] = section(o, DatFile.OPT_FTRACE_EVENTS, ftrace, t);
    sec[DatFile.OPT_EVENT_FORMATS] = section(o, DatFile.OPT_EVENT_FORMATS, events, t);
    sec[DatFile.OPT_KALLSYMS] = section(o, DatFile.OPT_KALLSYMS, kallsyms, t);
    sec[DatFile.OPT_PRINTK] = section(o, DatFile.OPT_PRINTK, printk, t);
    sec[DatFile.OPT_CMDLINES] = section(o, DatFile.OPT_CMDLINES, cmdlines, t);
    // First options section: section offsets and plain options; DONE points at the buffer's.
    Out opts = new Out(de);
    for (int id = DatFile.OPT_HEADER_INFO; id <= DatFile.OPT_CMDLINES; id++) {
      opts.u16(id);
      opts.u32(8);
      opts.u64(sec[id]);
    }
    for (Object[] opt : options) {
      opts.u16((int) opt[0]);
      opts.u32(((byte[]) opt[1]).length);
      opts.bytes((byte[]) opt[1]);
    }
    int firstOptions = o.pos();
    int doneAt = firstOptions + 16 + opts.pos() + 6;
    opts.u16(0);
    opts.u32(8);
    opts.u64(0); // patched below
    writeSection(o, 0, opts.array(), false, t);
    // The flyrecord section and the CPU data.
    int fly = o.pos();
    o.u16(DatFile.SEC_FLYRECORD);
    o.u16(codec != null ? 1 : 0);
    o.u32(0);
    int flySize = o.pos();
    o.u64(0);
    long[] offs = new long[cpus.size()];
    long[] sizes = new long[cpus.size()];
    for (int i = 0; i < cpus.size(); i++) {
      o.pad(pageSize);
      offs[i] = o.pos();
      byte[] d = cpuData.get(i);
      if (codec == null) {
        o.bytes(d);
        sizes[i] = d.length;
      } else {
        int chunk = 10 * pageSize;
        int n = (d.length + chunk - 1) / chunk;
        o.u32(n);
        for (int k = 0; k < n; k++) {
          int len = Math.min(chunk, d.length - k * chunk);
          byte[] z = compress(t.compression, Arrays.copyOfRange(d, k * chunk, k * chunk + len));
          o.u32(z.length);
          o.u32(len);
          o.bytes(z);
        }
        sizes[i] = o.pos() - offs[i];
      }
    }
    long flyEnd = o.pos();
    // Second options section: the BUFFER option.
    Out buf = new Out(de);
    Out b = new Out(de);
    b.u64(fly);
    b.str("");
    b.str(clock);
    b.u32(pageSize);
    b.u32(cpus.size());
    for (int i = 0; i < cpus.size(); i++) {
      b.u32(cpuIds[i]);
      b.u64(offs[i]);
      b.u64(sizes[i]);
    }
    buf.u16(DatFile.OPT_BUFFER);
    buf.u32(b.pos());
    buf.bytes(b.array());
    buf.u16(0);
    buf.u32(8);
    buf.u64(0);
    long second = o.pos();
    writeSection(o, 0, buf.array(), false, t);
    byte[] file = o.array();
    de.put64(file, optionsPtr, firstOptions);
    de.put64(file, doneAt, second);
    de.put64(file, flySize, flyEnd - flySize - 8);
    return file;
  }

  private long section(Out o, int id, byte[] body, Target t) throws IOException {
    long at = o.pos();
    writeSection(o, id, body, !t.compression.equals("none"), t);
    return at;
  }

  private void writeSection(Out o, int id, byte[] body, boolean compress, Target t) throws IOException {
    o.u16(id);
    o.u16(compress ? 1 : 0);
    o.u32(0);
    if (!compress) {
      o.u64(body.length);
      o.bytes(body);
      return;
    }
    byte[] z = compress(t.compression, body);
    o.u64(8 + z.length);
    o.u32(z.length);
    o.u32(body.length);
    o.bytes(z);
  }

  static byte[] compress(String codec, byte[] data) {
    if (codec.equals("zstd")) {
      ZstdCompressor z = new ZstdCompressor();
      byte[] out = new byte[z.maxCompressedLength(data.length)];
      int n = z.compress(data, 0, data.length, out, 0, out.length);
      return Arrays.copyOf(out, n);
    }
    Deflater d = new Deflater();
    d.setInput(data);
    d.finish();
    byte[] out = new byte[data.length + data.length / 100 + 64];
    int n = 0;
    while (!d.finished()) n += d.deflate(out, n, out.length - n);
    d.end();
    return Arrays.copyOf(out, n);
  }

  private byte[] headers(Target t, Endian de) {
    Out o = new Out(de);
    o.bytes("header_page\0".getBytes(StandardCharsets.ISO_8859_1));
    String hp = src.headerPageText;
    if (t.bits32) {
      int pageSize = src.pageSize;
      hp = hp.replaceAll("(commit;\\s*offset:8;\\s*size:)8", "$14")
          .replaceAll("(data;\\s*offset:)16(;\\s*size:)\\d+", "$112$2" + (pageSize - 12));
    }
    byte[] hb = hp.getBytes(StandardCharsets.UTF_8);
    o.u64(hb.length);
    o.bytes(hb);
    o.bytes("header_event\0".getBytes(StandardCharsets.ISO_8859_1));
    byte[] he = src.headerEventText.getBytes(StandardCharsets.UTF_8);
    o.u64(he.length);
    o.bytes(he);
    return o.array();
  }

  /** ftrace formats (system null) or all event systems, each format as the target lays it out. */
  private byte[] formats(String systems, Target t, Endian de) {
    Out o = new Out(de);
    if (systems == null) {
      o.u32(src.ftraceFormats.size());
      for (EventFormat f : src.ftraceFormats) text(o, f, t);
    } else {
      o.u32(src.systems.size());
      for (Map.Entry<String, List<EventFormat>> s : src.systems.entrySet()) {
        o.str(s.getKey());
        o.u32(s.getValue().size());
        for (EventFormat f : s.getValue()) text(o, f, t);
      }
    }
    return o.array();
  }

  private void text(Out o, EventFormat f, Target t) {
    String text = t.bits32 && f.parse(src.kernelLongSize()) == null ? layout(f, true).text : f.text;
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    o.u64(b.length);
    o.bytes(b);
  }

  private static byte[] sized(byte[] text, int sizeBytes, Endian de) {
    byte[] out = new byte[sizeBytes + text.length];
    if (sizeBytes == 4) de.put32(out, 0, text.length);
    else de.put64(out, 0, text.length);
    System.arraycopy(text, 0, out, sizeBytes, text.length);
    return out;
  }

  /** Keeps the low 32 bits of the address at the start of each line (kallsyms, printk formats). */
  private static byte[] truncateAddresses(byte[] text, boolean prefixed) {
    StringBuilder sb = new StringBuilder();
    for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
      int start = prefixed && line.startsWith("0x") ? 2 : 0;
      int end = start;
      while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) end++;
      if (end - start > 8) line = line.substring(0, start) + line.substring(end - 8);
      sb.append(line).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An option's data in the target byte order; numbers re-encoded, text as is. */
  private byte[] optionData(int id, byte[] data, Endian de) {
    Endian se = src.endian;
    switch (id) {
      case DatFile.OPT_CPUCOUNT: {
        byte[] x = new byte[4];
        de.put32(x, 0, se.s32(data, 0));
        return x;
      }
      case 11: { // TRACEID
        byte[] x = new byte[8];
        de.put64(x, 0, se.s64(data, 0));
        return x;
      }
      case DatFile.OPT_TSC2NSEC:
      case DatFile.OPT_TIME_SHIFT:
      case 13: // GUEST
        return null;
      default:
        return data;
    }
  }

  /** The data of a TSC2NSEC option: mult, shift, offset. */
  static byte[] tsc2nsec(Endian e, int mult, int shift, long offset) {
    byte[] x = new byte[16];
    e.put32(x, 0, mult);
    e.put32(x, 4, shift);
    e.put64(x, 8, offset);
    return x;
  }

  static byte[] text(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_8);
  }
}
