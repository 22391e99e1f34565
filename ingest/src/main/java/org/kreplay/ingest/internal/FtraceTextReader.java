package org.kreplay.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.EventSelection;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.ingest.TraceInfo;

/**
 * Reads ftrace text: the kernel's {@code trace}/{@code trace_pipe} output and {@code trace-cmd
 * report} output with or without {@code -l}. Each line is anchored on {@code -PID} followed by
 * {@code [CPU]}, a {@code (TGID)} column or (report -l) a CPU number glued to the flags — never on
 * column positions, because comms contain spaces and dashes.
 *
 * <p>The reader keeps one event of lookahead: stack-trace lines that follow an event are attached to
 * it before it is handed out.
 */
public final class FtraceTextReader extends ReaderBase<TraceInfo> implements RecordReader, OwnedEvents {
  private final LineSource lines;
  private final Symbols symbols = new Symbols();
  private final Symbols names = new Symbols();
  private final BodyDecoder decoder = new BodyDecoder(symbols);
  private final InputStream closeable;
  private final boolean deferDecode;

  private EventRecord pending = new EventRecord();
  private EventRecord incoming = new EventRecord();
  private boolean hasPending;
  /**
   * The last event line, when its body could not be decoded and no event followed it yet: a stack
   * trace after it is its own and is skipped with it, exactly as when bodies are decoded on the
   * consumer's thread ({@code deferDecode}), where that event is the pending one until then.
   */
  private final EventRecord skipped = new EventRecord();
  private boolean hasSkipped;
  private boolean done;

  /**
   * Where stack-frame lines go: into the pending event, with a skipped event, dropped (user stack,
   * filtered), or nowhere.
   */
  private enum FrameTarget { NONE, PENDING, SKIPPED, PROBE_STACK, DISCARD_USER, DISCARD_FILTERED }

  /** Frames of probe handlers (ReadOptions#probeFrames): a stack that starts with them is not the pending event's. */
  private final Predicate<String> probeFrames;
  /**
   * A {@code <stack trace>} line went to the pending event and its first frame, which says whose
   * it is, is still to come; that line's header is in {@link #incoming} until the next event line.
   */
  private boolean firstFrame;
  /** A probe's stack, split from the pending event it followed: delivered right after that event. */
  private EventRecord probeStack = new EventRecord();
  private boolean hasProbeStack;
  private boolean probeStackDue;

  private FrameTarget frameTarget = FrameTarget.NONE;
  private boolean bhLegend;
  private boolean libtraceevent;
  private boolean flagsDescribed;
  private long lastTimestamp;
  /** Fewest fraction digits seen in a timestamp: what sets the input's resolution. */
  private int fractionDigits = 9;

  /**
   * @param deferDecode leave event bodies undecoded and uncounted: a {@link PrefetchingReader}
   *     decodes them on the consumer's thread, splitting the work over two cores
   */
  public FtraceTextReader(String source, InputStream in, ReadOptions options, TraceInfo info, boolean deferDecode) {
    super(source, options, info);
    this.deferDecode = deferDecode;
    this.probeFrames = options.probeFrames();
    this.closeable = in;
    this.lines = LineSource.limited(in, options.limits().maxLineLength());
    this.maxFrames = options.limits().maxStackFrames();
    if (info.format() != TraceFormat.FTRACE_TEXT && info.format() != TraceFormat.FTRACE_DUMP) libtraceevent = true;
    names.intern(FUNCTION);
    functionId = names.lastId();
    names.intern(KERNEL_STACK);
    kernelStackId = names.lastId();
  }

  /** Frames kept per stack: kernels record at most a few hundred; more is a damaged or crafted input. */
  /** The deepest stack kept (ReadLimits). */
  private final int maxFrames;

  private static final String FUNCTION = "function";
  private static final String KERNEL_STACK = "kernel_stack";
  private final int functionId;
  private final int kernelStackId;



  /** Bytes of (decompressed) text read so far, for progress reporting. */
  public long bytesRead() {
    return lines.bytesRead();
  }

  @Override
  public void close() throws IOException {
    closeable.close();
  }

  @Override
  public EventRecord next() throws IOException {
    if (probeStackDue) {
      probeStackDue = false;
      hasProbeStack = false;
      return probeStack;
    }
    while (!done) {
      if (!nextLine()) {
        done = true;
        break;
      }
      stats.countLine();
      if (readLine()) {
        hasSkipped = false;
        // incoming holds a complete new event: hand out the previous one, if any.
        if (hasPending) {
          swap();
          probeStackDue = hasProbeStack;
          return incoming;
        }
        swap();
        hasPending = true;
      }
    }
    if (hasPending) {
      hasPending = false;
      probeStackDue = hasProbeStack;
      return pending;
    }
    return null;
  }

