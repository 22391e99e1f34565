package org.kreplay.ingest.internal.tracedat;

/**
 * Turns ring-buffer timestamps into the times trace-cmd reports: a TSC2NSEC option scales counter
 * ticks to nanoseconds (multiply and shift, as the kernel's {@code mul_u64_u32_shr}), then the DATE
 * and OFFSET options add their offsets.
 */
final class TimeBase {
  private final long mult;
  private final int shift;
  private final long offset;

  TimeBase(int mult, int shift, long offset) {
    // trace-cmd keeps mult in an int and passes it as unsigned long long: sign extension included.
    this.mult = mult;
    this.shift = shift;
    this.offset = offset;
  }

  long correct(long raw) {
    long ts = raw;
    if (mult != 0) ts = mulShift(ts, mult, shift);
    return ts + offset;
  }

  /** {@code mul_u64_u32_shr} in unsigned 64-bit arithmetic. */
  static long mulShift(long a, long mul, int shift) {
    long al = a & 0xffff_ffffL;
    long ah = a >>> 32;
    long ret = (al * mul) >>> shift;
    if (ah != 0) ret += (ah * mul) << (32 - shift);
    return ret;
  }
}
