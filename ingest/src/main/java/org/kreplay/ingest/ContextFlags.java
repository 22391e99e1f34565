package org.kreplay.ingest;

/**
 * The execution context recorded with an event, packed into one {@code int}.
 *
 * <p>A trace records, per event, whether interrupts and bottom halves were disabled, whether a
 * reschedule was pending, whether the CPU was in hardirq, softirq or NMI context, and the
 * preemption and migrate-disable depths. Not every format shows every bit (trace-cmd's
 * {@code report -l} has no BH-off and no NMI column; a trace without the flags column has none of
 * them), so each group carries a "known" bit: a group that the input does not show is
 * <em>unknown</em>, never "off".
 *
 * <p>All methods are static; the value itself is a plain {@code int} so that events stay free of
 * allocation.
 */
public final class ContextFlags {
  /** Nothing known. */
  public static final int UNKNOWN = 0;

  public static final int IRQS_OFF = 1;
  public static final int IRQS_KNOWN = 1 << 1;
  public static final int BH_OFF = 1 << 2;
  public static final int BH_KNOWN = 1 << 3;
  public static final int NEED_RESCHED = 1 << 4;
  public static final int NEED_RESCHED_KNOWN = 1 << 5;
  public static final int HARDIRQ = 1 << 6;
  public static final int SOFTIRQ = 1 << 7;
  /** Whether the hardirq/softirq bits are shown. */
  public static final int IRQ_CONTEXT_KNOWN = 1 << 8;
  public static final int NMI = 1 << 9;
  public static final int NMI_KNOWN = 1 << 10;
  public static final int PREEMPT_KNOWN = 1 << 11;
  private static final int PREEMPT_SHIFT = 12; // 4 bits of preempt depth
  public static final int MIGRATE_KNOWN = 1 << 16;
  private static final int MIGRATE_SHIFT = 20; // 4 bits of migrate-disable depth

  private ContextFlags() {}

  public static boolean irqsKnown(int f) {
    return (f & IRQS_KNOWN) != 0;
  }

  public static boolean irqsOff(int f) {
    return (f & IRQS_OFF) != 0;
  }

  public static boolean bhKnown(int f) {
    return (f & BH_KNOWN) != 0;
  }

  public static boolean bhOff(int f) {
    return (f & BH_OFF) != 0;
  }

  public static boolean needReschedKnown(int f) {
    return (f & NEED_RESCHED_KNOWN) != 0;
  }

  public static boolean needResched(int f) {
    return (f & NEED_RESCHED) != 0;
  }

  public static boolean irqContextKnown(int f) {
    return (f & IRQ_CONTEXT_KNOWN) != 0;
  }

  public static boolean hardirq(int f) {
    return (f & HARDIRQ) != 0;
  }

  public static boolean softirq(int f) {
    return (f & SOFTIRQ) != 0;
  }

  public static boolean nmiKnown(int f) {
    return (f & NMI_KNOWN) != 0;
  }

  public static boolean nmi(int f) {
    return (f & NMI) != 0;
  }

  public static boolean preemptKnown(int f) {
    return (f & PREEMPT_KNOWN) != 0;
  }

  /** Preemption depth (the PREEMPT_MASK byte, capped at 15 by the tracer), or -1 if unknown. */
  public static int preemptDepth(int f) {
    return preemptKnown(f) ? (f >>> PREEMPT_SHIFT) & 0xf : -1;
  }

  public static boolean migrateKnown(int f) {
    return (f & MIGRATE_KNOWN) != 0;
  }

  /** Migrate-disable depth (capped at 15), or -1 if unknown. */
  public static int migrateDisable(int f) {
    return migrateKnown(f) ? (f >>> MIGRATE_SHIFT) & 0xf : -1;
  }

  public static int withPreemptDepth(int f, int depth) {
    return (f & ~(0xf << PREEMPT_SHIFT)) | PREEMPT_KNOWN | (Math.min(depth, 15) << PREEMPT_SHIFT);
  }

  public static int withMigrateDisable(int f, int depth) {
    return (f & ~(0xf << MIGRATE_SHIFT)) | MIGRATE_KNOWN | (Math.min(depth, 15) << MIGRATE_SHIFT);
  }

