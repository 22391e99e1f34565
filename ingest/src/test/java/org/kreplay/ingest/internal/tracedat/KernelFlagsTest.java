package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kreplay.ingest.ContextFlags;

/**
 * The kernel's TRACE_FLAG_* bits by release (trace-formats.md §1.3): 0x01 irqs off, 0x02
 * IRQS_NOSUPPORT (before 6.13) or NEED_RESCHED_LAZY, 0x04 need-resched, 0x08 hardirq, 0x10 softirq,
 * 0x20 preempt-resched, 0x40 NMI, 0x80 BH off (5.18 on); preempt count low nibble = depth, high
 * nibble = migrate-disable (5.15 on).
 */
class KernelFlagsTest {
  static int decode(String uname, int flags, int pc) {
    return KernelFlags.fromUname(uname).decode(flags, pc);
  }

  @Test
  void lazyBitOnNewKernels() {
    int f = decode("Linux vm 6.18.44-fc x86_64", 0x02, 0);
    assertThat(ContextFlags.irqsKnown(f)).isTrue();
    assertThat(ContextFlags.irqsOff(f)).isFalse();
    assertThat(ContextFlags.needResched(f)).as("lazy alone is not a pending reschedule").isFalse();
    assertThat(ContextFlags.needResched(decode("Linux vm 6.13.0 x86_64", 0x06, 0))).isTrue();
  }

  @Test
  void noSupportBitOnOldKernels() {
    int f = decode("Linux vm 6.1.0 x86_64", 0x02, 0);
    assertThat(ContextFlags.irqsKnown(f)).as("X: irqs state unknown").isFalse();
    assertThat(ContextFlags.irqsOff(decode("Linux vm 6.1.0 x86_64", 0x03, 0))).isTrue();
  }

  @Test
  void bottomHalvesFrom518() {
    int f = decode("Linux vm 5.18.0 x86_64", 0x81, 0x21);
    assertThat(ContextFlags.bhKnown(f)).isTrue();
    assertThat(ContextFlags.bhOff(f)).isTrue();
    assertThat(ContextFlags.render(f)).isEqualTo("D..12");
    assertThat(ContextFlags.bhKnown(decode("Linux vm 5.17.3 x86_64", 0x81, 0))).isFalse();
  }

  @Test
  void migrateDisableFrom515() {
    assertThat(ContextFlags.render(decode("Linux vm 5.15.0 x86_64", 0x18, 0x21))).isEqualTo("..H12");
    int old = decode("Linux vm 5.10.0 x86_64", 0x40, 0x21);
    assertThat(ContextFlags.migrateKnown(old)).isFalse();
    assertThat(ContextFlags.preemptDepth(old)).as("the byte is the depth, capped").isEqualTo(15);
    assertThat(ContextFlags.nmi(old)).isTrue();
  }

  @Test
  void unknownReleaseIsCautious() {
    int f = decode(null, 0x83, 0x21);
    assertThat(ContextFlags.bhKnown(f)).isFalse();
    assertThat(ContextFlags.migrateKnown(f)).isFalse();
    assertThat(ContextFlags.preemptDepth(f)).isEqualTo(1);
    assertThat(ContextFlags.irqsOff(f)).isTrue();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "Linux (none) 6.1.0-57-rt-amd64 x86_64 | true", "Linux vm 6.1.58-rt15 x86_64 | true",
      "Linux vm 6.6.0 #1 SMP PREEMPT_RT Thu x86_64 | true", "Linux vm 6.1.0-28-amd64 x86_64 | false",
      "Linux rtx 6.8.0-start x86_64 | false", "Linux vm 6.1.0 #1 SMP PREEMPT_DYNAMIC x86_64 | false"})
  void anRtReleaseInUnameMeansPreemptRt(String uname, boolean rt) {
    assertThat(KernelFlags.namesPreemptRt(uname)).isEqualTo(rt);
  }
}
