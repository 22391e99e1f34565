package org.kreplay.ingest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;

/**
 * The last event timestamp of an uncompressed text trace, from its last lines: the file's end is
 * read (64 KiB, growing while it holds no event line, up to 16 MiB) and parsed from its first
 * whole line, as the same text reader would.
 */
public final class TextTail {
  private static final int FIRST = 64 << 10;
  private static final int MOST = 16 << 20;

  private TextTail() {}

  /** The timestamp and the bytes read to find it. */
  public record Last(long ns, long bytesRead) {}

  /** Null when the last 16 MiB hold no event (then a first pass must find it). */
  public static Last last(Path file, TraceFormat format, ReadOptions plain) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long read = 0;
      for (int want = FIRST; ; want *= 4) {
        int n = (int) Math.min(size, want);
        ByteBuffer buf = ByteBuffer.allocate(n);
        long at = size - n;
        while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
          // positional reads until full
        }
        read += buf.position();
        byte[] b = buf.array();
        int start = 0;
        if (at > 0) { // the first line is cut: start after it
          while (start < n && b[start] != '\n') start++;
          start++;
        }
        long last = lastTimestamp(b, start, buf.position(), format, plain, file.toString());
        if (last != Long.MIN_VALUE) return new Last(last, read);
        if (n == size || want >= MOST) return null;
      }
    }
  }

  private static long lastTimestamp(byte[] b, int start, int end, TraceFormat format, ReadOptions plain,
      String source) throws IOException {
    if (start >= end) return Long.MIN_VALUE;
    TraceInfo info = new TraceInfo(source, format);
    long last = Long.MIN_VALUE;
    try (FtraceTextReader r = new FtraceTextReader(source, new ByteArrayInputStream(b, start, end - start), plain,
        info, false)) {
      for (EventRecord e = r.next(); e != null; e = r.next()) {
        if (!e.kind().isMarker()) last = Math.max(last, e.timestamp());
      }
    }
    return last;
  }
}
