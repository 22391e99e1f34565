package org.kreplay.ingest.log;

/**
 * A {@code preempt_count()} value decoded by its layout (include/linux/preempt.h): preemption depth in
 * bits 0-7, softirq count in bits 8-15 (bit 8 "serving softirq", each further 0x200 one
 * local_bh_disable()), hardirq depth in bits 16-19, NMI depth in bits 20-23. PREEMPT_RT kernels keep the
 * softirq count elsewhere, so their splats show no softirq bits.
 */
public record PreemptCount(int raw, int preempt, int softirq, int hardirq, int nmi) implements java.io.Serializable {
  public static PreemptCount of(int raw) {
    return new PreemptCount(raw, raw & 0xff, (raw >>> 8) & 0xff, (raw >>> 16) & 0xf, (raw >>> 20) & 0xf);
  }

  /** Serving a softirq ({@code SOFTIRQ_OFFSET}). */
  public boolean servingSoftirq() {
    return (softirq & 1) != 0;
  }

  /** Nesting of local_bh_disable() ({@code SOFTIRQ_DISABLE_OFFSET} units). */
  public int bhDisableDepth() {
    return softirq >>> 1;
  }

  public boolean inHardirq() {
    return hardirq != 0;
  }

  public boolean inNmi() {
    return nmi != 0;
  }

  /** Neither NMI, hardirq nor serving softirq: {@code in_task()}. */
  public boolean inTask() {
    return nmi == 0 && hardirq == 0 && !servingSoftirq();
  }

  /** "hardirq 1 + preempt 1" style summary; "0" when nothing is set. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (nmi != 0) s.append("nmi ").append(nmi);
    if (hardirq != 0) s.append(s.length() > 0 ? " + " : "").append("hardirq ").append(hardirq);
    if (servingSoftirq()) s.append(s.length() > 0 ? " + " : "").append("serving softirq");
    if (bhDisableDepth() != 0) s.append(s.length() > 0 ? " + " : "").append("bh-disabled ").append(bhDisableDepth());
    if (preempt != 0) s.append(s.length() > 0 ? " + " : "").append("preempt ").append(preempt);
    return s.length() == 0 ? "0" : s.toString();
  }
}
