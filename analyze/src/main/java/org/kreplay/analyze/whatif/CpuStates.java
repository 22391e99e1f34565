package org.kreplay.analyze.whatif;

import java.util.Arrays;
import java.util.BitSet;
import org.kreplay.analyze.CpuTimes.Category;

/**
 * What each CPU is doing as the replay tells it, as far as the wait steps need: how many
 * interrupt contexts are open, whether interrupts are off, whether it idles, and a count of its
 * context changes (two occurrences with none between are one run of the code).
 */
final class CpuStates {
  private int[] irqDepth = new int[8];
  private int[] softirqDepth = new int[8];
  private int[] preempt = new int[8];
  private boolean[] irqsOff = new boolean[8];
  /** Whether the CPU's last event was logged with interrupts off (out of interrupt context). */
  private boolean[] eventIrqsOff = new boolean[8];
  private long[] lastOffTs = new long[8];
  private boolean[] idle = new boolean[8];
  /** Whether the task the CPU last switched to is a CFS one (prio 100 and up); false until a sched_switch says. */
  private boolean[] fairTask = new boolean[8];
  private long[] changes = new long[8];
  /** The categories open on each CPU, innermost last, to know what an end closes. */
  private Category[][] stack = new Category[8][16];
  private int[] depth = new int[8];
  private final BitSet known = new BitSet();

  void begin(int cpu, Category kind) {
    grow(cpu);
    known.set(cpu);
    changes[cpu]++;
    if (depth[cpu] == stack[cpu].length) stack[cpu] = Arrays.copyOf(stack[cpu], depth[cpu] * 2);
    stack[cpu][depth[cpu]++] = kind;
    if (kind == Category.HARDIRQ || kind == Category.NMI) irqDepth[cpu]++;
    if (kind == Category.SOFTIRQ) softirqDepth[cpu]++;
    if (kind == Category.IDLE) idle[cpu] = true;
    else if (kind == Category.TASK) idle[cpu] = false;
    if (kind == Category.TASK || kind == Category.IDLE) fairTask[cpu] = false; // until its sched_switch says

  }

  void end(int cpu) {
    grow(cpu);
    changes[cpu]++;
    if (depth[cpu] == 0) return;
    Category kind = stack[cpu][--depth[cpu]];
    if (kind == Category.HARDIRQ || kind == Category.NMI) irqDepth[cpu]--;
    if (kind == Category.SOFTIRQ) softirqDepth[cpu]--;
    if (kind == Category.IDLE) idle[cpu] = false;
  }

  void irqsOff(int cpu, boolean off) {
    grow(cpu);
    known.set(cpu);
    irqsOff[cpu] = off;
  }

  /**
   * The CPU's last event was logged with interrupts off, or not: the replay's irqs-off time counts
   * an interval only when both its ends show them off, while a section's first event already runs
   * with them off (the code to defer, inside it, among them). Returns when they came back on, if
   * this event shows they did: just after the last event with them off (the counter's convention),
   * else -1.
   */
  long eventIrqsOff(int cpu, boolean off, long ts) {
    grow(cpu);
    boolean was = eventIrqsOff[cpu];
    eventIrqsOff[cpu] = off;
    if (off) {
      lastOffTs[cpu] = ts;
      return -1;
    }
    return was ? lastOffTs[cpu] : -1;
  }

  /** Out of every hardirq and NMI, with interrupts on: where a raised irq_work or softirq gets to run. */
  boolean irqsOn(int cpu) {
    return cpu < depth.length && irqDepth[cpu] == 0 && !irqsOff[cpu] && !eventIrqsOff[cpu];
  }

  /** The preempt depth the CPU's events show (less the tracepoint's own), when it changes. */
  void preemptDepth(int cpu, int depth) {
    grow(cpu);
    preempt[cpu] = depth;
  }

  /** Out of every interrupt and softirq, interrupts on, preemption on: where a woken RT thread gets the CPU. */
  boolean preemptible(int cpu) {
    return irqsOn(cpu) && softirqDepth[cpu] == 0 && preempt[cpu] == 0;
  }

  /** The CPU switched to task of priority {@code prio} (the kernel's: below 100 is RT or deadline). */
  void switchedTo(int cpu, int prio) {
    grow(cpu);
    fairTask[cpu] = prio >= 100;
  }

  /** Whether the CPU runs a CFS task, which a woken CFS thread may preempt (an RT one it may not). */
  boolean fairTask(int cpu) {
    return cpu < fairTask.length && fairTask[cpu];
  }

  boolean idle(int cpu) {
    return cpu < idle.length && idle[cpu];
  }

  long changes(int cpu) {
    return cpu < changes.length ? changes[cpu] : 0;
  }

  /** The CPUs the replay has seen so far. */
  BitSet known() {
    return (BitSet) known.clone();
  }

  private void grow(int cpu) {
    if (cpu < depth.length) return;
    int n = Math.max(cpu + 1, depth.length * 2);
    irqDepth = Arrays.copyOf(irqDepth, n);
    softirqDepth = Arrays.copyOf(softirqDepth, n);
    preempt = Arrays.copyOf(preempt, n);
    irqsOff = Arrays.copyOf(irqsOff, n);
    eventIrqsOff = Arrays.copyOf(eventIrqsOff, n);
    lastOffTs = Arrays.copyOf(lastOffTs, n);
    idle = Arrays.copyOf(idle, n);
    fairTask = Arrays.copyOf(fairTask, n);
    changes = Arrays.copyOf(changes, n);
    depth = Arrays.copyOf(depth, n);
    int old = stack.length;
    stack = Arrays.copyOf(stack, n);
    for (int i = old; i < n; i++) stack[i] = new Category[16];
  }
}
