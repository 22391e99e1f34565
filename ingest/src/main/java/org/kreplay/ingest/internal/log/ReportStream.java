package org.kreplay.ingest.internal.log;

import java.io.IOException;
import org.kreplay.ingest.log.SplatKind;

/**
 * The lines of one printk caller (a {@code [T123]}/{@code [C1]} tag, or all lines of an untagged log)
 * and the report being assembled from them. Decides where reports begin and end:
 *
 * <ul>
 *   <li>a report begins at its header, or at the "cut here" line or "=====" banner right before it;
 *   <li>it ends at "---[ end trace ]---" (included), at the next header, or at the first ordinary line
 *       after its call trace; lines of other CPUs in the middle of a call trace whose section markers
 *       are open are skipped over, up to {@value #MID_TRACE_GAP} of them;
 *   <li>and at a gap of more than {@value #GAP_SECONDS} s between timestamps, or at the end of input.
 * </ul>
 */
final class ReportStream {
  /** Ordinary lines tolerated inside a call trace whose section markers are still open. */
  static final int MID_TRACE_GAP = 24;
  /** Ordinary lines tolerated before a report's call trace begins. */
  static final int PREAMBLE_GAP = 8;
  /** Lines between "cut here" and the WARNING/BUG header (the WARN() message goes there). */
  static final int CUT_WINDOW = 8;
  /** A report is never spread over a longer silence than this. */
  static final double GAP_SECONDS = 10;

  private final KernelLogReader reader;
  ReportBuilder open;
  /** The console texts still gathering lines: the open report's, and earlier ones' (see {@link ReportText}). */
  final java.util.List<ReportText> texts = new java.util.ArrayList<>();
  private ReportText openText;
  long openFirstLine = Long.MAX_VALUE;
  long lastSeenLine;

  private enum Pending { NONE, BANNER, CUT }

  private Pending pending = Pending.NONE;
  private long pendingLine;
  /** Lines held since the pending "cut here" (itself included): report lines if a header follows. */
  private int pendingHeld;
  /** The first line after a "cut here": a WARN() message on newer kernels. */
  private String pendingMessage;
  private int gap;

  ReportStream(KernelLogReader reader) {
    this.reader = reader;
  }

  /** Nothing open or pending: the stream can be dropped. */
  boolean idle() {
    return open == null && pending == Pending.NONE;
  }

  /** First line of the report in progress (or of its pending banner), or Long.MAX_VALUE. */
  long earliestLine() {
    long p = pending == Pending.NONE ? Long.MAX_VALUE : pendingLine;
    return Math.min(p, openFirstLine);
  }

  void accept(LogLine l, Headers.Match h) throws IOException {
    lastSeenLine = l.number;
    if (l.blank()) {
      reader.stats().countBlank();
      return;
    }
    if (open != null && l.clock() >= 0 && open.lastClock() >= 0 && l.clock() - open.lastClock() > GAP_SECONDS) {
      close(ReportBuilder.End.TIME_GAP, l.number);
    }
    if (!l.kernel) {
      ordinary(l);
      return;
    }
    if (h != null && h.type == Headers.Type.HEADER && h.needsBanner && pending != Pending.BANNER) h = h.fallback;
    // a further (syzkaller) header inside a report is one of its lines ("Kernel panic - not syncing" after an oops)
    if (h == Headers.OTHER && open != null) h = null;
    if (h != null) {
      header(l, h);
      return;
    }
    if (pending == Pending.BANNER) resolveBanner();
    if (pending == Pending.CUT) {
      pendingHeld++;
      if (pendingHeld == 2) pendingMessage = l.text();
      if (pendingHeld > CUT_WINDOW) dropPending();
      return;
    }
    if (open == null) {
      outside(l);
      return;
    }
    if (l.unprintable) open.unprintable(l);
    ReportBuilder.Disposition d = open.consume(l);
    switch (d) {
      case FRAME:
        reader.stats().countStackFrame();
        gap = 0;
        break;
      case REPORT:
        reader.stats().countReportLine();
        gap = 0;
        break;
      case MALFORMED:
        gap = 0;
        reader.problem(l, open.malformedReason);
        break;
      default:
        if (open.traceDone() || (open.mainOpened() && !open.inMarkedTrace())) {
          close(ReportBuilder.End.UNRELATED_LINES, l.number);
          outside(l);
          return;
        }
        reader.stats().countLogLine();
        gap++;
        if (gap > (open.inMarkedTrace() ? MID_TRACE_GAP : PREAMBLE_GAP)) close(ReportBuilder.End.UNRELATED_LINES, l.number);
        return;
    }
    if (open.lines() > open.maxLines) close(ReportBuilder.End.TOO_LONG, l.number);
  }

