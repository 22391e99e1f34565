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
    return cpus != null || fromNs != Long.MIN_VALUE || toNs != Long.MAX_VALUE;
  }

  /** Whether an event at this CPU and time passes the filters. */
  public boolean accepts(int cpu, long timestamp) {
    if (cpus != null && (cpu < 0 || !cpus.get(cpu))) return false;
    return timestamp >= fromNs && timestamp <= toNs;
  }

  public boolean acceptsCpu(int cpu) {
    return cpus == null || (cpu >= 0 && cpus.get(cpu));
  }
}
