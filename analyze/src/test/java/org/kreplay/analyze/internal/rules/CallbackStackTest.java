package org.kreplay.analyze.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Recorders;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.ingest.ContextFlags;
import org.junit.jupiter.api.Test;

/** The callbacks a CPU runs end with the context frame they started in. */
class CallbackStackTest {
  private final CpuContext cpu = new ContextTracker(Recorders.of(new AnalysisResult())).cpu(0);
  private final CallbackStack stack = new CallbackStack();

  @Test
  void aCallbackEndsWithItsFrame() {
    cpu.push(CpuContext.HARDIRQ, 0x100ec, "local_timer vector", (byte) 0, 1, ContextFlags.UNKNOWN);
    stack.push(cpu, CallbackStack.HRTIMER, "tick_sched_timer", DeferralRow.CLASS_HARD, 0xabc, 2, null);
    assertThat(stack.innermostIn(cpu.innermost(CpuContext.HARDIRQ))).isEqualTo(0);
    assertThat(stack.describe(0)).isEqualTo("HARD hrtimer callback tick_sched_timer");
    cpu.pop(CpuContext.HARDIRQ, 0x100ec);
    stack.dropFinished(cpu);
    assertThat(stack.size()).isZero();
  }

  @Test
  void rcuCallbacksOfOneBatchReplaceEachOtherAndAreNotInterruptCallbacks() {
    cpu.push(CpuContext.SOFTIRQ, 9, "softirq RCU", (byte) -1, 1, ContextFlags.UNKNOWN);
    stack.replace(cpu, CallbackStack.RCU_CB, "first_cb", 0, 2);
    stack.replace(cpu, CallbackStack.RCU_CB, "second_cb", 0, 3);
    assertThat(stack.size()).isEqualTo(1);
    assertThat(stack.name(0)).isEqualTo("second_cb");
    assertThat(stack.innermostIn(0)).as("RCU callbacks are not what a hardirq runs").isEqualTo(-1);
  }

  @Test
  void aTimerPopsByItsAddressAndTheStackIsBounded() {
    for (int i = 0; i < CallbackStack.MAX_CALLBACKS; i++) {
      assertThat(stack.push(cpu, CallbackStack.HRTIMER, "t" + i, 0, i, i, null)).isEqualTo(i);
    }
    assertThat(stack.push(cpu, CallbackStack.HRTIMER, "one too many", 0, 99, 99, null)).isEqualTo(-1);
    stack.pop(CallbackStack.HRTIMER, 3);
    assertThat(stack.size()).isEqualTo(3);
  }
}
