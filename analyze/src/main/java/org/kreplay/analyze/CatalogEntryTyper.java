package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.kreplay.analyze.Catalog.CatalogException;
import org.kreplay.analyze.CatalogTypes.ContentionFlag;
import org.kreplay.analyze.CatalogTypes.SkipReason;

/**
 * Checks one catalog entry as the file gave it and files it, typed, into a catalog; {@code at}
 * ("file:line: section[i]") starts every refusal.
 */
final class CatalogEntryTyper {
  private CatalogEntryTyper() {}

  static void add(Catalog c, String at, Object entry) throws CatalogException {
    if (entry instanceof CatalogFile.LockClass e) {
      require(at, e.name(), "name");
      require(at, e.type(), "type of " + e.name());
      LockType type = LockType.parse(e.type());
      if (type == null) {
        throw new CatalogException(at + ": lock class '" + e.name() + "': unknown type '" + e.type() + "' (known: "
            + knownLockTypes() + ")");
      }
      CatalogTypes.Match match = match(e.match(), at + ": lock class '" + e.name() + "'");
      var typed = new CatalogTypes.LockClassEntry(e.name(), type, e.source(), match, e.note());
      if (match == CatalogTypes.Match.PREFIX) c.prefixClasses.put(e.name(), typed);
      else c.exactClasses.put(e.name(), typed);
    } else if (entry instanceof CatalogFile.Function e) {
      c.functions.put(e.name(), function(at, e));
    } else if (entry instanceof CatalogFile.Hrtimer e) {
      require(at, e.name(), "name");
      CatalogTypes.HrtimerMode mode = e.mode() == null ? null : word(CatalogTypes.HrtimerMode.class, e.mode());
      if (mode == null) {
        throw new CatalogException(at + ": hrtimer callback '" + e.name() + "': mode must be HARD, SOFT or plain");
      }
      c.hrtimers.put(e.name(), new CatalogTypes.HrtimerEntry(e.name(), mode, e.source()));
    } else if (entry instanceof CatalogTypes.IrqWorkEntry e) {
      require(at, e.name(), "name");
      c.irqWorks.put(e.name(), e);
    } else if (entry instanceof CatalogFile.Contention e) {
      require(at, e.flag(), "flag");
      ContentionFlag flag = Arrays.stream(ContentionFlag.values()).filter(f -> f.name().equals(e.flag())).findFirst()
          .orElse(null);
      if (flag == null) {
        throw new CatalogException(at + ": contention_begin flag '" + e.flag() + "' is not one the tracepoint has (known: "
            + String.join(", ", Arrays.stream(ContentionFlag.values()).map(Enum::name).toList()) + ")");
      }
      if (e.preempt() < 0) throw new CatalogException(at + ": contention_begin " + e.flag() + ": preempt must be 0 or more");
      c.contention.put(flag, new CatalogTypes.ContentionEntry(flag, e.irqsOff(), e.preempt(), e.source()));
    } else if (entry instanceof CatalogFile.RtThread e) {
      require(at, e.name(), "name");
      c.rtThreads.add(new CatalogTypes.NamedFact(e.name(), e.source()));
    } else if (entry instanceof CatalogFile.IrqWorkRunner e) {
      require(at, e.name(), "name");
      c.irqWorkRunners.add(e.name());
    } else if (entry instanceof CatalogFile.SchedulerCore e) {
      require(at, e.name(), "name");
      c.schedulerCore.add(e.name());
    } else if (entry instanceof CatalogFile.GfpBlocking e) {
      require(at, e.name(), "name");
      c.gfpBlocking.add(e.name());
    } else if (entry instanceof CatalogFile.Irq e) {
      require(at, e.name(), "name");
      List<CatalogTypes.IrqFlag> flags = new ArrayList<>();
      for (String f : e.flags() == null ? List.<String>of() : e.flags()) {
        flags.add(known(CatalogTypes.IrqFlag.class, f, at + ": irq '" + e.name() + "': unknown flag"));
      }
      c.irqs.put(e.name(), new CatalogTypes.IrqEntry(e.name(), List.copyOf(flags), e.source()));
    } else if (entry instanceof CatalogFile.Skip e) {
      require(at, e.name(), "name");
      CatalogTypes.Match match = match(e.match(), at + ": skip frame '" + e.name() + "'");
      SkipReason why = e.why() == null ? SkipReason.OTHER
          : known(SkipReason.class, e.why(), at + ": skip frame '" + e.name() + "': unknown why");
      var typed = new CatalogTypes.SkipEntry(e.name(), match, why);
      if (match == CatalogTypes.Match.PREFIX) c.skipPrefixes.add(typed);
      else c.skipExact.put(e.name(), typed);
    } else if (entry instanceof CatalogFile.DeferralMechanism e) {
      c.deferralMechanisms.put(e.name(), deferralMechanism(at, e));
    } else if (entry instanceof CatalogFile.TickInterrupt e) {
      require(at, e.name(), "name");
      c.tickInterrupts.add(new CatalogTypes.NamedFact(e.name(), e.source()));
    } else {
      ReportEntryChecks.add(c, at, entry);
    }
  }

