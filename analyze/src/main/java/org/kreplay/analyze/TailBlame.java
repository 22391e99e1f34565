package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blame of a row's tail: what the CPUs did while the samples above the row's p99 waited,
 * summed. The p99 is known only at the end, so samples are kept by value bucket (16 per power of
 * two, each at most 6.25% wide) from a threshold that follows a quarter of the row's running p99 upwards;
 * the tail is then every bucket above the one holding the final p99. It is exact at that
 * resolution unless the threshold ever passed the final p99's bucket (a distribution that fell
 * later), which {@link Tail#exact()} says. Memory: the buckets above the threshold, each with at
 * most {@link #MAX_LABELS} parts. Mergeable.
 */
public final class TailBlame {
  static final int SUB_BUCKETS = 16;
  static final int MAX_LABELS = 24;
  private static final String OTHER = "(other)";

  /** Per bucket: what ran and for how long, and how many samples. */
  private final TreeMap<Integer, Map<String, Long>> parts = new TreeMap<>();
  private final TreeMap<Integer, Long> samples = new TreeMap<>();
  /** Samples below this value were not kept; it only rises. */
  private long threshold;

  /**
   * The tail: its samples are those of at least {@code fromNs}, a bucket's lower bound just above the
   * p99; {@code exact} unless some of them were not kept.
   */
  public record Tail(long fromNs, long samples, boolean exact, Blame blame) {}

  /** Whether a sample of {@code value} is kept (it may be in the tail). */
  public boolean wants(long value) {
    return value >= threshold && value > 0;
  }

  /** Keeps nothing below {@code t} from now on, and forgets the buckets wholly below it. */
  public void raiseThreshold(long t) {
    if (t <= threshold) return;
    threshold = t;
    int below = bucket(t);
    parts.headMap(below, false).clear();
    samples.headMap(below, false).clear();
  }

  public void add(long value, Blame b) {
    int k = bucket(value);
    samples.merge(k, 1L, Long::sum);
    Map<String, Long> m = parts.computeIfAbsent(k, x -> new HashMap<>());
    for (Blame.Share s : b.shares()) {
      String what = m.containsKey(s.what()) || m.size() < MAX_LABELS ? s.what() : OTHER;
      m.merge(what, s.ns(), Long::sum);
    }
  }

  /**
   * The tail above {@code p99} (in ns, as the row's samples): the buckets above the one holding it,
   * or that bucket itself when nothing lies above (the worst samples tie with the p99); null when
   * no kept sample is in it.
   */
  public Tail tail(long p99) {
    int from = bucket(p99) + 1;
    if (samples.tailMap(from, true).isEmpty()) from--;
    Map<String, Long> sum = new HashMap<>();
    long n = 0;
    for (Map.Entry<Integer, Map<String, Long>> e : parts.tailMap(from, true).entrySet()) {
      e.getValue().forEach((what, ns) -> sum.merge(what, ns, Long::sum));
      n += samples.get(e.getKey());
    }
    if (n == 0) return null;
    List<Blame.Share> shares = new ArrayList<>();
    sum.forEach((what, ns) -> shares.add(new Blame.Share(what, ns)));
    shares.sort((a, b) -> a.ns() != b.ns() ? Long.compare(b.ns(), a.ns()) : a.what().compareTo(b.what()));
    if (shares.size() > Blame.MAX_PARTS) {
      List<Blame.Share> rest = shares.subList(Blame.MAX_PARTS - 1, shares.size());
      long ns = 0;
      for (Blame.Share s : rest) ns += s.ns();
      int more = rest.size();
      rest.clear();
      shares.add(new Blame.Share("(" + more + " more)", ns));
    }
    return new Tail(lowerBound(from), n, threshold <= lowerBound(from), new Blame(shares));
  }

  public TailBlame add(TailBlame other) {
    other.parts.forEach((k, m) -> {
      Map<String, Long> mine = parts.computeIfAbsent(k, x -> new HashMap<>());
      m.forEach((what, ns) -> mine.merge(mine.containsKey(what) || mine.size() < MAX_LABELS ? what : OTHER, ns, Long::sum));
    });
    other.samples.forEach((k, n) -> samples.merge(k, n, Long::sum));
    threshold = Math.max(threshold, other.threshold);
    return this;
  }

  /** Log-linear buckets: 16 per power of two. */
  static int bucket(long v) {
    if (v < SUB_BUCKETS) return (int) Math.max(v, 0);
    int exp = 63 - Long.numberOfLeadingZeros(v); // v in [2^exp, 2^(exp+1))
    int sub = (int) ((v >>> (exp - 4)) & (SUB_BUCKETS - 1));
    return (exp - 3) * SUB_BUCKETS + sub;
  }

  /** The smallest value of bucket {@code k}. */
  static long lowerBound(int k) {
    if (k < SUB_BUCKETS) return k;
    int exp = k / SUB_BUCKETS + 3;
    int sub = k % SUB_BUCKETS;
    return (1L << exp) | ((long) sub << (exp - 4));
  }
}
