package org.kreplay.ingest.internal.tracedat;

import java.io.IOException;

/**
 * One CPU's ring-buffer data, read page by page (a block of pages from the file, or one compressed
 * chunk at a time) and decoded record by record, as libtraceevent's kbuffer does: a page is a u64
 * timestamp, a commit word (data length in the low 27 bits, bit 31 = events were lost before this
 * page, bit 30 = their count is stored after the data) and the records; each record starts with a
 * u32 holding a 5-bit type_len and a 27-bit time delta. Memory is one block or chunk per CPU.
 */
final class CpuStream {
  /** What the stream is positioned on after {@link #advance}. */
  static final int RECORD = 1;
  static final int LOST = 2;
  static final int END = 0;

  private static final int COMMIT_MASK = (1 << 27) - 1;
  private static final long MISSED_EVENTS = 1L << 31;
  private static final long MISSED_STORED = 1L << 30;
  private static final long TS_MSB = 0xf8L << 56;
  static final int MAX_CHUNK = 16 << 20;

  /** Receives damage found in the data; may throw to stop reading (strict mode). */
  interface DamageSink {
    void damaged(long offset, String reason) throws IOException;
  }

  final int index;
  final int cpu;
  private final ByteSource source;
  private final Endian endian;
  private final int pageSize;
  private final int dataOffset;
  private final int commitSize;
  private final Codec codec;
  private final TimeBase time;
  private final DamageSink sink;
  private final long dataStart;
  private final long dataEnd;
  private final int blockSize;

  private byte[] buf;
  private int bufLen;
  private byte[] zin;
  /** File offset of buf[0] (uncompressed) or of the current chunk's header (compressed). */
  private long bufFileOffset;
  private long filePos;
  private long chunksLeft = -1;
  private int pageStart = -1;
  private int next;
  private int pageEnd;
  private long rawTs;
  private boolean pendingLost;
  private long pendingLostCount;
  private long pageTs;
  private boolean done;

  // The current item.
  int state;
  long ts;
  int recStart;
  int recLength;
  long lostCount;

  CpuStream(int index, int cpu, ByteSource source, Endian endian, int pageSize, FormatParser.HeaderPage hp,
      Codec codec, TimeBase time, long dataStart, long dataSize, int cpus, DamageSink sink) {
    this.index = index;
    this.cpu = cpu;
    this.source = source;
    this.endian = endian;
    this.pageSize = pageSize;
    this.dataOffset = hp.dataOffset;
    this.commitSize = hp.commitSize;
    this.codec = codec;
    this.time = time;
    this.sink = sink;
    this.dataStart = dataStart;
    this.dataEnd = dataStart + dataSize;
    this.filePos = dataStart;
    // A few hundred KiB of pages per CPU per read; less each when there are many CPUs.
    int block = Math.max(pageSize, Math.min(256 << 10, (8 << 20) / Math.max(1, cpus)));
    this.blockSize = block - block % pageSize;
    this.done = dataSize <= 0;
  }

  byte[] buffer() {
    return buf;
  }

  /** File offset of the current record, for messages (the chunk's offset when compressed). */
  long recordOffset() {
    return codec == null ? bufFileOffset + recStart : bufFileOffset;
  }

  /** Moves to the next record or lost-events marker; sets {@link #state}. */
  int advance() throws IOException {
    while (true) {
      if (pendingLost) {
        pendingLost = false;
        state = LOST;
        ts = time.correct(pageTs);
        lostCount = pendingLostCount;
        return state;
      }
      if (pageStart >= 0 && next < pageEnd) {
        if (decodeOne()) {
          state = RECORD;
          return state;
        }
        continue;
      }
      if (done || !nextPage()) {
        done = true;
        state = END;
        return state;
      }
    }
  }