  @Override
  public EventRecord nextOwned(EventRecord replacement) throws IOException {
    EventRecord e = next();
    if (e == incoming) {
      incoming = replacement;
    } else if (e == pending) {
      pending = replacement;
    } else if (e == probeStack) {
      probeStack = replacement;
    }
    return e;
  }

  /** Advances the line source; a failing stream (truncated gzip…) becomes an error at file:line. */
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

  private void swap() {
    EventRecord t = pending;
    pending = incoming;
    incoming = t;
  }

  /**
   * Classifies the current line. Returns true when {@link #incoming} now holds a new event (or
   * marker) that follows the pending one; stack frames, headers and skipped lines return false.
   */
  private boolean readLine() throws IOException {
    if (lines.tooLong()) {
      problem("line too long");
      return false;
    }
    byte[] b = lines.buffer();
    int s = lines.start();
    int e = lines.end();
    int i = Bytes.skipSpaces(b, s, e);
    if (i == e) {
      stats.countBlank();
      return false;
    }
    byte c = b[i];
    if (c == '#') return headerLine(b, i, e);
    if (c == '=' && i + 1 < e && b[i + 1] == '>') return frameLine(b, i + 2, e);
    if (c == 'C' && Bytes.startsWith(b, i, e, "CPU:")) return lostLine(b, i, e);
    if (c == 'c' && Bytes.startsWith(b, i, e, "cpus=")) {
      info.setDeclaredCpus((int) Math.max(-1, Bytes.parseDecimal(b, i + 5, e)));
      if (info.declaredCpus() >= 0) info.markTraceHeader();
      reportPreamble();
      stats.countHeader();
      return false;
    }
    if ((c == 'v' && Bytes.startsWith(b, i, e, "version = "))
        || (c == 'C' && Bytes.startsWith(b, i, e, "CPU ") && Bytes.indexOf(b, i, e, " is empty") > 0)) {
      reportPreamble();
      info.markTraceHeader();
      stats.countHeader();
      return false;
    }
    return eventLine(b, i, e);
  }

  private void reportPreamble() {
    if (info.format() == TraceFormat.FTRACE_TEXT) info.setFormat(TraceFormat.TRACE_CMD_REPORT);
    libtraceevent = true;
  }

  // ---- header and markers

  private boolean headerLine(byte[] b, int i, int e) throws IOException {
    if (Bytes.startsWith(b, i, e, "#####")) {
      int k = Bytes.indexOf(b, i, e, "CPU ");
      if (k >= 0 && Bytes.indexOf(b, k, e, "buffer started") > 0) {
        int cpu = (int) Bytes.parseDecimal(b, k + 4, e);
        return marker(EventKind.CPU_BUFFER_STARTED, "buffer_started", cpu, -1);
      }
    }
    stats.countHeader();
    if (Bytes.indexOf(b, i, e, "BH-disabled") >= 0) bhLegend = true;
    if (Bytes.startsWith(b, i, e, "# tracer: ") || Bytes.indexOf(b, i, e, "irqs-off") > 0
        || Bytes.indexOf(b, i, e, "TASK-PID") > 0) {
      info.markTraceHeader(); // the header and column legend tracefs prints
    }
    int t = Bytes.indexOf(b, i, e, "tracer: ");
    if (t >= 0) info.setTracer(new String(b, t + 8, e - t - 8, java.nio.charset.StandardCharsets.UTF_8).strip());
    int en = Bytes.indexOf(b, i, e, "entries-in-buffer/entries-written: ");
    if (en >= 0) {
      int v = en + 35;
      long inBuf = Bytes.parseDecimal(b, v, e);
      int slash = Bytes.indexOf(b, v, e, (byte) '/');
      long written = slash < 0 ? -1 : Bytes.parseDecimal(b, slash + 1, e);
      info.setEntries(inBuf, written);
      info.markTraceHeader();
      int p = Bytes.indexOf(b, v, e, "#P:");
      if (p >= 0) info.setDeclaredCpus((int) Bytes.parseDecimal(b, p + 3, e));
    }
    if (Bytes.indexOf(b, i, e, "latency trace v") >= 0) {
      throw new TraceFormatException(InputProblem.of(source, lines.lineNumber(),
          "latency-format output (relative timestamps) is not supported; record with the nop tracer"
              + " or read the trace.dat", lines.lineText()));
    }
    return false;
  }

