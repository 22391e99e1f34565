package org.kreplay.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.kreplay.ingest.internal.CanonicalCsvReader;
import org.kreplay.ingest.internal.CanonicalJsonlReader;
import org.kreplay.ingest.internal.ContentSniff;
import org.kreplay.ingest.internal.CountingInputStream;
import org.kreplay.ingest.internal.Decompression;
import org.kreplay.ingest.internal.EventRecord;
import org.kreplay.ingest.internal.FtraceDump;
import org.kreplay.ingest.internal.FtraceTextReader;
import org.kreplay.ingest.internal.InputFiles;
import org.kreplay.ingest.internal.PrefetchingReader;
import org.kreplay.ingest.internal.RecordReader;
import org.kreplay.ingest.internal.StackAttacher;
import org.kreplay.ingest.internal.TextTail;
import org.kreplay.ingest.internal.tracedat.TraceDatReader;
import org.kreplay.ingest.log.KernelLogs;

/**
 * Opens any input kreplay reads. The format is chosen by looking at the content — compression
 * magic first (gzip, xz, zstd are decompressed on the fly), then the data itself — never by the
 * file name.
 */
public final class Traces {
  private Traces() {}

  /** Opens a file, or standard input when {@code path} is "-". */
  public static TraceReader open(String path, ReadOptions options) throws IOException {
    if (path.equals("-")) return open("-", System.in, options);
    return open(path, java.nio.file.Path.of(path), options);
  }

  /**
   * Opens {@code file} as the input {@code source} names (a local copy of a file on another file
   * system): the reader, its results and its messages name {@code source}.
   */
  public static TraceReader open(String source, java.nio.file.Path file, ReadOptions options) throws IOException {
    if (options.windowIsRelative()) {
      TraceSpan span = span(file.toString(), options);
      options = options.placedIn(span.firstNs(), span.lastNs());
    }
    InputFiles.Opened opened = InputFiles.open(file.toString(), "a trace");
    return open(source, opened.in(), opened.size(), options, file);
  }

  /**
   * Opens a stream; {@code source} names it in messages. The reader closes the stream.
   */
  public static TraceReader open(String source, InputStream raw, ReadOptions options) throws IOException {
    if (options.windowNeedsLast()) throw new TimeBound.NotPlaceable(options.windowEndingAtLast(), source);
    if (options.windowIsRelative()) options = options.placedAtFirstEvent(); // known at the first event
    return open(source, raw, -1, options, null);
  }

  /**
   * The first and last event timestamps of a trace file (markers aside), the last found from the
   * file's end where its format allows: a trace.dat's last pages, an uncompressed text's last lines;
   * else a first pass reads the input through. Reads the instance {@code options} names.
   */
  public static TraceSpan span(String path, ReadOptions options) throws IOException {
    ReadOptions plain = ReadOptions.defaults().instance(options.instance()).limits(options.limits())
        .readAhead(false).bodies(false);
    InputFiles.Opened file = InputFiles.open(path, "a trace");
    CountingInputStream raw = new CountingInputStream(file.in());
    try (RecordReader r = openCounted(path, raw, plain, java.nio.file.Path.of(path))) {
      long first = nextTimestamp(r);
      if (first == Long.MIN_VALUE) return new TraceSpan(0, 0, TraceSpan.How.EMPTY, raw.count());
      if (r instanceof TraceDatReader dat && dat.inputBytesRead() >= 0) {
        long before = dat.bytesConsumed();
        long last = dat.lastTimestamp();
        return new TraceSpan(first, Math.max(first, last), TraceSpan.How.LAST_PAGES, dat.bytesConsumed() - before);
      }
      if (r instanceof FtraceTextReader && r.info().compression().equals("none")
          && r.info().format() != TraceFormat.FTRACE_DUMP) {
        TextTail.Last tail = TextTail.last(java.nio.file.Path.of(path), r.info().format(), plain);
        if (tail != null) return new TraceSpan(first, Math.max(first, tail.ns()), TraceSpan.How.TAIL, tail.bytesRead());
      }
      long last = first;
      for (long t = nextTimestamp(r); t != Long.MIN_VALUE; t = nextTimestamp(r)) last = Math.max(last, t);
      return new TraceSpan(first, last, TraceSpan.How.FIRST_PASS, file.size());
    }
  }

  /** The next event's timestamp, markers skipped; Long.MIN_VALUE at the end. */
  private static long nextTimestamp(RecordReader r) throws IOException {
    for (EventRecord e = r.next(); e != null; e = r.next()) {
      if (!e.kind().isMarker()) return e.timestamp();
    }
    return Long.MIN_VALUE;
  }

  /** @param file the input's path when it is a file (a trace.dat is then read with positional reads) */
  private static TraceReader open(String source, InputStream stored, long size, ReadOptions options,
      java.nio.file.Path file) throws IOException {
    CountingInputStream raw = new CountingInputStream(stored);
    RecordReader reader = openCounted(source, raw, options, file);
    if (options.readAhead()) {
      reader = new PrefetchingReader(reader, reader instanceof FtraceTextReader && deferDecode(options), options.strict(),
          options.selection());
    }
    return new ProgressReader(new StackAttacher(reader, options.probeFrames()), raw, size, options.selectionLabel());
  }

