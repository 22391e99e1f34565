package org.kreplay.report.render;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.Findings;

/**
 * The findings section of the terminal and Markdown reports: the rules, counts by kind, then
 * each finding with what a kernel engineer needs to start on it (kernel report it corresponds
 * to, culprit, context, locks, when, remedy, chain, evidence). Certain findings come first.
 */
final class FindingsText {
  /** Width the terminal report keeps to. */
  static final int WIDTH = 100;
  /** Findings described in full; the rest are counted (all are in JSON and CSV). */
  static final int MAX_LISTED = 50;
  /** Evidence lines per finding; the rest are counted (all are in JSON). */
  static final int MAX_EVIDENCE = 8;

  private static final String BODY = "     ";
  private static final String LABEL_PAD = "          ";

  private final AnalysisResult r;
  private final boolean markdown;
  private final StringBuilder out = new StringBuilder();

  private FindingsText(AnalysisResult r, boolean markdown) {
    this.r = r;
    this.markdown = markdown;
  }

  /** The section body (without its heading). */
  static String render(AnalysisResult r, boolean markdown) {
    return new FindingsText(r, markdown).render();
  }

  private String render() {
    List<Finding> findings = FindingsView.ordered(r);
    String rules = FindingsView.rules(r);
    if (findings.isEmpty()) {
      para("No findings under " + rules + ".");
    } else {
      summary(findings, rules);
    }
    notes();
    for (int i = 0; i < findings.size() && i < MAX_LISTED; i++) {
      if (markdown) markdownFinding(i + 1, findings.get(i));
      else textFinding(i + 1, findings.get(i));
    }
    if (findings.size() > MAX_LISTED) {
      if (!markdown) out.append('\n');
      para("… " + Units.count(findings.size() - MAX_LISTED) + " more findings: all are in --format json and"
          + " --format csv --csv-table findings.");
    }
    return out.toString();
  }

  private void summary(List<Finding> findings, String rules) {
    long certain = findings.stream().filter(f -> f.certainty() == Finding.Certainty.CERTAIN).count();
    long occurrences = findings.stream().mapToLong(Finding::count).sum();
    Table head = new Table("", "");
    head.row("rules", rules);
    head.row("findings", Units.count(findings.size()) + " (" + Units.count(certain) + " certain, "
        + Units.count(findings.size() - certain) + " possible), " + Units.count(occurrences) + " occurrences");
    table(head);
    if (!markdown) out.append('\n');
    // per kind: certain findings, possible findings, occurrences
    Map<FindingKind, long[]> byKind = new EnumMap<>(FindingKind.class);
    for (Finding f : findings) {
      long[] c = byKind.computeIfAbsent(f.kind(), k -> new long[3]);
      c[f.certainty() == Finding.Certainty.CERTAIN ? 0 : 1]++;
      c[2] += f.count();
    }
    Table kinds = new Table("kind", "findings>", "certain>", "possible>", "occurrences>");
    byKind.forEach((k, c) -> kinds.row(k.label(), Units.count(c[0] + c[1]), Units.count(c[0]), Units.count(c[1]),
        Units.count(c[2])));
    table(kinds);
  }

  /** What limits the findings: no lock events, held locks forgotten, the signature cap. */
  private void notes() {
    boolean lockEvents = r.summary().eventsByName().getOrDefault("lock_acquire", 0L) > 0;
    long resets = r.summary().heldLockResets();
    long dropped = r.findings().dropped();
    if (!markdown && (!lockEvents || resets > 0 || dropped > 0)) out.append('\n');
    if (!lockEvents) {
      para("The input has no lock_acquire events (lockdep tracepoints), so lock order, recursion, wait"
          + " context and irq lock state were not checked.");
    }
    if (resets > 0) {
      para("Held locks were forgotten " + Units.count(resets) + " times (at lost events, or for tasks beyond the"
          + " held-lock table): problems involving a lock held across that are not seen.");
    }
    if (dropped > 0) {
      para(Units.count(dropped) + " more occurrences of problems beyond the " + Units.count(Findings.MAX_SIGNATURES)
          + " distinct findings kept were counted but not recorded.");
    }
  }

