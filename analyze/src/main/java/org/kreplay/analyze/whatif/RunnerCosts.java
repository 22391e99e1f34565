package org.kreplay.analyze.whatif;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How long the trace has shown the runner threads taking from their wakeup to running (their
 * {@code wakeup} samples so far): the cost of switching to a runner the trace does not show being
 * woken, where a watcher models its end. Only threads of a runner's family are kept (named as it
 * is up to its '/': every kworker for a highpri worker), each with its latest {@link #WINDOW}
 * samples, so the median follows the trace's time base (emulated or not) and its recent load.
 */
final class RunnerCosts {
  static final int WINDOW = 63;

  /** The runners' families: "kworker/", "rcuc/", "ktimers/". */
  private final List<String> families;
  private final Map<String, long[]> latest = new HashMap<>();
  private final Map<String, Integer> seen = new HashMap<>();

  /** {@code families}: what the names of the threads the followed mechanisms run in start with. */
  RunnerCosts(List<String> families) {
    this.families = families;
  }

  /** A wakeup of {@code comm} ran after {@code latencyNs}. */
  void wakeup(String comm, long latencyNs) {
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
   * trace has woken none (a pool the code never used), of its family's latest; 0 when none.
   */
  long median(Pattern runner, String family) {
    String best = null;
    int most = 0;
    for (Map.Entry<String, Integer> e : seen.entrySet()) {
      if (e.getValue() > most && runner.matcher(e.getKey()).matches()) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    if (best != null) return median(latest(best));
    long[] all = new long[0];
    for (String comm : seen.keySet()) {
      if (!comm.startsWith(family)) continue;
      long[] v = latest(comm);
      int at = all.length;
      all = Arrays.copyOf(all, at + v.length);
      System.arraycopy(v, 0, all, at, v.length);
    }
    return all.length == 0 ? 0 : median(all);
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
