package org.kreplay.ingest.internal.tracedat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test tool: the length, count and offset fields of a trace.dat (v6 or v7), found by walking the
 * file independently of the reader, so tests can set them to wrong values.
 */
final class LengthFields {
  /** One field: where it is, how wide, and what it says. */
  record Field(String name, int offset, int width, boolean big, long value) {
    void set(byte[] data, long v) {
      Endian e = big ? Endian.BIG : Endian.LITTLE;
      if (width == 8) e.put64(data, offset, v);
      else if (width == 4) e.put32(data, offset, (int) v);
      else {
        data[offset + (big ? 0 : 1)] = (byte) (v >> 8);
        data[offset + (big ? 1 : 0)] = (byte) v;
      }
    }

    @Override
    public String toString() {
      return name + "@" + offset;
    }
  }

  private final byte[] d;
  private final List<Field> out = new ArrayList<>();
  private Endian e;
  private int p;

  private LengthFields(byte[] d) {
    this.d = d;
  }

  static List<Field> of(byte[] data) {
    LengthFields w = new LengthFields(data);
    w.walk();
    return w.out;
  }

  /** Skips the data a length field announces (read the field first: {@code p += field()} would lose its width). */
  private void skip(long n) {
    p += (int) n;
  }

  private long field(String name, int width) {
    long v = width == 8 ? e.s64(d, p) : width == 4 ? e.u32(d, p) : e.u16(d, p);
    out.add(new Field(name, p, width, e.big, v));
    p += width;
    return v;
  }

  private String cstring() {
    int s = p;
    while (d[p] != 0) p++;
    p++;
    return new String(d, s, p - 1 - s, StandardCharsets.UTF_8);
  }

  private void walk() {
    p = 10;
    int version = Integer.parseInt(cstring());
    e = d[p] == 1 ? Endian.BIG : Endian.LITTLE;
    p += 2;
    field("page size", 4);
    if (version == 6) v6();
    else v7();
  }

  private void v6() {
    metadata();
    long cpus = field("cpu count", 4);
    String tag = new String(d, p, 9, StandardCharsets.ISO_8859_1);
    p += 10;
    if (tag.startsWith("options")) {
      while (true) {
        int id = e.u16(d, p);
        p += 2;
        if (id == 0) break;
        skip(field("option " + id + " size", 4));
      }
      p += 10; // flyrecord
    }
    for (int cpu = 0; cpu < cpus; cpu++) {
      field("cpu " + cpu + " data offset", 8);
      field("cpu " + cpu + " data size", 8);
    }
  }

  /** header_page … cmdlines, the same payloads in v6 and (one per section) v7. */
  private void metadata() {
    p += 12;
    skip(field("header_page size", 8));
    p += 13;
    skip(field("header_event size", 8));
    long n = field("ftrace format count", 4);
    for (int i = 0; i < n; i++) skip(field(i < 2 ? "ftrace format " + i + " size" : null, 8));
    long systems = field("system count", 4);
    for (int s = 0; s < systems; s++) {
      cstring();
      long count = field(s == 0 ? "system 0 event count" : null, 4);
      for (int i = 0; i < count; i++) skip(field(s == 0 && i == 0 ? "system 0 format 0 size" : null, 8));
    }
    skip(field("kallsyms size", 4));
    skip(field("printk size", 4));
    skip(field("cmdlines size", 8));
    out.removeIf(f -> f.name() == null);
  }

  private void v7() {
    cstring();
    cstring();
    long options = field("first options offset", 8);
    List<long[]> sections = new ArrayList<>();
    long[] buffer = null;
    while (options != 0) {
      p = (int) options;
      p += 8;
      field("options section size", 8);
      while (true) {
        int id = e.u16(d, p);
        p += 2;
        long size = field("option " + id + " size", 4);
        int data = p;
        if (id == 0) {
          options = field("next options offset", 8);
          break;
        }
        if (id >= 16 && id <= 21) {
          sections.add(new long[] {id, e.s64(d, p)});
          field("section " + id + " offset", 8);
        } else if (id == 3) {
          field("buffer section offset", 8);
          while (d[p] != 0) p++;
          p++;
          while (d[p] != 0) p++;
          p++;
          field("buffer page size", 4);
          long cpus = field("buffer cpu count", 4);
          buffer = new long[(int) cpus];
          for (int c = 0; c < cpus; c++) {
            p += 4;
            buffer[c] = e.s64(d, p);
            field("cpu " + c + " data offset", 8);
            field("cpu " + c + " data size", 8);
          }
        }
        p = data + (int) size;
      }
    }
    for (long[] s : sections) {
      p = (int) s[1];
      int flags = e.u16(d, p + 2);
      p += 8;
      field("section " + s[0] + " size", 8);
      if ((flags & 1) != 0) {
        field("section " + s[0] + " compressed size", 4);
        field("section " + s[0] + " uncompressed size", 4);
      }
    }
    if (buffer != null) {
      for (int c = 0; c < buffer.length; c++) {
        p = (int) buffer[c];
        if (buffer[c] == 0) continue;
        // Compressed CPU data starts with a chunk count; uncompressed data is pages.
        long count = e.u32(d, p);
        if (count > 0 && count < 10000 && p + 12 < d.length && e.u32(d, p + 8) % 4096 == 0) {
          field("cpu " + c + " chunk count", 4);
          field("cpu " + c + " chunk 0 compressed size", 4);
          field("cpu " + c + " chunk 0 size", 4);
        }
      }
    }
  }
}
