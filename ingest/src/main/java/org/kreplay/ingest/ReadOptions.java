package org.kreplay.ingest;

import java.util.BitSet;
import java.util.function.Predicate;

/**
 * What the caller wants read. Filters are applied inside the reader, right after the timestamp and
 * CPU are decoded, so rejected lines cost no field decoding.
 */
public final class ReadOptions {
  private BitSet cpus;
  private long fromNs = Long.MIN_VALUE;
  private long toNs = Long.MAX_VALUE;
  private boolean strict;
  private boolean readAhead = true;
  private String instance;
  private boolean bodies = true;
  private String selectionLabel;
  private ReportHeaders reportHeaders = ReportHeaders.NONE;
  private Predicate<String> probeFrames = frame -> false;
  private ReadLimits limits = ReadLimits.defaults();
  private EventSelection selection = EventSelection.of(null, null, null);
  private boolean keepContext = true;
  /** Bounds given relative to the trace (+1.5s, -2s, 25%), placed per input by {@link Traces#open}. */
  private TimeBound fromBound;
  private TimeBound untilBound;
  /** A --from +N whose trace start is not known up front (standard input): placed at the first event read. */
  private long fromAfterFirstNs = Long.MIN_VALUE;

  public static ReadOptions defaults() {
    return new ReadOptions();
  }

  /** How much of a broken input to keep (see {@link ReadLimits}); the defaults unless set. */
  public ReadOptions limits(ReadLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
    return this;
  }

  public ReadLimits limits() {
    return limits;
  }

  /**
   * For kernel logs: further lines that start a report (syzkaller's oops headers, from the catalog),
   * found where kreplay's own header list finds nothing.
   */
  public ReadOptions reportHeaders(ReportHeaders headers) {
    this.reportHeaders = headers == null ? ReportHeaders.NONE : headers;
    return this;
  }

  public ReportHeaders reportHeaders() {
    return reportHeaders;
  }

  /**
   * For traces: the frames of probe handlers (kprobe_trace_func … from the catalog). A kernel stack
   * that starts with them was recorded by a probe's stacktrace trigger: it is the probed call
   * itself, an event of its own in the context its own flags show, never another event's stack
   * (the trigger fires also when the probe's event filter drops the hit). Those frames and the
   * ftrace trampoline's bare address under them are left out of the stack.
   */
  public ReadOptions probeFrames(Predicate<String> frames) {
    this.probeFrames = frames == null ? frame -> false : frames;
    return this;
  }

  public Predicate<String> probeFrames() {
    return probeFrames;
  }

  /** Only these CPUs (null = all). */
  public ReadOptions cpus(BitSet cpus) {
    this.cpus = cpus == null ? null : (BitSet) cpus.clone();
    return this;
  }

  /**
   * Only the events of these tasks and names (--pid, --comm, --event); see {@link EventSelection}.
   * What becomes of the others depends on {@link #keepContext}.
   */
  public ReadOptions select(EventSelection selection) {
    this.selection = java.util.Objects.requireNonNull(selection, "selection");
    return this;
  }

  public EventSelection selection() {
    return selection;
  }

  /**
   * Whether events that {@link #select} leaves out are still delivered, marked {@link
   * TraceEvent#contextOnly()}, for the replay's per-CPU context (default on, for analysis): its
   * frames of interrupts, the running task and every event's flags stay as without the selection.
   * Their bodies are decoded only where the context needs them ({@link
   * EventSelection#contextNeedsBody}). Off (convert), they are dropped: the output holds exactly
   * the events asked for.
   */
  public ReadOptions keepContext(boolean keep) {
    this.keepContext = keep;
    return this;
  }

  public boolean keepContext() {
    return keepContext;
  }

  /**
   * A window whose ends may be relative to the trace ({@link TimeBound}); null for an open end.
   * Absolute ends take effect at once; relative ones are placed by {@link Traces#open} per input.
   */
  public ReadOptions window(TimeBound from, TimeBound until) {
    fromBound = from != null && from.base() != TimeBound.Base.ABSOLUTE ? from : null;
    untilBound = until != null && until.base() != TimeBound.Base.ABSOLUTE ? until : null;
    fromNs = from != null && fromBound == null ? from.resolve(0, 0) : Long.MIN_VALUE;
    toNs = until != null && untilBound == null ? until.resolve(0, 0) : Long.MAX_VALUE;
    return this;
  }

  /** Whether a window end needs the trace's last timestamp (-2s, 25%). */
  public boolean windowNeedsLast() {
    return (fromBound != null && fromBound.needsLast()) || (untilBound != null && untilBound.needsLast());
  }

  /** The bound that needs the trace's last timestamp, or null. */
  TimeBound windowEndingAtLast() {
    if (fromBound != null && fromBound.needsLast()) return fromBound;
    return untilBound != null && untilBound.needsLast() ? untilBound : null;
  }

  public boolean windowIsRelative() {
    return fromBound != null || untilBound != null;
  }

  /** These options for one input whose first and last timestamps are known: the window made absolute. */
  public ReadOptions placedIn(long firstNs, long lastNs) {
    ReadOptions o = copy();
    if (fromBound != null) o.fromNs = fromBound.resolve(firstNs, lastNs);
    if (untilBound != null) o.toNs = untilBound.resolve(firstNs, lastNs);
    o.fromBound = null;
    o.untilBound = null;
    return o;
  }

