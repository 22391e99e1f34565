package org.kreplay.analyze.whatif;

import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;
import org.kreplay.analyze.CatalogTypes.WaitStep;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.ingest.EventSelection;

/**
 * One occurrence followed forward through one mechanism's wait steps, from the moment the code
 * would defer on its CPU: each step starts where the one before ended, and the last one's end is
 * when the callback would run. Fed the replay's context changes in trace order.
 */
final class Watcher {
  private final int cpu;
  private final long start;
  private final List<WaitStep> steps;
  private final int jiffies;
  private final Ticks ticks;
  private int step = -1;
  private int ticksLeft;
  private BitSet notQuiescent;
  private Pattern thread;
  private boolean threadOnThisCpu;
  private long done = Long.MIN_VALUE;

  /** Which context labels are the tick, from the catalog. */
  interface Ticks {
    boolean isTick(String label);
  }

  Watcher(int cpu, long start, List<WaitStep> steps, int jiffies, Ticks ticks, CpuStates cpus) {
    this.cpu = cpu;
    this.start = start;
    this.steps = steps;
    this.jiffies = jiffies;
    this.ticks = ticks;
    next(start, cpus);
  }

  long start() {
    return start;
  }

  boolean done() {
    return done != Long.MIN_VALUE;
  }

  /** When the callback would run; only once {@link #done()}. */
  long end() {
    return done;
  }

  void contextBegin(long ts, int c, Category kind, String name, CpuStates cpus) {
    if (done()) return;
    WaitStep s = steps.get(step);
    boolean met = switch (s.kind()) {
      case TICK -> c == cpu && kind == Category.HARDIRQ && ticks.isTick(name);
      case JIFFIES -> c == cpu && kind == Category.HARDIRQ && ticks.isTick(name) && --ticksLeft == 0;
      case SCHEDULE -> c == cpu && (kind == Category.TASK || kind == Category.IDLE);
      case SOFTIRQ -> c == cpu && kind == Category.SOFTIRQ && name.equals("softirq " + s.pattern());
      case THREAD -> (c == cpu || !threadOnThisCpu) && kind == Category.TASK && thread.matcher(comm(name)).matches();
      case GRACE_PERIOD -> quiescent(c, kind);
      case IRQS_ON -> cpus.irqsOn(cpu);
    };
    if (met) next(ts, cpus);
  }

  /** A context ended or interrupts changed: only irqs_on can be met by that. */
  void stateChanged(long ts, CpuStates cpus) {
    if (!done() && steps.get(step).kind() == WaitStep.Kind.IRQS_ON && cpus.irqsOn(cpu)) next(ts, cpus);
  }

  private boolean quiescent(int c, Category kind) {
    if (kind == Category.TASK || kind == Category.IDLE) notQuiescent.clear(c);
    return notQuiescent.isEmpty();
  }

  /** The step before ended at {@code ts}: start the next, which may be met at once. */
  private void next(long ts, CpuStates cpus) {
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
          thread = EventSelection.globPattern(s.pattern().replace("{cpu}", String.valueOf(cpu)));
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  /** "kworker/1:1 54" → "kworker/1:1": a task context's label is its comm and pid. */
  private static String comm(String label) {
    int space = label.lastIndexOf(' ');
    return space < 0 ? label : label.substring(0, space);
  }
}