  private static RecordReader openCounted(String source, InputStream raw, ReadOptions options,
      java.nio.file.Path file) throws IOException {
    String compression = "none";
    try {
      BufferedInputStream in = Decompression.buffered(raw);
      compression = Decompression.detect(in);
      BufferedInputStream data = Decompression.wrap(in, compression);
      TraceFormat format = sniff(data);
      TraceInfo info = new TraceInfo(source, format);
      info.setCompression(compression);
      info.setBinary(format != TraceFormat.TRACE_DAT && ContentSniff.isBinary(Decompression.peek(data, 4096)));
      if (options.instance() != null && format != TraceFormat.TRACE_DAT) {
        throw new TraceFormatException(new InputProblem(source, 0,
            "buffer instance '" + options.instance() + "' asked for, but only trace.dat files have instances", ""));
      }
      switch (format) {
        case CANONICAL_CSV:
          return new CanonicalCsvReader(source, data, options, info);
        case CANONICAL_JSONL:
          return new CanonicalJsonlReader(source, data, options, info);
        case TRACE_DAT:
          if (compression.equals("none") && file != null && java.nio.file.Files.isRegularFile(file)) {
            raw.close();
            return TraceDatReader.open(source, file, options, info);
          }
          return TraceDatReader.open(source, data, options, info);
        case KERNEL_LOG:
          // A console log can hold the trace itself: the buffer ftrace_dump_on_oops printed.
          if (file == null || !hasFtraceDump(file)) {
            throw new TraceFormatException(new InputProblem(source, 0,
                "a kernel log, not a trace: read its reports with `kreplay splat`", ""));
          }
          info.setFormat(TraceFormat.FTRACE_DUMP);
          return new FtraceTextReader(source, new FtraceDump.Input(data), options, info, deferDecode(options));
        default:
          return new FtraceTextReader(source, data, options, info, deferDecode(options));
      }
    } catch (TraceFormatException e) {
      raw.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw new TraceFormatException(new InputProblem(source, 0, cannotRead(compression, e), ""));
    }
  }

  /**
   * Whether text bodies are decoded on the consumer's thread: not when a selection drops events
   * whose body decides it (a switch to a selected task), which the reader must then decode itself.
   */
  private static boolean deferDecode(ReadOptions options) {
    return options.readAhead() && (options.keepContext() || !options.selection().filtersTasks());
  }

  /**
   * Whether a file (a kernel log) holds an ftrace dump: the trace a kernel printed on its console
   * when it oopsed with {@code ftrace_dump_on_oops}. {@link #open} reads such a log as that trace.
   */
  public static boolean hasFtraceDump(java.nio.file.Path file) throws IOException {
    try (InputStream raw = java.nio.file.Files.newInputStream(file)) {
      BufferedInputStream in = Decompression.buffered(raw);
      return FtraceDump.contains(Decompression.wrap(in, Decompression.detect(in)));
    }
  }

  /** "cannot read: why", or "cannot read xz data: why" for a compressed input. */
  public static String cannotRead(String compression, Exception e) {
    String why = e instanceof IOException io ? IoErrors.reason(io)
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return (compression.equals("none") ? "cannot read: " : "cannot read " + compression + " data: ") + why;
  }

  /** A reader that also tells how far into the stored input it is. */
  private static final class ProgressReader implements TraceReader {
    private final TraceReader reader;
    private final CountingInputStream counter;
    private final long size;
    private final String selection;

    ProgressReader(TraceReader reader, CountingInputStream counter, long size, String selection) {
      this.reader = reader;
      this.counter = counter;
      this.size = size;
      this.selection = selection;
    }

    @Override
    public TraceEvent next() throws IOException {
      return reader.next();
    }

    @Override
    public TraceInfo info() {
      return reader.info();
    }

    @Override
    public InputStats stats() {
      InputStats s = reader.stats();
      if (selection != null) s.noteSelection(selection); // what "K of N events selected" refers to
      return s;
    }

    @Override
    public long inputBytesRead() {
      long own = reader.inputBytesRead(); // a trace.dat read in place counts its own reads
      return own >= 0 ? own : counter.count();
    }

    @Override
    public long inputSize() {
      return size;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /** Decides the format from the first bytes of (decompressed) content. */
  static TraceFormat sniff(BufferedInputStream in) throws IOException {
    byte[] head = Decompression.peek(in, 4096);
    if (ContentSniff.isTraceDat(head)) return TraceFormat.TRACE_DAT;
    int i = 0;
    while (i < head.length && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) i++;
    String start = new String(head, i, Math.min(head.length - i, 64), java.nio.charset.StandardCharsets.UTF_8);
    if (start.startsWith("{")) return TraceFormat.CANONICAL_JSONL;
    if (start.startsWith(CanonicalCsvReader.MAGIC) || start.startsWith("ts_ns,")) {
      return TraceFormat.CANONICAL_CSV;
    }
    if (KernelLogs.looksLikeKernelLog(head, head.length)) return TraceFormat.KERNEL_LOG;
    return TraceFormat.FTRACE_TEXT;
  }
}
