package org.kreplay.analyze.whatif;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How long the trace has shown the runner threads taking from their wakeup to running (their
 * {@code wakeup} samples so far): the cost of switching to a runner the trace does not show being
 * woken, where a watcher models its end. Threads of a runner's family (named as it is up to its
 * '/': every kworker for a highpri worker) are kept each with its latest {@link #WINDOW} samples,
 * and every thread's wakeups by scheduling class (CFS or RT), so the median follows the trace's
 * time base (emulated or not) and its recent load. A median needs {@link #ENOUGH} samples: with
 * fewer the runner's stands in with its family's, then with its class's.
 */
final class RunnerCosts {
  static final int WINDOW = 63;
  static final int ENOUGH = 5;

  /** The runners' families: "kworker/", "rcuc/", "ktimers/". */
  private final List<String> families;
  /** Each runner-family thread's latest wakeups, by name. */
  private final Map<String, Latest> byThread = new HashMap<>();
  /** Every CFS thread's [0] and every RT one's [1]. */
  private final Latest[] byClass = {new Latest(), new Latest()};

  /** The latest {@link #WINDOW} latencies of some wakeups, and how many there were in all. */
  private static final class Latest {
    final long[] ring = new long[WINDOW];
    long count;

    void add(long v) {
      ring[(int) (count++ % WINDOW)] = v;
    }

    long[] values() {
      return Arrays.copyOf(ring, (int) Math.min(count, WINDOW));
    }
  }

  /** {@code families}: what the names of the threads the followed mechanisms run in start with. */
  RunnerCosts(List<String> families) {
    this.families = families;
  }

  /** A wakeup of {@code comm}, of an RT class or not, ran after {@code latencyNs}. */
  void wakeup(String comm, boolean rt, long latencyNs) {
    byClass[rt ? 1 : 0].add(latencyNs);
    Latest t = byThread.get(comm);
    if (t == null) {
      if (!isRunner(comm)) return;
      t = new Latest();
      byThread.put(comm, t);
    }
    t.add(latencyNs);
  }

  /**
   * The median of the latest wakeups of the thread named like {@code runner} woken most; when the
   * trace has woken it less than {@link #ENOUGH} times (a pool the code never used), of its
   * family's latest, else of its class's; 0 when the trace has woken no thread of the class.
   */
  long median(Pattern runner, String family, boolean rt) {
    Latest best = null;
    for (Map.Entry<String, Latest> e : byThread.entrySet()) {
      if ((best == null || e.getValue().count > best.count) && runner.matcher(e.getKey()).matches()) best = e.getValue();
    }
    if (best != null && best.count >= ENOUGH) return median(best.values());
    long[] all = new long[0];
    for (Map.Entry<String, Latest> e : byThread.entrySet()) {
      if (!e.getKey().startsWith(family)) continue;
      long[] v = e.getValue().values();
      int at = all.length;
      all = Arrays.copyOf(all, at + v.length);
      System.arraycopy(v, 0, all, at, v.length);
    }
    if (all.length >= ENOUGH) return median(all);
    Latest c = byClass[rt ? 1 : 0];
    if (c.count == 0) return all.length == 0 ? 0 : median(all);
    return median(c.values());
  }

  private static long median(long[] v) {
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private boolean isRunner(String comm) {
    for (String f : families) if (comm.startsWith(f)) return true;
    return false;
  }

  /** "kworker/{cpu}:*H" → "kworker/": a runner pattern's family. */
  static String family(String pattern) {
    int slash = pattern.indexOf('/');
    return slash < 0 ? pattern : pattern.substring(0, slash + 1);
  }
}
