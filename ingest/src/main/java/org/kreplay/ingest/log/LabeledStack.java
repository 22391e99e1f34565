package org.kreplay.ingest.log;

import java.util.List;

/**
 * A stack printed inside a report besides its main call trace and chain: "Preemption disabled at:",
 * "{HARDIRQ-ON-W} state was registered at:", lockdep's "IN-HARDIRQ-W at:" / "... acquired at:" blocks,
 * another CPU's "NMI backtrace for cpu N", a hung task's second dump.
 *
 * @param label the line that introduced it, without a trailing colon ("Preemption disabled at")
 * @param line 1-based input line of its first frame
 */
public record LabeledStack(String label, long line, List<Frame> frames) implements java.io.Serializable {
  public LabeledStack {
    frames = List.copyOf(frames);
  }
}
