package org.kreplay.analyze;

import org.kreplay.analyze.CpuTimes.Category;

/**
 * What the replay rebuilt, told as it happens, in trace order: for drawing the replayed timeline
 * (Perfetto, Chrome JSON). Every CPU's contexts nest — each {@link #contextEnd} closes the innermost
 * open {@link #contextBegin} of its CPU — and each task is in one state at a time. Timestamps
 * never go back on one CPU or one task, except the enqueue side of {@link #deferral}, which is
 * known only when the execution pairs with it, and {@link #irqsOff}, told one event late. Every method does nothing unless overridden: a
 * listener takes what it needs.
 */
public interface TimelineListener {
  /** A context starts on {@code cpu}, inside the ones open there: a task (pid), idle, softirq, hardirq or NMI. */
  default void contextBegin(long ts, int cpu, Category kind, String name, int pid) {}

  /** The innermost open context of {@code cpu} ends. */
  default void contextEnd(long ts, int cpu) {}

  /** The preempt depth {@code cpu}'s events show, when it changes. */
  default void preemptDepth(long ts, int cpu, int depth) {}

  /**
   * Whether interrupts were off on {@code cpu} from {@code ts} on, when that changes, as analyze
   * counts it (off where two events in a row show it, not after a switch nor up to an interrupt's
   * arrival). Known only at the next event, so {@code ts} is that of the event before it.
   */
  default void irqsOff(long ts, int cpu, boolean off) {}

  /**
   * What a task does from {@code ts} on: runs on {@code cpu}, waits runnable, or sleeps (cpu -1).
   * {@code task} numbers the tasks told of from 0, in the order they were first told, for tables
   * indexed by task (Perfetto's trackers call it utid).
   */
  default void taskState(long ts, int task, int pid, String comm, TaskState state, int cpu) {}

  /** A finding's occurrence, at the event that showed it. */
  default void finding(long ts, int cpu, Finding finding) {}

  /**
   * A deferral paired: enqueued (hrtimers and timers: started) at {@code enqueueTs} on one CPU,
   * executed at {@code executeTs}; {@code latencyNs} is what its row records (for hrtimers the
   * lateness past expiry), -1 for timer-wheel timers, whose lateness is in jiffies.
   */
  default void deferral(Mechanism mechanism, String key, long enqueueTs, int enqueueCpu, long executeTs, int executeCpu,
      long latencyNs) {}

  /**
   * Every event, after the replay took it, with what the replay knows then on its CPU; the timeline
   * formats leave it, {@code explain} prints it.
   */
  default void event(org.kreplay.ingest.TraceEvent e, ReplayedState state) {}

  /** The trace ended at {@code ts}: whatever is open ends there. */
  default void end(long ts) {}

  /** A task's state on its own track. */
  enum TaskState {
    RUNNING("Running"),
    RUNNABLE("Runnable"),
    SLEEPING("Sleeping");

    private final String label;

    TaskState(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
