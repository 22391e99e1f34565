package org.kreplay.ingest.log;

/**
 * What a kernel log says about itself. Filled in while reading: read it at the end (or after the first
 * report) rather than right after opening.
 */
public final class LogInfo {
  private final String source;
  private LogFormat format = LogFormat.PLAIN;
  private boolean formatKnown;
  private String compression = "none";
  private boolean callerTags;
  private String kernelRelease;
  private boolean binary;
  private boolean traceLike;

  public LogInfo(String source) {
    this.source = source;
  }

  /** The input's name as given ("-" for stdin). */
  public String source() {
    return source;
  }

  /** The line prefix style of the first prefixed line ({@link LogFormat#PLAIN} when there is none). */
  public LogFormat format() {
    return format;
  }

  /** "none", "gzip", "xz" or "zstd". */
  public String compression() {
    return compression;
  }

  /** Whether the lines carry printk caller tags ({@code [T123]}, {@code [C1]}), used to untangle CPUs. */
  public boolean callerTags() {
    return callerTags;
  }

  /** The kernel release the log names first ("Linux version ..." or a report's CPU line), or null. */
  public String kernelRelease() {
    return kernelRelease;
  }

  /** Sets the format once: the first prefixed line decides; a serial console overrides. */
  /** Whether the input's first bytes are binary data, not text (for saying what a non-log was). */
  public boolean binary() {
    return binary;
  }

  /** Whether the input's first bytes look like a trace rather than a log (for saying what a non-log was). */
  public boolean traceLike() {
    return traceLike;
  }

  public void setBinary(boolean binary) {
    this.binary = binary;
  }

  public void setTraceLike(boolean traceLike) {
    this.traceLike = traceLike;
  }

  public void noteFormat(LogFormat f) {
    if (f == LogFormat.SERIAL_CONSOLE || !formatKnown) {
      format = f;
      formatKnown = true;
    }
  }

  public void setCompression(String compression) {
    this.compression = compression;
  }

  public void setCallerTags(boolean callerTags) {
    this.callerTags = callerTags;
  }

  public void noteKernelRelease(String release) {
    if (kernelRelease == null) kernelRelease = release;
  }

  @Override
  public String toString() {
    return source + ": " + format.label() + (compression.equals("none") ? "" : " (" + compression + ")")
        + (callerTags ? ", caller tags" : "");
  }
}
