package org.kreplay.ingest.internal.log;

import org.kreplay.ingest.internal.Bytes;
import org.kreplay.ingest.log.SplatKind;

/**
 * Recognises the lines that open or close a report, from the kernel's own format strings: the
 * headers of every {@link SplatKind} in their current and older spellings, the "cut here" line of
 * WARN()/BUG(), lockdep's and KASAN's "=====" banners, and "---[ end trace ... ]---". Runs for every
 * line, so it dispatches on the first byte and compares bytes.
 */
final class Headers {
  private Headers() {}

  enum Type {
    /** A report header. */
    HEADER,
    /** "------------[ cut here ]------------": a WARN()/BUG() report follows. */
    CUT_HERE,
    /** A line of '=' only: lockdep's banner before its header, KASAN's before and after its report. */
    BANNER,
    /** "---[ end trace ... ]---" or "---[ end Kernel panic ... ]---". */
    END_MARKER
  }

  /** What a line is, when it is one of the above. */
  static final class Match {
    final Type type;
    final SplatKind kind;
    /** A generic lockdep-style "WARNING: ..." that counts only right after a banner. */
    final boolean needsBanner;
    /** An oops line that belongs to the BUG/oops report it follows ("invalid opcode: 0000 [#1]"). */
    final boolean oopsLine;
    /** A report that a '=====' banner closes (KASAN, KCSAN, KMSAN, KFENCE, UBSAN). */
    final boolean closedByBanner;

    /** What the line is when this match does not hold (a banner-less "WARNING: ..."), or null. */
    final Match fallback;

    Match(Type type, SplatKind kind, boolean needsBanner, boolean oopsLine, boolean closedByBanner) {
      this(type, kind, needsBanner, oopsLine, closedByBanner, null);
    }

    private Match(Type type, SplatKind kind, boolean needsBanner, boolean oopsLine, boolean closedByBanner,
        Match fallback) {
      this.type = type;
      this.kind = kind;
      this.needsBanner = needsBanner;
      this.oopsLine = oopsLine;
      this.closedByBanner = closedByBanner;
      this.fallback = fallback;
    }

    /** This match, or {@code other} where this one needs a banner the line did not have. */
    Match orElse(Match other) {
      return new Match(type, kind, needsBanner, oopsLine, closedByBanner, other);
    }
  }

  /** A further header (syzkaller's) on a line kreplay's own list passed over: starts a report only outside one. */
  static final Match OTHER = new Match(Type.HEADER, SplatKind.OTHER_REPORT, false, false, false);

  static final Match CUT = new Match(Type.CUT_HERE, null, false, false, false);
  static final Match BANNER_LINE = new Match(Type.BANNER, null, false, false, false);
  static final Match END = new Match(Type.END_MARKER, null, false, false, false);

  private static Match header(SplatKind k) {
    return new Match(Type.HEADER, k, false, false, false);
  }

  private static final Match[] PLAIN = new Match[SplatKind.values().length];

  static {
    for (SplatKind k : SplatKind.values()) PLAIN[k.ordinal()] = header(k);
  }

  private static final Match WARNING_AFTER_BANNER = new Match(Type.HEADER, SplatKind.WARNING, true, false, false);
  private static final Match OOPS_LINE = new Match(Type.HEADER, SplatKind.OOPS, false, true, false);
  private static final Match BUG_SANITIZER = new Match(Type.HEADER, SplatKind.BUG, false, false, true);

  private static Match of(SplatKind k) {
    return PLAIN[k.ordinal()];
  }

  /** The match for the message [s, e) (leading blanks already skipped), or null. */
  static Match match(byte[] b, int s, int e) {
    if (e - s < 4) return null;
    switch (b[s]) {
      case 'B':
        if (Bytes.startsWith(b, s, e, "BUG: ")) return bug(b, s + 5, e);
        return null;
      case 'W':
        if (Bytes.startsWith(b, s, e, "WARNING: ")) return warning(b, s + 9, e);
        return null;
      case 'I':
        if (Bytes.startsWith(b, s, e, "INFO: ")) return info(b, s + 6, e);
        if (Bytes.startsWith(b, s, e, "Internal error: Oops")) return OOPS_LINE;
        return null;
      case '[':
        if (Bytes.startsWith(b, s, e, "[ BUG: ")) return bracketed(b, s + 7, e, true);
        if (Bytes.startsWith(b, s, e, "[ INFO: ")) return bracketed(b, s + 8, e, false);
        return null;
      case 'r':
        if (Bytes.startsWith(b, s, e, "rcu: INFO: ")) return rcuStall(b, s + 11, e);
        return null;
      case 'w':
        if (Bytes.startsWith(b, s, e, "watchdog: ")) return watchdog(b, s + 10, e);
        return null;
      case 'N':
        if (Bytes.startsWith(b, s, e, "NMI watchdog: ")) return watchdog(b, s + 14, e);
        return null;
      case 'k':
        if (Bytes.startsWith(b, s, e, "kernel BUG at ")) return of(SplatKind.BUG);
        return null;
      case 'K':
        if (Bytes.startsWith(b, s, e, "Kernel BUG at ")) return of(SplatKind.BUG);
        return null;
      case 'O':
        if (Bytes.startsWith(b, s, e, "Oops: ") || Bytes.startsWith(b, s, e, "Oops - ") || Bytes.startsWith(b, s, e, "Oops[")) {
          return OOPS_LINE;
        }
        return null;
      case 'U':
        if (Bytes.startsWith(b, s, e, "Unable to handle kernel ")) return of(SplatKind.OOPS);
        if (Bytes.startsWith(b, s, e, "UBSAN: ")) return BUG_SANITIZER;
        return null;
      case 'g':
        if (Bytes.startsWith(b, s, e, "general protection fault")) return OOPS_LINE;
        return null;
      case 'd':
      case 'i':
      case 's':
      case 'a':
        return trap(b, s, e);
      case '-':
        if (Bytes.startsWith(b, s, e, "------------[ cut here ]")) return CUT;
        if (Bytes.startsWith(b, s, e, "---[ end ")) return END;
        return null;
      case '=':
        return allEquals(b, s, e) ? BANNER_LINE : null;
      default:
        return null;
    }
  }

