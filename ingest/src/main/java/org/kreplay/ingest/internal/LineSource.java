package org.kreplay.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.kreplay.ingest.ReadLimits;

/**
 * Splits a byte stream into lines inside one reused buffer: {@link #next()} advances, then {@link
 * #buffer()}, {@link #start()} and {@link #end()} delimit the line (without its newline or a
 * trailing CR). A line longer than the limit ({@link ReadLimits#maxLineLength()}, 1 MiB by default)
 * is cut there and flagged {@link #tooLong()}.
 */
public final class LineSource {
  static final int MAX_LINE = ReadLimits.defaults().maxLineLength();

  private final InputStream in;
  private final int maxLine;
  private byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private long bytesRead;
  private int start;
  private int end;
  private boolean tooLong;
  private boolean strippedCr;
  private boolean unterminated;
  private String excerpt;

  public LineSource(InputStream in) {
    this(in, 1 << 18, MAX_LINE);
  }

  /** Lines of at most {@code maxLine} bytes. */
  public static LineSource limited(InputStream in, int maxLine) {
    return new LineSource(in, Math.min(1 << 18, maxLine), maxLine);
  }

  LineSource(InputStream in, int bufferSize) {
    this(in, bufferSize, MAX_LINE);
  }

  private LineSource(InputStream in, int bufferSize, int maxLine) {
    this.in = in;
    this.buf = new byte[bufferSize];
    this.maxLine = maxLine;
  }

  /** Moves to the next line; false at end of input. */
  public boolean next() throws IOException {
    tooLong = false;
    int scan = pos;
    while (true) {
      int nl = indexOfNewline(buf, scan, limit);
      if (nl >= 0) {
        setLine(pos, nl);
        pos = nl + 1;
        return true;
      }
      if (eof) {
        if (pos < limit) {
          unterminated = true;
          setLine(pos, limit);
          pos = limit;
          return true;
        }
        return false;
      }
      scan = limit - pos;
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit == buf.length) {
        if (buf.length >= maxLine) {
          // Keep an excerpt for the message and drop the rest of this line.
          excerpt = new String(buf, 0, 200, StandardCharsets.UTF_8);
          setLine(0, 0);
          tooLong = true;
          skipRestOfLine();
          return true;
        }
        buf = Arrays.copyOf(buf, Math.min(maxLine, buf.length * 2));
      }
      fill();
    }
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** First '\n' in [from, to), eight bytes at a time ("has zero byte" on the XOR with newlines). */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      long found = (x - LOW_BITS) & ~x & HIGH_BITS;
      if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
    }
    for (; i < to; i++) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  private void fill() throws IOException {
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
      bytesRead += n;
    }
  }

  private void skipRestOfLine() throws IOException {
    while (true) {
      pos = 0;
      limit = 0;
      fill();
      if (eof) return;
      for (int i = 0; i < limit; i++) {
        if (buf[i] == '\n') {
          pos = i + 1;
          return;
        }
      }
    }
  }

  private void setLine(int s, int e) {
    lineNumber++;
    strippedCr = e > s && buf[e - 1] == '\r';
    if (strippedCr) e--;
    start = s;
    end = e;
  }

  public byte[] buffer() {
    return buf;
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  /** Bytes read from the underlying stream so far (after decompression). */
  public long bytesRead() {
    return bytesRead;
  }

  public boolean tooLong() {
    return tooLong;
  }

  /** Whether the last line of the input (once read) had no newline: the input may be cut short. */
  public boolean unterminated() {
    return unterminated;
  }

  /** Whether the current line ended in CR LF (a serial console or a Windows editor wrote it). */
  public boolean strippedCr() {
    return strippedCr;
  }

  /** The current line as text, for messages. */
  public String lineText() {
    if (tooLong) return excerpt;
    return new String(buf, start, Math.min(end - start, 200), StandardCharsets.UTF_8);
  }
}
