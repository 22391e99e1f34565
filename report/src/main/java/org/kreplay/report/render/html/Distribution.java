package org.kreplay.report.render.html;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.DeferralRow;

/**
 * One deferral row's samples as a chart needs them: bucket values in nanoseconds (or jiffies,
 * for timer rows of a trace whose HZ is unknown) with their counts, in ascending order.
 */
final class Distribution {
  private final String name;
  private final String unit;
  private final long[] values;
  private final long[] counts;
  private final long total;

  private Distribution(String name, String unit, long[] values, long[] counts) {
    this.name = name;
    this.unit = unit;
    this.values = values;
    this.counts = counts;
    long t = 0;
    for (long c : counts) t += c;
    this.total = t;
  }

  /** The row's histogram, scaled from recorded units to nanoseconds where HZ is known. */
  static Distribution of(String name, DeferralRow row) {
    long scale = Math.max(1, row.unitNs());
    List<long[]> buckets = new ArrayList<>();
    row.stats().forEachBucket((value, count) -> buckets.add(new long[] {value * scale, count}));
    long[] v = new long[buckets.size()];
    long[] c = new long[buckets.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = buckets.get(i)[0];
      c[i] = buckets.get(i)[1];
    }
    return new Distribution(name, row.unit(), v, c);
  }

  static Distribution of(String name, String unit, long[] values, long[] counts) {
    return new Distribution(name, unit, values.clone(), counts.clone());
  }

  String name() {
    return name;
  }

  /** "ns" or "jiffies". */
  String unit() {
    return unit;
  }

  long total() {
    return total;
  }

  boolean isEmpty() {
    return total == 0;
  }

  long min() {
    return values.length == 0 ? 0 : values[0];
  }

  long max() {
    return values.length == 0 ? 0 : values[values.length - 1];
  }

  /** Whether any sample is 0, which a log axis cannot show (it is drawn at 1). */
  boolean hasZero() {
    return values.length > 0 && values[0] == 0;
  }

  /** Samples in each bin. */
  double[] countsIn(LogBins bins) {
    double[] n = new double[bins.count()];
    for (int i = 0; i < values.length; i++) n[bins.indexOf(values[i])] += counts[i];
    return n;
  }

  /** Percent of this distribution's samples in each bin. */
  double[] sharesIn(LogBins bins) {
    double[] pct = countsIn(bins);
    for (int i = 0; i < pct.length; i++) pct[i] = total == 0 ? 0 : 100.0 * pct[i] / total;
    return pct;
  }

  /**
   * Points of the cumulative distribution (value, percent of samples ≤ value), thinned so that
   * consecutive points are at least {@code minRatio} apart on the value axis (the last is kept).
   */
  List<double[]> cdf(double minRatio) {
    List<double[]> points = new ArrayList<>();
    long cumulative = 0;
    double lastX = -1;
    for (int i = 0; i < values.length; i++) {
      cumulative += counts[i];
      double x = Math.max(1, values[i]);
      boolean last = i == values.length - 1;
      if (last || lastX < 0 || x >= lastX * minRatio) {
        points.add(new double[] {x, 100.0 * cumulative / total});
        lastX = x;
      }
    }
    return points;
  }

  /** Bins of equal width on a log axis covering every distribution given. */
  static final class LogBins {
    private final double lo;
    private final double perDecade;
    private final int count;

    private LogBins(double lo, double perDecade, int count) {
      this.lo = lo;
      this.perDecade = perDecade;
      this.count = count;
    }

    /** At most {@code maxBins} bins, and at most 20 per decade (finer is noise at 2-3 digits). */
    static LogBins covering(List<Distribution> ds, int maxBins) {
      double lo = Double.MAX_VALUE;
      double hi = 0;
      for (Distribution d : ds) {
        if (d.isEmpty()) continue;
        lo = Math.min(lo, Math.max(1, d.min()));
        hi = Math.max(hi, Math.max(1, d.max()));
      }
      if (hi == 0) {
        lo = 1;
        hi = 10;
      }
      // A little room on both sides, so a single value gets a bar of visible width.
      lo = lo / 1.15;
      hi = hi * 1.15;
      double decades = Math.log10(hi / lo);
      double perDecade = Math.min(20, maxBins / decades);
      int count = Math.max(1, (int) Math.ceil(decades * perDecade));
      return new LogBins(lo, perDecade, count);
    }

    int count() {
      return count;
    }

    double low(int i) {
      return lo * Math.pow(10, i / perDecade);
    }

    double high(int i) {
      return low(i + 1);
    }

    int indexOf(long value) {
      double v = Math.max(1, value);
      int i = (int) Math.floor(Math.log10(v / lo) * perDecade);
      return Math.max(0, Math.min(count - 1, i));
    }
  }
}
