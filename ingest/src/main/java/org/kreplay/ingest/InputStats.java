package org.kreplay.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of every line of an input: each one is an event, a stack frame, a header or marker,
 * blank, the continuation of a multi-line CSV record, filtered out by the caller's options, or
 * skipped with a reason; in a kernel log, a line of a
 * report or an ordinary log line outside reports. The counts always add up
 * to {@link #lines()}. Mergeable: {@link #add} sums two inputs.
 */
public final class InputStats {
  /** How many problems are kept with their line numbers; the rest are only counted. */
  public static final int MAX_EXAMPLES = 20;

  private long lines;
  private long events;
  private long stackFrames;
  private long reportLines;
  private long logLines;
  private long headerLines;
  private long blankLines;
  private long continuationLines;
  private long markers;
  private long filtered;
  private long lostEvents;
  private long lostEventsUnknownCount;
  private final Map<String, Long> skipped = new TreeMap<>();
  private final List<InputProblem> examples = new ArrayList<>();

  public long lines() {
    return lines;
  }

  public long events() {
    return events;
  }

  public long stackFrames() {
    return stackFrames;
  }

  /** Lines of kernel reports other than stack frames (kernel logs). */
  public long reportLines() {
    return reportLines;
  }

  /** Kernel log lines outside any report: ordinary log output, not problems (kernel logs). */
  public long logLines() {
    return logLines;
  }

  public long headerLines() {
    return headerLines;
  }

  public long blankLines() {
    return blankLines;
  }

  /**
   * Lines that continue a record begun on an earlier line: a quoted canonical-CSV field with a line
   * break in it (the record itself is counted once, as what it is).
   */
  public long continuationLines() {
    return continuationLines;
  }

  /** In-band markers: lost-events and buffer-started lines. */
  public long markers() {
    return markers;
  }

  /** Lines dropped by --cpu/--from/--to. */
  public long filtered() {
    return filtered;
  }

  /** Sum of the counts in lost-event markers. */
  public long lostEvents() {
    return lostEvents;
  }

  /** Lost-event markers that did not say how many events were lost. */
  public long lostEventsUnknownCount() {
    return lostEventsUnknownCount;
  }

  public long skippedTotal() {
    long n = 0;
    for (long v : skipped.values()) n += v;
    return n;
  }

  /** Skipped lines by reason. */
  public Map<String, Long> skipped() {
    return Collections.unmodifiableMap(skipped);
  }

  /** The first {@value #MAX_EXAMPLES} skipped lines with their locations. */
  public List<InputProblem> examples() {
    return Collections.unmodifiableList(examples);
  }

  // ---- counting, for readers

  public void countLine() {
    lines++;
  }

  public void countEvent() {
    events++;
  }

  public void countStackFrame() {
    stackFrames++;
  }

  public void countReportLine() {
    reportLines++;
  }

  public void countLogLine() {
    logLines++;
  }

  public void countHeader() {
    headerLines++;
  }

  public void countBlank() {
    blankLines++;
  }

  public void countContinuationLine() {
    continuationLines++;
  }

  public void countMarker() {
    markers++;
  }

  public void countFiltered() {
    filtered++;
  }

  public void countLost(long n) {
    if (n < 0) lostEventsUnknownCount++;
    else lostEvents += n;
  }

  public void countSkipped(InputProblem p) {
    skipped.merge(p.reason(), 1L, Long::sum);
    if (examples.size() < MAX_EXAMPLES) examples.add(p);
  }

  /** Adds the counts of {@code other} to this. */
  public InputStats add(InputStats other) {
    lines += other.lines;
    events += other.events;
    stackFrames += other.stackFrames;
    reportLines += other.reportLines;
    logLines += other.logLines;
    headerLines += other.headerLines;
    blankLines += other.blankLines;
    continuationLines += other.continuationLines;
    markers += other.markers;
    filtered += other.filtered;
    lostEvents += other.lostEvents;
    lostEventsUnknownCount += other.lostEventsUnknownCount;
    other.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
    for (InputProblem p : other.examples) {
      if (examples.size() < MAX_EXAMPLES) examples.add(p);
    }
    return this;
  }

  /**
   * The counts of two parts of one input (e.g. lines counted on two threads), with the problem
   * examples in line order.
   */
  public static InputStats merged(InputStats a, InputStats b) {
    InputStats m = new InputStats().add(a).add(b);
    List<InputProblem> all = new ArrayList<>(a.examples);
    all.addAll(b.examples);
    all.sort(java.util.Comparator.comparingLong(InputProblem::line));
    m.examples.clear();
    for (int i = 0; i < all.size() && i < MAX_EXAMPLES; i++) m.examples.add(all.get(i));
    return m;
  }

  /** Lines accounted for; equals {@link #lines()} for a line-based input. */
  public long accountedLines() {
    return events + stackFrames + reportLines + logLines + headerLines + blankLines + continuationLines + markers
        + filtered + skippedTotal();
  }
}
