package org.kreplay.report.render;

import java.util.Locale;

/** Human formatting of durations and counts, shared by the text and Markdown reports. */
public final class Units {
  private Units() {}

  /** A duration with a unit chosen for it and three significant digits: 950ns, 12.3µs, 4.56ms, 1.20s. */
  public static String duration(long ns) {
    if (ns < 0) return "-" + duration(-ns);
    if (ns < 1_000) return ns + "ns";
    if (ns < 1_000_000) return sig(ns / 1e3) + "µs";
    if (ns < 1_000_000_000) return sig(ns / 1e6) + "ms";
    return sig(ns / 1e9) + "s";
  }

  /** A count with its noun: "1 file", "1,234 files". */
  public static String count(long n, String one, String many) {
    return count(n) + " " + (n == 1 ? one : many);
  }

  private static String sig(double v) {
    if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * A duration measured at {@code resolutionNs} (1000 for the µs timestamps of the kernel's
   * text): below a thousand of its units, whole units (13µs, not 13.0µs), as the input can tell;
   * above, three significant digits are coarser than the resolution anyway.
   */
  public static String duration(long ns, long resolutionNs) {
    if (ns >= 0 && resolutionNs >= 1_000_000 && ns < 1_000_000_000) return (ns + 500_000) / 1_000_000 + "ms";
    if (ns >= 0 && resolutionNs >= 1_000 && ns < 1_000_000) return (ns + 500) / 1_000 + "µs";
    return duration(ns);
  }

  /** A duration for a row whose unit may be jiffies. */
  public static String value(long v, String unit) {
    return unit.equals("ns") ? duration(v) : v + " jiffies";
  }

  /** {@link #value(long, String)} at the row's resolution. */
  public static String value(long v, String unit, long resolutionNs) {
    return unit.equals("ns") ? duration(v, resolutionNs) : v + " jiffies";
  }

  /** "µs (6 decimals)", how fine an input's timestamps are. */
  public static String resolution(long ns) {
    if (ns <= 1) return "ns";
    if (ns == 1_000) return "µs";
    if (ns == 1_000_000) return "ms";
    return duration(ns);
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  public static String percent(long part, long whole) {
    if (whole <= 0) return "-";
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  /** Seconds with microsecond precision, as ftrace prints timestamps. */
  public static String timestamp(long ns) {
    return String.format(Locale.ROOT, "%d.%06d", ns / 1_000_000_000L, (ns % 1_000_000_000L) / 1000);
  }
}