  /** {@code CPU:N [LOST M EVENTS]}, trace-cmd's {@code CPU:N [M EVENTS DROPPED]} / {@code [EVENTS DROPPED]}. */
  private boolean lostLine(byte[] b, int i, int e) throws IOException {
    long cpu = Bytes.parseDecimal(b, i + 4, e);
    int lb = Bytes.indexOf(b, i, e, (byte) '[');
    if (cpu == Bytes.NONE || lb < 0) {
      problem("malformed lost-events line");
      return false;
    }
    long n = -1;
    int lost = Bytes.indexOf(b, lb, e, "LOST ");
    if (lost >= 0) {
      n = Bytes.parseDecimal(b, lost + 5, e);
    } else if (Bytes.indexOf(b, lb, e, "EVENTS DROPPED") > 0) {
      n = Bytes.parseDecimal(b, lb + 1, e);
      if (n == Bytes.NONE) n = -1;
    } else if (Bytes.indexOf(b, lb, e, "SUBBUFFER START") > 0) {
      stats.countHeader();
      return false;
    } else {
      problem("malformed lost-events line");
      return false;
    }
    stats.countLost(n);
    return marker(EventKind.LOST_EVENTS, "lost_events", (int) cpu, n);
  }

  private boolean marker(EventKind kind, String name, int cpu, long count) {
    frameTarget = FrameTarget.NONE;
    if (!options.acceptsCpu(cpu) || (!options.keepContext()
        && options.selection().atHeader(EventRecord.UNKNOWN, null, name, kind) != EventSelection.Verdict.SELECTED)) {
      stats.countFiltered();
      return false;
    }
    stats.countMarker();
    EventRecord ev = incoming;
    ev.clear();
    ev.setName(name, kind).setCpu(cpu).setTimestamp(lastTimestamp).setLine(lines.lineNumber());
    ev.setValue1(count);
    return true;
  }

  // ---- stack frames

  private boolean frameLine(byte[] b, int i, int e) throws IOException {
    switch (frameTarget) {
      case PENDING:
      case PROBE_STACK:
      case SKIPPED:
        i = Bytes.skipSpaces(b, i, e);
        int end = Bytes.tokenEnd(b, i, e);
        int cut = end;
        for (int k = i; k < end; k++) {
          if (b[k] == '+') {
            cut = k;
            break;
          }
        }
        if (cut == i) {
          problem("malformed stack frame");
          return false;
        }
        if (firstFrame) {
          firstFrame = false;
          if (frameTarget == FrameTarget.PENDING && probeFrames.test(symbols.intern(b, i, cut - i))) splitProbeStack();
        }
        FrameStack stack = (frameTarget == FrameTarget.PENDING ? pending
            : frameTarget == FrameTarget.PROBE_STACK ? probeStack : skipped).stack();
        if (stack.depth() >= maxFrames) {
          FrameTarget same = frameTarget;
          problem("stack deeper than " + maxFrames + " frames");
          frameTarget = same; // every further frame of it is skipped for the same reason
          return false;
        }
        stack.add(symbols.intern(b, i, cut - i));
        stats.countStackFrame();
        return false;
      case DISCARD_USER:
        stats.countStackFrame();
        return false;
      case DISCARD_FILTERED:
        stats.countFiltered();
        return false;
      default:
        problem("stack frame without a stack trace");
        return false;
    }
  }

  // ---- event lines

