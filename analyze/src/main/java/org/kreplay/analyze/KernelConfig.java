package org.kreplay.analyze;

/**
 * The rules a replay applies.
 *
 * @param tracedRt the traced kernel was PREEMPT_RT (its flags and contexts already show RT semantics)
 * @param judgeAsRt apply PREEMPT_RT rules; on a non-RT trace this is a what-if: spinlock_t,
 *     rwlock_t and local_lock sleep, {@code _irq} variants keep interrupts on, non-HARD hrtimers
 *     and irq_work, device irq handlers, softirqs and RCU callbacks run in threads
 * @param proveRawLockNesting lockdep's CONFIG_PROVE_RAW_LOCK_NESTING: a spinlock_t inside a
 *     raw_spinlock_t is an invalid wait context even on a non-RT kernel
 */
public record KernelConfig(boolean tracedRt, boolean judgeAsRt, boolean proveRawLockNesting) {
  public static final KernelConfig DEFAULT = new KernelConfig(false, false, true);

  /** Whether RT rules apply (traced on RT, or judged as RT). */
  public boolean rt() {
    return tracedRt || judgeAsRt;
  }

  /** A non-RT trace judged as RT: observed contexts and counts must be translated. */
  public boolean whatIf() {
    return judgeAsRt && !tracedRt;
  }

  /** Wait types distinguish CONFIG from SPIN (always when RT rules apply). */
  public boolean rawNesting() {
    return proveRawLockNesting || rt();
  }

  public String label() {
    if (tracedRt) return "PREEMPT_RT kernel";
    if (judgeAsRt) return "non-RT kernel judged as PREEMPT_RT";
    return "non-RT kernel";
  }
}
