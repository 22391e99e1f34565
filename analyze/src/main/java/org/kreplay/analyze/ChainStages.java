package org.kreplay.analyze;

import java.util.Arrays;
import java.util.List;

/**
 * Where the time of a deferral chain's row went: the chain's segments in order (each stage's wait,
 * and between two stages the time inside the callback that handed on) with the nanoseconds each
 * took, summed over the row's samples. Mergeable: rows of the same chain add their sums. Serializable
 * as the row that holds it is (kreplay-spark sends results between tasks).
 */
public final class ChainStages implements java.io.Serializable {
  private final List<String> segments;
  private final long[] sumNs;
  private long samples;

  /** @param segments the segments' labels, in order ("hrtimer wait", "in schedule_page_work_fn", "workqueue wait") */
  public ChainStages(List<String> segments) {
    if (segments.isEmpty()) throw new IllegalArgumentException("a chain has at least one segment");
    this.segments = List.copyOf(segments);
    this.sumNs = new long[segments.size()];
  }

  /** Adds one sample: {@code ns[i]} is how long segment i took in it. */
  public void record(long[] ns) {
    if (ns.length != sumNs.length) {
      throw new IllegalArgumentException(ns.length + " segment times for a chain of " + sumNs.length + " segments");
    }
    for (int i = 0; i < ns.length; i++) sumNs[i] = saturatedAdd(sumNs[i], Math.max(0, ns[i]));
    samples++;
  }

  /** Adds the sums of another row of the same chain. */
  public ChainStages add(ChainStages other) {
    if (!segments.equals(other.segments)) {
      throw new IllegalArgumentException("cannot add chain segments " + other.segments + " to " + segments);
    }
    for (int i = 0; i < sumNs.length; i++) sumNs[i] = saturatedAdd(sumNs[i], other.sumNs[i]);
    samples += other.samples;
    return this;
  }

  public ChainStages copy() {
    ChainStages c = new ChainStages(segments);
    c.add(this);
    return c;
  }

  public List<String> segments() {
    return segments;
  }

  public long samples() {
    return samples;
  }

  /** Segment i's mean over the samples, ns. */
  public long meanNs(int i) {
    return samples == 0 ? 0 : sumNs[i] / samples;
  }

  /** Segment i's share of the chain's total time, 0..1. */
  public double share(int i) {
    long total = 0;
    for (long s : sumNs) total = saturatedAdd(total, s);
    return total == 0 ? 0 : (double) sumNs[i] / total;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  @Override
  public String toString() {
    return segments + "=" + Arrays.toString(sumNs) + "/" + samples;
  }
}
