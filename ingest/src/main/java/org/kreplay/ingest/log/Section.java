package org.kreplay.ingest.log;

/**
 * The stack a call-trace frame was printed from, as the log's own markers say ({@code <NMI>}, {@code
 * <IRQ>}, {@code <SOFTIRQ>}, {@code <TASK>}, old kernels' {@code <EOI>}). {@link #UNKNOWN} when the log
 * has no marker around the frame (arm64, old x86 task stacks, pasted traces): inferring the context from
 * function names is the analysis' job, not the reader's.
 */
public enum Section {
  NMI,
  IRQ,
  SOFTIRQ,
  TASK,
  UNKNOWN
}
