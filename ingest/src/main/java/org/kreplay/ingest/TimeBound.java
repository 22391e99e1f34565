package org.kreplay.ingest;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One end of a time window as the user wrote it: an absolute trace timestamp ({@code 411.0}), a
 * time after the trace's first event ({@code +1.5s}), before its last event ({@code -2s}), or a
 * share of its span ({@code 25%}). Units s (the default), ms, us, ns.
 */
public final class TimeBound {
  public enum Base { ABSOLUTE, AFTER_FIRST, BEFORE_LAST, PERCENT }

  private final Base base;
  /** Nanoseconds for the first three bases; for PERCENT, the percentage. */
  private final BigDecimal amount;
  private final String text;
  private final String option;

  private TimeBound(Base base, BigDecimal amount, String text, String option) {
    this.base = base;
    this.amount = amount;
    this.text = text;
    this.option = option;
  }

  /** A bound that needs the trace's end, asked of an input whose end is not known before reading it. */
  public static final class NotPlaceable extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NotPlaceable(TimeBound bound, String source) {
      super(bound.option + " " + bound.text + ": the end of " + (source.equals("-") ? "standard input" : source)
          + " is not known before it is read; save it to a file, or use an absolute time or +N");
    }
  }

  /**
   * Parses {@code value}; the message of the exception names {@code option} and the value, as a
   * usage error says it.
   */
  public static TimeBound parse(String option, String value) {
    String v = value == null ? "" : value.strip();
    try {
      if (v.endsWith("%")) {
        BigDecimal p = new BigDecimal(v.substring(0, v.length() - 1).strip());
        if (p.signum() < 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) throw new NumberFormatException();
        return new TimeBound(Base.PERCENT, p, v, option);
      }
      Base base = v.startsWith("+") ? Base.AFTER_FIRST : v.startsWith("-") ? Base.BEFORE_LAST : Base.ABSOLUTE;
      String number = base == Base.ABSOLUTE ? v : v.substring(1);
      int scale = 9; // seconds to ns
      for (String[] u : UNITS) {
        if (number.endsWith(u[0])) {
          number = number.substring(0, number.length() - u[0].length());
          scale = Integer.parseInt(u[1]);
          break;
        }
      }
      if (number.isEmpty() || !Character.isDigit(number.charAt(0)) && number.charAt(0) != '.') {
        throw new NumberFormatException();
      }
      BigDecimal ns = new BigDecimal(number).movePointRight(scale).setScale(0, RoundingMode.HALF_UP);
      ns.longValueExact(); // fits
      return new TimeBound(base, ns, v, option);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a time (e.g. 411.0, +1.5s, -2s, 25%)");
    }
  }

  /** Longest suffix first, so "ms" is not read as "s". */
  private static final String[][] UNITS = {{"ms", "6"}, {"us", "3"}, {"ns", "0"}, {"s", "9"}};

  public Base base() {
    return base;
  }

  /** Whether the trace's last timestamp is needed to place this bound. */
  public boolean needsLast() {
    return base == Base.BEFORE_LAST || base == Base.PERCENT;
  }

  /** Whether the trace's first timestamp is needed. */
  public boolean needsFirst() {
    return base == Base.AFTER_FIRST || base == Base.PERCENT;
  }

  /** The bound in trace nanoseconds, given the trace's first and last event timestamps. */
  public long resolve(long firstNs, long lastNs) {
    switch (base) {
      case AFTER_FIRST:
        return saturated(BigDecimal.valueOf(firstNs).add(amount));
      case BEFORE_LAST:
        return saturated(BigDecimal.valueOf(lastNs).subtract(amount));
      case PERCENT:
        BigDecimal span = BigDecimal.valueOf(lastNs).subtract(BigDecimal.valueOf(firstNs));
        return saturated(BigDecimal.valueOf(firstNs).add(span.multiply(amount).movePointLeft(2)));
      default:
        return amount.longValueExact();
    }
  }

  private static long saturated(BigDecimal ns) {
    BigDecimal r = ns.setScale(0, RoundingMode.HALF_UP);
    if (r.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) return Long.MAX_VALUE;
    if (r.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) return Long.MIN_VALUE;
    return r.longValueExact();
  }

  /** As the user wrote it. */
  @Override
  public String toString() {
    return text;
  }
}
