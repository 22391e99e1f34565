package org.kreplay.analyze.whatif;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;
import org.kreplay.analyze.CatalogTypes.WaitStep;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.ingest.EventSelection;

/**
 * Occurrences followed forward through one mechanism's wait steps, from the moment the code would
 * defer on its CPU: each step starts where the one before ended, and the last one's end is when
 * the callback would run. Fed the replay's context changes in trace order. Occurrences waiting at
 * the same step in the same state end together, so they share one watcher ({@link #absorb}): the
 * work per event follows the number of distinct states, not of occurrences.
 *
 * <p>A runner step (a thread or a softirq) ends when the trace shows the runner running. A runner
 * with nothing else to do does not run at all, so where it does not show up within {@link
 * #HORIZON_NS} the occurrence ends where the woken runner could first have run, as the trace
 * shows the CPU then: a CFS thread at the CPU's next switch to a task that is not RT (an RT one
 * runs first), at once over idle, or under PREEMPT_RT rules,
 * when the CPU runs a CFS task, as soon as the CPU can be preempted (a woken thread that slept
 * preempts the running CFS task, check_preempt_wakeup_fair(), and RT kernels preempt fully); an RT
 * thread as soon as the CPU can be preempted; a softirq once the CPU is out of hardirq with
 * interrupts on. A thread then still has to be switched to: a modeled end is no sooner after the
 * step began than the median wakeup latency the trace has shown so far for that runner on that
 * CPU ({@link Replay#wakeCost}). Such an end is "modeled"; with neither, the occurrence is "missed".
 * A runner step before the last (on RT, the ktimers thread that runs a soft hrtimer before its
 * work item) does not wait for the trace to show its runner: it ends at its modeled end unless the
 * runner shows up sooner, and the next step starts there.
 */
final class Watcher {
  /** How long a runner step waits for its runner to show up before the modeled end stands in. */
  static final long HORIZON_NS = 20_000_000L;

  private static final long UNSET = Long.MIN_VALUE;
  private static final byte OBSERVED = 1;
  private static final byte MODELED = 2;
  private static final byte MISSED = 3;

  private final int cpu;
  private final List<WaitStep> steps;
  private final int jiffies;
  /** Under PREEMPT_RT rules: full preemption, so a woken CFS runner need not wait for a switch. */
  private final boolean rt;
  private final Replay replay;
  private int step = -1;
  private int ticksLeft;
  private BitSet notQuiescent;
  private Pattern thread;
  /** The glob's text before its first wildcard: most task names fail on it before the pattern runs. */
  private String threadPrefix;
  private boolean threadOnThisCpu;
  private boolean done;
  /** When a runner step before the last ends by the model (UNSET while none is due). */
  private long dueAt = UNSET;
  /** Set when a step ended and the next one began, until {@link #takeMoved} reads it. */
  private boolean moved;

  // one entry per occurrence followed
  private int count = 1;
  private long[] starts = new long[1];
  /** When each occurrence's current step began (they differ only at the step it joined at). */
  private long[] stepStarts = new long[1];
  /** Where the woken runner could first have run, once the trace shows it; UNSET before. */
  private long[] fallback = {UNSET};
  private long[] ends = new long[1];
  private byte[] outcome = new byte[1];
  /** Whether an earlier step of the occurrence ended by the model: its end is modeled too. */
  private boolean[] modeledBefore = new boolean[1];
  /** Occurrences from here on have no fallback yet. */
  private int firstUnset;

  /** What the watchers ask of the replay around them. */
  interface Replay {
    /** Which context labels are the tick, from the catalog. */
    boolean isTick(String label);

    /**
     * The median latency from wakeup to running the trace has shown so far for threads named like
     * {@code runner} (else of its {@code family}, else of threads of its class, RT or not: see
     * {@link RunnerCosts}); 0 when none.
     */
    long wakeCost(Pattern runner, String family, boolean rt);
  }