  private boolean eventLine(byte[] b, int s, int e) throws IOException {
    EventRecord ev = incoming;
    ev.clear();
    // Find "-PID" followed by a CPU/TGID anchor; the comm is everything before it.
    int limit = Math.min(e, s + 48);
    int dash = -1;
    int afterPid = -1;
    for (int p = s + 1; p < limit; p++) {
      if (b[p] != '-' || p + 1 >= e || !Bytes.isDigit(b[p + 1])) continue;
      int q = p + 1;
      while (q < e && Bytes.isDigit(b[q])) q++;
      if (q < e && b[q] == ' ') {
        int r = Bytes.skipSpaces(b, q, e);
        if (r < e && (b[r] == '[' || b[r] == '(' || Bytes.isDigit(b[r]))) {
          dash = p;
          afterPid = r;
          break;
        }
      }
    }
    if (dash < 0) {
      problem("not an event line");
      return false;
    }
    int pid = (int) Bytes.parseDecimal(b, dash + 1, afterPid);
    int i = afterPid;
    int tgid = EventRecord.UNKNOWN;
    if (b[i] == '(') {
      int close = Bytes.indexOf(b, i, e, (byte) ')');
      if (close < 0) {
        problem("malformed TGID column");
        return false;
      }
      long t = Bytes.parseDecimal(b, Bytes.skipSpaces(b, i + 1, close), close);
      if (t != Bytes.NONE) tgid = (int) t;
      i = Bytes.skipSpaces(b, close + 1, e);
    }
    int cpu;
    int flagsStart;
    int flagsLen;
    boolean latencyLayout = false;
    if (i < e && b[i] == '[') {
      int close = Bytes.indexOf(b, i, e, (byte) ']');
      long c = close < 0 ? Bytes.NONE : Bytes.parseExactDecimal(b, i + 1, close);
      if (c == Bytes.NONE) {
        problem("malformed CPU column");
        return false;
      }
      cpu = (int) c;
      i = Bytes.skipSpaces(b, close + 1, e);
      // Optional flags token, then the timestamp token ending in ':'.
      int tokEnd = Bytes.tokenEnd(b, i, e);
      if (tokEnd > i && b[tokEnd - 1] == ':' && Bytes.isDigit(b[i])) {
        flagsStart = i;
        flagsLen = 0;
      } else {
        flagsStart = i;
        flagsLen = tokEnd - i;
        i = Bytes.skipSpaces(b, tokEnd, e);
      }
    } else if (i < e && Bytes.isDigit(b[i])) {
      // report -l: "%3d" CPU glued to the flags.
      latencyLayout = true;
      int q = i;
      while (q < e && Bytes.isDigit(b[q])) q++;
      cpu = (int) Bytes.parseDecimal(b, i, q);
      int tokEnd = Bytes.tokenEnd(b, q, e);
      flagsStart = q;
      flagsLen = tokEnd - q;
      i = Bytes.skipSpaces(b, tokEnd, e);
    } else {
      problem("not an event line");
      return false;
    }
    int tsEnd = Bytes.tokenEnd(b, i, e);
    if (tsEnd <= i || b[tsEnd - 1] != ':') {
      problem(Bytes.indexOf(b, i, tsEnd, "us") > 0
          ? "latency-format line (relative timestamps)" : "malformed timestamp");
      return false;
    }
    long ts = parseTimestamp(b, i, tsEnd - 1);
    if (ts == Bytes.NONE) {
      problem("malformed timestamp");
      return false;
    }
    if (latencyLayout && info.format() != TraceFormat.TRACE_CMD_REPORT_LATENCY) {
      info.setFormat(TraceFormat.TRACE_CMD_REPORT_LATENCY);
      libtraceevent = true;
    }
    lastTimestamp = ts;
    int dot = tsEnd - 2;
    while (dot > i && b[dot] != '.') dot--;
    int digits = b[dot] == '.' ? Math.max(1, Math.min(9, tsEnd - 2 - dot)) : 9; // a counter clock: raw ticks
    if (digits < fractionDigits) {
      fractionDigits = digits;
      info.setTimestampResolutionNs(FRACTION_SCALE[digits]);
    }

    // Filters come before any field decoding.
    if (!options.accepts(cpu, ts)) {
      if (isStackLine(b, Bytes.skipSpaces(b, tsEnd, e), e)) stats.countFiltered(); // a stack, counted as frames when read
      else stats.countFilteredEvent();
      frameTarget = FrameTarget.DISCARD_FILTERED;
      return false;
    }
    if (isStackLine(b, Bytes.skipSpaces(b, tsEnd, e), e)) {
      if (cpu >= 0 && droppedLast.get(cpu)) { // the stack of an event the selection dropped
        stats.countFiltered();
        frameTarget = FrameTarget.DISCARD_FILTERED;
        return false;
      }
    } else if (cpu >= 0) {
      droppedLast.clear(cpu);
    }

    int flags = ContextFlags.UNKNOWN;
    if (flagsLen > 0) {
      flags = FlagsDecoder.decode(b, flagsStart, flagsLen, libtraceevent, bhLegend);
      if (flags == FlagsDecoder.INVALID) {
        problem("malformed flags column");
        return false;
      }
    }
    if (!flagsDescribed) {
      info.setFlagsFormat(FlagsDecoder.describe(flagsLen, libtraceevent, bhLegend));
      // Seven kernel flag columns (need-resched-lazy, preempt-lazy-depth) exist only on RT trees.
      if (flagsLen == 7 && !libtraceevent) info.setPreemptRt(Boolean.TRUE, "7 flag columns (the preempt-lazy depth)");
      flagsDescribed = true;
    }

    // Event name, function-tracer entry, or stack marker.
    int n = Bytes.skipSpaces(b, tsEnd, e);
    int commEnd = dash;
    while (commEnd > s && Bytes.isSpace(b[commEnd - 1])) commEnd--;
    ev.setTimestamp(ts).setCpu(cpu).setPid(pid).setTgid(tgid).setFlags(flags).setLine(lines.lineNumber());
    ev.setComm(symbols.intern(b, s, commEnd - s));

    if (n < e && b[n] == '<') {
      return stackMarker(ev, b, n, e);
    }
    int nameEnd = n;
    while (nameEnd < e && b[nameEnd] != ':' && b[nameEnd] != ' ') nameEnd++;
    if (nameEnd == n) {
      problem("missing event name");
      return false;
    }
    int bodyStart;
    if (nameEnd < e && b[nameEnd] == ':') {
      bodyStart = Bytes.skipSpaces(b, nameEnd + 1, e);
      String name = names.intern(b, n, nameEnd - n);
      int typeId = names.lastId();
      if (name.equals("kernel_stack") && Bytes.startsWith(b, bodyStart, e, "<stack trace")) {
        return stackMarker(ev, b, bodyStart, e);
      }
      if (name.equals("user_stack") && Bytes.startsWith(b, bodyStart, e, "<user stack trace")) {
        frameTarget = FrameTarget.DISCARD_USER;
        stats.countStackFrame();
        return false;
      }
      ev.setName(name, kindOf(name, typeId), typeId);
      if (ev.kind() == EventKind.FUNCTION) bodyStart = Bytes.skipSpaces(b, bodyStart, e);
    } else {
      // Function tracer: "func <-parent" (kernel) — the body is the whole rest.
      int arrow = Bytes.skipSpaces(b, nameEnd, e);
      if (!Bytes.startsWith(b, arrow, e, "<-")) {
        problem("missing event name");
        return false;
      }
      bodyStart = n;
      ev.setName(FUNCTION, EventKind.FUNCTION, functionId);
    }
    int bodyEnd = e;
    while (bodyEnd > bodyStart && Bytes.isSpace(b[bodyEnd - 1])) bodyEnd--;
    ev.setBody(b, bodyStart, bodyEnd - bodyStart);
    frameTarget = FrameTarget.NONE;
    EventSelection.Verdict verdict = options.selection().isEmpty() ? EventSelection.Verdict.SELECTED
        : options.selection().atHeader(pid, ev.comm(), ev.name(), ev.kind());
    if (verdict == EventSelection.Verdict.NOT_SELECTED) {
      if (!options.keepContext()) return drop(cpu);
      ev.setContextOnly(true);
      if (!EventSelection.contextNeedsBody(ev.kind())) {
        if (!deferDecode) stats.countFilteredEvent(); // else the consumer counts it
        return true; // its header is all the context needs: the body stays undecoded
      }
    }
    if (deferDecode) return true; // the consumer decodes, decides BY_BODY and counts
    if (!decoder.decode(ev)) {
      problem(BodyDecoder.failure(ev));
      skipped.clear();
      skipped.setCpu(cpu);
      hasSkipped = true;
      return false;
    }
    if (verdict == EventSelection.Verdict.BY_BODY && !options.selection().selectsByBody(ev)) {
      if (!options.keepContext()) return drop(cpu);
      ev.setContextOnly(true);
    }
    if (ev.contextOnly()) stats.countFilteredEvent();
    else stats.countEvent();
    frameTarget = FrameTarget.NONE;
    return true;
  }

