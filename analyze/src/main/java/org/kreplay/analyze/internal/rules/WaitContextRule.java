package org.kreplay.analyze.internal.rules;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.LockType;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.rules.HeldLocks.Held;
import org.kreplay.analyze.internal.rules.LockGraph.LockClass;
import org.kreplay.ingest.TraceEvent;

/**
 * lockdep's check_wait_context(): a lock may not be taken where the context, or a lock held in
 * it, allows only less blocking waits (a spinlock_t inside a raw_spinlock_t, a sleeping lock in
 * hardirq). An hrtimer callback whose mode nobody knows is judged as if HARD, as a possibility.
 */
final class WaitContextRule {
  private final ModelState s;
  private final Reporter reporter;
  private final AtomicContext atomic;

  WaitContextRule(ModelState state, Reporter reporter, AtomicContext atomic) {
    this.s = state;
    this.reporter = reporter;
    this.atomic = atomic;
  }

  void check(TraceEvent e, CpuContext c, ModelState.Cpu m, List<Held> locks, LockClass next, LockType type,
      int irqCtx, String acquireWhat) {
    boolean nesting = s.config.rawNesting();
    int nextInner = type.innerWait(nesting);
    if (nextInner == 0) return;
    int outer = type.outerWait(nesting);
    int depth = 0;
    while (depth < locks.size() && locks.get(depth).irqContext != irqCtx) depth++;
    int currInner = taskWaitContext(c, m, nesting, false);
    // An hrtimer whose mode neither the trace nor the catalog tells: invalid only if it is HARD.
    int ifHard = taskWaitContext(c, m, nesting, true);
    String context;
    if (c.inHardirq()) {
      int f = c.innermost(CpuContext.HARDIRQ);
      int cb = m.callbacks.innermostIn(f);
      context = "hardirq context (" + c.frameLabel(f) + (cb >= 0 ? ", " + m.callbacks.describe(cb) : "") + ")";
    } else {
      context = c.inSoftirq() ? c.frameLabel(c.innermost(CpuContext.SOFTIRQ)) + " context" : "task context";
    }
    String limiter = null;
    for (int i = depth; i < locks.size(); i++) {
      int inner = locks.get(i).type.innerWait(nesting);
      if (inner != 0 && inner < currInner) {
        currInner = inner;
        limiter = locks.get(i).lockClass.name() + " (" + locks.get(i).type.label() + ")";
      }
      if (inner != 0 && inner < ifHard) ifHard = inner;
    }
    if (outer <= ifHard) return;
    boolean onlyIfHard = outer <= currInner;
    if (onlyIfHard) currInner = ifHard;
    String culprit = reporter.culprit(e, m);
    List<String> lockNames = new ArrayList<>();
    for (int i = depth; i < locks.size(); i++) lockNames.add(locks.get(i).lockClass.name());
    lockNames.add(next.name());
    String why = limiter != null && !onlyIfHard ? "while holding " + limiter : "in " + context + " (wait type " + currInner + ")";
    String message = "invalid wait context" + (onlyIfHard ? " if the timer is HRTIMER_MODE_HARD" : "") + ": " + next.name()
        + " (" + type.label() + ", wait type " + outer + ") taken " + why + " (context {" + currInner + ":" + currInner + "})"
        + (onlyIfHard ? "; hrtimer mode unknown: neither the trace nor the catalog shows it" : "");
    reporter.report(FindingKind.INVALID_WAIT_CONTEXT,
        Finding.signature(FindingKind.INVALID_WAIT_CONTEXT, culprit, lockNames), culprit,
        reporter.chain(e, c, m, next.name()), lockNames, reporter.describeContext(e, c, m, locks), message,
        remedy(c, m, next, limiter, onlyIfHard), onlyIfHard ? Certainty.POSSIBLE : Certainty.CERTAIN,
        reporter.contextEvidence(e, c, m, locks, acquireWhat), e);
  }

  private String remedy(CpuContext c, ModelState.Cpu m, LockClass next, String limiter, boolean onlyIfHard) {
    if (limiter != null && !onlyIfHard && limiter.endsWith("(raw_spinlock_t)")) {
      return "make the outer lock a spinlock_t, or move the operation out of the raw_spinlock_t section";
    } else if (limiter != null && !onlyIfHard) {
      return "take " + next.name() + " outside the section, or use a lock that may be taken there";
    } else if (c.inHardirq()) {
      String remedy = atomic.hardirqRemedy(m, m.callbacks.innermostIn(c.innermost(CpuContext.HARDIRQ)));
      return onlyIfHard ? remedy + "; to settle it, give the callback's mode in a --catalog file (hrtimer_callbacks)" : remedy;
    }
    return AtomicContext.DEFER_TO_PROCESS;
  }

  /**
   * lockdep's task_wait_context(): what the current context allows. lockdep_hrtimer_enter() gives
   * non-HARD hrtimers the threaded wait type; {@code unknownIsHard} decides for a timer whose mode
   * is not known.
   */
  private static int taskWaitContext(CpuContext c, ModelState.Cpu m, boolean nesting, boolean unknownIsHard) {
    if (c.inHardirq()) {
      int f = c.innermost(CpuContext.HARDIRQ);
      CallbackStack cbs = m.callbacks;
      int cb = cbs.innermostIn(f);
      boolean hard = cbs.isHrtimer(cb) && (cbs.cls(cb) == CLASS_HARD || (unknownIsHard && cbs.cls(cb) == 0));
      boolean irqConfig = cb >= 0 && ((cbs.isHrtimer(cb) && !hard) || (cbs.isIrqWork(cb) && cbs.cls(cb) != 1));
      boolean threaded = cb < 0 && c.frameThreadable(f) != 0;
      return LockType.value(threaded || irqConfig ? LockType.Wait.CONFIG : LockType.Wait.SPIN, nesting);
    }
    if (c.inSoftirq()) return LockType.value(LockType.Wait.CONFIG, nesting);
    return LockType.value(LockType.Wait.MAX, nesting);
  }
}
