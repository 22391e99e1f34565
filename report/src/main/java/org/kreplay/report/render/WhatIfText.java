package org.kreplay.report.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.CatalogTypes.WaitStep;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.LatencyStats;
import org.kreplay.analyze.whatif.Prediction;
import org.kreplay.analyze.whatif.WhatIfResult;

/**
 * {@code kreplay whatif} as text or Markdown: what was deferred and how often, one row per
 * mechanism (where the callback would run, the predicted latency, what the replay followed, what
 * it adds, whether the findings go), the occurrences the trace could not replay, and the
 * trade-off in one line.
 */
public final class WhatIfText {
  private WhatIfText() {}

  public static String render(WhatIfResult r, String input, boolean markdown) {
    StringBuilder sb = new StringBuilder();
    String title = "whatif: defer " + r.what() + " in " + input + " (" + (r.rt() ? "PREEMPT_RT" : "non-RT") + " rules)";
    sb.append(markdown ? "## " + title + "\n\n" : title + "\n");
    if (r.occurrences() == 0) {
      sb.append(markdown ? "" : "  ").append("no occurrence: ").append(r.what())
          .append(" is neither the culprit, the signature nor a frame of a finding, nor a deferral's callback in this trace\n");
      return sb.toString();
    }
    String found = r.findingKinds().isEmpty() ? r.foundAs() : r.foundAs() + " (" + String.join(", ", r.findingKinds()) + ")";
    String cpus = r.cpus().size() == 1 ? "CPU " + r.cpus().iterator().next() : "CPUs " + join(r.cpus());
    String often = Units.count(r.occurrences(), "occurrence", "occurrences") + " on " + cpus
        + (r.hasRate() ? String.format(Locale.ROOT, ", %s/s over %s of trace", rate(r.perSecond()), Units.duration(r.spanNs()))
            : " in " + Units.duration(r.spanNs()) + " of trace");
    if (markdown) {
      sb.append("- found as: ").append(found).append("\n- occurrences: ").append(often).append("\n\n");
    } else {
      sb.append("  found as     ").append(found).append("\n  occurrences  ").append(often).append("\n\n");
    }

    Table t = new Table("via", "runs in", "replayed>", "p50>", "p90>", "p99>", "max>", "adds", "followed", "rules");
    for (Prediction p : r.predictions()) {
      LatencyStats s = p.replayed();
      boolean any = s.count() > 0;
      t.row(p.via().label(), p.runsIn().label(), Units.count(s.count()), any ? Units.duration(s.percentile(50)) : "-",
          any ? Units.duration(s.percentile(90)) : "-", any ? Units.duration(s.percentile(99)) : "-",
          any ? Units.duration(s.max()) : "-", adds(p, r), steps(p.steps()), p.verdict().why());
    }
    sb.append(markdown ? t.markdown() : t.text("  "));
    List<String> notes = unresolved(r);
    if (!notes.isEmpty()) {
      sb.append('\n');
      for (String n : notes) sb.append(markdown ? "- " : "  ").append(n).append('\n');
    }
    sb.append('\n').append(markdown ? "**" : "  ").append("trade-off").append(markdown ? "**: " : ": ")
        .append(tradeOff(r)).append('\n');
    return sb.toString();
  }

  /**
   * "+1 kworker/N run each, 1,487/s": what each occurrence adds where the callback runs, and per
   * second of trace when the trace spans one.
   */
  public static String adds(Prediction p, WhatIfResult r) {
    WaitStep last = p.steps().get(p.steps().size() - 1);
    String what = switch (last.kind()) {
      case THREAD, RT_THREAD -> runner(last.pattern()) + " run";
      case SOFTIRQ -> last.pattern() + " softirq";
      case IRQS_ON -> p.runsIn().label() + " run";
      case SCHEDULE -> "thread wakeup";
      default -> "tick callback";
    };
    return "+1 " + what + " each" + (r.hasRate() ? ", " + rate(r.perSecond()) + "/s" : "");
  }

  /** The runner the mechanism's last thread or softirq step waits for, as a reader names it. */
  private static String runnerOf(Prediction p) {
    for (int i = p.steps().size() - 1; i >= 0; i--) {
      WaitStep s = p.steps().get(i);
      if (s.kind() == WaitStep.Kind.THREAD || s.kind() == WaitStep.Kind.RT_THREAD) return runner(s.pattern());
      if (s.kind() == WaitStep.Kind.SOFTIRQ) return "softirq " + s.pattern();
    }
    return "its runner";
  }

  /** Where each woken runner could first have run, under the rules the trace was judged by. */
  private static String fallbackOf(Prediction p, boolean rt) {
    List<String> where = new ArrayList<>();
    for (WaitStep s : p.steps()) {
      String at = switch (s.kind()) {
        case RT_THREAD -> "at the CPU's first preemptible moment";
        case SOFTIRQ -> "once the CPU is out of hardirq with interrupts on";
        case THREAD -> rt ? "at the CPU's first preemptible moment over a CFS task, else its next context switch"
            : "at the CPU's next context switch";
        default -> null;
      };
      if (at == null) continue;
      String who = s.kind() == WaitStep.Kind.SOFTIRQ ? "softirq " + s.pattern() : runner(s.pattern());
      where.add(who + " " + at + (s.kind() == WaitStep.Kind.SOFTIRQ ? "" : " and no sooner than its median wakeup latency"));
    }
    return String.join("; ", where);
  }

