package org.kreplay.ingest.log;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;

/**
 * A compact, stable text rendering of parsed splats, for golden files and for looking at what the
 * reader made of a log ({@code main} prints it for files).
 */
public final class SplatText {
  private SplatText() {}

  /** Every splat of a log plus the line accounting and what the log said about itself. */
  public record Result(List<Splat> splats, InputStats stats, LogInfo info) {}

  public static Result read(String source, InputStream in, ReadOptions options) throws IOException {
    List<Splat> splats = new ArrayList<>();
    try (LogReader r = KernelLogs.open(source, in, options)) {
      for (Splat s; (s = r.next()) != null; ) splats.add(s);
      return new Result(splats, r.stats(), r.info());
    }
  }

  public static String render(Result r) {
    StringBuilder out = new StringBuilder();
    LogInfo info = r.info();
    out.append("log: ").append(info.format().label()).append(", compression ").append(info.compression())
        .append(info.callerTags() ? ", caller tags" : "").append(", kernel ").append(info.kernelRelease()).append('\n');
    InputStats s = r.stats();
    out.append("lines: ").append(s.lines()).append(" = report ").append(s.reportLines()).append(" + frames ")
        .append(s.stackFrames()).append(" + log ").append(s.logLines()).append(" + blank ").append(s.blankLines())
        .append(" + skipped ").append(s.skippedTotal()).append('\n');
    for (InputProblem p : s.examples()) out.append("skipped: ").append(p).append('\n');
    int n = 0;
    for (Splat sp : r.splats()) {
      out.append('\n');
      render(++n, sp, out);
    }
    return out.toString();
  }

