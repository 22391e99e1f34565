package org.kreplay.analyze.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;

/**
 * The lockdep kernel of traces/rt-vm (PREEMPT_VOLUNTARY with DEBUG_ATOMIC_SLEEP) records depth 1
 * in every event of a preemptible task; kernels with preemption, and the hand-written traces,
 * record 0. Only depth seen in task context with interrupts on counts.
 */
class PreemptBaselineTest {
  private static final int IRQS_OFF = 0x01;
  private static final int HARDIRQ = 0x08;

  private static TraceEvent event(int pid, EventKind kind, int commonFlags, int depth) {
    TraceEventBuilder e = TraceEvent.builder().pid(pid).flags(ContextFlags.fromKernelBits(commonFlags, depth, true));
    e.name(kind.name().toLowerCase(), kind);
    return e.build();
  }

  private static int baseline(int tasksAtOne, int tasksAtZero, int otherAtZero) {
    PreemptBaseline b = new PreemptBaseline();
    for (int i = 0; i < tasksAtOne; i++) b.see(event(100 + i, EventKind.KMEM_CACHE_ALLOC, 0, 1));
    for (int i = 0; i < tasksAtZero; i++) b.see(event(200, EventKind.KMEM_CACHE_FREE, 0, 0));
    // none of these is a preemptible task's event: idle, irqs off, hardirq, a context switch
    for (int i = 0; i < otherAtZero; i++) {
      b.see(event(0, EventKind.KMEM_CACHE_FREE, 0, 0));
      b.see(event(300, EventKind.KMEM_CACHE_FREE, IRQS_OFF, 0));
      b.see(event(300, EventKind.KMEM_CACHE_FREE, HARDIRQ, 0));
      b.see(event(300, EventKind.SCHED_SWITCH, 0, 0));
    }
    return b.depth();
  }

  @Test
  void everyPreemptibleTaskEventAtOneIsTheTracepointsOwnLevel() {
    assertThat(baseline(PreemptBaseline.ENOUGH, 0, 50)).isEqualTo(1);
  }

  @Test
  void oneTaskEventAtZeroMeansNoBaseline() {
    assertThat(baseline(PreemptBaseline.ENOUGH, 1, 0)).isZero();
  }

  @Test
  void tooFewTaskEventsSayNothing() {
    assertThat(baseline(PreemptBaseline.ENOUGH - 1, 0, 50)).isZero();
  }

  @Test
  void atMostOneLevelIsTheTracepointsTheRestIsARealSection() {
    PreemptBaseline b = new PreemptBaseline();
    for (int i = 0; i < PreemptBaseline.ENOUGH; i++) b.see(event(100, EventKind.KMEM_CACHE_ALLOC, 0, 3));
    assertThat(b.depth()).isEqualTo(1);
  }
}
