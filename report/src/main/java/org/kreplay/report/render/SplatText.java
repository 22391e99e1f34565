package org.kreplay.report.render;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kreplay.analyze.SplatBucket;
import org.kreplay.analyze.SplatResult;
import org.kreplay.analyze.SplatVerdict;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Splat;

/**
 * Kernel reports grouped into distinct problems, for a terminal or as Markdown: a summary, one
 * line per problem, and with {@code details} each problem's verdict, context and its first report
 * as kreplay read it (facts, decoded preempt count, held locks with their wait types, dependency
 * chain, call trace with sections).
 */
public final class SplatText {
  /** Problems listed; all of them are in JSON and CSV. */
  static final int MAX_ROWS = 200;

  private final SplatResult r;
  private final boolean markdown;
  private final boolean details;
  private final StringBuilder out = new StringBuilder();

  private SplatText(SplatResult r, boolean markdown, boolean details) {
    this.r = r;
    this.markdown = markdown;
    this.details = details;
  }

  public static String text(SplatResult r, boolean details) {
    return new SplatText(r, false, details).render();
  }

  public static String markdown(SplatResult r, boolean details) {
    return new SplatText(r, true, details).render();
  }

  private void heading(String title) {
    if (out.length() > 0 && !markdown) out.append('\n');
    out.append(markdown ? "### " + title + "\n\n" : title + "\n");
  }

  private void para(String s) {
    out.append(markdown ? s + "\n\n" : TextWrap.wrap(s, "  ", "  ", 100));
  }

  private void table(Table t) {
    out.append(markdown ? t.markdown() + "\n" : t.text("  "));
  }

  /**
   * What a log without reports is said to be: a clean log, not an error (a file with nothing of the
   * kernel's in it never gets here: it is refused as "not a trace or kernel log").
   */
  public static String noReports(SplatResult r) {
    int logs = r.logs().size();
    return "No kernel reports: " + (logs == 1 ? "a clean log" : "clean logs") + " ("
        + Units.count(r.input().lines()) + " lines read, " + Units.count(r.input().kernelLines())
        + " recognised as the kernel's).";
  }

  private String render() {
    if (markdown) out.append("## kreplay splat\n\n");
    heading("Reports");
    para(Units.count(r.reports(), "report", "reports") + " in " + Units.count(r.logs().size(), "log", "logs") + ", "
        + Units.count(r.buckets().size()) + " distinct " + (r.buckets().size() == 1 ? "problem" : "problems") + "; "
        + Units.count(r.reproduced()) + " reproduced by replaying their call trace through the kernel model; "
        + Units.count(r.truncated()) + " truncated, " + Units.count(r.corrupted()) + " corrupted.");
    if (!r.reportsByKind().isEmpty()) {
      Table kinds = new Table("kind", "reports");
      for (Map.Entry<String, Long> e : r.reportsByKind().entrySet()) kinds.row(e.getKey(), Units.count(e.getValue()));
      table(kinds);
    }
    if (r.dropped() > 0) para(Units.count(r.dropped()) + " reports of further distinct problems beyond " + SplatResult.MAX_BUCKETS
        + " were counted, not kept.");
    if (r.reports() == 0) {
      para(noReports(r));
      return out.toString();
    }
    heading("Problems");
    Table t = new Table("#", "kind", "culprit", "count", "first seen", "last seen", "context", "logs");
    List<SplatBucket> buckets = r.buckets();
    for (int i = 0; i < buckets.size() && i < MAX_ROWS; i++) {
      SplatBucket b = buckets.get(i);
      SplatVerdict v = b.verdict();
      t.row(Integer.toString(i + 1), v.kind(), v.culprit(), Units.count(b.count()), shortWhere(b.firstSeen()),
          b.count() == 1 ? "-" : shortWhere(b.lastSeen()), shortContext(v.context()),
          b.sources().size() + (b.moreSources() > 0 ? "+" + b.moreSources() : ""));
    }
    table(t);
    if (buckets.size() > MAX_ROWS) para((buckets.size() - MAX_ROWS) + " more problems are in the JSON and CSV outputs.");
    if (!details) {
      para("--details shows each problem's verdict, context and first report.");
      return out.toString();
    }
    for (int i = 0; i < buckets.size() && i < MAX_ROWS; i++) detail(i + 1, buckets.get(i));
    return out.toString();
  }

  /** "dir/sub/console.log:12" as "console.log:12" for the table (the details have the whole path). */
  static String shortWhere(String where) {
    int slash = where.lastIndexOf('/');
    return slash >= 0 ? where.substring(slash + 1) : where;
  }

  /** The context up to its first "; " (the flags and locks follow in the details). */
  private static String shortContext(String context) {
    int semi = context.indexOf(';');
    String c = semi > 0 ? context.substring(0, semi) : context;
    return c.length() > 60 ? c.substring(0, 59) + "…" : c;
  }

