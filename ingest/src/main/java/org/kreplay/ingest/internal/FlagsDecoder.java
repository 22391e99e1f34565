package org.kreplay.ingest.internal;

import static org.kreplay.ingest.ContextFlags.BH_KNOWN;
import static org.kreplay.ingest.ContextFlags.BH_OFF;
import static org.kreplay.ingest.ContextFlags.HARDIRQ;
import static org.kreplay.ingest.ContextFlags.IRQS_KNOWN;
import static org.kreplay.ingest.ContextFlags.IRQS_OFF;
import static org.kreplay.ingest.ContextFlags.IRQ_CONTEXT_KNOWN;
import static org.kreplay.ingest.ContextFlags.NEED_RESCHED;
import static org.kreplay.ingest.ContextFlags.NEED_RESCHED_KNOWN;
import static org.kreplay.ingest.ContextFlags.NMI;
import static org.kreplay.ingest.ContextFlags.NMI_KNOWN;
import static org.kreplay.ingest.ContextFlags.SOFTIRQ;

import org.kreplay.ingest.ContextFlags;

/**
 * Decodes the text flags ("latency") column into {@link ContextFlags} bits. The letters depend on
 * who rendered them (kernel {@code trace_print_lat_fmt()} or libtraceevent) and on the column
 * count, see trace-formats.md §1.3 and §2.1.
 */
public final class FlagsDecoder {
  /** Returned for a column with a character that no renderer prints. */
  public static final int INVALID = -1;

  private FlagsDecoder() {}

  /**
   * @param libtraceevent the column comes from trace-cmd (no BH-off, no NMI, need-resched only N)
   * @param bhLegend the kernel header's legend says "irqs-off/BH-disabled", so '.' means BH on
   */
  public static int decode(byte[] b, int s, int len, boolean libtraceevent, boolean bhLegend) {
    if (len < 4) return INVALID;
    int f = 0;
    // column 1: irqs-off / BH-off
    switch (b[s]) {
      case 'D': f |= IRQS_OFF | IRQS_KNOWN | BH_OFF | BH_KNOWN; break;
      case 'd': f |= IRQS_OFF | IRQS_KNOWN; break;
      case 'b': f |= IRQS_KNOWN | BH_OFF | BH_KNOWN; break;
      case 'X': break;
      case '.': f |= IRQS_KNOWN; break;
      default: return INVALID;
    }
    if (b[s] != 'X' && bhLegend && !libtraceevent) f |= BH_KNOWN;
    if (libtraceevent && (b[s] == 'D' || b[s] == 'b')) return INVALID;

    int ctxCol;
    int depthCol;
    int migrateCol;
    if (libtraceevent) {
      ctxCol = 2;
      depthCol = 3;
      migrateCol = len >= 6 ? 5 : len == 5 ? 4 : -1;
    } else if (len == 7) {
      ctxCol = 3; // old RT: irqs, need-resched, need-resched-lazy, ctx, depth, lazy-depth, migrate
      depthCol = 4;
      migrateCol = 6;
    } else {
      ctxCol = 2;
      depthCol = 3;
      migrateCol = len >= 5 ? 4 : -1;
    }
    // need-resched column(s)
    for (int c = 1; c < ctxCol; c++) {
      byte n = b[s + c];
      if (n == '.') continue;
      if ("NnpBLbl".indexOf(n) < 0) return INVALID;
      if (n != 'l') f |= NEED_RESCHED; // 'l' alone is lazy only
    }
    f |= NEED_RESCHED_KNOWN;
    switch (b[s + ctxCol]) {
      case 'Z': f |= NMI | HARDIRQ; break;
      case 'z': f |= NMI; break;
      case 'H': f |= HARDIRQ | SOFTIRQ; break;
      case 'h': f |= HARDIRQ; break;
      case 's': f |= SOFTIRQ; break;
      case '.': break;
      default: return INVALID;
    }
    if (libtraceevent && (f & NMI) != 0) return INVALID;
    f |= IRQ_CONTEXT_KNOWN;
    if (!libtraceevent) f |= NMI_KNOWN;

    int depth = digit(b[s + depthCol]);
    if (depth < 0) return INVALID;
    f = ContextFlags.withPreemptDepth(f, depth);
    if (migrateCol >= 0) {
      int m = digit(b[s + migrateCol]);
      if (m < 0) return INVALID;
      f = ContextFlags.withMigrateDisable(f, m);
    }
    return f;
  }

  private static int digit(byte c) {
    return c == '.' ? 0 : Bytes.hexValue(c);
  }

  /** A description of what a column of this shape tells, for {@code TraceInfo.flagsFormat()}. */
  public static String describe(int len, boolean libtraceevent, boolean bhLegend) {
    if (len == 0) return "absent: irqs-off, BH-off, preempt depth and irq context unknown";
    if (libtraceevent) {
      return "libtraceevent, " + len + " columns: BH-off and NMI unknown";
    }
    return "kernel, " + len + " columns" + (bhLegend ? "" : ": BH-off known only where shown (b/D)")
        + (len < 5 ? ", migrate-disable unknown" : "");
  }
}