  Watcher(int cpu, long start, List<WaitStep> steps, int jiffies, boolean rt, Replay replay, CpuStates cpus) {
    this.cpu = cpu;
    this.rt = rt;
    this.starts[0] = start;
    this.steps = steps;
    this.jiffies = jiffies;
    this.replay = replay;
    next(start, cpus);
  }

  int count() {
    return count;
  }

  long start(int i) {
    return starts[i];
  }

  boolean done() {
    return done;
  }

  /** When the i-th occurrence's callback would run; only once it has an observed or modeled end. */
  long end(int i) {
    return ends[i];
  }

  boolean modeled(int i) {
    return outcome[i] == MODELED;
  }

  boolean missed(int i) {
    return outcome[i] == MISSED;
  }

  /** Whether {@code o} waits where this one does, in the same state: from now on both end together. */
  boolean sameState(Watcher o) {
    if (o.cpu != cpu || o.step != step || o.steps != steps || o.dueAt != dueAt || done || o.done) return false;
    return switch (steps.get(step).kind()) {
      case JIFFIES -> o.ticksLeft == ticksLeft;
      case GRACE_PERIOD -> o.notQuiescent.equals(notQuiescent);
      default -> true;
    };
  }

  /** Follows {@code o}'s occurrences too ({@link #sameState} must hold). */
  void absorb(Watcher o) {
    int n = count + o.count;
    if (n > starts.length) {
      int cap = Math.max(n, starts.length * 2);
      starts = Arrays.copyOf(starts, cap);
      stepStarts = Arrays.copyOf(stepStarts, cap);
      fallback = Arrays.copyOf(fallback, cap);
      ends = Arrays.copyOf(ends, cap);
      outcome = Arrays.copyOf(outcome, cap);
      modeledBefore = Arrays.copyOf(modeledBefore, cap);
    }
    System.arraycopy(o.starts, 0, starts, count, o.count);
    System.arraycopy(o.stepStarts, 0, stepStarts, count, o.count);
    System.arraycopy(o.fallback, 0, fallback, count, o.count);
    System.arraycopy(o.outcome, 0, outcome, count, o.count);
    System.arraycopy(o.modeledBefore, 0, modeledBefore, count, o.count);
    if (firstUnset == count) firstUnset = count + o.firstUnset;
    count = n;
    if (firstUnset < count && fallback[firstUnset] != UNSET) firstUnset = firstUnsetFrom(firstUnset);
  }

  private int firstUnsetFrom(int i) {
    while (i < count && fallback[i] != UNSET) i++;
    return i;
  }

  /** Whether this context change ended the step waited for (the watcher is done or at the next one). */
  boolean contextBegin(long ts, int c, Category kind, String name, CpuStates cpus) {
    if (done) return false;
    WaitStep s = steps.get(step);
    boolean met = switch (s.kind()) {
      case TICK -> c == cpu && kind == Category.HARDIRQ && replay.isTick(name);
      case JIFFIES -> c == cpu && kind == Category.HARDIRQ && replay.isTick(name) && --ticksLeft == 0;
      case SCHEDULE -> c == cpu && (kind == Category.TASK || kind == Category.IDLE);
      case SOFTIRQ -> c == cpu && kind == Category.SOFTIRQ && name.equals("softirq " + s.pattern());
      case THREAD, RT_THREAD -> kind == Category.TASK && (c == cpu || !threadOnThisCpu) && name.startsWith(threadPrefix)
          && thread.matcher(comm(name)).matches();
      case GRACE_PERIOD -> quiescent(c, kind);
      case IRQS_ON -> cpus.irqsOn(cpu);
    };
    if (met) {
      next(ts, cpus);
      return true;
    }
    return stateFallback(ts, s, cpus);
  }