  private void line(String label, String value) {
    if (value == null || value.isEmpty()) return;
    if (markdown) out.append("- **").append(label).append("**: ").append(Table.md(value)).append('\n');
    else out.append(TextWrap.wrap(value, String.format(Locale.ROOT, "     %-10s", label), " ".repeat(15), 100));
  }

  private void detail(int n, SplatBucket b) {
    SplatVerdict v = b.verdict();
    Splat s = v.splat();
    if (markdown) out.append("#### ").append(n).append(". ").append(v.kind()).append(" in `").append(v.culprit())
        .append("`\n\n");
    else out.append('\n').append(String.format(Locale.ROOT, "  %d. %s in %s (x%d)%n", n, v.kind(), v.culprit(), b.count()));
    line("verdict", v.message() + (v.reproduced() || !s.kind().isLockdep() ? "" : " (lockdep's report; the replay did not reproduce it)"));
    line("syzkaller", v.syzTitle() == null ? null : v.syzTitle() + (v.syzkaller().corrupted()
        ? " (corrupted: " + v.syzkaller().corruptedReason() + ")" : ""));
    line("frame", v.frame());
    line("why", v.blame());
    line("context", v.context());
    line("locks", v.locks().isEmpty() ? null : String.join(", ", v.locks()));
    line("remedy", v.remedy());
    line("chain", String.join(" > ", v.chain()));
    line("signature", v.signature());
    line("seen", (b.count() == 1 ? "once, at " : Units.count(b.count()) + " times, first ") + b.firstSeen() + (b.firstTimestamp() >= 0
        ? String.format(Locale.ROOT, " [%.6f]", b.firstTimestamp()) : "") + (b.count() > 1 ? ", last " + b.lastSeen() : ""));
    line("logs", String.join(", ", b.sources()) + (b.moreSources() > 0 ? " and " + b.moreSources() + " more" : ""));
    Splat.Where w = s.where();
    line("report", s.header() + " (" + w.source() + ":" + w.firstLine() + "-" + w.lastLine() + ")");
    Splat.Task t = s.task();
    line("task", (t.comm() == null ? "?" : t.comm()) + "/" + t.pid() + " on CPU " + t.cpu()
        + (t.callerTag() == null ? "" : " [" + t.callerTag() + "]"));
    Splat.Kernel k = s.kernel();
    line("kernel", (k.release() == null ? "?" : k.release())
        + (k.taint() == null || k.taint().isEmpty() ? "" : ", tainted " + k.taint())
        + (k.hardware() == null ? "" : "; " + k.hardware()));
    Splat.AtomicFacts a = s.atomic();
    if (a.preemptCount() >= 0) {
      line("preempt", "0x" + Integer.toHexString(a.preemptCount()) + " = " + a.decodedPreemptCount()
          + (a.expectedPreemptCount() >= 0 ? ", expected 0x" + Integer.toHexString(a.expectedPreemptCount()) : ""));
    }
    if (a.inAtomic() != null || a.irqsDisabled() != null) {
      line("state", "in_atomic() " + a.inAtomic() + ", irqs_disabled() " + a.irqsDisabled()
          + (a.rcuNestDepth() >= 0 ? ", RCU nest depth " + a.rcuNestDepth() : "")
          + (a.preemptionDisabledAt() == null ? "" : ", preemption disabled at " + a.preemptionDisabledAt()));
    }
    Splat.Lockdep l = s.lockdep();
    if (l.acquiring() != null) line("acquiring", lock(l.acquiring()));
    if (l.holding() != null) line("holding", lock(l.holding()));
    if (l.lock() != null) line("lock", lock(l.lock()) + (l.usageTransition() == null ? "" : ", " + l.usageTransition()));
    for (LockLine h : s.lockdep().heldLocks()) line("held #" + h.index(), lock(h));
    for (ChainLink c : s.lockdep().chain()) line("chain #" + c.n(), lock(c.lock()));
    StringBuilder frames = new StringBuilder();
    for (Frame f : s.stacks().frames()) {
      if (frames.length() > 0) frames.append(" < ");
      if (f.sectionMarked()) frames.append('<').append(f.section().name()).append("> ");
      frames.append(f.unreliable() ? "? " : "").append(f.function());
    }
    line("frames", frames.toString());
    if (s.damage().truncated() || s.damage().corrupted()) line("problems", String.join("; ", s.damage().problems()));
    if (markdown) out.append('\n');
  }

  /** "&rq->__lock {-.-.} {2:2} at scheduler_tick". */
  public static String lock(LockLine l) {
    return l.className() + (l.usage() == null ? "" : " {" + l.usage() + "}")
        + (l.outerWait() >= 0 ? " {" + l.outerWait() + ":" + l.innerWait() + "}" : "")
        + (l.atFunction() == null || l.atFunction().isEmpty() ? "" : " at " + l.atFunction());
  }
}
