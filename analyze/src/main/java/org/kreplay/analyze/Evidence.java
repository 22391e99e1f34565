package org.kreplay.analyze;

/**
 * One piece of evidence for a finding: an event or a stack frame, with where it is in the input.
 *
 * @param source input name
 * @param line line in the input (0 when not line-based)
 * @param timestamp event time in ns (-1 for frames of a log)
 * @param cpu CPU or -1
 * @param task "comm/pid" or empty
 * @param what what happened ("acquires &rq->__lock (raw_spinlock_t) while holding …")
 */
public record Evidence(String source, long line, long timestamp, int cpu, String task, String what) implements java.io.Serializable {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(source);
    if (line > 0) sb.append(':').append(line);
    if (cpu >= 0) sb.append(" [").append(String.format("%03d", cpu)).append(']');
    if (!task.isEmpty()) sb.append(' ').append(task);
    return sb.append(": ").append(what).toString();
  }
}