  /**
   * CPU {@code c} switched tasks: a CFS runner woken at the step's start could have run at this
   * CPU's (any CPU's, unbound) next switch, unless it switched to an RT task, which runs first.
   */
  boolean switched(long ts, int c, boolean toRtTask, CpuStates cpus) {
    if (done) return false;
    WaitStep s = steps.get(step);
    return s.kind() == WaitStep.Kind.THREAD && (c == cpu || !threadOnThisCpu) && !toRtTask && couldRun(ts, cpus);
  }

  /** A context ended, interrupts or preemption changed: irqs_on may be met, a fallback may be set; whether the step ended. */
  boolean stateChanged(long ts, CpuStates cpus) {
    if (done) return false;
    WaitStep s = steps.get(step);
    if (s.kind() == WaitStep.Kind.IRQS_ON && cpus.irqsOn(cpu)) {
      next(ts, cpus);
      return true;
    }
    return stateFallback(ts, s, cpus);
  }

  /**
   * A runner step before the last whose modeled end has come by {@code ts}: the next step starts
   * at it. Called before the CPU state changes at {@code ts}, so the next step sees the CPU as it
   * was then.
   */
  boolean dueNow(long ts, CpuStates cpus) {
    if (dueAt == UNSET || ts < dueAt || done) return false;
    next(dueAt, cpus);
    return true;
  }

  /** Whether the steps have a runner step before the last (only those set a {@link #dueNow}). */
  static boolean runnerBeforeLast(List<WaitStep> steps) {
    for (int i = 0; i < steps.size() - 1; i++) if (isRunnerStep(steps.get(i))) return true;
    return false;
  }

  /**
   * An RT runner runs once the CPU can be preempted (on RT rules a CFS one too, over a CFS task), a
   * softirq once it is out of hardirq with interrupts on.
   */
  private boolean stateFallback(long ts, WaitStep s, CpuStates cpus) {
    boolean preempts = switch (s.kind()) {
      case RT_THREAD -> cpus.preemptible(cpu);
      case THREAD -> threadOnThisCpu && (cpus.idle(cpu) || rt && cpus.fairTask(cpu)) && cpus.preemptible(cpu);
      case SOFTIRQ -> cpus.irqsOn(cpu);
      default -> false;
    };
    return preempts && couldRun(ts, cpus);
  }

  /**
   * The runner could first run at {@code ts}: at the last step that is the fallback of the
   * occurrences without one; at a step before, the step's modeled end (returns whether it is
   * already over, the watcher at the next step).
   */
  private boolean couldRun(long ts, CpuStates cpus) {
    WaitStep s = steps.get(step);
    boolean last = isLastRunnerStep();
    if (last ? firstUnset == count : !isRunnerStep(s) || dueAt != UNSET) return false;
    long cost = s.kind() == WaitStep.Kind.SOFTIRQ ? 0 : replay.wakeCost(thread, RunnerCosts.family(s.pattern()), s.kind() == WaitStep.Kind.RT_THREAD);
    if (last) {
      for (int i = firstUnset; i < count; i++) fallback[i] = Math.max(ts, stepStarts[i] + cost);
      firstUnset = count;
      return false;
    }
    long began = stepStarts[0];
    for (int i = 1; i < count; i++) began = Math.max(began, stepStarts[i]);
    for (int i = 0; i < count; i++) modeledBefore[i] = true;
    dueAt = Math.max(ts, began + cost);
    return dueNow(ts, cpus);
  }

  private boolean quiescent(int c, Category kind) {
    if (kind == Category.TASK || kind == Category.IDLE) notQuiescent.clear(c);
    return notQuiescent.isEmpty();
  }

  private static boolean isRunnerStep(WaitStep s) {
    return s.kind() == WaitStep.Kind.THREAD || s.kind() == WaitStep.Kind.RT_THREAD || s.kind() == WaitStep.Kind.SOFTIRQ;
  }

  private boolean isLastRunnerStep() {
    return step == steps.size() - 1 && isRunnerStep(steps.get(step));
  }