  private static Match bug(byte[] b, int i, int e) {
    switch (b[i]) {
      case 's':
        if (Bytes.startsWith(b, i, e, "sleeping function called from invalid context")) return of(SplatKind.SLEEP_IN_ATOMIC);
        if (Bytes.startsWith(b, i, e, "scheduling while atomic")) return of(SplatKind.SCHEDULE_WHILE_ATOMIC);
        if (Bytes.startsWith(b, i, e, "spinlock ")) return of(SplatKind.SPINLOCK_BUG);
        if (Bytes.startsWith(b, i, e, "soft lockup")) return of(SplatKind.SOFT_LOCKUP);
        break;
      case 'u':
        if (Bytes.startsWith(b, i, e, "using ") && Bytes.indexOf(b, i, e, " in preemptible") > 0) {
          return of(SplatKind.SMP_PROCESSOR_ID_PREEMPTIBLE);
        }
        if (Bytes.startsWith(b, i, e, "unable to handle ")) return of(SplatKind.OOPS);
        break;
      case 'r':
        if (Bytes.startsWith(b, i, e, "rwlock ")) return of(SplatKind.SPINLOCK_BUG);
        break;
      case 'w':
        if (Bytes.startsWith(b, i, e, "workqueue lockup")) return of(SplatKind.WORKQUEUE_LOCKUP);
        break;
      case 'k':
        if (Bytes.startsWith(b, i, e, "kernel NULL pointer dereference")) return of(SplatKind.OOPS);
        break;
      case 'I':
        if (Bytes.startsWith(b, i, e, "Invalid wait context")) return of(SplatKind.INVALID_WAIT_CONTEXT);
        break;
      case 'K':
        if (Bytes.startsWith(b, i, e, "KASAN: ") || Bytes.startsWith(b, i, e, "KCSAN: ") || Bytes.startsWith(b, i, e, "KMSAN: ")
            || Bytes.startsWith(b, i, e, "KFENCE: ")) {
          return BUG_SANITIZER;
        }
        break;
      default:
        break;
    }
    return of(SplatKind.BUG);
  }

  private static Match warning(byte[] b, int i, int e) {
    Match lockdep = lockdepTitle(b, i, e);
    if (lockdep != null) return lockdep;
    // __warn(): "WARNING: CPU: 0 PID: 1 at file:line func", "WARNING: at file:line func()" (<=3.x),
    // and 6.x's "WARNING: file:line at func, CPU#0: comm/pid"
    if (Bytes.startsWith(b, i, e, "CPU: ") || Bytes.startsWith(b, i, e, "at ")) return of(SplatKind.WARNING);
    int at = Bytes.indexOf(b, i, e, " at ");
    if (at > i && looksLikeFileLine(b, i, at)) return of(SplatKind.WARNING);
    return WARNING_AFTER_BANNER;
  }

  /** The lockdep report titles, after "WARNING: " / "INFO: " / "[ INFO: " / "[ BUG: ". */
  private static Match lockdepTitle(byte[] b, int i, int e) {
    if (Bytes.startsWith(b, i, e, "possible circular locking dependency detected")) return of(SplatKind.CIRCULAR_DEPENDENCY);
    if (Bytes.startsWith(b, i, e, "possible recursive locking detected")) return of(SplatKind.RECURSIVE_LOCKING);
    if (Bytes.startsWith(b, i, e, "inconsistent lock state")) return of(SplatKind.INCONSISTENT_LOCK_STATE);
    if (Bytes.startsWith(b, i, e, "possible irq lock inversion dependency detected")) return of(SplatKind.IRQ_LOCK_INVERSION);
    if (Bytes.startsWith(b, i, e, "bad unlock balance detected")) return of(SplatKind.BAD_UNLOCK_BALANCE);
    if (Bytes.startsWith(b, i, e, "suspicious RCU usage") || Bytes.startsWith(b, i, e, "suspicious rcu_dereference")) {
      return of(SplatKind.SUSPICIOUS_RCU_USAGE);
    }
    if (Bytes.startsWith(b, i, e, "Invalid wait context")) return of(SplatKind.INVALID_WAIT_CONTEXT);
    int safe = Bytes.indexOf(b, i, e, "-safe -> ");
    if (safe > i && Bytes.indexOf(b, safe, e, "-unsafe lock order detected") > 0) return of(SplatKind.IRQ_SAFE_TO_UNSAFE);
    return null;
  }