  /**
   * Flags from the binary {@code common_flags} and {@code common_preempt_count} fields of a record
   * (trace.dat, kernel {@code TRACE_FLAG_*} bits) of a kernel from 5.15 on, where bit 0x02 is
   * {@code TRACE_FLAG_IRQS_NOSUPPORT}. See {@link #fromKernelBits(int, int, boolean, boolean,
   * boolean)}.
   */
  public static int fromKernelBits(int commonFlags, int preemptCount, boolean bhBitExists) {
    return fromKernelBits(commonFlags, preemptCount, bhBitExists, false, true);
  }

  /**
   * Flags from the binary {@code common_flags} and {@code common_preempt_count} fields of a record.
   * Every group is known except where the kernel's bit layout leaves it open:
   *
   * <ul>
   *   <li>BH-off needs {@code TRACE_FLAG_BH_OFF} (0x80, kernels from 5.18);
   *   <li>bit 0x02 was {@code TRACE_FLAG_IRQS_NOSUPPORT} (irqs state unknown) and is {@code
   *       TRACE_FLAG_NEED_RESCHED_LAZY} from 6.13 on; a lazy reschedule alone is not {@link
   *       #NEED_RESCHED} (as the kernel's {@code l} letter);
   *   <li>the high nibble of the preempt-count byte is the migrate-disable depth from 5.15 on;
   *       before, the byte is the preemption depth and migrate-disable is unknown.
   * </ul>
   *
   * @param bhBitExists the kernel has {@code TRACE_FLAG_BH_OFF}
   * @param lazyBit bit 0x02 means NEED_RESCHED_LAZY rather than IRQS_NOSUPPORT
   * @param migrateNibble the preempt-count byte carries the migrate-disable depth in bits 4-7
   */
  public static int fromKernelBits(int commonFlags, int preemptCount, boolean bhBitExists, boolean lazyBit,
      boolean migrateNibble) {
    int f = NEED_RESCHED_KNOWN | IRQ_CONTEXT_KNOWN | NMI_KNOWN;
    if (lazyBit || (commonFlags & 0x02) == 0) {
      f |= IRQS_KNOWN;
      if ((commonFlags & 0x01) != 0) f |= IRQS_OFF;
    } else if ((commonFlags & 0x01) != 0) {
      f |= IRQS_KNOWN | IRQS_OFF; // the kernel prints 'd' before 'X'
    }
    if (bhBitExists) {
      f |= BH_KNOWN;
      if ((commonFlags & 0x80) != 0) f |= BH_OFF;
    }
    if ((commonFlags & (0x04 | 0x20)) != 0) f |= NEED_RESCHED;
    if ((commonFlags & 0x08) != 0) f |= HARDIRQ;
    if ((commonFlags & 0x10) != 0) f |= SOFTIRQ;
    if ((commonFlags & 0x40) != 0) f |= NMI;
    if (!migrateNibble) return withPreemptDepth(f, preemptCount & 0xff);
    f = withPreemptDepth(f, preemptCount & 0xf);
    return withMigrateDisable(f, (preemptCount >>> 4) & 0xf);
  }

  /**
   * Renders the flags in the kernel's five-column style ({@code dNh2.}), with {@code ?} for a
   * column that is unknown.
   */
  public static String render(int f) {
    StringBuilder sb = new StringBuilder(5);
    if (!irqsKnown(f) && !bhKnown(f)) {
      sb.append('?');
    } else if (irqsOff(f) && bhOff(f)) {
      sb.append('D');
    } else if (irqsOff(f)) {
      sb.append('d');
    } else if (bhOff(f)) {
      sb.append('b');
    } else {
      sb.append('.');
    }
    sb.append(!needReschedKnown(f) ? '?' : needResched(f) ? 'N' : '.');
    if (!irqContextKnown(f) && !nmiKnown(f)) {
      sb.append('?');
    } else if (nmi(f)) {
      sb.append(hardirq(f) ? 'Z' : 'z');
    } else if (hardirq(f)) {
      sb.append(softirq(f) ? 'H' : 'h');
    } else {
      sb.append(softirq(f) ? 's' : '.');
    }
    sb.append(digit(preemptDepth(f)));
    sb.append(digit(migrateDisable(f)));
    return sb.toString();
  }

  private static char digit(int v) {
    if (v < 0) return '?';
    if (v == 0) return '.';
    return Character.forDigit(v, 16);
  }
}