  /**
   * These options for one input read as a stream: a start-relative --from is placed at the first
   * event the reader sees ({@link #accepts}). An end-relative bound cannot be placed in a stream.
   */
  public ReadOptions placedAtFirstEvent() {
    if (windowNeedsLast()) throw new IllegalStateException("the trace's end is not known");
    ReadOptions o = copy();
    if (fromBound != null) o.fromAfterFirstNs = fromBound.resolve(0, 0);
    o.pendingUntilAfterFirst = untilBound == null ? Long.MIN_VALUE : untilBound.resolve(0, 0);
    o.fromBound = null;
    o.untilBound = null;
    return o;
  }

  /** A --until +N of such a stream, likewise. */
  private long pendingUntilAfterFirst = Long.MIN_VALUE;

  private ReadOptions copy() {
    ReadOptions o = new ReadOptions();
    o.cpus = cpus;
    o.fromNs = fromNs;
    o.toNs = toNs;
    o.strict = strict;
    o.readAhead = readAhead;
    o.instance = instance;
    o.bodies = bodies;
    o.selectionLabel = selectionLabel;
    o.reportHeaders = reportHeaders;
    o.probeFrames = probeFrames;
    o.limits = limits;
    o.selection = selection;
    o.keepContext = keepContext;
    o.fromBound = fromBound;
    o.untilBound = untilBound;
    o.fromAfterFirstNs = fromAfterFirstNs;
    o.pendingUntilAfterFirst = pendingUntilAfterFirst;
    return o;
  }

  /** Only events with {@code from <= timestamp <= to} (nanoseconds of the trace clock). */
  public ReadOptions timeRange(long fromNs, long toNs) {
    this.fromNs = fromNs;
    this.toNs = toNs;
    return this;
  }

  /** Stop at the first unusable line with a {@link TraceFormatException} instead of skipping it. */
  public ReadOptions strict(boolean strict) {
    this.strict = strict;
    return this;
  }

  public boolean strict() {
    return strict;
  }

  /**
   * Parse on a thread of its own while the caller consumes events (default on). Batch analysis,
   * which already keeps every core busy with one file each, turns it off.
   */
  public ReadOptions readAhead(boolean readAhead) {
    this.readAhead = readAhead;
    return this;
  }

  public boolean readAhead() {
    return readAhead;
  }

  /**
   * For inputs that hold several ring buffers (trace-cmd {@code record -B NAME}), read the one
   * named {@code name}; null (the default) reads the top instance. Only trace.dat inputs have
   * instances: opening any other input with a name fails.
   */
  public ReadOptions instance(String name) {
    this.instance = name;
    return this;
  }

  /**
   * Whether events carry their body text (default on). Readers that decode typed fields without
   * text — trace.dat — skip rendering it when off, which makes reading faster for consumers that
   * use only the typed fields (analysis); text readers always keep it, their fields come from it.
   * Bodies that are the typed data themselves (print messages) are kept either way.
   */
  public ReadOptions bodies(boolean bodies) {
    this.bodies = bodies;
    return this;
  }

  public boolean bodies() {
    return bodies;
  }

  /** The buffer instance to read, or null for the top one. */
  public String instance() {
    return instance;
  }

  public long fromNs() {
    return fromNs;
  }

  public long toNs() {
    return toNs;
  }

  /** Names the selection in reports as the user gave it ("--cpu 1 --from 411"). */
  public ReadOptions selectionLabel(String label) {
    this.selectionLabel = label;
    return this;
  }

  /** The selection as reports name it, or null when every event is read. */
  public String selectionLabel() {
    if (!hasFilter()) return null;
    if (selectionLabel != null) return selectionLabel;
    StringBuilder sb = new StringBuilder();
    if (cpus != null) sb.append("CPUs ").append(cpus);
    if (fromNs != Long.MIN_VALUE) sb.append(sb.length() > 0 ? ", " : "").append("from ").append(seconds(fromNs));
    if (toNs != Long.MAX_VALUE) sb.append(sb.length() > 0 ? ", " : "").append("until ").append(seconds(toNs));
    return sb.toString();
  }

  private static String seconds(long ns) {
    return java.math.BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString() + " s";
  }

  public boolean hasFilter() {
    return cpus != null || fromNs != Long.MIN_VALUE || toNs != Long.MAX_VALUE || !selection.isEmpty()
        || windowIsRelative() || fromAfterFirstNs != Long.MIN_VALUE || pendingUntilAfterFirst != Long.MIN_VALUE;
  }

  /** Whether an event at this CPU and time passes the filters. */
  public boolean accepts(int cpu, long timestamp) {
    if (cpus != null && (cpu < 0 || !cpus.get(cpu))) return false;
    return acceptsTime(timestamp);
  }

  /**
   * Whether an event at this time is in the window. The first call of options {@link
   * #placedAtFirstEvent placed at the first event} places the start-relative ends.
   */
  public boolean acceptsTime(long timestamp) {
    if (fromAfterFirstNs != Long.MIN_VALUE || pendingUntilAfterFirst != Long.MIN_VALUE) placeAt(timestamp);
    return timestamp >= fromNs && timestamp <= toNs;
  }

  private void placeAt(long first) {
    if (fromAfterFirstNs != Long.MIN_VALUE) fromNs = first + fromAfterFirstNs;
    if (pendingUntilAfterFirst != Long.MIN_VALUE) toNs = first + pendingUntilAfterFirst;
    fromAfterFirstNs = Long.MIN_VALUE;
    pendingUntilAfterFirst = Long.MIN_VALUE;
  }

  public boolean acceptsCpu(int cpu) {
    return cpus == null || (cpu >= 0 && cpus.get(cpu));
  }
}
