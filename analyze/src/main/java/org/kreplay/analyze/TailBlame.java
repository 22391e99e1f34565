package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blame of a row's tail: what the CPUs did while the samples above the row's p99 waited,
 * summed. The p99 is known only at the end, so samples are kept by value bucket (16 per power of
 * two, each at most 6.25% wide) from a threshold that follows half the row's running p99 upwards (from its 4,096th sample on);
 * the tail is then every bucket above the one holding the final p99. It is exact at that
 * resolution unless the threshold ever passed the final p99's bucket (a distribution that fell
 * later), which {@link Tail#exact()} says. Memory: at most {@link #MAX_BUCKETS} buckets, each with
 * the parts its samples had. Mergeable, in any order.
 */
public final class TailBlame implements java.io.Serializable {
  static final int SUB_BUCKETS = 16;
  /** Enough buckets for any non-negative long. */
  static final int BUCKETS = (63 - 3) * SUB_BUCKETS + SUB_BUCKETS;

  /** Per bucket (the index): what ran and for how long, and how many samples; made at the first sample. */
  private Map<String, Long>[] parts;
  private long[] samples;
  /** Samples below this value were not kept; it only rises. */
  private long threshold;
  private int populated;
  /** The most buckets kept at once: a row's memory is bounded whatever its samples. */
  static final int MAX_BUCKETS = 192;

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
    if (parts == null) return;
    for (int k = 0, below = bucket(t); k < below; k++) {
      if (parts[k] != null) populated--;
      parts[k] = null;
      samples[k] = 0;
    }
  }

  @SuppressWarnings("unchecked")
  private void allocate() {
    parts = new Map[BUCKETS];
    samples = new long[BUCKETS];
  }

  public void add(long value, Blame b) {
    if (parts == null) allocate();
    int k = bucket(value);
    samples[k]++;
    Map<String, Long> m = parts[k];
    if (m == null) {
      parts[k] = m = new HashMap<>();
      // bounded: beyond MAX_BUCKETS kept, the lowest goes (the threshold rises past it)
      if (++populated > MAX_BUCKETS) {
        int lowest = 0;
        while (parts[lowest] == null) lowest++;
        raiseThreshold(lowerBound(lowest + 1));
      }
    }
    // every part by its name (no cap: a capped bucket would depend on the order samples and merged
    // traces arrive in, and results must not)
    for (Blame.Share s : b.shares()) {
      Long had = m.get(s.what());
      m.put(s.what(), had == null ? s.ns() : had + s.ns());
    }
  }

  /**
   * The tail above {@code p99} (in ns, as the row's samples): the buckets above the one holding it,
   * or that bucket itself when nothing lies above (the worst samples tie with the p99); null when
   * no kept sample is in it.
   */
  public Tail tail(long p99) {
    if (parts == null) return null;
    int from = bucket(p99) + 1;
    long n = countFrom(from);
    if (n == 0) n = countFrom(--from);
    if (n == 0) return null;
    Map<String, Long> sum = new HashMap<>();
    for (int k = from; k < BUCKETS; k++) {
      if (parts[k] != null) parts[k].forEach((what, ns) -> sum.merge(what, ns, Long::sum));
    }
    List<Blame.Share> shares = new ArrayList<>();
    sum.forEach((what, ns) -> shares.add(new Blame.Share(what, ns)));
    return new Tail(lowerBound(from), n, threshold <= lowerBound(from), Blame.of(shares));
  }

  private long countFrom(int from) {
    long n = 0;
    for (int k = Math.max(from, 0); k < BUCKETS; k++) n += samples[k];
    return n;
  }

  public TailBlame add(TailBlame other) {
    if (other.parts != null) {
      if (parts == null) allocate();
      for (int k = 0; k < BUCKETS; k++) {
        samples[k] += other.samples[k];
        if (other.parts[k] == null) continue;
        if (parts[k] == null) {
          parts[k] = new HashMap<>();
          populated++;
        }
        Map<String, Long> mine = parts[k];
        other.parts[k].forEach((what, ns) -> mine.merge(what, ns, Long::sum));
      }
    }
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
