package org.kreplay.ingest.internal.log;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadLimits;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.ReportHeaders;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.internal.Bytes;
import org.kreplay.ingest.internal.CountingInputStream;
import org.kreplay.ingest.internal.LineSource;
import org.kreplay.ingest.internal.ReaderBase;
import org.kreplay.ingest.internal.Symbols;
import org.kreplay.ingest.log.LogFormat;
import org.kreplay.ingest.log.LogInfo;
import org.kreplay.ingest.log.LogReader;
import org.kreplay.ingest.log.Splat;

/**
 * Reads a kernel log line by line and hands out its reports. Lines are routed by printk caller tag
 * when the log has them, so that reports printed by different CPUs at the same time come apart; each
 * tag has its own {@link ReportStream}, and at most {@value #MAX_STREAMS} are assembling a report at
 * once. Reports are handed out in the order they begin in the input, as soon as no earlier one can still
 * be in progress; a stream that has been silent for {@value #QUIET_LINES} lines is closed.
 */
public final class KernelLogReader extends ReaderBase<LogInfo> implements LogReader {
  static final int MAX_STREAMS = 64;
  static final int QUIET_LINES = 2000;

  private final LineSource lines;
  private final InputStream closeable;
  private final CountingInputStream counter;
  private final long size;
  private final Symbols symbols = new Symbols();
  private final FrameParser frames = new FrameParser(symbols);
  private final LockLineParser locks = new LockLineParser(symbols);
  private final LogLine line = new LogLine();
  private final PrefixParser prefixes = new PrefixParser();
  private final boolean[] console = new boolean[1];

  private final ReportStream untagged = new ReportStream(this);
  private final Map<Integer, ReportStream> tagged = new HashMap<>();
  private ReportStream last = untagged;

  private final PriorityQueue<Splat> ready =
      new PriorityQueue<>((a, b) -> Long.compare(a.where().firstLine(), b.where().firstLine()));
  /** Texts of reports not yet handed out (open, or finished and still gathering their text). */
  private final List<ReportText> texts = new ArrayList<>();
  private TraceFormatException error;
  private boolean done;

  public KernelLogReader(String source, InputStream in, ReadOptions options, LogInfo info, CountingInputStream counter,
      long size) {
    super(source, options, info);
    this.closeable = in;
    this.lines = LineSource.limited(in, options.limits().maxLineLength());
    this.counter = counter;
    this.size = size;
  }

  @Override
  public Splat next() throws IOException {
    while (true) {
      if (!ready.isEmpty() && ready.peek().where().firstLine() < earliestOpen()) return ready.poll();
      if (error != null) {
        TraceFormatException e = error;
        error = null;
        done = true;
        ready.clear();
        throw e;
      }
      if (done) return ready.poll();
      if (!nextLine()) {
        done = true;
        finishAll();
        continue;
      }
      stats.countLine();
      try {
        handle();
      } catch (TraceFormatException e) {
        error = e; // strict mode: delivered after the reports completed before it
      }
    }
  }



  @Override
  public long inputBytesRead() {
    return counter == null ? -1 : counter.count();
  }

  @Override
  public long inputSize() {
    return size;
  }

  @Override
  public void close() throws IOException {
    closeable.close();
  }

  // ---- for the streams

  String source() {
    return source;
  }

  ReadLimits limits() {
    return options.limits();
  }

  FrameParser frames() {
    return frames;
  }

  LockLineParser locks() {
    return locks;
  }

  /** A finished report: handed out once its console text is complete too. */
  void emit(Splat s, ReportText text) {
    if (s.kernel().release() != null) info.noteKernelRelease(s.kernel().release());
    if (text == null) {
      ready.add(s);
      return;
    }
    text.report(s);
    flushTexts();
  }

