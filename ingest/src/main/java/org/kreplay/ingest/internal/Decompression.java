package org.kreplay.ingest.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Recognises gzip, xz and zstd by their magic bytes and decompresses on the fly, so that every reader
 * (traces, kernel logs) accepts compressed input without looking at file names.
 */
public final class Decompression {
  /** Buffer and mark limit for sniffing: enough to hold the head of any input. */
  public static final int BUFFER = 1 << 16;
  /**
   * Memory an xz stream may ask for, in KiB: its header declares a dictionary (up to 4 GiB, in a few
   * bytes) that the decoder allocates at once. 64 MiB is xz -9's dictionary, the largest any preset
   * uses; beyond it reading stops with a located error instead of running out of a small heap.
   */
  static final int XZ_MEMORY_LIMIT_KIB = 65 * 1024 + 512;

  private Decompression() {}

  /** "gzip", "xz" or "zstd" when the first bytes are that format's magic, else "none". */
  public static String detect(BufferedInputStream in) throws IOException {
    byte[] head = peek(in, 6);
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return "gzip";
    if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z'
        && head[3] == 'X' && head[4] == 'Z' && head[5] == 0) {
      return "xz";
    }
    if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return "zstd";
    }
    return "none";
  }

  /** The decompressed content of {@code in} (buffered, supports mark/reset) for a {@link #detect} result. */
  public static BufferedInputStream wrap(BufferedInputStream in, String compression) throws IOException {
    switch (compression) {
      case "gzip":
        return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
      case "xz":
        return new BufferedInputStream(new XZInputStream(in, XZ_MEMORY_LIMIT_KIB), BUFFER);
      case "zstd":
        return new BufferedInputStream(new io.airlift.compress.zstd.ZstdInputStream(in), BUFFER);
      default:
        return in;
    }
  }

  /** The next {@code n} bytes (fewer at the end), left unread. */
  public static byte[] peek(BufferedInputStream in, int n) throws IOException {
    in.mark(BUFFER);
    byte[] b = in.readNBytes(n);
    in.reset();
    return b;
  }

  /** Buffers a raw stream for {@link #open}. */
  public static BufferedInputStream buffered(InputStream raw) {
    return new BufferedInputStream(raw, BUFFER);
  }
}