  /**
   * The timestamp of this CPU's last record, Long.MIN_VALUE without one. Uncompressed data is read
   * from its last page back (each page header holds a full timestamp), so only a few pages are
   * read; compressed chunks cannot be entered in the middle and are read through.
   */
  long lastRecordTs() throws IOException {
    long last = Long.MIN_VALUE;
    if (codec != null) {
      while (advance() != END) if (state == RECORD) last = ts;
      return last;
    }
    long pages = (dataEnd - dataStart + pageSize - 1) / pageSize;
    for (long k = pages - 1; k >= 0 && last == Long.MIN_VALUE; k--) {
      filePos = dataStart + k * pageSize;
      pageStart = -1;
      bufLen = 0;
      done = false;
      pendingLost = false;
      while (advance() != END) if (state == RECORD) last = Math.max(last, ts);
    }
    return last;
  }

  /** Decodes the record header at {@link #next}; true when it is a data record. */
  private boolean decodeOne() throws IOException {
    int p = next;
    if (p + 4 > pageEnd) {
      damage(p, "record header runs past the page's data");
      return false;
    }
    int h = endian.s32(buf, p);
    int typeLen;
    long delta;
    if (endian.big) {
      typeLen = h >>> 27;
      delta = h & COMMIT_MASK;
    } else {
      typeLen = h & 31;
      delta = h >>> 5;
    }
    switch (typeLen) {
      case 29: { // padding: array[0] is the length after the header; a discarded event keeps its delta
        if (p + 8 > pageEnd) {
          next = pageEnd;
          return false;
        }
        long length = endian.u32(buf, p + 4);
        rawTs += delta;
        next = (int) Math.min(pageEnd, p + 4 + length);
        if (next <= p) next = pageEnd;
        return false;
      }
      case 30: // time extend
      case 31: { // absolute time stamp; the top 5 bits come from the running time
        if (p + 8 > pageEnd) {
          damage(p, "time extend runs past the page's data");
          return false;
        }
        long ext = (endian.u32(buf, p + 4) << 27) + delta;
        rawTs = typeLen == 30 ? rawTs + ext : ext | (rawTs & TS_MSB);
        next = p + 8;
        return false;
      }
      case 0: {
        if (p + 8 > pageEnd) {
          damage(p, "record header runs past the page's data");
          return false;
        }
        long length = endian.u32(buf, p + 4) - 4;
        if (length < 0) {
          damage(p, "record length " + length + " is negative");
          return false;
        }
        length = (length + 3) & ~3L;
        if (p + 8 + length > pageEnd) {
          damage(p, "record of " + length + " bytes runs past the page's data");
          return false;
        }
        rawTs += delta;
        recStart = p + 8;
        recLength = (int) length;
        next = p + 8 + (int) length;
        ts = time.correct(rawTs);
        return true;
      }
      default: {
        int length = typeLen * 4;
        if (p + 4 + length > pageEnd) {
          damage(p, "record of " + length + " bytes runs past the page's data");
          return false;
        }
        rawTs += delta;
        recStart = p + 4;
        recLength = length;
        next = p + 4 + length;
        ts = time.correct(rawTs);
        return true;
      }
    }
  }

  /** Reports damage at {@code index} of the buffer and abandons the rest of the page. */
  private void damage(int at, String reason) throws IOException {
    long offset = codec == null ? bufFileOffset + at : bufFileOffset;
    next = pageEnd;
    sink.damaged(offset, "CPU " + cpu + ": " + reason);
  }

  /** Loads the next page header; false at the end of this CPU's data. */
  private boolean nextPage() throws IOException {
    while (true) {
      if (pageStart >= 0 && pageStart + pageSize < bufLen) {
        pageStart += pageSize;
      } else if (!(codec == null ? readBlock() : readChunk())) {
        return false;
      }
      if (setUpPage()) return true;
    }
  }

