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
  private final Map<String, long[]> latest = new HashMap<>();
  private final Map<String, Integer> seen = new HashMap<>();
  /** The latest wakeups of every CFS thread [0] and every RT one [1], and how many there were. */
  private final long[][] byClass = new long[2][WINDOW];
  private final int[] classSeen = new int[2];

  /** {@code families}: what the names of the threads the followed mechanisms run in start with. */
  RunnerCosts(List<String> families) {
    this.families = families;
  }

  /** A wakeup of {@code comm}, of an RT class or not, ran after {@code latencyNs}. */
  void wakeup(String comm, boolean rt, long latencyNs) {
    int c = rt ? 1 : 0;
    byClass[c][classSeen[c]++ % WINDOW] = latencyNs;
    long[] ring = latest.get(comm);
    if (ring == null) {
      if (!isRunner(comm)) return;
      ring = new long[WINDOW];
      latest.put(comm, ring);
    }
    int n = seen.merge(comm, 1, Integer::sum);
    ring[(n - 1) % WINDOW] = latencyNs;
  }

  /**
   * The median of the latest wakeups of the thread named like {@code runner} woken most; when the
   * trace has woken it less than {@link #ENOUGH} times (a pool the code never used), of its
   * family's latest, else of its class's; 0 when the trace has woken no thread of the class.
   */
  long median(Pattern runner, String family, boolean rt) {
    String best = null;
    int most = 0;
    for (Map.Entry<String, Integer> e : seen.entrySet()) {
      if (e.getValue() > most && runner.matcher(e.getKey()).matches()) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    if (best != null && most >= ENOUGH) return median(latest(best));
    long[] all = new long[0];
    for (String comm : seen.keySet()) {
      if (!comm.startsWith(family)) continue;
      long[] v = latest(comm);
      int at = all.length;
      all = Arrays.copyOf(all, at + v.length);
      System.arraycopy(v, 0, all, at, v.length);
    }
    if (all.length >= ENOUGH) return median(all);
    int c = rt ? 1 : 0;
    if (classSeen[c] == 0) return all.length == 0 ? 0 : median(all);
    return median(Arrays.copyOf(byClass[c], Math.min(classSeen[c], WINDOW)));
  }

  private long[] latest(String comm) {
    return Arrays.copyOf(latest.get(comm), Math.min(seen.get(comm), WINDOW));
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
