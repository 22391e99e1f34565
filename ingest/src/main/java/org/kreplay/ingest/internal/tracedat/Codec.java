package org.kreplay.ingest.internal.tracedat;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The block codecs trace-cmd compresses v7 files with. Every block declares its uncompressed size;
 * a block must decompress to exactly that many bytes.
 */
abstract class Codec {
  /** trace-cmd's compression name ("none", "zlib", "zstd"). */
  final String name;

  private Codec(String name) {
    this.name = name;
  }

  /** The codec for a v7 header's compression name, or null if kreplay does not know it. */
  static Codec forName(String name) {
    switch (name) {
      case "zstd": return Zstd.create();
      case "zlib": return new Zlib();
      default: return null;
    }
  }

  /**
   * Decompresses {@code in[inOff, inOff+inLen)} into {@code out[0, expected)}.
   *
   * @param at file offset of the block, for the error message
   */
  abstract void decompress(byte[] in, int inOff, int inLen, byte[] out, int expected, long at) throws DatException;

  /**
   * zstd through its own C library (zstd-jni, whose jar carries it for the common platforms), three
   * times as fast as the pure-Java decoder here; the pure-Java one (aircompressor) where the
   * library cannot load. Both check every length they read and fail on damage.
   */
  private abstract static class Zstd extends Codec {
    Zstd() {
      super("zstd");
    }

    static Zstd create() {
      return NativeZstd.AVAILABLE ? new NativeZstd() : new JavaZstd();
    }

    abstract int inflate(byte[] in, int inOff, int inLen, byte[] out, int expected);

    @Override
    final void decompress(byte[] in, int inOff, int inLen, byte[] out, int expected, long at) throws DatException {
      int n;
      try {
        n = inflate(in, inOff, inLen, out, expected);
      } catch (RuntimeException e) {
        throw new DatException(at, "corrupt zstd block (" + e.getMessage() + ")");
      }
      if (n != expected) {
        throw new DatException(at, "zstd block gave " + n + " bytes, its header says " + expected);
      }
    }
  }

  private static final class NativeZstd extends Zstd {
    /** Whether the library loaded (it unpacks itself into the temporary directory on first use). */
    static final boolean AVAILABLE = load();

    private final com.github.luben.zstd.ZstdDecompressCtx ctx = new com.github.luben.zstd.ZstdDecompressCtx();

    private static boolean load() {
      try {
        com.github.luben.zstd.util.Native.load();
        return com.github.luben.zstd.util.Native.isLoaded();
      } catch (LinkageError | RuntimeException e) {
        return false;
      }
    }

    @Override
    int inflate(byte[] in, int inOff, int inLen, byte[] out, int expected) {
      return ctx.decompressByteArray(out, 0, expected, in, inOff, inLen);
    }
  }

  private static final class JavaZstd extends Zstd {
    private final ZstdDecompressor zstd = new ZstdDecompressor();

    @Override
    int inflate(byte[] in, int inOff, int inLen, byte[] out, int expected) {
      return zstd.decompress(in, inOff, inLen, out, 0, expected);
    }
  }

  private static final class Zlib extends Codec {
    private final Inflater inflater = new Inflater();
    private final byte[] probe = new byte[1];

    Zlib() {
      super("zlib");
    }

    @Override
    void decompress(byte[] in, int inOff, int inLen, byte[] out, int expected, long at) throws DatException {
      inflater.reset();
      inflater.setInput(in, inOff, inLen);
      int n = 0;
      try {
        while (n < expected) {
          int k = inflater.inflate(out, n, expected - n);
          if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) break;
          n += k;
        }
        // More output than declared is damage too.
        if (n == expected && !inflater.finished() && inflater.inflate(probe) > 0) {
          throw new DatException(at, "zlib block is longer than its header says (" + expected + " bytes)");
        }
      } catch (DataFormatException e) {
        throw new DatException(at, "corrupt zlib block (" + e.getMessage() + ")");
      }
      if (n != expected) {
        throw new DatException(at, "zlib block gave " + n + " bytes, its header says " + expected);
      }
    }
  }
}
