package org.kreplay.ingest.internal.tracedat;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to the bytes of a trace.dat. A v7 file points backwards and forwards between its
 * sections and every CPU's data is read in parallel, so the reader needs positional reads: from the
 * file itself, or from a temporary file that a non-seekable stream (stdin, .xz) is copied into as
 * far as the reader has asked — never the whole input in memory.
 */
abstract class ByteSource implements Closeable {
  /**
   * Reads up to {@code len} bytes at {@code pos}; fewer only where the input ends.
   *
   * @return the number of bytes read, 0 at or past the end
   */
  abstract int read(long pos, byte[] dst, int off, int len) throws IOException;

  /** The size of the input, or -1 while a stream has not been read to its end. */
  abstract long knownSize();

  /**
   * Bytes of the input (as stored) read so far, for progress reports: the sum of all reads, which
   * approaches the file size as the CPUs' data (read side by side) is used up.
   */
  abstract long consumed();

  static ByteSource of(Path file) throws IOException {
    return new FileSource(FileChannel.open(file, StandardOpenOption.READ), null);
  }

  static ByteSource of(byte[] data) {
    return new ArraySource(data);
  }

  /** Spools {@code in} into a temporary file on demand; the file is deleted on close. */
  static ByteSource spooled(InputStream in) throws IOException {
    return new SpooledSource(in);
  }

  private static final class ArraySource extends ByteSource {
    private final byte[] data;

    ArraySource(byte[] data) {
      this.data = data;
    }

    @Override
    int read(long pos, byte[] dst, int off, int len) {
      if (pos < 0 || pos >= data.length) return 0;
      int n = (int) Math.min(len, data.length - pos);
      System.arraycopy(data, (int) pos, dst, off, n);
      return n;
    }

    @Override
    long knownSize() {
      return data.length;
    }

    @Override
    long consumed() {
      return data.length;
    }

    @Override
    public void close() {}
  }

  private static class FileSource extends ByteSource {
    final FileChannel channel;
    private final Path deleteOnClose;
    private final long size;
    /** Written by the reading thread only, read by a progress reporter. */
    private volatile long total;

    FileSource(FileChannel channel, Path deleteOnClose) throws IOException {
      this.channel = channel;
      this.deleteOnClose = deleteOnClose;
      this.size = deleteOnClose == null ? channel.size() : -1;
    }

    @Override
    int read(long pos, byte[] dst, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
      long p = pos;
      while (buf.hasRemaining()) {
        int n = channel.read(buf, p);
        if (n <= 0) break;
        p += n;
      }
      total += p - pos;
      return (int) (p - pos);
    }

    @Override
    long knownSize() {
      return size;
    }

    @Override
    long consumed() {
      return total;
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close();
      } finally {
        if (deleteOnClose != null) Files.deleteIfExists(deleteOnClose);
      }
    }
  }

  /** A stream copied into a temporary file up to the furthest position read so far. */
  private static final class SpooledSource extends FileSource {
    private static final int COPY = 1 << 16;
    private final InputStream in;
    private final byte[] copy = new byte[COPY];
    private long spooled;
    private boolean eof;
    private long streamConsumed;

    SpooledSource(InputStream in) throws IOException {
      this(in, Files.createTempFile("kreplay-trace-", ".dat"));
    }

    private SpooledSource(InputStream in, Path tmp) throws IOException {
      super(FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE), tmp);
      tmp.toFile().deleteOnExit();
      this.in = in;
    }

    @Override
    synchronized int read(long pos, byte[] dst, int off, int len) throws IOException {
      long want = pos + len;
      while (!eof && spooled < want) {
        int n = in.read(copy, 0, COPY);
        if (n < 0) {
          eof = true;
          break;
        }
        ByteBuffer b = ByteBuffer.wrap(copy, 0, n);
        while (b.hasRemaining()) spooled += channel.write(b, spooled);
        streamConsumed += n;
      }
      if (pos >= spooled) return 0;
      return super.read(pos, dst, off, (int) Math.min(len, spooled - pos));
    }

    @Override
    long knownSize() {
      return eof ? spooled : -1;
    }

    @Override
    long consumed() {
      return streamConsumed;
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        super.close();
      }
    }
  }
}
