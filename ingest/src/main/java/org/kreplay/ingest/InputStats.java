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
public final class InputStats implements java.io.Serializable {
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
  private long filteredEvents;
  private long kernelLines;
  private String selection;
  private boolean selectionNotRead;
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

  /** Of {@link #filtered()}, the events (not stack frames or markers) that --cpu/--from/--to left out. */
  public long filteredEvents() {
    return filteredEvents;
  }

  /**
   * Lines that are recognisably the kernel's own log output (a dmesg, syslog "kernel:", journal or
   * /dev/kmsg prefix, the "Linux version" banner), inside reports or not (kernel logs). Not a
   * category of its own: these lines are also counted as report or log lines.
   */
  public long kernelLines() {
    return kernelLines;
  }

  /**
   * The selection the input was read with ("--cpu 1 --from 411"), or null when every event was
   * asked for. With one, {@link #events()} of {@link #eventsBeforeSelection()} were selected.
   */
  public String selection() {
    return selection;
  }

  /** Events seen before --cpu/--from/--to chose among them: selected plus left out. */
  public long eventsBeforeSelection() {
    return events + filteredEvents;
  }

  /**
   * Whether the reader did not read part of the input because the selection excluded it (a
   * trace.dat's other CPUs, or everything past --until): {@link #eventsBeforeSelection()} is then a
   * lower bound.
   */
  public boolean selectionNotRead() {
    return selectionNotRead;
  }

  /** Whether a selection was given and left no event of an input that has some. */
  public boolean selectedNothing() {
    return selection != null && events == 0 && (filteredEvents > 0 || selectionNotRead);
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

  /** A line counted as an event turned out to be another event's stack (see StackAttacher). */
  public void countEventAsStack() {
    events--;
    stackFrames++;
  }

  /**
   * A {@code <stack trace>} line counted as a stack frame turned out to start a stack event of its
   * own (a probe's); {@code countEvent} false where the consumer counts events as it decodes them.
   */
  public void countStackLineAsEvent(boolean countEvent) {
    stackFrames--;
    if (countEvent) events++;
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

  /** An event left out by the selection (also counted as a filtered line). */
  public void countFilteredEvent() {
    filtered++;
    filteredEvents++;
  }

  public void countKernelLine() {
    kernelLines++;
  }

  /** Records what the input was read with; see {@link #selection()}. */
  public void noteSelection(String selection) {
    this.selection = selection;
  }

  /** The reader skipped data the selection excludes without looking at it. */
  public void noteSelectionNotRead() {
    selectionNotRead = true;
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
    filteredEvents += other.filteredEvents;
    kernelLines += other.kernelLines;
    if (selection == null) selection = other.selection;
    selectionNotRead |= other.selectionNotRead;
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
