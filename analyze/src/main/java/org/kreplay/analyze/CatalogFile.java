package org.kreplay.analyze;

import java.util.List;

/**
 * The catalog file's entries as the file spells them (words, not yet checked); {@link
 * CatalogEntryTyper} turns each into its {@link CatalogTypes} record or refuses it.
 */
final class CatalogFile {
  private CatalogFile() {}

  record LockClass(String name, String type, String source, String match, String note) {}

  record Function(String name, String effect, String lockType, Boolean read, String irq, String context,
      String mechanism, Boolean rtOnly, String source) {}

  record Hrtimer(String name, String mode, String source) {}

  record Contention(String flag, boolean irqsOff, int preempt, String source) {}

  record RtThread(String name, String source) {}

  record IrqWorkRunner(String name, String source) {}

  record SchedulerCore(String name, String source) {}

  record GfpBlocking(String name, String source) {}

  record Irq(String name, List<String> flags, String source) {}

  record Skip(String name, String match, String why) {}

  record DeferralMechanism(String name, List<String> waits, List<String> rtWaits, String runsIn, String rtRunsIn,
      String observed, String source) {}

  record TickInterrupt(String name, String source) {}
}