  private boolean setUpPage() throws IOException {
    int avail = Math.min(pageSize, bufLen - pageStart);
    long at = codec == null ? bufFileOffset + pageStart : bufFileOffset;
    if (avail < dataOffset) {
      sink.damaged(at, "CPU " + cpu + ": page cut short (" + avail + " bytes)");
      pageStart = bufLen;
      return false;
    }
    rawTs = endian.s64(buf, pageStart);
    long commit = commitSize == 8 ? endian.s64(buf, pageStart + 8) : endian.u32(buf, pageStart + 8);
    int size = (int) (commit & COMMIT_MASK);
    if (size > pageSize - dataOffset) {
      sink.damaged(at, "CPU " + cpu + ": page data size " + size + " is larger than the page");
      return false;
    }
    if (dataOffset + size > avail) {
      sink.damaged(at, "CPU " + cpu + ": page cut short (" + avail + " of " + (dataOffset + size) + " bytes)");
      return false;
    }
    next = pageStart + dataOffset;
    pageEnd = next + size;
    if ((commit & MISSED_EVENTS) != 0) {
      pendingLost = true;
      pageTs = rawTs;
      pendingLostCount = -1;
      if ((commit & MISSED_STORED) != 0 && dataOffset + size + commitSize <= avail) {
        pendingLostCount = commitSize == 8 ? endian.s64(buf, pageEnd) : endian.u32(buf, pageEnd);
        if (pendingLostCount < 0) pendingLostCount = -1;
      }
    }
    return true;
  }

  /** Reads the next block of uncompressed pages. */
  private boolean readBlock() throws IOException {
    long left = dataEnd - filePos;
    if (left <= 0) return false;
    int want = (int) Math.min(left, blockSize);
    if (buf == null || buf.length < want) buf = new byte[Math.max(want, pageSize)];
    int n = 0;
    while (n < want) {
      int k = source.read(filePos + n, buf, n, want - n);
      if (k <= 0) break;
      n += k;
    }
    bufFileOffset = filePos;
    filePos += want;
    bufLen = n;
    pageStart = 0;
    if (n < want) {
      sink.damaged(bufFileOffset + n, "CPU " + cpu + ": file ends inside the CPU's data (" + (dataEnd - bufFileOffset - n)
          + " bytes missing)");
      filePos = dataEnd;
      if (n == 0) return false;
    }
    return true;
  }

  /** Reads and decompresses the next chunk: u32 count before the first, then {u32 zsize, u32 size, data}. */
  private final byte[] head = new byte[8];

  private boolean readChunk() throws IOException {
    while (true) {
      if (chunksLeft < 0) {
        if (readAt(filePos, head, 4) < 4) {
          sink.damaged(filePos, "CPU " + cpu + ": file ends before the chunk count");
          return false;
        }
        chunksLeft = endian.u32(head, 0);
        filePos += 4;
      }
      if (chunksLeft == 0) return false;
      long at = filePos;
      if (readAt(at, head, 8) < 8) {
        sink.damaged(at, "CPU " + cpu + ": file ends inside a chunk header (" + chunksLeft + " chunks announced)");
        chunksLeft = 0;
        return false;
      }
      long zsize = endian.u32(head, 0);
      long size = endian.u32(head, 4);
      long fileSize = source.knownSize();
      if (size == 0 || size > MAX_CHUNK || zsize == 0 || zsize > size + (size >> 7) + 4096
          || (fileSize >= 0 && at + 8 + zsize > fileSize)) {
        sink.damaged(at, "CPU " + cpu + ": chunk sizes out of range (" + zsize + " compressed, " + size
            + " uncompressed)");
        chunksLeft = 0;
        return false;
      }
      if (zin == null || zin.length < zsize) zin = new byte[(int) Math.max(zsize, 1 << 16)];
      if (readAt(at + 8, zin, (int) zsize) < zsize) {
        sink.damaged(at, "CPU " + cpu + ": file ends inside a compressed chunk");
        chunksLeft = 0;
        return false;
      }
      filePos = at + 8 + zsize;
      chunksLeft--;
      if (buf == null || buf.length < size) buf = new byte[(int) Math.max(size, pageSize)];
      bufFileOffset = at;
      try {
        codec.decompress(zin, 0, (int) zsize, buf, (int) size, at);
      } catch (DatException e) {
        sink.damaged(at, "CPU " + cpu + ": " + e.reason);
        continue; // the chunk sizes were sane, so the next chunk can still be read
      }
      bufLen = (int) size;
      pageStart = 0;
      return true;
    }
  }

  private int readAt(long pos, byte[] b, int n) throws IOException {
    int got = 0;
    while (got < n) {
      int k = source.read(pos + got, b, got, n - got);
      if (k <= 0) break;
      got += k;
    }
    return got;
  }
}