  private void header(LogLine l, Headers.Match h) throws IOException {
    switch (h.type) {
      case END_MARKER:
        if (pending == Pending.BANNER) resolveBanner();
        if (pending == Pending.CUT) dropPending();
        if (open != null) {
          open.addPlain(l);
          reader.stats().countReportLine();
          close(ReportBuilder.End.MARKER, l.number);
        } else {
          reader.stats().countLogLine();
        }
        return;
      case CUT_HERE:
        if (open != null) close(ReportBuilder.End.NEXT_REPORT, l.number);
        if (pending == Pending.BANNER) resolveBanner();
        if (pending == Pending.CUT) dropPending();
        pending = Pending.CUT;
        pendingLine = l.number;
        pendingHeld = 1;
        pendingMessage = null;
        return;
      case BANNER:
        if (open != null && open.closedByBanner() && open.mainOpened()) {
          open.addPlain(l);
          reader.stats().countReportLine();
          close(ReportBuilder.End.MARKER, l.number);
          return;
        }
        if (pending == Pending.BANNER) resolveBanner();
        if (pending == Pending.CUT) dropPending();
        pending = Pending.BANNER;
        pendingLine = l.number;
        pendingHeld = 1;
        return;
      default:
        break;
    }
    if (open != null && open.absorbs(h, l.b, l.text, l.end)) {
      open.absorbHeader(l);
      reader.stats().countReportLine();
      gap = 0;
      return;
    }
    if (open != null) close(ReportBuilder.End.NEXT_REPORT, pending != Pending.NONE ? pendingLine : l.number);
    long first = l.number;
    String message = null;
    if (pending != Pending.NONE) {
      first = pendingLine;
      for (int i = 0; i < pendingHeld; i++) reader.stats().countReportLine();
      if (pending == Pending.CUT) message = pendingMessage;
      pending = Pending.NONE;
      pendingHeld = 0;
      pendingMessage = null;
    }
    start(h.kind, l, first, h.closedByBanner);
    if (message != null) open.message(message);
  }

  private void start(SplatKind kind, LogLine l, long first, boolean closedByBanner) {
    open = new ReportBuilder(kind, reader.source(), l, reader.frames(), reader.locks(), first, closedByBanner,
        reader.limits());
    open.bootRelease(reader.bootRelease());
    openFirstLine = first;
    gap = 0;
    reader.stats().countReportLine();
    openText = reader.opened(this, first);
  }

  /** A line while no report is open: a header-less stack dump starts, or an ordinary line. */
  private void outside(LogLine l) {
    if (Headers.stackDumpStart(l.b, l.text, l.end)) {
      start(SplatKind.STACK_DUMP, l, l.number, false);
      return;
    }
    reader.stats().countLogLine();
  }

  /** A line that cannot belong to a report (another program's syslog line). */
  private void ordinary(LogLine l) throws IOException {
    if (pending == Pending.BANNER) resolveBanner();
    if (pending == Pending.CUT) {
      pendingHeld++;
      if (pendingHeld > CUT_WINDOW) dropPending();
      return;
    }
    reader.stats().countLogLine();
    if (open != null && (open.traceDone() || (open.mainOpened() && !open.inMarkedTrace()))) {
      close(ReportBuilder.End.UNRELATED_LINES, l.number);
    } else if (open != null && ++gap > (open.inMarkedTrace() ? MID_TRACE_GAP : PREAMBLE_GAP)) {
      close(ReportBuilder.End.UNRELATED_LINES, l.number);
    }
  }

  /** A banner not followed by a header: part of the open report, or an ordinary line. */
  private void resolveBanner() {
    if (open != null) {
      open.extendTo(pendingLine);
      reader.stats().countReportLine();
    } else {
      reader.stats().countLogLine();
    }
    pending = Pending.NONE;
    pendingHeld = 0;
  }

  /** A "cut here" that no header followed: its lines were ordinary. */
  private void dropPending() {
    for (int i = 0; i < pendingHeld; i++) reader.stats().countLogLine();
    pending = Pending.NONE;
    pendingHeld = 0;
  }

  void close(ReportBuilder.End end, long atLine) {
    if (open == null) return;
    ReportBuilder r = open;
    open = null;
    openFirstLine = Long.MAX_VALUE;
    gap = 0;
    ReportText t = openText;
    openText = null;
    reader.emit(r.finish(end, atLine, end == ReportBuilder.End.END_OF_INPUT && reader.lastLineCut() && r.lastLine == atLine), t);
  }

  /** End of input (or the stream went quiet): close everything. */
  void finish(ReportBuilder.End end, long atLine) {
    if (pending == Pending.BANNER) resolveBanner();
    if (pending == Pending.CUT) dropPending();
    close(end, atLine);
  }
}
