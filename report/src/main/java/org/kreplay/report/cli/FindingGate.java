package org.kreplay.report.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.Findings;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.Units;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --fail-on} for CI: the run fails (exit code {@value ExitCodes#GATE_FAILED}, after the
 * report is written) when a finding of the given kinds is present. Possible findings (the trace
 * leaves open whether the rule is broken) count only with {@code --fail-on-possible}.
 */
final class FindingGate {
  static final String ANY = "any";

  @Option(names = "--fail-on", paramLabel = "KIND[,KIND...]|any", split = ",", hideParamSyntax = true,
      converter = KindLabel.class,
      description = "Exit with code 1 (after writing the report) when a finding of these kinds is present:"
          + " sleep-in-atomic, invalid-wait-context, schedule-while-atomic, rt-alloc-in-atomic,"
          + " recursive-locking, circular-dependency, irq-safe-to-unsafe, inconsistent-lock-state,"
          + " irq-lock-inversion, bad-unlock-balance, or any. Only certain findings count unless"
          + " --fail-on-possible is given.")
  List<String> failOn = new ArrayList<>();

  @Option(names = "--fail-on-possible",
      description = "With --fail-on: possible findings count too (the trace cannot tell whether the rule is broken).")
  boolean failOnPossible;

  /** Checks what the parser cannot: --fail-on-possible alone would silently gate on nothing. */
  void validate() {
    if (failOnPossible && failOn.isEmpty()) {
      throw new KreplayCommand.UsageException("--fail-on-possible needs --fail-on KIND[,KIND...]|any");
    }
  }

  boolean enabled() {
    return !failOn.isEmpty();
  }

  Set<FindingKind> kinds() {
    if (failOn.contains(ANY)) return EnumSet.allOf(FindingKind.class);
    Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
    for (String label : failOn) kinds.add(FindingKind.fromLabel(label));
    return kinds;
  }

  /** The findings that fail the run, in report order. */
  List<Finding> failing(List<Finding> findings) {
    Set<FindingKind> kinds = kinds();
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (kinds.contains(f.kind()) && (failOnPossible || f.certainty() == Finding.Certainty.CERTAIN)) out.add(f);
    }
    return out;
  }

  /**
   * The kernel-report problems that fail the run: with {@code any} every one (a soft lockup or an
   * oops fails CI as surely as a lockdep report), else those of the gated kinds.
   */
  List<SplatBucket> failingReports(SplatResult reports) {
    List<SplatBucket> out = new ArrayList<>();
    for (SplatBucket b : reports.buckets()) {
      if (failOn.contains(ANY) || failOn.contains(b.verdict().kind())) out.add(b);
    }
    return out;
  }

  /** "2 kernel-report problems: sleep-in-atomic in inactive_task_timer, soft-lockup in spin_loop". */
  static String describeReports(List<SplatBucket> failing) {
    List<String> parts = new ArrayList<>();
    for (SplatBucket b : failing) parts.add(b.verdict().kind() + " in " + b.verdict().culprit());
    return Units.count(failing.size(), "kernel-report problem", "kernel-report problems") + ": "
        + String.join(", ", parts);
  }

  /** Why a gate fails on a corpus with unreadable inputs: it cannot vouch for what it did not read. */
  static String describeUnreadable(long unreadable, long inputs) {
    return Units.count(unreadable) + " of " + Units.count(inputs) + " inputs could not be read (named above),"
        + " so the gate cannot pass; --allow-unreadable lets it pass them";
  }

  /** Possible findings of the gated kinds that did not count (so a user can see what was left out). */
  long ignoredPossible(Findings findings) {
    if (failOnPossible) return 0;
    Set<FindingKind> kinds = kinds();
    return findings.all().stream()
        .filter(f -> kinds.contains(f.kind()) && f.certainty() == Finding.Certainty.POSSIBLE).count();
  }

  /** "2 findings: circular-dependency 1, invalid-wait-context 1". */
  static String describe(List<Finding> failing) {
    Map<String, Integer> byKind = new TreeMap<>();
    for (Finding f : failing) byKind.merge(f.kind().label(), 1, Integer::sum);
    List<String> parts = new ArrayList<>();
    byKind.forEach((kind, n) -> parts.add(kind + " " + n));
    return Units.count(failing.size(), "finding", "findings") + ": " + String.join(", ", parts);
  }

  /** Checks one --fail-on item while parsing (a usage error): a finding kind label, or "any". */
  static final class KindLabel implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String v = value.strip();
      if (v.equals(ANY)) return v;
      try {
        return FindingKind.fromLabel(v).label();
      } catch (IllegalArgumentException e) {
        List<String> labels = new ArrayList<>();
        for (FindingKind k : FindingKind.values()) labels.add(k.label());
        throw new TypeConversionException("'" + v + "' is not a finding kind; use " + String.join(", ", labels)
            + " or " + ANY);
      }
    }
  }
}
