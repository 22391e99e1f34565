package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * The one place a finding is built: its culprit (the code to blame), the call chain, the context
 * it ran in as a line, and the evidence (the event, the frames entered, the callbacks running,
 * the locks held, the stack), reported into the result's findings.
 */
final class Reporter {
  private final ModelState s;
  private final Catalog catalog;

  Reporter(ModelState state) {
    this.s = state;
    this.catalog = state.catalog;
  }

  String where(TraceEvent e) {
    return e.line() > 0 ? s.source + ":" + e.line() : s.source;
  }

  void report(FindingKind kind, String signature, String culprit, List<String> chain, List<String> locks,
      String context, String message, String remedy, Certainty certainty, List<Evidence> evidence, TraceEvent e) {
    Finding f = new Finding(kind, signature, culprit, chain, locks, context, message, remedy, certainty,
        s.config.label(), evidence, s.source, e.timestamp());
    s.findings.report(f, s.source);
  }

  /**
   * Reports {@code kind} about {@code op} (in the signature) where {@code a} says it cannot
   * sleep: culprit, chain ending in {@code chainEnd}, context and evidence as every such finding.
   */
  void reportAtomic(FindingKind kind, TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, Atomic a,
      String op, String chainEnd, String message, String remedy, String evidence) {
    String culprit = culprit(e, m);
    report(kind, Finding.signature(kind, culprit, List.of(op)), culprit, chain(e, c, m, chainEnd), List.of(),
        describeContext(e, c, m, locks), message, remedy, a.certainty(), contextEvidence(e, c, m, locks, evidence), e);
  }

  /** A circular-dependency finding for a ring of classes (held → taken → … → held). */
  static Finding cycleFinding(List<String> ring, String culprit, List<String> chain, String context, List<Evidence> ev,
      String source, long timestamp, String rules) {
    StringBuilder path = new StringBuilder();
    for (String r : ring) path.append(r).append(" -> ");
    path.append(ring.get(0));
    // The signature names the cycle, not where it happened to close: rotate to the smallest name.
    int start = 0;
    for (int i = 1; i < ring.size(); i++) if (ring.get(i).compareTo(ring.get(start)) < 0) start = i;
    List<String> canonical = new ArrayList<>();
    for (int i = 0; i < ring.size(); i++) canonical.add(ring.get((start + i) % ring.size()));
    String signature = FindingKind.CIRCULAR_DEPENDENCY.label() + ":" + String.join("->", canonical);
    String kind = ring.size() == 2 ? "ABBA" : ring.size() == 3 ? "ABC" : ring.size() + "-lock";
    return new Finding(FindingKind.CIRCULAR_DEPENDENCY, signature, culprit, chain, ring, context,
        "possible circular locking dependency (" + kind + "): " + path,
        "take the locks in one order everywhere, or defer the inner operation (irq_work / workqueue) so it runs without the outer lock",
        Certainty.CERTAIN, rules, ev, source, timestamp);
  }

  // ---- culprit and chain

  /** The first frame (innermost first) that is not infrastructure; else the event's own site; else the callback. */
  String culprit(TraceEvent e, ModelState.Cpu m) {
    String fromStack = stackCulprit(e);
    if (fromStack != null) return fromStack;
    if (e.function() != null && !catalog.skipFrame(e.function()) && !isAddress(e.function())) {
      return Catalog.stripSuffix(e.function());
    }
    CallbackStack cb = m.callbacks;
    if (cb.size() > 0) return cb.name(cb.size() - 1);
    String work = s.works.get(e.pid());
    if (work != null) return work;
    // No stack here: the code holding the locks this one nests in, as its own stack showed.
    List<Held> locks = e.pid() >= 0 ? s.held.held(e.pid()) : List.of();
    for (int i = locks.size() - 1; i >= 0; i--) {
      if (locks.get(i).site != null) return locks.get(i).site;
    }
    if (e.function() != null) return Catalog.stripSuffix(e.function());
    // No stack: the function the task last entered, where the function tracer follows its code
    // (set_ftrace_filter on the suspect's functions); it runs in it or in what it called.
    String traced = s.inTask ? s.lastTraced.get(e.pid()) : null;
    if (traced != null) return traced;
    // Lock tracepoints carry no caller: without a stack the code is unknown (the task is in the
    // context); kept out of the signature so one problem in many tasks stays one finding.
    return Finding.NO_STACK;
  }

  /** The culprit of the event's stack as {@link Catalog#culpritOf} finds it, or null. */
  String stackCulprit(TraceEvent e) {
    return catalog.culpritOf(e.stack().frames());
  }

  private static boolean isAddress(String s) {
    return s.startsWith("0x");
  }

