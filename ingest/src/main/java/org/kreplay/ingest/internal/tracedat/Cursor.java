package org.kreplay.ingest.internal.tracedat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sequential reads of the metadata parts of a trace.dat, either straight from the file (v6 and the
 * v7 header) or from a section decompressed into memory (v7). Every length read from the file is
 * checked against a limit and against the bytes that are left before anything is allocated, and
 * every error names the byte offset where the structure that failed starts.
 */
abstract class Cursor {
  final Endian endian;
  /** What is being read ("kallsyms section"), for messages. */
  String what = "header";

  Cursor(Endian endian) {
    this.endian = endian;
  }

  /** Offset of the next byte, in the file (or, inside a compressed section, of the section). */
  abstract long position();

  /** Reads exactly {@code n} bytes into {@code b[off..off+n)} or throws at the end of data. */
  abstract void readFully(byte[] b, int off, int n) throws IOException;

  /** Bytes left, or -1 when unknown (a stream not read to its end). */
  abstract long remaining();

  abstract void skip(long n) throws IOException;

  private final byte[] scratch = new byte[8];

  int u8() throws IOException {
    readFully(scratch, 0, 1);
    return scratch[0] & 0xff;
  }

  int u16() throws IOException {
    readFully(scratch, 0, 2);
    return endian.u16(scratch, 0);
  }

  long u32() throws IOException {
    readFully(scratch, 0, 4);
    return endian.u32(scratch, 0);
  }

  long u64() throws IOException {
    readFully(scratch, 0, 8);
    return endian.s64(scratch, 0);
  }

  /**
   * {@code n} bytes, after checking {@code 0 <= n <= max} and that the data holds them.
   *
   * @param field names the length in messages ("kallsyms size")
   */
  byte[] bytes(long n, long max, String field) throws IOException {
    long at = position();
    if (n < 0 || n > max) {
      throw new DatException(at, field + " " + Long.toUnsignedString(n) + " is out of range (limit " + max + ")");
    }
    long left = remaining();
    if (left >= 0 && n > left) {
      throw new DatException(at, field + " " + n + " runs past the end of the " + what + " (" + left + " bytes left)");
    }
    if (left < 0 && n > (1 << 20)) {
      // A stream of unknown length: grow with the data, so a corrupt length cannot allocate much.
      byte[] b = new byte[1 << 20];
      int got = 0;
      while (got < n) {
        if (got == b.length) b = java.util.Arrays.copyOf(b, (int) Math.min(n, (long) b.length * 2));
        int k = (int) Math.min(b.length - got, n - got);
        readFully(b, got, k);
        got += k;
      }
      return b;
    }
    byte[] b = new byte[(int) n];
    readFully(b, 0, (int) n);
    return b;
  }

  /** A NUL-terminated string of at most {@code max} bytes. */
  String cstring(int max) throws IOException {
    long at = position();
    byte[] b = new byte[Math.min(max, 256)];
    int n = 0;
    while (true) {
      int c = u8();
      if (c == 0) break;
      if (n == max) throw new DatException(at, "string in the " + what + " is not terminated within " + max + " bytes");
      if (n == b.length) b = java.util.Arrays.copyOf(b, Math.min(max, b.length * 2));
      b[n++] = (byte) c;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  DatException truncated(long at) {
    return new DatException(at, "file ends inside the " + what);
  }

  /** Reads from the file through a {@link ByteSource}. */
  static final class FileCursor extends Cursor {
    private final ByteSource source;
    private long pos;

    FileCursor(ByteSource source, Endian endian, long pos) {
      super(endian);
      this.source = source;
      this.pos = pos;
    }

    @Override
    long position() {
      return pos;
    }

    void seek(long pos) {
      this.pos = pos;
    }

    @Override
    void readFully(byte[] b, int off, int n) throws IOException {
      int got = 0;
      while (got < n) {
        int k = source.read(pos + got, b, off + got, n - got);
        if (k <= 0) throw truncated(pos + got);
        got += k;
      }
      pos += n;
    }

    @Override
    long remaining() {
      long size = source.knownSize();
      return size < 0 ? -1 : Math.max(0, size - pos);
    }

    @Override
    void skip(long n) throws IOException {
      long left = remaining();
      if (n < 0 || (left >= 0 && n > left)) throw truncated(pos);
      pos += n;
    }
  }

  /**
   * Reads a section held in memory. Uncompressed, positions are the file offsets of the bytes; a
   * decompressed section has no file offset per byte, so every position is the section's own.
   */
  static final class BufferCursor extends Cursor {
    private final byte[] data;
    private final int end;
    private final long base;
    private final boolean decompressed;
    private int index;

    BufferCursor(byte[] data, int end, long base, Endian endian, boolean decompressed) {
      super(endian);
      this.data = data;
      this.end = end;
      this.base = base;
      this.decompressed = decompressed;
    }

    @Override
    long position() {
      return decompressed ? base : base + index;
    }

    @Override
    DatException truncated(long at) {
      return new DatException(at, (decompressed ? "decompressed " : "") + what + " ends early");
    }

    @Override
    void readFully(byte[] b, int off, int n) throws IOException {
      if (n > end - index) throw truncated(position());
      System.arraycopy(data, index, b, off, n);
      index += n;
    }

    @Override
    long remaining() {
      return end - index;
    }

    @Override
    void skip(long n) throws IOException {
      if (n < 0 || n > end - index) throw truncated(position());
      index += (int) n;
    }
  }
}
