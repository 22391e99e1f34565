package org.kreplay.analyze;

import java.util.List;
import java.util.Locale;

/**
 * What a CPU did while a deferral waited: the interval from its enqueue (for hrtimers, their
 * expiry) to its execution, split by what the replay shows running on the CPU where it ran —
 * hardirq handlers, softirqs, NMIs, tasks (with what held them in place: a lock wait, irqs off,
 * preemption off, and the code that disabled them when preemptirq events say), idle (and a task
 * of that CPU blocked on a lock meanwhile), and what the trace cannot tell — largest first. The
 * parts add up to the latency; for a timer-wheel timer, whose lateness is in jiffies, to the wait
 * from the first event that showed the jiffy it was due in.
 *
 * @param shares each part and its time in ns, largest first (ties by name), at most {@link #MAX_PARTS}:
 *     beyond that the smallest are summed as one last part, "(N more)"; empty when the sample has no
 *     blame (a wait of zero, an execution without a CPU, a timer whose due jiffy the trace did not show)
 */
public record Blame(List<Share> shares) implements java.io.Serializable {
  /** The most parts a blame lists; the rest are one part. */
  public static final int MAX_PARTS = 10;

  /** No breakdown. */
  public static final Blame NONE = new Blame(List.of());

  /** The label kreplay gives time the trace cannot account for (before the CPU's first event, or history not kept). */
  public static final String NOT_IN_TRACE = "(not in the trace)";

  /** One part: what ran ("softirq TIMER", "irq 28 (radeon)", "task kworker/1:2/55", "idle") and for how long. */
  public record Share(String what, long ns) implements java.io.Serializable {}

  public Blame {
    shares = List.copyOf(shares);
  }

  /**
   * The blame of these parts: largest first (ties by name), and beyond {@link #MAX_PARTS} the
   * smallest summed as one last part "(N more)", so that a report stays readable.
   */
  public static Blame of(List<Share> parts) {
    List<Share> shares = new java.util.ArrayList<>(parts);
    shares.sort((a, b) -> a.ns() != b.ns() ? Long.compare(b.ns(), a.ns()) : a.what().compareTo(b.what()));
    if (shares.size() > MAX_PARTS) {
      List<Share> rest = shares.subList(MAX_PARTS - 1, shares.size());
      long ns = 0;
      for (Share p : rest) ns += p.ns();
      int more = rest.size();
      rest.clear();
      shares.add(new Share("(" + more + " more)", ns));
    }
    return new Blame(shares);
  }

  public boolean isEmpty() {
    return shares.isEmpty();
  }

  public long totalNs() {
    long t = 0;
    for (Share s : shares) t += s.ns();
    return t;
  }

  /** A part's share of the total, in percent. */
  public double percent(Share s) {
    long total = totalNs();
    return total == 0 ? 0 : 100.0 * s.ns() / total;
  }

  /** The largest {@code top} parts as "61% softirq TIMER, 22% task kworker/1:2/55" ("<1%" below half a percent), or "" when empty. */
  public String summary(int top) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shares.size() && i < top; i++) {
      if (i > 0) sb.append(", ");
      double pct = percent(shares.get(i));
      sb.append(pct < 0.5 ? "<1% " : String.format(Locale.ROOT, "%.0f%% ", pct)).append(shares.get(i).what());
    }
    return sb.toString();
  }
}
