package org.kreplay.ingest;

import java.util.Locale;
import org.kreplay.ingest.log.LogInfo;
import org.kreplay.ingest.log.LogReader;

/**
 * Whether anything in an input was recognised, checked once it has been read to its end. Readers
 * skip what they cannot use and count it, so a README, random bytes or an empty file read as a trace
 * would otherwise give an empty analysis, "no findings", as if it had been a clean trace. Recognised
 * is: a trace event or marker (selected or not), a trace header (an empty trace is still a trace), a
 * kernel log line with the kernel's prefix, or a kernel report.
 */
public final class Recognition {
  /** The reason every command gives, in "FILE: not a trace or kernel log (what was seen)". */
  public static final String NOT_RECOGNISED = "not a trace or kernel log";

  private Recognition() {}

  /** @throws TraceFormatException when nothing the trace reader read was a trace */
  public static void requireTrace(TraceReader r) throws TraceFormatException {
    InputStats s = r.stats();
    TraceInfo info = r.info();
    if (s.events() > 0 || s.markers() > 0 || s.filtered() > 0 || s.stackFrames() > 0 || info.hasTraceHeader()
        || s.selectionNotRead()) {
      return;
    }
    throw new TraceFormatException(new InputProblem(info.source(), 0,
        NOT_RECOGNISED + " (" + seen(s, info.binary(), size(r.inputSize(), r.inputBytesRead())) + ")", ""));
  }

  /** @throws TraceFormatException when nothing the log reader read was the kernel's */
  public static void requireLog(LogReader r) throws TraceFormatException {
    InputStats s = r.stats();
    if (s.kernelLines() > 0 || s.reportLines() > 0 || s.stackFrames() > 0) return;
    LogInfo info = r.info();
    if (info.traceLike()) {
      throw new TraceFormatException(new InputProblem(info.source(), 0,
          "a trace, not a kernel log: analyze it with `kreplay analyze`", ""));
    }
    throw new TraceFormatException(new InputProblem(info.source(), 0,
        NOT_RECOGNISED + " (" + seen(s, info.binary(), size(r.inputSize(), r.inputBytesRead())) + ")", ""));
  }

  private static long size(long size, long read) {
    return size >= 0 ? size : read;
  }

  /** What the input held instead: "empty", "binary data, 5,000 bytes", "983 lines of text, …". */
  static String seen(InputStats s, boolean binary, long bytes) {
    if (s.lines() == 0) return "empty";
    if (binary) return "binary data" + (bytes > 0 ? ", " + count(bytes) + " bytes" : "");
    if (s.blankLines() == s.lines()) return count(s.lines()) + (s.lines() == 1 ? " blank line" : " blank lines");
    StringBuilder sb = new StringBuilder(count(s.lines())).append(s.lines() == 1 ? " line" : " lines")
        .append(" of text without a trace event, a trace header, a kernel log line or a kernel report");
    if (!s.examples().isEmpty()) {
      InputProblem first = s.examples().get(0);
      String text = first.excerpt().length() > 60 ? first.excerpt().substring(0, 57) + "..." : first.excerpt();
      sb.append("; line ").append(first.line()).append(": ").append(text);
    }
    return sb.toString();
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
