package org.kreplay.ingest.internal.log;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.ingest.log.SplatKind;

/**
 * The lines of facts a kernel report prints around its call trace ("CPU: …", "preempt_count: …",
 * "irq event stamp: …", "Tainted: …", lockdep's "Chain exists of:" …), as a table from prefix to
 * what the line tells the report being built. The first entry whose prefix starts the line and
 * whose handler takes it wins; a handler may decline a line its prefix matched.
 */
final class FactLines {
  private FactLines() {}

  /** Reads one fact line into the report; false if it is not one it takes. */
  @FunctionalInterface
  private interface Handler {
    boolean take(ReportBuilder b, String t);
  }

  private record Fact(String prefix, Handler handler) {}

  private static final List<Fact> FACTS = List.of(
      new Fact("in_atomic(", (b, t) -> {
        Facts.inAtomicLine(t, b.sb);
        return true;
      }),
      new Fact("irq event stamp:", (b, t) -> {
        b.stamp("irq event stamp", t.substring(16).strip());
        return true;
      }),
      new Fact("inconsistent {", (b, t) -> {
        int usage = t.lastIndexOf(" usage");
        b.sb.usageTransition(t.substring(13, usage > 13 ? usage : t.length()).strip());
        return true;
      }),
      new Fact("preempt_count:", (b, t) -> {
        Facts.preemptCountLine(t, b.sb);
        return true;
      }),
      new Fact("RCU nest depth:", (b, t) -> {
        Facts.rcuNestLine(t, b.sb);
        return true;
      }),
      new Fact("CPU: ", (b, t) -> {
        Facts.cpuLine(t, b.sb);
        Facts.put(b.sb, "CPU", t.substring(5));
        return true;
      }),
      new Fact("Chain exists of:", (b, t) -> {
        b.role = ReportBuilder.Role.CHAIN_EXISTS;
        return true;
      }),
      new Fact("Pid: ", (b, t) -> {
        if (!t.contains(", comm: ")) return false;
        Facts.cpuLine(t, b.sb);
        return true;
      }),
      new Fact("Preemption disabled at:", (b, t) -> {
        b.label("Preemption disabled at");
        b.preemptionLabel = true;
        return true;
      }),
      new Fact("Hardware name: ", (b, t) -> {
        if (b.sb.hardware() == null) b.sb.hardware(t.substring(15).strip());
        return true;
      }),
      // a hung task's further dumps ("... is blocked on a mutex likely owned by ...")
      new Fact("INFO: task ", (b, t) -> label(b, t)),
      new Fact("NMI backtrace for cpu", (b, t) -> label(b, t)),
      new Fact("Not tainted", (b, t) -> {
        Facts.taintAndRelease(t, b.sb);
        return true;
      }),
      new Fact("Tainted: [", (b, t) -> {
        Facts.put(b.sb, "Tainted", t.substring(9));
        return true;
      }),
      new Fact("Tainted: ", (b, t) -> {
        Facts.taintAndRelease(t, b.sb);
        return true;
      }),
      new Fact("hardirqs last", FactLines::lastStamp),
      new Fact("softirqs last", FactLines::lastStamp),
      new Fact("context-{", (b, t) -> {
        Facts.put(b.sb, "context", t.substring(8));
        return true;
      }),
      new Fact("caller is ", (b, t) -> {
        Facts.put(b.sb, "caller", t.substring(10).strip());
        return true;
      }),
      new Fact("lock: ", (b, t) -> {
        if (b.kind() != SplatKind.SPINLOCK_BUG) return false;
        Facts.keyValues(t, b.sb);
        return true;
      }),
      new Fact("no locks held by ", (b, t) -> {
        if (b.heldListIsOurs(t.substring(17)) && b.sb.heldLocksDeclared() < 0) b.sb.heldLocksDeclared(0);
        return true;
      }),
      new Fact("task:", (b, t) -> {
        Facts.put(b.sb, "task", t.substring(5).strip());
        return true;
      }),
      new Fact("which would create a new lock dependency", (b, t) -> {
        b.role = ReportBuilder.Role.NEW_DEPENDENCY;
        return true;
      }));

  /** The entries by the first character of their prefix: a line is compared with its own few. */
  private static final Fact[][] BY_FIRST = new Fact[128][];

  static {
    List<List<Fact>> groups = new ArrayList<>();
    for (int i = 0; i < 128; i++) groups.add(new ArrayList<>());
    for (Fact f : FACTS) groups.get(f.prefix().charAt(0)).add(f);
    for (int i = 0; i < 128; i++) BY_FIRST[i] = groups.get(i).toArray(new Fact[0]);
  }

  /** Reads {@code t} (non-empty, stripped) into {@code b} if it is a fact line; false if not. */
  static boolean handle(ReportBuilder b, String t) {
    char c = t.charAt(0);
    if (c >= 128) return false;
    for (Fact f : BY_FIRST[c]) {
      if (t.startsWith(f.prefix()) && f.handler().take(b, t)) return true;
    }
    return false;
  }

  private static boolean label(ReportBuilder b, String t) {
    b.label(t);
    return true;
  }

  /** "hardirqs last  enabled at (12345): fn+0x…" → a stamp keyed by the line up to " at ". */
  private static boolean lastStamp(ReportBuilder b, String t) {
    int open = t.indexOf(" (");
    int at = t.indexOf(" at ");
    String key = (at > 0 ? t.substring(0, at + 3) : t).replace("  ", " ");
    b.stamp(key, at > 0 && open > at ? t.substring(open + 1).strip() : t);
    return true;
  }
}