  /**
   * A report begins in this stream. In an untagged log the earlier report's text ends here; a caller
   * tag keeps one CPU's lines together, so there syzkaller reads on past the next report (up to
   * {@link ReportText#MAX_LINES} lines).
   */
  ReportText opened(ReportStream st, long firstLine) {
    if (st == untagged) completeText(st);
    ReportText t = new ReportText(firstLine);
    if (st.texts.size() >= ReportText.MAX_OPEN) { // a report on every line: the oldest text ends
      st.texts.get(0).complete();
      st.texts.remove(0);
      flushTexts();
    }
    st.texts.add(t);
    texts.add(t);
    return t;
  }

  /** Adds the line to the stream's texts; those that are full are done. */
  private void addText(ReportStream st, LogLine l) {
    boolean full = false;
    String m = l.message(); // one string, shared by every text that holds the line
    boolean timestamped = l.timestamp() >= 0;
    for (ReportText t : st.texts) full |= !t.add(m, timestamped);
    if (full) {
      st.texts.removeIf(ReportText::isComplete);
      flushTexts();
    }
  }

  private void completeText(ReportStream st) {
    if (st.texts.isEmpty()) return;
    for (ReportText t : st.texts) t.complete();
    st.texts.clear();
    flushTexts();
  }

  /** Reports whose text is complete go to the ready queue. */
  private void flushTexts() {
    for (Iterator<ReportText> it = texts.iterator(); it.hasNext(); ) {
      ReportText t = it.next();
      Splat s = t.ready();
      if (s != null) {
        ready.add(s);
        it.remove();
      }
    }
  }

  /** Whether the input's last line had no newline: the input was cut in the middle of a line. */
  boolean lastLineCut() {
    return lines.unterminated();
  }

  /** A malformed line inside a report: skipped with its reason, or the end of reading in strict mode. */
  void problem(LogLine l, String reason) throws TraceFormatException {
    InputProblem p = InputProblem.of(source, l.number, reason, l.excerpt());
    skip(p);
  }

  // ---- lines

  private boolean nextLine() throws IOException {
    try {
      return lines.next();
    } catch (TraceFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new TraceFormatException(new InputProblem(source, lines.lineNumber() + 1,
          org.kreplay.ingest.Traces.cannotRead(info.compression(), e), ""));
    }
  }

  private void handle() throws IOException {
    if (lines.tooLong()) {
      InputProblem p = InputProblem.of(source, lines.lineNumber(), "line too long", lines.lineText());
      skip(p);
      return;
    }
    byte[] b = lines.buffer();
    int s = lines.start();
    int e = lines.end();
    boolean unprintable = false;
    if (LineCleaner.needsCleaning(b, s, e)) {
      console[0] = false;
      e = LineCleaner.clean(b, s, e, console);
      if (console[0]) info.noteFormat(LogFormat.SERIAL_CONSOLE);
      unprintable = hasUnprintable(b, s, e);
    }
    if (lines.strippedCr()) info.noteFormat(LogFormat.SERIAL_CONSOLE);
    LogLine l = line;
    l.reset(b, s, e, lines.lineNumber());
    l.unprintable = unprintable;
    prefixes.parse(l);
    if (l.format != null) info.noteFormat(l.format);
    if (l.tagKind != 0) info.setCallerTags(true);
    Headers.Match h = null;
    boolean banner = false;
    if (!l.blank()) {
      h = Headers.match(b, l.text, e);
      ReportHeaders further = options.reportHeaders();
      ReportHeaders.Header at = further.locate(b, l.text, e, l.prefixed);
      boolean startsNothing = at != null && further.startsNothing(at, b, l.text, e);
      if (h != null && h.type == Headers.Type.HEADER && startsNothing) {
        h = null; // a header line syzkaller's rules say starts nothing ("WARNING: the mand mount option")
      } else if ((h == null || h.needsBanner) && at != null && !startsNothing) {
        h = h == null ? Headers.OTHER : h.orElse(Headers.OTHER);
      }
      banner = h == null && b[l.text] == 'L' && Bytes.startsWith(b, l.text, e, "Linux version ");
      if (banner) linuxVersion(l);
    }
    if ((l.prefixed && l.kernel) || banner) stats.countKernelLine(); // what makes a clean log a log
    ReportStream st = route(l, h);
    if (st == null) return;
    st.accept(l, h);
    if (!st.texts.isEmpty()) addText(st, l);
    if (st != untagged && st.idle()) {
      completeText(st);
      tagged.values().remove(st);
    }
    if ((l.number & 1023) == 0 && !tagged.isEmpty()) closeQuiet(l.number);
  }