  private void table(Table t) {
    out.append(markdown ? t.markdown() : t.text("  "));
    if (markdown) out.append('\n');
  }

  private void para(String s) {
    if (markdown) out.append(Table.md(s)).append("\n\n");
    else out.append(TextWrap.wrap(s, "  ", "  ", WIDTH));
  }

  // ---- terminal

  private void textFinding(int n, Finding f) {
    out.append('\n');
    String number = n + ". ";
    out.append(TextWrap.wrap(f.kind().label() + ", " + f.certainty().label() + ": " + f.kind().kernelHeader(),
        "  " + number, BODY, WIDTH));
    out.append(TextWrap.wrap(f.message(), BODY, BODY, WIDTH));
    field("culprit", f.culprit());
    field("context", f.context());
    field("locks", f.locks().isEmpty() ? "-" : String.join(", ", f.locks()));
    field("seen", FindingsView.occurrences(f) + sourcesSuffix(f));
    if (FindingsView.mixedRules(r)) field("rules", f.rules());
    field("remedy", f.remedy());
    if (!f.chain().isEmpty()) {
      field("chain", FindingsView.chain(f.chain(), WIDTH - BODY.length() - LABEL_PAD.length()));
    }
    List<Evidence> ev = f.evidence();
    for (int i = 0; i < ev.size() && i < MAX_EVIDENCE; i++) {
      out.append(TextWrap.wrap(FindingsView.evidenceLine(ev.get(i)),
          BODY + (i == 0 ? pad("evidence") : LABEL_PAD), BODY + LABEL_PAD + "  ", WIDTH));
    }
    if (ev.size() > MAX_EVIDENCE) {
      out.append(BODY).append(LABEL_PAD).append("… ").append(ev.size() - MAX_EVIDENCE)
          .append(" more (all in --format json)\n");
    }
  }

  private void field(String label, String value) {
    out.append(TextWrap.wrap(value, BODY + pad(label), BODY + LABEL_PAD, WIDTH));
  }

  private static String pad(String label) {
    return label + LABEL_PAD.substring(Math.min(label.length(), LABEL_PAD.length()));
  }

  /** Which inputs, when several were analysed. */
  private String sourcesSuffix(Finding f) {
    return r.summary().sources().size() > 1 && !f.sources().isEmpty() ? " in " + String.join(", ", f.sources()) : "";
  }

  // ---- Markdown

  private void markdownFinding(int n, Finding f) {
    out.append("#### ").append(n).append(". ").append(f.kind().label()).append(", ").append(f.certainty().label())
        .append("\n\n");
    out.append(code(f.kind().kernelHeader())).append(": ").append(Table.md(f.message())).append("\n\n");
    item("culprit", code(f.culprit()));
    item("context", Table.md(f.context()));
    item("locks", f.locks().isEmpty() ? "-" : String.join(", ", f.locks().stream().map(FindingsText::code).toList()));
    item("seen", Table.md(FindingsView.occurrences(f) + sourcesSuffix(f)));
    if (FindingsView.mixedRules(r)) item("rules", Table.md(f.rules()));
    item("remedy", Table.md(f.remedy()));
    if (!f.chain().isEmpty()) item("chain", code(FindingsView.chain(f.chain(), WIDTH)));
    List<Evidence> ev = f.evidence();
    if (!ev.isEmpty()) {
      out.append("- evidence:\n");
      for (int i = 0; i < ev.size() && i < MAX_EVIDENCE; i++) {
        out.append("  - ").append(code(FindingsView.evidenceLine(ev.get(i)))).append('\n');
      }
      if (ev.size() > MAX_EVIDENCE) {
        out.append("  - … ").append(ev.size() - MAX_EVIDENCE).append(" more (all in `--format json`)\n");
      }
    }
    out.append('\n');
  }

  private void item(String label, String value) {
    out.append("- ").append(label).append(": ").append(value).append('\n');
  }

  /** A Markdown code span that survives backticks in the text. */
  static String code(String s) {
    if (s.indexOf('`') < 0) return "`" + s + "`";
    return "`` " + s + " ``";
  }
}
