package org.kreplay.analyze.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.EventSelection;

/** The switch cost a modeled runner end is floored by: its own wakeups, else its family's, else its class's. */
class RunnerCostsTest {
  private static final Pattern HIGHPRI_0 = EventSelection.globPattern("kworker/0:*H");

  @Test
  void aRunnerWokenEnoughTimesCostsItsOwnMedian() {
    RunnerCosts c = new RunnerCosts(List.of("kworker/"));
    for (long us : new long[] {10, 20, 30, 40, 50}) c.wakeup("kworker/0:1H", false, us * 1000);
    for (int i = 0; i < 9; i++) c.wakeup("kworker/0:2", false, 500_000);
    assertThat(c.median(HIGHPRI_0, "kworker/", false)).isEqualTo(30_000);
  }

  @Test
  void aPoolTheTraceNeverWokeCostsItsFamilysMedianThenItsClasss() {
    RunnerCosts c = new RunnerCosts(List.of("kworker/"));
    c.wakeup("rcuc/0", true, 900_000); // not a runner's family, RT: counts only for RT threads
    for (long us : new long[] {100, 200, 300}) c.wakeup("workload.sh", false, us * 1000);
    c.wakeup("kworker/u4:0", false, 550_000);
    assertThat(c.median(HIGHPRI_0, "kworker/", false)).as("one kworker wakeup is not enough: all CFS ones")
        .isEqualTo(300_000);
    for (int i = 0; i < 4; i++) c.wakeup("kworker/1:0", false, 137_000);
    assertThat(c.median(HIGHPRI_0, "kworker/", false)).as("five of its family").isEqualTo(137_000);
    assertThat(c.median(EventSelection.globPattern("ktimers/0"), "ktimers/", true)).as("RT class").isEqualTo(900_000);
  }

  @Test
  void aTraceWithNoWakeupsCostsNothing() {
    assertThat(new RunnerCosts(List.of("kworker/")).median(HIGHPRI_0, "kworker/", false)).isZero();
  }
}
