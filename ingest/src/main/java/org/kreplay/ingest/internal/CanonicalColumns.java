package org.kreplay.ingest.internal;

import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * The columns of kreplay's canonical event formats (CSV and JSON Lines share them), schema version
 * {@value #SCHEMA_VERSION}, and the mapping between them and {@link TraceEvent}. Decoded fields
 * are not columns of their own: the {@code body} column keeps the event text in the kernel's form
 * and is decoded again on reading, so both formats read back to exactly the events written.
 */
public final class CanonicalColumns {
  public static final int SCHEMA_VERSION = 1;

  public static final String[] NAMES = {
    "ts_ns", "cpu", "pid", "tgid", "comm", "irqs_off", "bh_off", "need_resched", "hardirq",
    "softirq", "nmi", "preempt_depth", "migrate_disable", "event", "body", "stack", "lock",
    "lock_type", "read", "try"
  };

  private CanonicalColumns() {}

  /** A tri-state flag as a column value: "1", "0", or null when unknown. */
  static String flag(boolean known, boolean set) {
    return known ? (set ? "1" : "0") : null;
  }

  /** The column values of an event, null for absent ones, in {@link #NAMES} order. */
  public static String[] values(TraceEvent e) {
    int f = e.flags();
    String[] v = new String[NAMES.length];
    v[0] = Long.toString(e.timestamp());
    v[1] = e.cpu() < 0 ? null : Integer.toString(e.cpu());
    v[2] = e.pid() < 0 ? null : Integer.toString(e.pid());
    v[3] = e.tgid() < 0 ? null : Integer.toString(e.tgid());
    v[4] = e.comm();
    v[5] = flag(ContextFlags.irqsKnown(f), ContextFlags.irqsOff(f));
    v[6] = flag(ContextFlags.bhKnown(f), ContextFlags.bhOff(f));
    v[7] = flag(ContextFlags.needReschedKnown(f), ContextFlags.needResched(f));
    v[8] = flag(ContextFlags.irqContextKnown(f), ContextFlags.hardirq(f));
    v[9] = flag(ContextFlags.irqContextKnown(f), ContextFlags.softirq(f));
    v[10] = flag(ContextFlags.nmiKnown(f), ContextFlags.nmi(f));
    v[11] = ContextFlags.preemptKnown(f) ? Integer.toString(ContextFlags.preemptDepth(f)) : null;
    v[12] = ContextFlags.migrateKnown(f) ? Integer.toString(ContextFlags.migrateDisable(f)) : null;
    v[13] = e.name();
    if (e.kind().isMarker()) {
      v[14] = e.lostEvents() < 0 ? null : Long.toString(e.lostEvents());
    } else {
      v[14] = e.body();
    }
    if (e.stack().depth() > 0) v[15] = String.join(";", e.stack().frames());
    if (e.lockClass() != null && !isLockdepEvent(e.kind())) {
      v[16] = e.lockClass();
    }
    v[17] = e.lockType();
    if (v[16] != null || v[17] != null) {
      v[18] = Integer.toString(e.lockRead());
      v[19] = e.lockTry() ? "1" : "0";
    }
    return v;
  }

  /** lockdep events carry their class in the body; the lock column is for other events. */
  private static boolean isLockdepEvent(EventKind k) {
    return k == EventKind.LOCK_ACQUIRE || k == EventKind.LOCK_RELEASE
        || k == EventKind.LOCK_CONTENDED || k == EventKind.LOCK_ACQUIRED;
  }

  /** Thrown by {@link #fill} with the name of the column that is wrong. */
  public static final class BadColumn extends Exception {
    private static final long serialVersionUID = 1L;

    BadColumn(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Fills {@code e} from column values (null or "" = absent) and decodes its body; throws with a
   * message naming the bad column.
   */
  public static void fill(EventRecord e, String[] v, Symbols symbols, BodyDecoder decoder) throws BadColumn {
    e.clear();
    e.setTimestamp(longValue(v[0], "ts_ns", true));
    e.setCpu(intValue(v[1], "cpu"));
    e.setPid(intValue(v[2], "pid"));
    e.setTgid(intValue(v[3], "tgid"));
    if (!empty(v[4])) e.setComm(symbols.intern(v[4]));
    int f = ContextFlags.UNKNOWN;
    Boolean irqs = tri(v[5], "irqs_off");
    if (irqs != null) f |= ContextFlags.IRQS_KNOWN | (irqs ? ContextFlags.IRQS_OFF : 0);
    Boolean bh = tri(v[6], "bh_off");
    if (bh != null) f |= ContextFlags.BH_KNOWN | (bh ? ContextFlags.BH_OFF : 0);
    Boolean nr = tri(v[7], "need_resched");
    if (nr != null) f |= ContextFlags.NEED_RESCHED_KNOWN | (nr ? ContextFlags.NEED_RESCHED : 0);
    Boolean hard = tri(v[8], "hardirq");
    Boolean soft = tri(v[9], "softirq");
    if ((hard == null) != (soft == null)) throw new BadColumn("hardirq and softirq must both be given or both be empty");
    if (hard != null) {
      f |= ContextFlags.IRQ_CONTEXT_KNOWN | (hard ? ContextFlags.HARDIRQ : 0) | (soft ? ContextFlags.SOFTIRQ : 0);
    }
    Boolean nmi = tri(v[10], "nmi");
    if (nmi != null) f |= ContextFlags.NMI_KNOWN | (nmi ? ContextFlags.NMI : 0);
    int depth = intValue(v[11], "preempt_depth");
    if (depth >= 0) f = ContextFlags.withPreemptDepth(f, depth);
    int migrate = intValue(v[12], "migrate_disable");
    if (migrate >= 0) f = ContextFlags.withMigrateDisable(f, migrate);
    e.setFlags(f);
    if (empty(v[13])) throw new BadColumn("event is empty");
    String name = symbols.intern(v[13]);
    e.setName(name);
    if (e.kind().isMarker()) {
      e.setValue1(empty(v[14]) ? -1 : longValue(v[14], "body", true));
    } else {
      e.setBody(v[14] == null ? "" : v[14]);
      if (!decoder.decode(e)) {
        throw new BadColumn("body is not a valid " + name + " event");
      }
    }
    if (!empty(v[15])) {
      for (String frame : v[15].split(";")) e.stack().add(symbols.intern(frame));
    }
    if (!empty(v[16]) || !empty(v[17])) {
      String lock = empty(v[16]) ? e.lockClass() : symbols.intern(v[16]);
      String type = empty(v[17]) ? null : symbols.intern(v[17]);
      int read = empty(v[18]) ? e.lockRead() : intValue(v[18], "read");
      boolean trylock = empty(v[19]) ? e.lockTry() : tri(v[19], "try");
      if (read < 0 || read > 2) throw new BadColumn("read must be 0, 1 or 2");
      e.setLock(lock, type, read, trylock);
    }
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static Boolean tri(String s, String column) throws BadColumn {
    if (empty(s)) return null;
    if (s.equals("1") || s.equals("true")) return Boolean.TRUE;
    if (s.equals("0") || s.equals("false")) return Boolean.FALSE;
    throw new BadColumn(column + " must be 1, 0 or empty, not '" + s + "'");
  }

  private static int intValue(String s, String column) throws BadColumn {
    if (empty(s)) return EventRecord.UNKNOWN;
    long v = longValue(s, column, true);
    if (v < 0 || v > Integer.MAX_VALUE) throw new BadColumn(column + " out of range: " + s);
    return (int) v;
  }

  private static long longValue(String s, String column, boolean required) throws BadColumn {
    if (empty(s)) {
      if (required) throw new BadColumn(column + " is empty");
      return EventRecord.UNKNOWN;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException ex) {
      throw new BadColumn(column + " is not a number: '" + s + "'");
    }
  }
}
