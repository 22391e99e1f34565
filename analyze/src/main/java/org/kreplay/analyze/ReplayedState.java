package org.kreplay.analyze;

import java.util.List;

/**
 * What the replay knows right after one event, on that event's CPU: for explaining an interval
 * event by event ({@code kreplay explain}). Valid only during the {@link TimelineListener#event}
 * call that passes it.
 */
public interface ReplayedState {
  /** The context stack, outermost first: "task stress/300 > softirq TIMER > irq 28 (eth0)"; "unknown" before it is known. */
  String context();

  /** The locks the running task holds, outermost first, as lockdep names them ("&rq->__lock (raw_spinlock_t)"). */
  List<String> locksHeld();

  /** What this CPU did in {@code [from, to)}, from the replay's recent history (see {@link Blame}). */
  Blame blame(long fromNs, long toNs);
}