  private static Match info(byte[] b, int i, int e) {
    Match lockdep = lockdepTitle(b, i, e);
    if (lockdep != null) return lockdep;
    if (Bytes.startsWith(b, i, e, "task ") && Bytes.indexOf(b, i, e, " blocked for more than ") > 0) {
      return of(SplatKind.HUNG_TASK);
    }
    if (Bytes.startsWith(b, i, e, "rcu")) return rcuStall(b, i, e);
    if (Bytes.startsWith(b, i, e, "trying to register non-static key")) return of(SplatKind.WARNING);
    return null;
  }

  private static Match bracketed(byte[] b, int i, int e, boolean bug) {
    Match lockdep = lockdepTitle(b, i, e);
    if (lockdep != null) return lockdep;
    return of(bug ? SplatKind.BUG : SplatKind.WARNING);
  }

  /** "rcu_preempt detected stalls", "rcu_sched self-detected stall", "rcu_tasks detected stalls", expedited. */
  private static Match rcuStall(byte[] b, int i, int e) {
    if (!Bytes.startsWith(b, i, e, "rcu")) return null;
    int limit = Math.min(e, i + 80);
    if (Bytes.indexOf(b, i, limit, "detected stall") > 0 || Bytes.indexOf(b, i, limit, "detected expedited stall") > 0) {
      return of(SplatKind.RCU_STALL);
    }
    return null;
  }

  private static Match watchdog(byte[] b, int i, int e) {
    if (Bytes.startsWith(b, i, e, "BUG: soft lockup")) return of(SplatKind.SOFT_LOCKUP);
    if (Bytes.startsWith(b, i, e, "Watchdog detected hard LOCKUP")) return of(SplatKind.BUG);
    return null;
  }

  /** x86 trap oopses: "invalid opcode: 0000 [#1] SMP", "divide error: 0000 [#1]", "stack segment: ...". */
  private static Match trap(byte[] b, int s, int e) {
    if (!(Bytes.startsWith(b, s, e, "invalid opcode") || Bytes.startsWith(b, s, e, "divide error")
        || Bytes.startsWith(b, s, e, "stack segment") || Bytes.startsWith(b, s, e, "double fault")
        || Bytes.startsWith(b, s, e, "int3") || Bytes.startsWith(b, s, e, "alignment check")
        || Bytes.startsWith(b, s, e, "stack guard page"))) {
      return null;
    }
    int colon = Bytes.indexOf(b, s, Math.min(e, s + 24), ": ");
    if (colon < 0) return null;
    return Bytes.indexOf(b, colon, Math.min(e, colon + 16), " [#") > 0 ? OOPS_LINE : null;
  }

  private static boolean allEquals(byte[] b, int s, int e) {
    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
    if (e - s < 20) return false;
    for (int i = s; i < e; i++) {
      if (b[i] != '=') return false;
    }
    return true;
  }

  /** "kernel/locking/rwsem.c:1368": a path with a dot and a ":line". */
  private static boolean looksLikeFileLine(byte[] b, int s, int e) {
    int colon = -1;
    boolean dot = false;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (c == ' ') return false;
      if (c == '.') dot = true;
      if (c == ':') colon = i;
    }
    return dot && colon > s && colon + 1 < e && Bytes.isDigit(b[colon + 1]);
  }

  /**
   * Whether a line outside any report starts a header-less stack dump: dump_stack()'s "CPU: 1 PID: 2
   * Comm: x", old kernels' "Pid: 1, comm: x", or a bare "Call Trace:".
   */
  static boolean stackDumpStart(byte[] b, int s, int e) {
    if (Bytes.startsWith(b, s, e, "CPU: ")) {
      int d = s + 5;
      int j = d;
      while (j < e && Bytes.isDigit(b[j])) j++;
      return j > d && (Bytes.startsWith(b, j, e, " PID: ") || Bytes.startsWith(b, j, e, " UID: "));
    }
    if (Bytes.startsWith(b, s, e, "Pid: ")) return Bytes.indexOf(b, s, Math.min(e, s + 24), ", comm: ") > 0;
    return Bytes.startsWith(b, s, e, "Call Trace:") || Bytes.startsWith(b, s, e, "Call trace:");
  }
}
