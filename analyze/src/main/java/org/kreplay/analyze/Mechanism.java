package org.kreplay.analyze;

/** A way the kernel defers work, and so a source of deferral latency. */
public enum Mechanism {
  /** {@code workqueue_queue_work} → {@code workqueue_execute_start}, keyed by work function. */
  WORKQUEUE("workqueue"),
  /** {@code hrtimer_start} → {@code hrtimer_expire_entry}: lateness = now − softexpires. */
  HRTIMER("hrtimer"),
  /** {@code timer_start} → {@code timer_expire_entry}: lateness = jiffies at expiry − expires. */
  TIMER("timer"),
  /** {@code softirq_raise} → {@code softirq_entry} per vector and CPU. */
  SOFTIRQ("softirq"),
  /** irq_work raise (function trace of {@code irq_work_queue}) → {@code irq_work_entry}. */
  IRQ_WORK("irq_work"),
  /** {@code rcu_callback} → {@code rcu_invoke_callback}, keyed by callback function. */
  RCU("rcu"),
  /** {@code sched_waking} → {@code sched_switch} to the woken task. */
  WAKEUP("wakeup"),
  /**
   * A deferral handed on: one stage's callback queued the next (an hrtimer whose callback queues a
   * work item), from the first stage's enqueue to the last stage's execution, keyed by the stages.
   */
  CHAIN("chain");

  private final String label;

  Mechanism(String label) {
    this.label = label;
  }

  /** The name used in every output ("workqueue", "irq_work", …). */
  public String label() {
    return label;
  }

  public static Mechanism fromLabel(String label) {
    for (Mechanism m : values()) {
      if (m.label.equals(label)) return m;
    }
    throw new IllegalArgumentException("unknown mechanism '" + label + "'");
  }
}
