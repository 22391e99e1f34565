package org.kreplay.ingest.log;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.Traces;
import org.kreplay.ingest.internal.ContentSniff;
import org.kreplay.ingest.internal.CountingInputStream;
import org.kreplay.ingest.internal.Decompression;
import org.kreplay.ingest.internal.InputFiles;
import org.kreplay.ingest.internal.log.KernelLogReader;
import org.kreplay.ingest.internal.log.LogSniffer;

/**
 * Opens kernel logs — dmesg (with or without timestamps, {@code -T}), journalctl -k, syslog files,
 * /dev/kmsg dumps, serial-console captures, printk caller tags — plain or gzip/xz/zstd compressed,
 * recognised by content, and reads the kernel reports in them.
 */
public final class KernelLogs {
  private KernelLogs() {}

  /** Opens a file, or standard input when {@code pathOrDash} is "-". */
  public static LogReader open(String pathOrDash, ReadOptions options) throws IOException {
    if (pathOrDash.equals("-")) return open("-", System.in, -1, options);
    InputFiles.Opened file = InputFiles.open(pathOrDash, "a kernel log");
    return open(pathOrDash, file.in(), file.size(), options);
  }

  /** Opens {@code file} as the input {@code source} names (a local copy of a file on another file system). */
  public static LogReader open(String source, Path file, ReadOptions options) throws IOException {
    InputFiles.Opened opened = InputFiles.open(file.toString(), "a kernel log");
    return open(source, opened.in(), opened.size(), options);
  }

  /** Opens a stream; {@code source} names it in messages. The reader closes the stream. */
  public static LogReader open(String source, InputStream in, ReadOptions options) throws IOException {
    return open(source, in, -1, options);
  }

  private static LogReader open(String source, InputStream stored, long size, ReadOptions options) throws IOException {
    CountingInputStream counted = new CountingInputStream(stored);
    String compression = "none";
    try {
      BufferedInputStream in = Decompression.buffered(counted);
      compression = Decompression.detect(in);
      BufferedInputStream data = Decompression.wrap(in, compression);
      LogInfo info = new LogInfo(source);
      info.setCompression(compression);
      byte[] head = Decompression.peek(data, 1 << 15);
      // what the input is when it is no kernel log, to say so
      info.setBinary(ContentSniff.isBinary(head));
      info.setTraceLike(ContentSniff.isTraceDat(head) || ContentSniff.isCanonical(head)
          || LogSniffer.looksLikeTrace(head, head.length));
      return new KernelLogReader(source, data, options, info, counted, size);
    } catch (IOException | RuntimeException e) {
      counted.close();
      throw new TraceFormatException(new InputProblem(source, 0, Traces.cannotRead(compression, e), ""));
    }
  }

  /**
   * Whether the first bytes of (decompressed) content are a kernel log rather than a trace: log prefixes
   * or report lines, and no ftrace event lines. Lets callers route an input before opening it.
   */
  public static boolean looksLikeKernelLog(byte[] head, int len) {
    return LogSniffer.looksLikeKernelLog(head, len);
  }

  /** {@link #looksLikeKernelLog(byte[], int)} on the start of a file, decompressing it if needed. */
  public static boolean looksLikeKernelLog(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file)) {
      BufferedInputStream in = Decompression.buffered(raw);
      BufferedInputStream data = Decompression.wrap(in, Decompression.detect(in));
      byte[] head = Decompression.peek(data, 1 << 15);
      return looksLikeKernelLog(head, head.length);
    }
  }
}