  /** The stream a line belongs to, or null when it was counted already (a quiet tag's ordinary line). */
  private ReportStream route(LogLine l, Headers.Match h) {
    if (l.tagKind != 0) {
      int key = l.tagKey();
      ReportStream st = tagged.get(key);
      if (st == null) {
        if (h == null && (l.blank() || !Headers.stackDumpStart(l.b, l.text, l.end))) {
          if (l.blank()) stats.countBlank();
          else stats.countLogLine();
          return null;
        }
        if (tagged.size() >= MAX_STREAMS) closeQuietest();
        st = new ReportStream(this);
        tagged.put(key, st);
      }
      last = st;
      return st;
    }
    if (!l.prefixed && last != untagged && last.open != null) return last; // a continuation line
    last = untagged;
    return untagged;
  }

  private void closeQuiet(long now) {
    for (Iterator<ReportStream> it = tagged.values().iterator(); it.hasNext(); ) {
      ReportStream st = it.next();
      if (st.lastSeenLine < now - QUIET_LINES) {
        st.finish(ReportBuilder.End.UNRELATED_LINES, now);
        completeText(st);
        it.remove();
      }
    }
  }

  private void closeQuietest() {
    ReportStream quietest = null;
    int key = 0;
    for (Map.Entry<Integer, ReportStream> en : tagged.entrySet()) {
      if (quietest == null || en.getValue().lastSeenLine < quietest.lastSeenLine) {
        quietest = en.getValue();
        key = en.getKey();
      }
    }
    if (quietest != null) {
      quietest.finish(ReportBuilder.End.UNRELATED_LINES, lines.lineNumber());
      completeText(quietest);
      tagged.remove(key);
    }
  }

  private void finishAll() {
    long end = lines.lineNumber();
    List<ReportStream> all = new ArrayList<>(tagged.values());
    all.add(untagged);
    all.sort((a, b) -> Long.compare(a.earliestLine(), b.earliestLine()));
    for (ReportStream st : all) st.finish(ReportBuilder.End.END_OF_INPUT, end);
    for (ReportStream st : all) completeText(st);
    tagged.clear();
  }

  /** First line of the earliest report still being assembled (reports before it can be handed out). */
  private long earliestOpen() {
    if (done) return Long.MAX_VALUE;
    long m = untagged.earliestLine();
    for (ReportStream st : tagged.values()) m = Math.min(m, st.earliestLine());
    for (ReportText t : texts) m = Math.min(m, t.firstLine);
    return m;
  }

  private String bootRelease;

  private void linuxVersion(LogLine l) {
    int s = l.text + 14;
    int e = s;
    while (e < l.end && l.b[e] != ' ') e++;
    if (e > s) {
      bootRelease = new String(l.b, s, e - s, java.nio.charset.StandardCharsets.UTF_8);
      info.noteKernelRelease(bootRelease);
    }
  }

  /** The release the latest "Linux version" banner named (the boot now being read), or null. */
  String bootRelease() {
    return bootRelease;
  }

  /** Control bytes other than tab left after cleaning: bytes no kernel message contains. */
  private static boolean hasUnprintable(byte[] b, int s, int e) {
    for (int i = s; i < e; i++) {
      if (b[i] >= 0 && b[i] < 0x20 && b[i] != '\t') return true;
      if (b[i] == 0x7f) return true;
    }
    return false;
  }
}