  public static void render(int n, Splat s, StringBuilder out) {
    out.append("splat ").append(n).append(": ").append(s.kind().label()).append(", lines ").append(s.where().firstLine())
        .append('-').append(s.where().lastLine());
    if (s.damage().truncated()) out.append(", TRUNCATED");
    if (s.damage().corrupted()) out.append(", CORRUPTED");
    out.append('\n');
    out.append("  header: ").append(s.header()).append('\n');
    StringBuilder who = new StringBuilder();
    if (s.where().timestamp() >= 0) who.append(" time ").append(String.format(Locale.ROOT, "%.6f", s.where().timestamp()));
    if (s.where().wallTime() != null) who.append(" wall \"").append(s.where().wallTime()).append('"');
    if (s.task().callerTag() != null) who.append(" tag ").append(s.task().callerTag());
    if (s.task().cpu() >= 0) who.append(" cpu ").append(s.task().cpu());
    if (s.task().pid() >= 0) who.append(" pid ").append(s.task().pid());
    if (s.task().comm() != null) who.append(" comm \"").append(s.task().comm()).append('"');
    if (who.length() > 0) out.append("  task:").append(who).append('\n');
    if (s.kernel().release() != null || s.kernel().taint() != null) {
      out.append("  kernel: ").append(s.kernel().release()).append(", taint \"").append(s.kernel().taint()).append("\"\n");
    }
    if (s.kernel().hardware() != null) out.append("  hardware: ").append(s.kernel().hardware()).append('\n');
    if (s.location() != null) out.append("  location: ").append(s.location()).append('\n');
    StringBuilder ctx = new StringBuilder();
    if (s.atomic().preemptCount() >= 0) {
      ctx.append(" preempt_count 0x").append(Integer.toHexString(s.atomic().preemptCount())).append(" (")
          .append(s.atomic().decodedPreemptCount()).append(')');
    }
    if (s.atomic().expectedPreemptCount() >= 0) ctx.append(" expected 0x").append(Integer.toHexString(s.atomic().expectedPreemptCount()));
    if (s.atomic().inAtomic() != null) ctx.append(" in_atomic ").append(s.atomic().inAtomic());
    if (s.atomic().irqsDisabled() != null) ctx.append(" irqs_disabled ").append(s.atomic().irqsDisabled());
    if (s.atomic().rcuNestDepth() >= 0) ctx.append(" rcu_nest ").append(s.atomic().rcuNestDepth()).append('/').append(s.atomic().expectedRcuNestDepth());
    if (s.atomic().preemptionDisabledAt() != null) ctx.append(" preemption_disabled_at ").append(s.atomic().preemptionDisabledAt());
    if (ctx.length() > 0) out.append("  context:").append(ctx).append('\n');
    if (!s.facts().isEmpty()) {
      out.append("  facts:");
      for (Map.Entry<String, String> e : s.facts().entrySet()) {
        out.append(" [").append(e.getKey()).append(": ").append(clip(e.getValue(), 60)).append(']');
      }
      out.append('\n');
    }
    lock("acquiring", s.lockdep().acquiring(), out);
    lock("holding", s.lockdep().holding(), out);
    lock("lock", s.lockdep().lock(), out);
    lock("safe lock", s.lockdep().safeLock(), out);
    lock("unsafe lock", s.lockdep().unsafeLock(), out);
    if (s.lockdep().usageTransition() != null) out.append("  usage: ").append(s.lockdep().usageTransition()).append('\n');
    if (s.lockdep().heldLocksDeclared() >= 0 || !s.lockdep().heldLocks().isEmpty()) {
      out.append("  held locks (declared ").append(s.lockdep().heldLocksDeclared()).append("):\n");
      for (LockLine l : s.lockdep().heldLocks()) out.append("    ").append(lockText(l)).append('\n');
    }
    for (ChainLink c : s.lockdep().chain()) {
      out.append("  chain ").append(lockText(c.lock())).append(", ")
          .append(c.frames().size()).append(" frames:").append(frameList(c.frames(), 4)).append('\n');
    }
    for (Map.Entry<String, String> e : s.lockdep().irqEventStamps().entrySet()) {
      out.append("  irq events: ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
    }
    out.append("  frames (").append(s.stacks().frames().size()).append("):\n");
    for (Frame f : s.stacks().frames()) out.append("    ").append(frame(f)).append('\n');
    for (LabeledStack st : s.stacks().others()) {
      out.append("  stack \"").append(st.label()).append("\" line ").append(st.line()).append(", ")
          .append(st.frames().size()).append(" frames:").append(frameList(st.frames(), 6)).append('\n');
    }
    for (String p : s.damage().problems()) out.append("  problem: ").append(p).append('\n');
  }

  private static void lock(String what, LockLine l, StringBuilder out) {
    if (l == null) return;
    out.append("  ").append(what).append(": ").append(lockText(l)).append('\n');
  }

  static String lockText(LockLine l) {
    StringBuilder t = new StringBuilder();
    if (l.index() >= 0) t.append('#').append(l.index()).append(' ');
    t.append(l.className());
    if (!l.baseName().equals(l.className())) t.append(" (base ").append(l.baseName()).append(')');
    if (l.usage() != null) t.append(" {").append(l.usage()).append('}');
    if (l.outerWait() >= 0) t.append("-{").append(l.outerWait()).append(':').append(l.innerWait()).append('}');
    if (l.instance() != null) t.append(" instance ").append(l.instance());
    if (l.at() != null) t.append(" at ").append(l.atFunction());
    return t.toString();
  }

  static String frame(Frame f) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%-8s", f.section())).append(f.unreliable() ? "? " : "").append(f.function());
    if (f.offset() >= 0) t.append("+0x").append(Long.toHexString(f.offset()));
    if (f.size() >= 0) t.append("/0x").append(Long.toHexString(f.size()));
    if (f.module() != null) t.append(" [").append(f.module()).append(']');
    if (f.inlined()) t.append(" (inline)");
    if (f.raw().startsWith("RIP: ") || f.raw().startsWith("EIP: ")) t.append(" (RIP)");
    return t.toString();
  }

  private static String frameList(List<Frame> frames, int max) {
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < frames.size() && i < max; i++) t.append(' ').append(frames.get(i).function());
    if (frames.size() > max) t.append(" ...");
    return t.toString();
  }

  private static String clip(String s, int n) {
    return s.length() > n ? s.substring(0, n - 3) + "..." : s;
  }

  /** Prints the rendering of each file given. */
  public static void main(String[] args) throws IOException {
    for (String a : args) {
      try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(a))) {
        System.out.println("== " + a);
        System.out.println(render(read(a, in, ReadOptions.defaults())));
      }
    }
  }
}
