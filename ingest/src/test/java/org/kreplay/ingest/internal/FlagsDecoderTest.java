package org.kreplay.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kreplay.ingest.ContextFlags;

class FlagsDecoderTest {
  private static int kernel(String f, boolean bhLegend) {
    byte[] b = f.getBytes(StandardCharsets.US_ASCII);
    return FlagsDecoder.decode(b, 0, b.length, false, bhLegend);
  }

  private static int libtraceevent(String f) {
    byte[] b = f.getBytes(StandardCharsets.US_ASCII);
    return FlagsDecoder.decode(b, 0, b.length, true, false);
  }

  /** Kernel five-column field (≥5.15) with the "irqs-off/BH-disabled" legend: every bit known. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // flags, irqsOff, bhOff, needResched, hardirq, softirq, nmi, depth, migrate
    "'.....', false, false, false, false, false, false, 0, 0",
    "'d..2.', true,  false, false, false, false, false, 2, 0",
    "'D.s1.', true,  true,  false, false, true,  false, 1, 0",
    "'b..1.', false, true,  false, false, false, false, 1, 0",
    "'dNh4.', true,  false, true,  true,  false, false, 4, 0",
    "'dnH21', true,  false, true,  true,  true,  false, 2, 1",
    "'dpz..', true,  false, true,  false, false, true,  0, 0",
    "'dNZf3', true,  false, true,  true,  false, true,  15, 3",
    "'.L.a.', false, false, true,  false, false, false, 10, 0",
    "'.l...', false, false, false, false, false, false, 0, 0",
  })
  void kernelFiveColumns(String flags, boolean irqsOff, boolean bhOff, boolean needResched, boolean hardirq,
      boolean softirq, boolean nmi, int depth, int migrate) {
    int f = kernel(flags, true);
    assertThat(f).as(flags).isNotEqualTo(FlagsDecoder.INVALID);
    assertThat(ContextFlags.irqsKnown(f)).isTrue();
    assertThat(ContextFlags.irqsOff(f)).isEqualTo(irqsOff);
    assertThat(ContextFlags.bhKnown(f)).isTrue();
    assertThat(ContextFlags.bhOff(f)).isEqualTo(bhOff);
    assertThat(ContextFlags.needResched(f)).isEqualTo(needResched);
    assertThat(ContextFlags.hardirq(f)).isEqualTo(hardirq);
    assertThat(ContextFlags.softirq(f)).isEqualTo(softirq);
    assertThat(ContextFlags.nmiKnown(f)).isTrue();
    assertThat(ContextFlags.nmi(f)).isEqualTo(nmi);
    assertThat(ContextFlags.preemptDepth(f)).isEqualTo(depth);
    assertThat(ContextFlags.migrateDisable(f)).isEqualTo(migrate);
  }

  @Test
  void withoutTheBhLegendOnlyBAndDMakeBhKnown() {
    assertThat(ContextFlags.bhKnown(kernel("d..1.", false))).isFalse();
    assertThat(ContextFlags.bhKnown(kernel("...1.", false))).isFalse();
    int b = kernel("b..1.", false);
    assertThat(ContextFlags.bhKnown(b) && ContextFlags.bhOff(b)).isTrue();
    int d = kernel("D..1.", false);
    assertThat(ContextFlags.bhOff(d) && ContextFlags.irqsOff(d)).isTrue();
  }

  @Test
  void fourColumnsOfOldKernelsHaveNoMigrateDisable() {
    int f = kernel("dNs3", false);
    assertThat(ContextFlags.irqsOff(f)).isTrue();
    assertThat(ContextFlags.needResched(f)).isTrue();
    assertThat(ContextFlags.softirq(f)).isTrue();
    assertThat(ContextFlags.preemptDepth(f)).isEqualTo(3);
    assertThat(ContextFlags.migrateKnown(f)).isFalse();
  }

  @Test
  void sevenColumnsOfOldRtKernelsSkipTheLazyColumns() {
    // irqs-off, need-resched, need-resched-lazy, hardirq/softirq, preempt, lazy-preempt, migrate
    int f = kernel("dn.h2.1", false);
    assertThat(ContextFlags.irqsOff(f)).isTrue();
    assertThat(ContextFlags.needResched(f)).isTrue();
    assertThat(ContextFlags.hardirq(f)).isTrue();
    assertThat(ContextFlags.preemptDepth(f)).isEqualTo(2);
    assertThat(ContextFlags.migrateDisable(f)).isEqualTo(1);
  }

  @Test
  void xMeansIrqStateUnknownNotEnabled() {
    int f = kernel("X..1.", true);
    assertThat(ContextFlags.irqsKnown(f)).isFalse();
    assertThat(ContextFlags.irqsOff(f)).isFalse();
  }

  @Test
  void libtraceeventHasNoBhAndNoNmi() {
    int f = libtraceevent("d.h2.");
    assertThat(ContextFlags.irqsOff(f)).isTrue();
    assertThat(ContextFlags.hardirq(f)).isTrue();
    assertThat(ContextFlags.bhKnown(f)).isFalse();
    assertThat(ContextFlags.nmiKnown(f)).isFalse();
    assertThat(ContextFlags.preemptDepth(f)).isEqualTo(2);
    assertThat(ContextFlags.migrateDisable(f)).isEqualTo(0);
    // 'b', 'D' and 'z' are kernel letters libtraceevent never prints
    assertThat(libtraceevent("b..1.")).isEqualTo(FlagsDecoder.INVALID);
    assertThat(libtraceevent("d.z1.")).isEqualTo(FlagsDecoder.INVALID);
  }

  @Test
  void libtraceeventExtraDigitIsMigrateDisable() {
    int f = libtraceevent("d..101");
    assertThat(ContextFlags.preemptDepth(f)).isEqualTo(1);
    assertThat(ContextFlags.migrateDisable(f)).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({"'q....'", "'.Q...'", "'..x..'", "'...g.'", "'....k'", "'...'"})
  void lettersNoRendererPrintsAreInvalid(String flags) {
    assertThat(kernel(flags, true)).isEqualTo(FlagsDecoder.INVALID);
  }

  @Test
  void renderShowsUnknownColumnsAsQuestionMarks() {
    assertThat(ContextFlags.render(ContextFlags.UNKNOWN)).isEqualTo("?????");
    assertThat(ContextFlags.render(kernel("dNh4.", true))).isEqualTo("dNh4.");
    assertThat(ContextFlags.render(libtraceevent("d.s1."))).isEqualTo("d.s1.");
  }
}