  /** "kworker/{cpu}:*[0-9]" → "kworker/N"; "rcuc/{cpu}" → "rcuc/N". */
  private static String runner(String pattern) {
    String p = pattern.replace("{cpu}", "N");
    int cut = p.length();
    for (char c : new char[] {':', '*', '['}) {
      int i = p.indexOf(c);
      if (i >= 0) cut = Math.min(cut, i);
    }
    return p.substring(0, cut);
  }

  /** "grace_period → tick → rt-thread rcuc/{cpu}". */
  public static String steps(List<WaitStep> steps) {
    List<String> words = new ArrayList<>();
    for (WaitStep s : steps) words.add(s.toString());
    return String.join(" → ", words);
  }

  /** For each mechanism with occurrences the trace ends too soon to replay: what stands in, if anything. */
  private static List<String> unresolved(WhatIfResult r) {
    List<String> notes = new ArrayList<>();
    for (Prediction p : r.predictions()) {
      if (p.modeled() > 0) {
        notes.add(p.via().label() + ": " + Units.count(p.modeled(), "occurrence ends", "occurrences end") + " where a woken "
            + runnerOf(p) + " could first have run, the trace not showing it then (a runner with nothing to do does not"
            + " run): " + fallbackOf(p, r.rt()));
      }
      if (p.unresolved() == 0 && p.notSeen() == 0) continue;
      List<String> why = new ArrayList<>();
      if (p.notSeen() > 0) {
        why.add(Units.count(p.notSeen(), "occurrence waits", "occurrences wait") + " for a runner the trace does not show"
            + " within 20ms, nor where it could have run");
      }
      if (p.unresolved() > 0) {
        why.add(Units.count(p.unresolved(), "occurrence", "occurrences") + " the trace ends before its steps are done");
      }
      String head = p.via().label() + " not replayed: " + String.join("; ", why);
      DeferralRow o = p.observed();
      if (o == null || o.stats().count() == 0) {
        notes.add(head + "; the trace has no " + (p.via().mechanism().observed() == null ? "" : p.via().mechanism().observed().label() + " ")
            + "latency to stand in for them");
      } else {
        LatencyStats s = o.stats();
        notes.add(head + "; measured " + o.mechanism().label() + " latency in the trace instead: p50 " + Units.duration(s.percentile(50))
            + ", p99 " + Units.duration(s.percentile(99)) + " (" + Units.count(s.count(), "sample", "samples") + ")");
      }
    }
    return notes;
  }

  /** The mechanisms that fix the findings, soonest p99 first, each against the first; then those that do not. */
  public static String tradeOff(WhatIfResult r) {
    List<Prediction> fixing = new ArrayList<>();
    List<String> keeping = new ArrayList<>();
    for (Prediction p : r.predictions()) {
      if (!p.verdict().fixes()) keeping.add(p.via().label());
      else if (p.replayed().count() > 0) fixing.add(p);
    }
    fixing.sort(Comparator.comparingLong(p -> p.replayed().percentile(99)));
    List<String> parts = new ArrayList<>();
    if (fixing.isEmpty()) {
      parts.add(keeping.size() == r.predictions().size() ? "none of the mechanisms asked fixes the findings"
          : "the trace does not show enough after the occurrences to replay the mechanisms that would fix them");
    } else {
      Prediction best = fixing.get(0);
      long bestP99 = best.replayed().percentile(99);
      parts.add(best.via().label() + " runs it soonest in a context that " + (r.findingKinds().isEmpty() ? "suits it" : "fixes the findings")
          + ": p99 " + Units.duration(bestP99) + ", " + adds(best, r) + partly(best, r));
      for (Prediction p : fixing.subList(1, fixing.size())) {
        long p99 = p.replayed().percentile(99);
        parts.add(p.via().label() + " p99 " + Units.duration(p99)
            + (bestP99 > 0 ? " (" + times((double) p99 / bestP99) + ")" : "") + partly(p, r));
      }
    }
    if (!keeping.isEmpty() && !fixing.isEmpty()) parts.add(String.join(", ", keeping) + " would keep them");
    return String.join("; ", parts);
  }

  /** " (replayed for 95 of 1,581 occurrences)" when fewer than half could be: its percentiles are of those only. */
  private static String partly(Prediction p, WhatIfResult r) {
    long n = p.replayed().count();
    return 2 * n >= r.occurrences() ? "" : " (replayed for " + Units.count(n) + " of " + Units.count(r.occurrences()) + " occurrences)";
  }

  /** "2.1x", "26x", "8,689x". */
  private static String times(double x) {
    return x < 10 ? String.format(Locale.ROOT, "%.1fx", x) : String.format(Locale.ROOT, "%,.0fx", x);
  }

  private static String rate(double perSecond) {
    if (perSecond >= 100) return String.format(Locale.ROOT, "%,.0f", perSecond);
    if (perSecond >= 1) return String.format(Locale.ROOT, "%.1f", perSecond);
    return String.format(Locale.ROOT, "%.3f", perSecond);
  }

  private static String join(Iterable<Integer> cpus) {
    List<String> s = new ArrayList<>();
    for (Integer c : cpus) s.add(String.valueOf(c));
    return String.join(",", s);
  }
}