  private static CatalogTypes.DeferralMechanismEntry deferralMechanism(String at, CatalogFile.DeferralMechanism e)
      throws CatalogException {
    require(at, e.name(), "name");
    String what = at + ": deferral mechanism '" + e.name() + "'";
    if (e.waits() == null || e.waits().isEmpty()) throw new CatalogException(what + ": waits must list at least one step");
    List<CatalogTypes.WaitStep> waits = waitSteps(what, e.waits());
    List<CatalogTypes.WaitStep> rtWaits = e.rtWaits() == null ? waits : waitSteps(what, e.rtWaits());
    require(at, e.runsIn(), "runs_in of " + e.name());
    CatalogTypes.RunsIn runsIn = known(CatalogTypes.RunsIn.class, e.runsIn(), what + ": unknown runs_in");
    CatalogTypes.RunsIn rtRunsIn = e.rtRunsIn() == null ? runsIn
        : known(CatalogTypes.RunsIn.class, e.rtRunsIn(), what + ": unknown rt_runs_in");
    Mechanism observed = null;
    if (e.observed() != null) {
      try {
        observed = Mechanism.fromLabel(e.observed());
      } catch (IllegalArgumentException x) {
        throw new CatalogException(what + ": observed: " + x.getMessage());
      }
    }
    return new CatalogTypes.DeferralMechanismEntry(e.name(), waits, rtWaits, runsIn, rtRunsIn, observed, e.source());
  }

  private static List<CatalogTypes.WaitStep> waitSteps(String what, List<String> words) throws CatalogException {
    List<CatalogTypes.WaitStep> steps = new ArrayList<>();
    for (String w : words) {
      String word = w == null ? "" : w.strip();
      int space = word.indexOf(' ');
      String head = space < 0 ? word : word.substring(0, space);
      String arg = space < 0 ? null : word.substring(space + 1).strip();
      CatalogTypes.WaitStep.Kind kind = word(CatalogTypes.WaitStep.Kind.class, head.replace('-', '_'));
      boolean takesArg = kind == CatalogTypes.WaitStep.Kind.THREAD || kind == CatalogTypes.WaitStep.Kind.RT_THREAD
          || kind == CatalogTypes.WaitStep.Kind.SOFTIRQ;
      if (kind == null || takesArg != (arg != null && !arg.isEmpty())) {
        throw new CatalogException(what + ": unknown wait step '" + word + "' (known: irqs_on, tick, jiffies,"
            + " grace_period, schedule, thread COMM-GLOB, rt-thread COMM-GLOB, softirq NAME)");
      }
      steps.add(new CatalogTypes.WaitStep(kind, arg));
    }
    return List.copyOf(steps);
  }

  private static CatalogTypes.FunctionEntry function(String at, CatalogFile.Function e) throws CatalogException {
    require(at, e.name(), "name");
    require(at, e.effect(), "effect of " + e.name());
    String what = at + ": function '" + e.name() + "'";
    CatalogTypes.Effect effect = word(CatalogTypes.Effect.class, e.effect());
    if (effect == null || !e.effect().equals(e.effect().toLowerCase(Locale.ROOT))) {
      throw new CatalogException(what + ": unknown effect '" + e.effect() + "' (known: " + words(CatalogTypes.Effect.class) + ")");
    }
    LockType lockType = null;
    if (e.lockType() != null) {
      lockType = LockType.parse(e.lockType());
      if (lockType == null) throw new CatalogException(what + ": unknown lock_type '" + e.lockType() + "'");
    }
    CatalogTypes.IrqMode irq = e.irq() == null ? CatalogTypes.IrqMode.NONE
        : known(CatalogTypes.IrqMode.class, e.irq(), what + ": unknown irq");
    CatalogTypes.ContextKind context = e.context() == null ? null
        : known(CatalogTypes.ContextKind.class, e.context(), what + ": unknown context");
    Mechanism mechanism = null;
    if (e.mechanism() != null) {
      for (Mechanism m : Mechanism.values()) if (m.label().equals(e.mechanism())) mechanism = m;
      if (mechanism == null) {
        List<String> known = new ArrayList<>();
        for (Mechanism m : Mechanism.values()) known.add(m.label());
        throw new CatalogException(what + ": unknown mechanism '" + e.mechanism() + "' (known: " + String.join(", ", known) + ")");
      }
    }
    return new CatalogTypes.FunctionEntry(e.name(), effect, lockType, e.read(), irq, context, mechanism,
        Boolean.TRUE.equals(e.rtOnly()), e.source());
  }

  private static CatalogTypes.Match match(String word, String what) throws CatalogException {
    if (word == null || word.equals("exact")) return CatalogTypes.Match.EXACT;
    if (word.equals("prefix")) return CatalogTypes.Match.PREFIX;
    throw new CatalogException(what + ": match must be exact or prefix");
  }

  /** The constant a catalog word names (case-insensitive), or null. */
  private static <E extends Enum<E>> E word(Class<E> type, String word) {
    for (E v : type.getEnumConstants()) if (v.name().equalsIgnoreCase(word)) return v;
    return null;
  }

  /** The constant a lower-case catalog word names; else a refusal "{what} 'word' (known: …)". */
  private static <E extends Enum<E>> E known(Class<E> type, String word, String what) throws CatalogException {
    E v = word(type, word);
    if (v != null && (type == CatalogTypes.IrqFlag.class || word.equals(word.toLowerCase(Locale.ROOT)))) return v;
    throw new CatalogException(what + " '" + word + "' (known: " + words(type) + ")");
  }

  private static <E extends Enum<E>> String words(Class<E> type) {
    Set<String> names = new TreeSet<>();
    for (E v : type.getEnumConstants()) {
      names.add(type == CatalogTypes.IrqFlag.class ? v.name() : v.name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }

  private static String knownLockTypes() {
    List<String> names = new ArrayList<>();
    for (LockType t : LockType.values()) names.add(t.label());
    return String.join(", ", names);
  }

  static void require(String at, String value, String what) throws CatalogException {
    if (value == null || value.isBlank()) throw new CatalogException(at + ": missing " + what);
  }
}