  /** CPUs whose last event line the selection dropped: a stack trace that follows is dropped with it. */
  private final java.util.BitSet droppedLast = new java.util.BitSet();

  /** An event the selection leaves out, with context not kept: counted as not selected, its stack dropped too. */
  private boolean drop(int cpu) {
    stats.countFilteredEvent();
    frameTarget = FrameTarget.DISCARD_FILTERED;
    if (cpu >= 0) droppedLast.set(cpu);
    return false;
  }

  /** The start of a kernel or user stack trace ("<stack trace>", "kernel_stack: <stack trace>"), not an event. */
  private static boolean isStackLine(byte[] b, int n, int e) {
    return (n < e && b[n] == '<') || Bytes.startsWith(b, n, e, "kernel_stack: <stack trace")
        || Bytes.startsWith(b, n, e, "user_stack: <user stack trace");
  }

  /** Kind by name id, so that a name is classified once per reader. */
  private EventKind[] kinds = new EventKind[64];

  private EventKind kindOf(String name, int typeId) {
    if (typeId < 0) return EventKind.forName(name);
    if (typeId >= kinds.length) kinds = java.util.Arrays.copyOf(kinds, Math.max(typeId + 1, kinds.length * 2));
    EventKind k = kinds[typeId];
    if (k == null) {
      k = EventKind.forName(name);
      kinds[typeId] = k;
    }
    return k;
  }

