package org.kreplay.report.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;

/** What every output format shows of the findings, decided once: their order and the rules label. */
public final class FindingsView {
  private FindingsView() {}

  /**
   * Certain findings before possible ones (what to look at first), each group in the order the
   * analysis gives: by kind, then most frequent first.
   */
  public static List<Finding> ordered(AnalysisResult r) {
    List<Finding> list = new ArrayList<>(r.findings().all());
    list.sort(Comparator.comparing(Finding::certainty)); // stable: keeps all()'s order within a group
    return list;
  }

  /** The rules the traces were judged by, e.g. "non-RT kernel judged as PREEMPT_RT". */
  public static String rules(AnalysisResult r) {
    return r.summary().rules().isEmpty() ? "no rules (nothing was analysed)" : String.join("; ", r.summary().rules());
  }

  /** Whether the traces were judged by different rules, so each finding must say which applied. */
  static boolean mixedRules(AnalysisResult r) {
    return r.summary().rules().size() > 1;
  }

  /**
   * What limits the findings, as sentences: no lock events in the input, held locks forgotten,
   * distinct findings beyond the cap (the same conditions the text report states).
   */
  public static List<String> notes(AnalysisResult r) {
    List<String> notes = new ArrayList<>();
    if (r.summary().eventsByName().getOrDefault("lock_acquire", 0L) == 0) {
      notes.add("The input has no lock_acquire events (lockdep tracepoints), so lock order, recursion, wait"
          + " context and irq lock state were not checked.");
    }
    long resets = r.summary().heldLockResets();
    if (resets > 0) {
      notes.add("Held locks were forgotten " + Units.count(resets) + " times (at lost events, or for tasks beyond"
          + " the held-lock table): problems involving a lock held across that are not seen.");
    }
    long dropped = r.findings().dropped();
    if (dropped > 0) {
      notes.add(Units.count(dropped) + " more occurrences of problems beyond the "
          + Units.count(org.kreplay.analyze.Findings.MAX_SIGNATURES)
          + " distinct findings kept were counted but not recorded.");
    }
    return notes;
  }

  /** Seconds with six decimals as ftrace prints them, or "" for an unknown time (frames of a log). */
  static String seconds(long ns) {
    return ns < 0 ? "" : Units.timestamp(ns);
  }

  /** "trace.txt:16 [000] irq/42-mydev/300: acquires &dev->queue_lock (spinlock_t)". */
  static String evidenceLine(Evidence e) {
    StringBuilder sb = new StringBuilder(e.source());
    if (e.line() > 0) sb.append(':').append(e.line());
    if (e.cpu() >= 0) sb.append(" [").append(String.format(Locale.ROOT, "%03d", e.cpu())).append(']');
    if (!e.task().isEmpty()) sb.append(' ').append(e.task());
    return sb.append(": ").append(e.what()).toString();
  }

  /** "once at 200.000200" or "2 times, 200.000200 to 200.010200". */
  public static String occurrences(Finding f) {
    String first = seconds(f.firstTimestamp());
    if (f.count() == 1) return first.isEmpty() ? "once" : "once at " + first;
    String times = Units.count(f.count()) + " times";
    return first.isEmpty() ? times : times + ", " + first + " to " + seconds(f.lastTimestamp());
  }

  /**
   * The chain from the context's entry to the operation on one line of at most {@code width}
   * characters: the outermost frame, "…", and as many of the innermost frames as fit (at least
   * two); the full chain is in the JSON output.
   */
  static String chain(List<String> chain, int width) {
    String all = String.join(" > ", chain);
    if (all.length() <= width || chain.size() <= 3) return all;
    String head = chain.get(0) + " > … > ";
    int keep = 2;
    while (keep + 1 < chain.size() - 1
        && head.length() + String.join(" > ", chain.subList(chain.size() - keep - 1, chain.size())).length() <= width) {
      keep++;
    }
    return head + String.join(" > ", chain.subList(chain.size() - keep, chain.size()));
  }
}
