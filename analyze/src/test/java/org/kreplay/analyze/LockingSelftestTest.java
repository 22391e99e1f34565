package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.analyze.LockingSelftests.Scenario;

/**
 * lib/locking-selftest.c replayed through kreplay's kernel model: every case must give the
 * kernel's verdict (lockdep reports, or stays silent), the report must be of the kind the kernel
 * prints, and the result must not depend on whether the trace has preemptirq events or only
 * flags. The exact findings are pinned in {@code locking-selftest.golden}; regenerate it with
 * {@code -Dkreplay.updateGolden=true} after a deliberate change and review the diff.
 */
class LockingSelftestTest {
  private static final Path GOLDEN = Path.of("src/test/resources/org/kreplay/analyze/locking-selftest.golden");
  private static final Catalog CATALOG = Catalog.builtin();

  private static final Set<String> FLAGS_CANNOT_TELL = Set.of("rt_local_irq_disable_spin_lock_judged_rt");

  static Stream<Scenario> scenarios() {
    return LockingSelftests.all().stream();
  }

  /** What the replay reported for one scenario. */
  private record Outcome(boolean failed, Set<FindingKind> kinds, String line) {}

  private static Outcome run(Scenario s, boolean preemptIrqEvents) throws IOException {
    LockSim sim = new LockSim(preemptIrqEvents, s.config().tracedRt());
    s.body().accept(new LockingSelftests.Ops(sim));
    AnalysisResult r = sim.analyze(new AnalysisOptions(s.config(), CATALOG, true));
    // In the order they happened: the first is what the kernel would print (then lockdep turns off).
    List<Finding> findings = r.findings().all().stream()
        .sorted(java.util.Comparator.comparingLong(Finding::firstTimestamp)).collect(Collectors.toList());
    Set<FindingKind> kinds = new LinkedHashSet<>();
    for (Finding f : findings) kinds.add(f.kind());
    StringBuilder line = new StringBuilder(s.name()).append(": ").append(findings.isEmpty() ? "ok" : "FAIL");
    if (!findings.isEmpty()) {
      line.append(" [").append(kinds.stream().map(FindingKind::label).collect(Collectors.joining(", "))).append("] ");
      line.append(findings.get(0).message());
    }
    return new Outcome(!findings.isEmpty(), kinds, line.toString());
  }

  @Test
  void theCatalogueCoversTheSelftestFamilies() {
    List<Scenario> all = LockingSelftests.all();
    assertThat(all).hasSizeGreaterThanOrEqualTo(60);
    Set<String> names = new HashSet<>();
    for (Scenario s : all) assertThat(names.add(s.name())).as("duplicate " + s.name()).isTrue();
    assertThat(all.stream().filter(Scenario::expectFailure).count()).isGreaterThan(100);
    assertThat(all.stream().filter(s -> !s.expectFailure()).count()).isGreaterThan(60);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void givesTheKernelsVerdict(Scenario s) throws IOException {
    Outcome withEvents = run(s, true);
    assertThat(withEvents.failed()).as(withEvents.line()).isEqualTo(s.expectFailure());
    if (s.expectFailure()) {
      assertThat(withEvents.kinds()).as(withEvents.line()).containsAnyElementsOf(s.kinds());
    }
    // The same code traced without preemptirq events: only the flags say when interrupts change.
    Outcome flagsOnly = run(s, false);
    if (FLAGS_CANNOT_TELL.contains(s.name())) {
      // local_irq_disable(); spin_lock() looks like spin_lock_irq() when the flags are all there
      // is; kreplay assumes the lock disabled them (README: what flags alone cannot tell).
      assertThat(flagsOnly.failed()).as(flagsOnly.line()).isFalse();
      return;
    }
    assertThat(flagsOnly.failed()).as(flagsOnly.line()).isEqualTo(withEvents.failed());
    assertThat(flagsOnly.kinds()).as(flagsOnly.line()).isEqualTo(withEvents.kinds());
  }

  @Test
  void findingsMatchTheGoldenFile() throws IOException {
    StringBuilder actual = new StringBuilder();
    for (Scenario s : LockingSelftests.all()) actual.append(run(s, true).line()).append('\n');
    if (Boolean.getBoolean("kreplay.updateGolden")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual.toString()).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }
}
