package org.kreplay.ingest;

/**
 * What an input says about itself. Filled in as the reader meets the header, so read it after the
 * first event (or at the end) rather than right after opening.
 */
public final class TraceInfo {
  private final String source;
  private TraceFormat format;
  private String compression = "none";
  private String flagsFormat = "unknown";
  private int declaredCpus = -1;
  private long entriesInBuffer = -1;
  private long entriesWritten = -1;
  private String tracer;
  private String clock;
  private String kernelRelease;
  private Boolean preemptRt;
  private String preemptRtEvidence;
  private long timestampResolutionNs = 1;
  private boolean traceHeader;
  private boolean binary;

  public TraceInfo(String source, TraceFormat format) {
    this.source = source;
    this.format = format;
  }

  /** The input's name as given ("-" for stdin). */
  public String source() {
    return source;
  }

  public TraceFormat format() {
    return format;
  }

  public String compression() {
    return compression;
  }

  /**
   * How the flags column was read: "kernel 5 columns (BH known)", "libtraceevent", "absent"…, so
   * a user can see which context bits are real.
   */
  public String flagsFormat() {
    return flagsFormat;
  }

  /** CPU count the input declares ({@code #P:} or {@code cpus=}), or -1. */
  public int declaredCpus() {
    return declaredCpus;
  }

  /** From the tracefs header {@code entries-in-buffer/entries-written}; -1 if absent. */
  public long entriesInBuffer() {
    return entriesInBuffer;
  }

  public long entriesWritten() {
    return entriesWritten;
  }

  /** Events overwritten in the ring buffer before the trace was read, per the header; 0 if unknown. */
  public long overwrittenEvents() {
    return entriesWritten > entriesInBuffer && entriesInBuffer >= 0 ? entriesWritten - entriesInBuffer : 0;
  }

  public String tracer() {
    return tracer;
  }

  public String clock() {
    return clock;
  }

  /** Kernel release the input names (trace.dat uname, log banner), or null. */
  public String kernelRelease() {
    return kernelRelease;
  }

  /**
   * Whether the input says its kernel was PREEMPT_RT: TRUE/FALSE when it does (uname, RT-only
   * flag columns), null when it does not say.
   */
  public Boolean preemptRt() {
    return preemptRt;
  }

  /**
   * The resolution of the input's timestamps in ns: 1000 for the kernel's text (6 decimals, the ns
   * clock rounded to µs), 1 for trace.dat, the canonical formats and {@code report -t}.
   */
  public long timestampResolutionNs() {
    return timestampResolutionNs;
  }

  public void setTimestampResolutionNs(long ns) {
    this.timestampResolutionNs = ns;
  }

  /**
   * Whether the input declared itself a trace: a tracefs header ("# tracer:", the
   * entries-in-buffer line, the column legend), trace-cmd report's "cpus=" or "version =", the
   * trace.dat magic, kreplay's CSV/JSONL header. A trace with such a header and no event is an empty
   * trace; a text without one and without events is not a trace at all.
   */
  public boolean hasTraceHeader() {
    return traceHeader;
  }

  /** Whether the input's first bytes are binary data rather than text (for saying what an unreadable input was). */
  public boolean binary() {
    return binary;
  }

  public void markTraceHeader() {
    this.traceHeader = true;
  }

  public void setBinary(boolean binary) {
    this.binary = binary;
  }

  public void setKernelRelease(String release) {
    this.kernelRelease = release;
  }

  public void setPreemptRt(Boolean rt) {
    this.preemptRt = rt;
  }

  /** Sets {@link #preemptRt} with what in the input says so ("7 flag columns (preempt-lazy depth)"). */
  public void setPreemptRt(Boolean rt, String evidence) {
    this.preemptRt = rt;
    this.preemptRtEvidence = evidence;
  }

  /** What in the input said whether the kernel was PREEMPT_RT, or null. */
  public String preemptRtEvidence() {
    return preemptRtEvidence;
  }

  public void setFormat(TraceFormat format) {
    this.format = format;
  }

  public void setCompression(String compression) {
    this.compression = compression;
  }

  public void setFlagsFormat(String flagsFormat) {
    this.flagsFormat = flagsFormat;
  }

  public void setDeclaredCpus(int cpus) {
    this.declaredCpus = cpus;
  }

  public void setEntries(long inBuffer, long written) {
    this.entriesInBuffer = inBuffer;
    this.entriesWritten = written;
  }

  public void setTracer(String tracer) {
    this.tracer = tracer;
  }

  public void setClock(String clock) {
    this.clock = clock;
  }
}