  /** Outermost first: the stack, else the context frames, callbacks and the event's own site. */
  List<String> chain(TraceEvent e, CpuContext c, ModelState.Cpu m, String operation) {
    List<String> chain = new ArrayList<>();
    if (e.stack().depth() > 0) {
      // The innermost frames of a traced stack are the tracer's and lockdep's own: not part of the story.
      int innermost = 0;
      while (innermost < e.stack().depth() - 1 && catalog.tracingFrame(e.stack().frame(innermost))) innermost++;
      // In an interrupt the frames beyond its entry are the interrupted code's, not this context's.
      int outermost = e.stack().depth() - 1;
      if (c.depth() > 0) {
        for (int i = outermost; i > innermost; i--) {
          if (catalog.irqEntryFrame(e.stack().frame(i))) {
            outermost = i;
            break;
          }
        }
      }
      for (int i = outermost; i >= innermost; i--) chain.add(e.stack().frame(i));
    } else {
      for (int i = 0; i < c.depth(); i++) chain.add(c.frameLabel(i));
      for (int i = 0; i < m.callbacks.size(); i++) chain.add(m.callbacks.name(i));
      String work = s.works.get(e.pid());
      if (work != null && c.depth() == 0) chain.add(work);
      if (e.function() != null && e.kind() != EventKind.FUNCTION && !chain.contains(e.function())) chain.add(e.function());
    }
    if (operation != null && (chain.isEmpty() || !chain.get(chain.size() - 1).equals(operation))) chain.add(operation);
    return chain;
  }

  // ---- context and evidence

  /** "hardirq: local_timer vector > HARD hrtimer callback x; irqs off; preempt 1; holding: a (raw_spinlock_t)". */
  String describeContext(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks) {
    StringBuilder sb = new StringBuilder();
    if (c.inNmi()) sb.append("NMI");
    else if (c.inHardirq()) sb.append("hardirq");
    else if (c.inSoftirq()) sb.append("softirq");
    else sb.append("task ").append(e.comm()).append('/').append(e.pid());
    for (int i = 0; i < c.depth(); i++) sb.append(i == 0 ? ": " : " > ").append(c.frameLabel(i));
    for (int i = 0; i < m.callbacks.size(); i++) sb.append(" > ").append(m.callbacks.describe(i));
    String work = s.works.get(e.pid());
    if (work != null && c.depth() == 0) sb.append(" > workqueue function ").append(work);
    int f = e.flags();
    if (ContextFlags.irqsKnown(f)) sb.append(ContextFlags.irqsOff(f) ? "; irqs off" : "; irqs on");
    if (ContextFlags.preemptKnown(f)) {
      sb.append("; preempt_count ").append(Math.max(0, ContextFlags.preemptDepth(f) - s.eventBaseline));
    }
    if (!locks.isEmpty()) {
      sb.append("; holding: ");
      for (int i = 0; i < locks.size(); i++) sb.append(i == 0 ? "" : ", ").append(locks.get(i).describe());
    }
    sb.append(" [").append(s.config.label()).append(']');
    return sb.toString();
  }

  /**
   * The event's body as the input printed it; readers that skip rendering bodies (trace.dat for an
   * analysis) leave it empty, and the typed fields say what matters instead.
   */
  static String bodyOf(TraceEvent e) {
    if (e.body() != null && !e.body().isEmpty()) return e.body();
    StringBuilder sb = new StringBuilder();
    if (e.function() != null) sb.append("call_site=").append(e.function()).append(' ');
    if (e.address() != 0) sb.append("ptr=").append(Long.toHexString(e.address())).append(' ');
    // the one text field allocator and function events have: gfp flags, cache name or parent
    String detail = e.kind() == EventKind.KMEM_CACHE_FREE ? e.cacheName() : e.kind() == EventKind.FUNCTION ? e.parent() : e.gfpFlags();
    if (detail != null) sb.append(detail);
    return sb.toString().strip();
  }

  Evidence evidence(TraceEvent e, String what) {
    return new Evidence(s.source, e.line(), e.timestamp(), e.cpu(), e.comm() == null ? "" : e.comm() + "/" + e.pid(), what);
  }

  List<Evidence> contextEvidence(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, String what) {
    List<Evidence> ev = new ArrayList<>();
    ev.add(evidence(e, what));
    for (int i = 0; i < c.depth(); i++) {
      if (c.frameEntryLine(i) > 0) {
        ev.add(new Evidence(s.source, c.frameEntryLine(i), -1, c.cpu(), "", "entered " + c.frameLabel(i)));
      }
    }
    CallbackStack cb = m.callbacks;
    for (int i = 0; i < cb.size(); i++) {
      ev.add(new Evidence(s.source, cb.line(i), -1, c.cpu(), "", "runs " + cb.describe(i)
          + (cb.modeNote(i) != null ? " (" + cb.modeNote(i) + ")" : "")));
    }
    for (Held h : locks) ev.add(new Evidence(s.source, h.line, h.timestamp, c.cpu(), "", "holds " + h.describe()));
    if (e.stack().depth() > 0) ev.add(new Evidence(s.source, e.line(), e.timestamp(), c.cpu(), "", "stack: " + e.stack()));
    return ev;
  }
}
