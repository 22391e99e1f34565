package org.kreplay.analyze.whatif;

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
 * the same step in the same state will end together, so they share one watcher ({@link #absorb}):
 * the work per event follows the number of distinct states, not of occurrences.
 */
final class Watcher {
  /**
   * How long a thread or softirq step waits for its runner to show up: a woken kworker, rcuc or
   * softirq that the trace does not show running this long after it was due is not a wakeup the
   * trace can follow (the runner had nothing else to do then), and the occurrence is counted as
   * not seen rather than predicted from an unrelated later run.
   */
  static final long HORIZON_NS = 20_000_000L;

  private final int cpu;
  private long[] starts = new long[1];
  private int count = 1;
  private final List<WaitStep> steps;
  private final int jiffies;
  private final Ticks ticks;
  private int step = -1;
  private int ticksLeft;
  private BitSet notQuiescent;
  private Pattern thread;
  /** The glob's text before its first wildcard: most task names fail on it before the pattern runs. */
  private String threadPrefix;
  private boolean threadOnThisCpu;
  private long done = Long.MIN_VALUE;
  /** When each occurrence's current step began (they differ only while it waits at the step it joined at). */
  private long[] stepStarts = new long[1];
  /** Occurrences whose runner came only after more than {@link #HORIZON_NS}: not a wakeup the trace can follow. */
  private boolean[] missed = new boolean[1];
  /** Set when a step ended and the next one began, until {@link #takeMoved} reads it. */
  private boolean moved;

  /** Which context labels are the tick, from the catalog. */
  interface Ticks {
    boolean isTick(String label);
  }

  Watcher(int cpu, long start, List<WaitStep> steps, int jiffies, Ticks ticks, CpuStates cpus) {
    this.cpu = cpu;
    this.starts[0] = start;
    this.steps = steps;
    this.jiffies = jiffies;
    this.ticks = ticks;
    next(start, cpus);
  }

  /** How many occurrences this watcher follows, and the moment of the i-th. */
  int count() {
    return count;
  }

  long start(int i) {
    return starts[i];
  }

  /** Whether {@code o} waits where this one does, in the same state: from now on both end together. */
  boolean sameState(Watcher o) {
    if (o.cpu != cpu || o.step != step || o.steps != steps || done() || o.done()) return false;
    return switch (steps.get(step).kind()) {
      case JIFFIES -> o.ticksLeft == ticksLeft;
      case GRACE_PERIOD -> o.notQuiescent.equals(notQuiescent);
      default -> true;
    };
  }

  /** Follows {@code o}'s occurrences too ({@link #sameState} must hold). */
  void absorb(Watcher o) {
    if (count + o.count > starts.length) {
      int n = Math.max(count + o.count, starts.length * 2);
      starts = java.util.Arrays.copyOf(starts, n);
      stepStarts = java.util.Arrays.copyOf(stepStarts, n);
      missed = java.util.Arrays.copyOf(missed, n);
    }
    System.arraycopy(o.starts, 0, starts, count, o.count);
    System.arraycopy(o.stepStarts, 0, stepStarts, count, o.count);
    System.arraycopy(o.missed, 0, missed, count, o.count);
    count += o.count;
  }

  boolean done() {
    return done != Long.MIN_VALUE;
  }

  /** When the callback would run; only once {@link #done()}. */
  long end() {
    return done;
  }

  /** Whether this context change ended the step waited for (the watcher is done or at the next one). */
  boolean contextBegin(long ts, int c, Category kind, String name, CpuStates cpus) {
    if (done()) return false;
    WaitStep s = steps.get(step);
    boolean met = switch (s.kind()) {
      case TICK -> c == cpu && kind == Category.HARDIRQ && ticks.isTick(name);
      case JIFFIES -> c == cpu && kind == Category.HARDIRQ && ticks.isTick(name) && --ticksLeft == 0;
      case SCHEDULE -> c == cpu && (kind == Category.TASK || kind == Category.IDLE);
      case SOFTIRQ -> c == cpu && kind == Category.SOFTIRQ && name.equals("softirq " + s.pattern());
      case THREAD -> kind == Category.TASK && (c == cpu || !threadOnThisCpu) && name.startsWith(threadPrefix)
          && thread.matcher(comm(name)).matches();
      case GRACE_PERIOD -> quiescent(c, kind);
      case IRQS_ON -> cpus.irqsOn(cpu);
    };
    if (met) next(ts, cpus);
    return met;
  }

  /** A context ended or interrupts changed (only irqs_on can be met by that); whether the step ended. */
  boolean stateChanged(long ts, CpuStates cpus) {
    if (done() || steps.get(step).kind() != WaitStep.Kind.IRQS_ON || !cpus.irqsOn(cpu)) return false;
    next(ts, cpus);
    return true;
  }

  private boolean quiescent(int c, Category kind) {
    if (kind == Category.TASK || kind == Category.IDLE) notQuiescent.clear(c);
    return notQuiescent.isEmpty();
  }

  /**
   * Whether the i-th occurrence's runner showed up too late to be followed: at the end of a
   * thread or softirq step more than {@link #HORIZON_NS} after it began, or, with the trace over at
   * {@code endTs}, still waiting at one that long.
   */
  boolean missed(int i, long endTs) {
    if (missed[i]) return true;
    return !done() && isRunnerStep(steps.get(step)) && endTs - stepStarts[i] > HORIZON_NS;
  }

  private static boolean isRunnerStep(WaitStep s) {
    return s.kind() == WaitStep.Kind.THREAD || s.kind() == WaitStep.Kind.SOFTIRQ;
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
    if (step >= 0 && isRunnerStep(steps.get(step))) {
      for (int i = 0; i < count; i++) if (ts - stepStarts[i] > HORIZON_NS) missed[i] = true;
    }
    for (int i = 0; i < count; i++) stepStarts[i] = ts;
    while (true) {
      if (++step == steps.size()) {
        done = ts;
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
        case THREAD -> {
          threadOnThisCpu = s.pattern().contains("{cpu}");
          String glob = s.pattern().replace("{cpu}", String.valueOf(cpu));
          thread = EventSelection.globPattern(glob);
          threadPrefix = literalPrefix(glob);
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