  /** {@code <stack trace>}: attach the frames that follow to the pending event of the same CPU. */
  private boolean stackMarker(EventRecord ev, byte[] b, int n, int e) throws IOException {
    if (Bytes.startsWith(b, n, e, "<user stack trace")) {
      frameTarget = FrameTarget.DISCARD_USER;
      stats.countStackFrame();
      return false;
    }
    if (!Bytes.startsWith(b, n, e, "<stack trace")) {
      problem("missing event name");
      return false;
    }
    if (hasSkipped) {
      if (skipped.cpu() == ev.cpu() && skipped.stack().depth() == 0) {
        frameTarget = FrameTarget.SKIPPED;
        stats.countStackFrame();
        return false;
      }
    } else if (hasPending && pending.cpu() == ev.cpu() && pending.stack().depth() == 0
        && !pending.kind().isMarker() && !hasProbeStack) {
      frameTarget = FrameTarget.PENDING;
      stats.countStackFrame();
      firstFrame = true;
      return false;
    }
    firstFrame = false;
    // No event of this CPU to attach to: deliver the stack as an event of its own.
    ev.setName(KERNEL_STACK, EventKind.KERNEL_STACK, kernelStackId);
    ev.setBody(b, n, e - n);
    if (!deferDecode) stats.countEvent(); // else the consumer counts it when it decodes it
    frameTarget = FrameTarget.PENDING; // the stack event becomes the pending one
    return true;
  }

  /**
   * The stack after the pending event starts with a probe handler's frames: it was recorded by a
   * probe's trigger, which fires also when the probe's filter dropped the hit, so it is an event of
   * its own with its line's flags, delivered right after the pending one.
   */
  private void splitProbeStack() {
    probeStack.copyFrom(incoming); // the stack line's header: no event line came after it yet
    probeStack.stack().clear();
    probeStack.setName(KERNEL_STACK, EventKind.KERNEL_STACK, kernelStackId);
    probeStack.setBody(STACK_BODY, 0, STACK_BODY.length);
    stats.countStackLineAsEvent(!deferDecode);
    hasProbeStack = true;
    frameTarget = FrameTarget.PROBE_STACK;
  }

  private static final byte[] STACK_BODY = "<stack trace>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** {@code secs.frac} (any number of fraction digits up to 9) or a raw counter, to nanoseconds. */
  private static final long[] FRACTION_SCALE = {
    0, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L
  };

  static long parseTimestamp(byte[] b, int s, int e) {
    // At most 18 integer digits: cannot overflow a long before the check below.
    if (e <= s || e - s > 30) return Bytes.NONE;
    long secs = 0;
    int i = s;
    int c;
    while (i < e && (c = b[i] - '0') >= 0 && c <= 9) {
      secs = secs * 10 + c;
      i++;
    }
    if (i == s || i - s > 18) return Bytes.NONE;
    if (i == e) return secs; // counter clock: raw ticks
    if (b[i] != '.') return Bytes.NONE;
    int f = ++i;
    long frac = 0;
    int stop = Math.min(e, f + 9);
    while (i < stop && (c = b[i] - '0') >= 0 && c <= 9) {
      frac = frac * 10 + c;
      i++;
    }
    int digits = i - f;
    while (i < e && Bytes.isDigit(b[i])) i++; // digits beyond nanoseconds are dropped
    if (i != e || digits == 0) return Bytes.NONE;
    if (secs > Long.MAX_VALUE / 1_000_000_000L - 1) return Bytes.NONE;
    return secs * 1_000_000_000L + frac * FRACTION_SCALE[digits];
  }

  private void problem(String reason) throws IOException {
    InputProblem p = InputProblem.of(source, lines.lineNumber(), reason, lines.lineText());
    skip(p);
    frameTarget = FrameTarget.NONE;
  }
}