  /**
   * The trace is over at {@code endTs} with this watcher still waiting: an occurrence at its last
   * runner step ends at its modeled end when the trace showed one; past the horizon without one it
   * is missed; else it stays unresolved (false from {@link #modeled} and {@link #missed}).
   */
  void traceEnded(long endTs) {
    boolean runner = isLastRunnerStep();
    for (int i = 0; i < count; i++) {
      if (outcome[i] != 0) continue;
      if (runner && fallback[i] != UNSET) {
        outcome[i] = MODELED;
        ends[i] = fallback[i];
      } else if (isRunnerStep(steps.get(step)) && endTs - stepStarts[i] > HORIZON_NS) {
        outcome[i] = MISSED;
      }
    }
  }

  /** Whether the i-th occurrence has an end (observed or modeled) or is missed; else the trace ended first. */
  boolean settled(int i) {
    return outcome[i] != 0;
  }

  /** Whether a step ended since the last call: the watcher may now share a state with another. */
  boolean takeMoved() {
    boolean m = moved;
    moved = false;
    return m;
  }

  /** The step before ended at {@code ts}: start the next, which may be met at once. */
  private void next(long ts, CpuStates cpus) {
    moved = step >= 0;
    dueAt = UNSET;
    if (step >= 0 && isRunnerStep(steps.get(step))) {
      boolean last = step == steps.size() - 1;
      for (int i = 0; i < count; i++) {
        if (outcome[i] != 0 || ts - stepStarts[i] <= HORIZON_NS) continue;
        if (last && fallback[i] != UNSET) {
          outcome[i] = MODELED;
          ends[i] = fallback[i];
        } else {
          outcome[i] = MISSED; // too late to follow, and no modeled end to stand in
        }
      }
    }
    for (int i = 0; i < count; i++) stepStarts[i] = ts;
    while (true) {
      if (++step == steps.size()) {
        done = true;
        for (int i = 0; i < count; i++) {
          if (outcome[i] == 0) {
            outcome[i] = modeledBefore[i] ? MODELED : OBSERVED;
            ends[i] = ts;
          }
        }
        return;
      }
      WaitStep s = steps.get(step);
      switch (s.kind()) {
        case IRQS_ON -> {
          if (!cpus.irqsOn(cpu)) return;
        }
        case GRACE_PERIOD -> {
          // every CPU the trace has shown must pass a quiescent state; an idle one is in one already
          notQuiescent = cpus.known();
          notQuiescent.set(cpu);
          for (int c = notQuiescent.nextSetBit(0); c >= 0; c = notQuiescent.nextSetBit(c + 1)) {
            if (c != cpu && cpus.idle(c)) notQuiescent.clear(c);
          }
          if (!notQuiescent.isEmpty()) return;
        }
        case JIFFIES -> {
          ticksLeft = jiffies;
          return;
        }
        case THREAD, RT_THREAD, SOFTIRQ -> {
          if (s.kind() != WaitStep.Kind.SOFTIRQ) {
            threadOnThisCpu = s.pattern().contains("{cpu}");
            String glob = s.pattern().replace("{cpu}", String.valueOf(cpu));
            thread = EventSelection.globPattern(glob);
            threadPrefix = literalPrefix(glob);
          }
          Arrays.fill(fallback, 0, count, UNSET);
          firstUnset = 0;
          stateFallback(ts, s, cpus); // may end a step before the last at once (next() ran again)
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  private static String literalPrefix(String glob) {
    int i = 0;
    while (i < glob.length() && "*?[".indexOf(glob.charAt(i)) < 0) i++;
    return glob.substring(0, i);
  }

  /** "kworker/1:1 54" → "kworker/1:1": a task context's label is its comm and pid. */
  private static String comm(String label) {
    int space = label.lastIndexOf(' ');
    return space < 0 ? label : label.substring(0, space);
  }
}
