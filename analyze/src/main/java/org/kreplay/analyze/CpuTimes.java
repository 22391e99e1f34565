package org.kreplay.analyze;

/**
 * Where one CPU's time went between its first and last event: task (not idle), idle, softirq,
 * hardirq, NMI, or unknown (before the context could be established, or across lost events). The
 * context of the time between two events is the one in force after the earlier event. Irqs-off
 * time counts the intervals whose both ends were recorded with interrupts disabled, out of the
 * non-idle time for which the flags were known (the idle loop halts with interrupts enabled
 * between its events, which the flags cannot show). Mergeable by addition.
 */
public final class CpuTimes implements java.io.Serializable {
  /** Context categories, in output order. */
  public enum Category {
    TASK("task"),
    IDLE("idle"),
    SOFTIRQ("softirq"),
    HARDIRQ("hardirq"),
    NMI("nmi"),
    UNKNOWN("unknown");

    private final String label;

    Category(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final int cpu;
  private final long[] ns = new long[Category.values().length];
  private long irqsOffNs;
  private long irqsKnownNs;
  private long events;

  CpuTimes(int cpu) {
    this.cpu = cpu;
  }

  public int cpu() {
    return cpu;
  }

  public long ns(Category c) {
    return ns[c.ordinal()];
  }

  /** Sum of all categories: the CPU's traced span. */
  public long totalNs() {
    long t = 0;
    for (long v : ns) t += v;
    return t;
  }

  public long irqsOffNs() {
    return irqsOffNs;
  }

  /** Non-idle time over which the irqs-off state was known at both ends. */
  public long irqsKnownNs() {
    return irqsKnownNs;
  }

  public long events() {
    return events;
  }

  void addTime(Category c, long delta) {
    ns[c.ordinal()] += delta;
  }

  /** Moves time from one category to another (reattribution of unknown time). */
  void moveTime(Category from, Category to, long delta) {
    ns[from.ordinal()] -= delta;
    ns[to.ordinal()] += delta;
  }

  void addIrqsTime(boolean off, long delta) {
    irqsKnownNs += delta;
    if (off) irqsOffNs += delta;
  }

  void countEvent() {
    events++;
  }

  public CpuTimes add(CpuTimes other) {
    for (int i = 0; i < ns.length; i++) ns[i] += other.ns[i];
    irqsOffNs += other.irqsOffNs;
    irqsKnownNs += other.irqsKnownNs;
    events += other.events;
    return this;
  }
}
