package org.kreplay.ingest;

/** The input formats kreplay recognises, by content. */
public enum TraceFormat {
  /** The kernel's own text: tracefs {@code trace}, {@code trace_pipe}, {@code per_cpu/cpuN/trace}. */
  FTRACE_TEXT("ftrace text"),
  /** {@code trace-cmd report} text (libtraceevent rendering, with or without flags). */
  TRACE_CMD_REPORT("trace-cmd report"),
  /** {@code trace-cmd report -l}: comm cut to 8 characters, CPU glued to the flags. */
  TRACE_CMD_REPORT_LATENCY("trace-cmd report -l"),
  /** trace-cmd's binary trace.dat, version 6 or 7. */
  TRACE_DAT("trace.dat"),
  /** kreplay's canonical CSV. */
  CANONICAL_CSV("kreplay csv"),
  /** kreplay's canonical JSON Lines. */
  CANONICAL_JSONL("kreplay jsonl"),
  /** The ftrace buffer a kernel printed on its console ({@code ftrace_dump_on_oops}), read from the log. */
  FTRACE_DUMP("ftrace dump in a kernel log"),
  /** A kernel log (dmesg, journalctl -k, console) with splats. */
  KERNEL_LOG("kernel log");

  private final String label;

  TraceFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
