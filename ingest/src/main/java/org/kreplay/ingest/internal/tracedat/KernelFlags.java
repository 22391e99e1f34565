package org.kreplay.ingest.internal.tracedat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kreplay.ingest.ContextFlags;

/**
 * What the {@code common_flags} and {@code common_preempt_count} bits mean for the kernel that
 * wrote the file, decided from its release in the UNAME option: BH-off exists from 5.18, bit 0x02
 * is NEED_RESCHED_LAZY from 6.13 (IRQS_NOSUPPORT before), the migrate-disable depth sits in the
 * high nibble of the preempt count from 5.15. Without a release, BH-off and migrate-disable are
 * unknown and bit 0x02 is read as IRQS_NOSUPPORT (irqs state unknown), the cautious choice.
 */
final class KernelFlags {
  private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)");

  final int major;
  final int minor;
  final boolean bhBit;
  final boolean lazyBit;
  final boolean migrateNibble;

  private KernelFlags(int major, int minor) {
    this.major = major;
    this.minor = minor;
    boolean known = major > 0;
    this.bhBit = known && atLeast(5, 18);
    this.lazyBit = known && atLeast(6, 13);
    this.migrateNibble = known && atLeast(5, 15);
  }

  private boolean atLeast(int maj, int min) {
    return major > maj || (major == maj && minor >= min);
  }

  /** An RT release ("6.1.0-57-rt-amd64", "6.1.58-rt15") or "PREEMPT_RT" in {@code uname -a}-like text. */
  private static final java.util.regex.Pattern RT_UNAME =
      java.util.regex.Pattern.compile("\\bPREEMPT_RT\\b|^\\S+\\s+\\S+\\s+\\S*-rt(?:\\d+|-|\\s|$)");

  /** Whether the trace.dat's UNAME option says the kernel was PREEMPT_RT. */
  static boolean namesPreemptRt(String uname) {
    return uname != null && RT_UNAME.matcher(uname.strip()).find();
  }

  /** From {@code uname -a}-like text ("Linux host 6.18.44-fc x86_64"); unknown when null or unreadable. */
  static KernelFlags fromUname(String uname) {
    if (uname != null) {
      String[] parts = uname.strip().split("\\s+");
      // "Linux <host> <release> ..." — the release is the third word; fall back to any x.y.
      String release = parts.length >= 3 ? parts[2] : uname;
      Matcher m = RELEASE.matcher(release);
      if (m.find()) {
        try {
          return new KernelFlags(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
          // fall through
        }
      }
    }
    return new KernelFlags(0, 0);
  }

  boolean known() {
    return major > 0;
  }

  /** Decoded flags by (common_flags << 8 | preempt_count); 0 = not decoded yet (decoded flags are never 0). */
  private final int[] table = new int[1 << 16];

  int decode(int commonFlags, int preemptCount) {
    int k = (commonFlags & 0xff) << 8 | (preemptCount & 0xff);
    int f = table[k];
    if (f == 0) {
      f = compute(commonFlags, preemptCount);
      table[k] = f;
    }
    return f;
  }

  private int compute(int commonFlags, int preemptCount) {
    if (!known()) {
      // Without a release the high nibble may be preempt depth or migrate-disable: take the low
      // nibble as the depth and leave migrate-disable unknown.
      return ContextFlags.fromKernelBits(commonFlags, preemptCount & 0xf, false, false, false);
    }
    return ContextFlags.fromKernelBits(commonFlags, preemptCount, bhBit, lazyBit, migrateNibble);
  }

  String describe() {
    if (!known()) return "trace.dat common_flags (kernel release unknown: BH-off and migrate-disable unknown)";
    return "trace.dat common_flags, kernel " + major + "." + minor
        + (bhBit ? "" : ": BH-off unknown (no TRACE_FLAG_BH_OFF before 5.18)")
        + (migrateNibble ? "" : ", migrate-disable unknown (before 5.15)");
  }
}
