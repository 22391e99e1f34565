package org.kreplay.ingest.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ftrace buffer a kernel prints on its console when it oopses or panics with
 * {@code ftrace_dump_on_oops} ({@code ftrace_dump()}): each event in the latency format behind
 * the log's prefix, e.g.
 * <pre>[   18.058436] rtvm_s1_-128       1d...111 67940us : contention_begin: 000000000bbebb5f (flags=RT)</pre>
 * (comm cut to 8 characters, CPU glued to the flags, microseconds since the buffer's start, a
 * delay mark before the colon). {@link Input} turns a log into the kernel's own trace text, one
 * output line per log line (lines that are not the dump's become empty), so the text reader reads
 * the dump and every position it names is the log's line.
 */
public final class FtraceDump {
  private FtraceDump() {}

  /** The log's prefix: an optional syslog level, the timestamp, an optional printk caller id. */
  private static final Pattern PREFIX = Pattern.compile("^(?:<\\d+>)?\\[\\s*\\d+\\.\\d+\\](?:\\[\\s*[TC]\\d+\\])? ?");
  /** kernel/trace/trace_output.c: lat_print_generic() "%8.8s-%-7d %3d", the flags, " %4lldus%c: ". */
  private static final Pattern EVENT =
      Pattern.compile("^(.{1,16}?)-(\\d+)\\s+(\\d+)([^\\s\\d]\\S*)\\s+(\\d+)us[ +!#*@$]: (.*)$");
  private static final Pattern FRAME = Pattern.compile("^\\s*=> .*$");
  private static final Pattern LOST = Pattern.compile("^CPU:\\d+ \\[LOST \\d+ EVENTS\\]\\s*$");

  /** The dump line as the kernel's trace text would print it, or null when it is not one. */
  static String normalise(String line, boolean inDump) {
    Matcher p = PREFIX.matcher(line);
    if (!p.find()) return null;
    String rest = line.substring(p.end());
    Matcher m = EVENT.matcher(rest);
    if (m.matches()) {
      long us = Long.parseLong(m.group(5));
      return String.format(Locale.ROOT, "%16s-%-7s [%03d] %s %d.%06d: %s", m.group(1).strip(), m.group(2),
          Integer.parseInt(m.group(3)), m.group(4), us / 1_000_000, us % 1_000_000, m.group(6));
    }
    if (inDump && (FRAME.matcher(rest).matches() || LOST.matcher(rest).matches())) return rest;
    return null;
  }

  /** Whether the stream holds at least one line of a dump (reads it to the end, or to that line). */
  public static boolean contains(InputStream in) throws IOException {
    LineBytes lines = new LineBytes(in);
    for (String l; (l = lines.next()) != null; ) {
      if (l.indexOf("us") > 0 && normalise(l, false) != null) return true;
    }
    return false;
  }

  /** A kernel log read as the trace text of the dumps in it; other lines come out empty. */
  public static final class Input extends InputStream {
    private final LineBytes lines;
    private byte[] out = new byte[0];
    private int pos;
    private boolean inDump;
    private long dumpLines;

    public Input(InputStream log) {
      this.lines = new LineBytes(log);
    }

    /** Lines of the log that were the dump's (events, stack frames, lost-event notes). */
    public long dumpLines() {
      return dumpLines;
    }

    @Override
    public int read() throws IOException {
      if (pos == out.length && !fill()) return -1;
      return out[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      if (pos == out.length && !fill()) return -1;
      int n = Math.min(len, out.length - pos);
      System.arraycopy(out, pos, b, off, n);
      pos += n;
      return n;
    }

    private boolean fill() throws IOException {
      String l = lines.next();
      if (l == null) return false;
      String t = l.indexOf("us") > 0 || inDump ? normalise(l, inDump) : null;
      if (t != null) {
        inDump = true;
        dumpLines++;
      } else if (inDump && !PREFIX.matcher(l).find()) {
        inDump = false;
      }
      out = ((t == null ? "" : t) + "\n").getBytes(StandardCharsets.UTF_8);
      pos = 0;
      return true;
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }

  /** Lines of a byte stream as text (bytes outside UTF-8 kept as replacement characters). */
  private static final class LineBytes {
    private static final int MAX_LINE = 1 << 16;
    private final InputStream in;
    private byte[] buf = new byte[256];

    LineBytes(InputStream in) {
      this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, Decompression.BUFFER);
    }

    String next() throws IOException {
      int n = 0;
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (n == MAX_LINE) continue; // no dump line is this long: the rest of it is not kept
        if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
        buf[n++] = (byte) c;
      }
      if (c < 0 && n == 0) return null;
      if (n > 0 && buf[n - 1] == '\r') n--;
      return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    void close() throws IOException {
      in.close();
    }
  }
}
