package org.kreplay.analyze;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * A latency distribution: exact count, min, max and sum, and an HdrHistogram for percentiles.
 * Mergeable: {@code a.add(b)} equals the statistics of both sample sets recorded into one.
 *
 * <p>Percentiles are exact to {@link #significantDigits()} significant decimal digits (the
 * histogram's bucket width) and are clamped to the exact min and max.
 */
public final class LatencyStats implements java.io.Serializable {
  /** Travels (kreplay-spark) in HdrHistogram's compressed encoding: see writeObject. */
  private transient AbstractHistogram histogram;
  private final int digits;
  private long count;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;
  private long sum;

  /** @param significantDigits 1..5; 3 for summary rows, 2 for per-key rows to bound memory */
  public LatencyStats(int significantDigits) {
    this.digits = significantDigits;
    this.histogram = new IntCountsHistogram(significantDigits);
  }

  public void record(long value) {
    if (value < 0) throw new IllegalArgumentException("negative latency " + value);
    histogram.recordValue(value);
    count++;
    if (value < min) min = value;
    if (value > max) max = value;
    sum = saturatedAdd(sum, value);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  public LatencyStats add(LatencyStats other) {
    if (other.count == 0) return this;
    histogram.add(other.histogram);
    count += other.count;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    sum = saturatedAdd(sum, other.sum);
    return this;
  }

  public long count() {
    return count;
  }

  /** Smallest sample, or 0 when empty. */
  public long min() {
    return count == 0 ? 0 : min;
  }

  /** Largest sample, or 0 when empty. */
  public long max() {
    return count == 0 ? 0 : max;
  }

  public long sum() {
    return sum;
  }

  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /** The value at {@code percentile} (0..100), or 0 when empty. */
  public long percentile(double percentile) {
    if (count == 0) return 0;
    long v = histogram.getValueAtPercentile(percentile);
    return Math.max(min, Math.min(max, v));
  }

  /**
   * The value at {@code percentile} for samples that are multiples of {@code resolution}: the
   * histogram gives a bucket, and the sample it holds is the multiple of the resolution in it
   * (the largest one, where the bucket is wider), not the bucket's upper edge — 13,000 ns stays
   * 13,000, not 13,055.
   */
  public long percentile(double percentile, long resolution) {
    if (count == 0) return 0;
    long v = histogram.getValueAtPercentile(percentile);
    if (resolution > 1) {
      long snapped = histogram.highestEquivalentValue(v) / resolution * resolution;
      if (snapped >= histogram.lowestEquivalentValue(v)) v = snapped;
    }
    return Math.max(min, Math.min(max, v));
  }

  /**
   * The upper edge of the histogram bucket holding the value at {@code percentile}: values in a
   * higher bucket are certainly above the percentile, values in its bucket are tied with it.
   */
  public long percentileBucketTop(double percentile) {
    if (count == 0) return 0;
    return histogram.highestEquivalentValue(histogram.getValueAtPercentile(percentile));
  }

  /** How many samples lie in buckets wholly above {@code value}, i.e. certainly exceed it. */
  public long countAbove(long value) {
    long n = 0;
    for (var v : histogram.recordedValues()) {
      if (histogram.lowestEquivalentValue(v.getValueIteratedTo()) > value) n += v.getCountAtValueIteratedTo();
    }
    return n;
  }

  public int significantDigits() {
    return digits;
  }

  /**
   * Visits the recorded distribution bucket by bucket (value = bucket's representative, count),
   * for histograms, CDFs and statistical tests downstream.
   */
  public void forEachBucket(BucketVisitor visitor) {
    if (count == 0) return;
    for (var v : histogram.recordedValues()) {
      long value = Math.max(min, Math.min(max, histogram.highestEquivalentValue(v.getValueIteratedTo())));
      visitor.bucket(value, v.getCountAtValueIteratedTo());
    }
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    out.writeInt(length);
    out.write(buffer.array(), 0, length);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] encoded = new byte[in.readInt()];
    in.readFully(encoded);
    try {
      histogram = IntCountsHistogram.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(encoded), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new java.io.InvalidObjectException("latency histogram: " + e.getMessage());
    }
    // decoded at the size it had; it grows again when a merge brings larger samples, as the original would
    histogram.setAutoResize(true);
  }

  /** Receives one bucket of a distribution. */
  @FunctionalInterface
  public interface BucketVisitor {
    void bucket(long value, long count);
  }
}
