package org.kreplay.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;

/**
 * Every damaged line is reported at its own line number, a report's problems name the line they are
 * about, lenient reading carries on after them and strict reading stops at the first, after handing
 * out the reports that ended before it.
 */
class LogLocationTest {
  private static final String LOG = String.join("\n",
      "[    0.556416] rtc_cmos 00:04: RTC can wake from S4",                                         // 1
      "[    0.557636] BUG: using smp_processor_id() in preemptible [00000000] code: swapper/0/1",      // 2
      "[    0.558169] caller is debug_smp_processor_id+0x13/0x20",                                     // 3
      "[    0.558511] CPU: 3 PID: 1 Comm: swapper/0 Not tainted 5.14.0 #15",                            // 4
      "[    0.559623] Call Trace:",                                                                     // 5
      "[    0.559796]  dump_stack_lvl+0x62/0x78",                                                       // 6
      "[    0.560041]  debug_smp_processor_id+0x13/0x20",                                               // 7
      "[    0.560263]  kernel_init+0x16/0x120",                                                         // 8
      "[    0.560576]  ret_from_fork+0x22/0x30",                                                        // 9
      "[    0.600001] usb 1-1: new high-speed USB device number 2 using xhci_hcd",                     // 10
      "[   13.815380] ============================================",                                  // 11
      "[   13.815382] WARNING: possible recursive locking detected",                                  // 12
      "[   13.815384] 6.3.0 #1 Not tainted",                                                           // 13
      "[   13.815386] --------------------------------------------",                                  // 14
      "[   13.815387] swapper/0/1 is trying to acquire lock:",                                         // 15
      "[   13.815389] ffffffff827ab0b0 (pci_bus_sem){++++-{3:3}, at: pci_enable_link_state+0x69/0x1d0", // 16
      "[   13.815396] ",                                                                               // 17
      "               but task is already holding lock:",                                             // 18
      "[   13.815398] ffffffff827ab0b0 (pci_bus_sem){++++}-{3:3}, at: pci_walk_bus+0x24/0x90",         // 19
      "[   13.815414] 2 locks held by swapper/0/1:",                                                   // 20
      "[   13.815416]  #0: ffff8881029511b8 (&dev->mutex){....}-{3:3}, at: __driver_attach+0xab/0x180", // 21
      "[   13.815426] ",                                                                               // 22
      "               stack backtrace:",                                                              // 23
      "[   13.815428] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.3.0 #1",                             // 24
      "[   13.815434] Call Trace:",                                                                    // 25
      "[   13.815436]  <TASK>",                                                                        // 26
      "[   13.815437]  dump_stack_lvl+0x64/0xb0",                                                      // 27
      "[   13.815443]  __lock_acquire+0x9b5/0x25g0",                                                   // 28
      "[   13.815461]  lock_acquire+0xd7/0x330",                                                       // 29
      "[   13.815366]  down_read+0x3d/0x180",                                                          // 30
      "[   13.815482]  pci_enable_link_state+0x69/0x1d0",                                              // 31
      "[   13.815488]  vmd_pm_enable_quirk+0x49/0xb0",                                                 // 32
      "[   13.815490]  pci_walk_bus+0x6d/0x90",                                                        // 33
      "");

  private static final String LOG_LINE_16 =
      "test.log:16: malformed lock usage: [   13.815389] ffffffff827ab0b0 (pci_bus_sem){++++-{3:3}, at: "
          + "pci_enable_link_state+0x69/0x1d0";

  @Test
  void problemsNameTheirLines() throws IOException {
    SplatText.Result r = TestLogs.readText(LOG);
    assertThat(r.splats()).hasSize(2);
    Splat first = r.splats().get(0);
    assertThat(first.kind()).isEqualTo(SplatKind.SMP_PROCESSOR_ID_PREEMPTIBLE);
    assertThat(first.where().firstLine()).isEqualTo(2);
    assertThat(first.where().lastLine()).isEqualTo(9);
    assertThat(first.damage().problems()).isEmpty(); // ret_from_fork is a stack bottom: a complete trace

    Splat second = r.splats().get(1);
    assertThat(second.kind()).isEqualTo(SplatKind.RECURSIVE_LOCKING);
    assertThat(second.where().firstLine()).isEqualTo(11); // the banner belongs to the report
    assertThat(second.where().lastLine()).isEqualTo(33);
    assertThat(second.damage().corrupted()).isTrue();
    assertThat(second.damage().truncated()).isTrue();
    assertThat(second.damage().problems()).containsExactly(
        LOG_LINE_16,
        "test.log:28: malformed frame offset: [   13.815443]  __lock_acquire+0x9b5/0x25g0",
        "test.log:30: timestamps go backwards inside the report: [   13.815366]  down_read+0x3d/0x180",
        "test.log:33: the call trace is cut short (its section markers are not closed)",
        "test.log:33: held-lock list shows 1 of 2 locks");
    assertThat(second.lockdep().acquiring()).isNull(); // its line was damaged
    assertThat(second.lockdep().holding().atFunction()).isEqualTo("pci_walk_bus");
    assertThat(second.stacks().frames()).extracting(Frame::function)
        .containsExactly("dump_stack_lvl", "lock_acquire", "down_read", "pci_enable_link_state", "vmd_pm_enable_quirk",
            "pci_walk_bus");

    // The damaged lines themselves are skipped (with their reason); every other line is accounted for.
    InputStats s = r.stats();
    assertThat(s.examples()).extracting(InputProblem::line).containsExactly(16L, 28L);
    assertThat(s.examples().get(0).toString()).isEqualTo(LOG_LINE_16);
    assertThat(s.skippedTotal()).isEqualTo(2);
    assertThat(s.lines()).isEqualTo(33);
    assertThat(s.accountedLines()).isEqualTo(33);
    assertThat(s.logLines()).isEqualTo(2); // lines 1 and 10
  }

  @Test
  void strictReadingHandsOutEarlierReportsThenStopsAtTheFirstDamagedLine() throws IOException {
    List<Splat> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (LogReader r = KernelLogs.open("test.log", new ByteArrayInputStream(LOG.getBytes(StandardCharsets.UTF_8)),
          ReadOptions.defaults().strict(true))) {
        for (Splat s; (s = r.next()) != null; ) seen.add(s);
      }
    }).isInstanceOf(TraceFormatException.class).hasMessage(LOG_LINE_16)
        .satisfies(e -> assertThat(((TraceFormatException) e).problem().line()).isEqualTo(16));
    assertThat(seen).extracting(Splat::kind).containsExactly(SplatKind.SMP_PROCESSOR_ID_PREEMPTIBLE);
  }

  @Test
  void strictReadingAcceptsCleanLogs() throws IOException {
    for (String name : TestLogs.names()) {
      if (name.startsWith("corrupted") || name.startsWith("truncated-mid-line") || name.startsWith("serial-console")) {
        continue; // damaged on purpose
      }
      SplatText.Result r = SplatText.read(name, new ByteArrayInputStream(TestLogs.bytes(name)),
          ReadOptions.defaults().strict(true));
      assertThat(r.stats().skippedTotal()).as(name).isZero();
    }
  }

  @Test
  void aLineTooLongToBeALogLineIsSkippedWhereItIs() throws IOException {
    String huge = "[    1.000000] " + "x".repeat(1 << 21);
    String log = String.join("\n", "[    0.5] hello", huge, LOG.split("\n", 2)[1]);
    SplatText.Result r = TestLogs.readText(log);
    assertThat(r.stats().examples()).first().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.reason()).isEqualTo("line too long");
    });
    assertThat(r.splats()).hasSize(2);
    assertThat(r.splats().get(0).where().firstLine()).isEqualTo(3); // line numbers stay right after it
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
    assertThatThrownBy(() -> TestLogs.readText(log, ReadOptions.defaults().strict(true)))
        .isInstanceOf(TraceFormatException.class).hasMessageStartingWith("test.log:2: line too long");
  }

  @Test
  void truncationIsReportedAtTheLastLineRead() throws IOException {
    String cut = LOG.substring(0, LOG.indexOf("kernel_init+0x16") + 8); // "kernel_i"
    Splat s = TestLogs.only(TestLogs.readText(cut));
    assertThat(s.damage().truncated()).isTrue();
    assertThat(s.where().lastLine()).isEqualTo(8);
    assertThat(s.damage().problems()).containsExactly("test.log:8: the input ends in the middle of the report's last line");
  }

  /** The first report's trace opened with a section marker that never closes before something else starts. */
  private static String unclosedFirstTrace(String bannerStamp) {
    return LOG.replace("[    0.560263]  kernel_init+0x16/0x120\n", "")
        .replace("[    0.560576]  ret_from_fork+0x22/0x30\n", "")
        .replace("[    0.559796]  dump_stack_lvl", "[    0.559796]  <TASK>\n[    0.559797]  dump_stack_lvl")
        .replace("[   13.815380] =====", "[" + bannerStamp + "] =====")
        .replace("[   13.815382] WARNING", "[" + bannerStamp + "] WARNING");
  }

  @Test
  void aReportCutByTheNextOneSaysWhere() throws IOException {
    Splat first = TestLogs.readText(unclosedFirstTrace("    0.700000")).splats().get(0);
    assertThat(first.damage().truncated()).isTrue();
    assertThat(first.where().lastLine()).isEqualTo(8);
    assertThat(first.damage().problems()).containsExactly("test.log:10: the call trace is cut short (its section markers are "
        + "not closed); the next report starts at line 10");
  }

  @Test
  void aReportCutByALongSilenceSaysWhere() throws IOException {
    Splat first = TestLogs.readText(unclosedFirstTrace("   13.815380")).splats().get(0);
    assertThat(first.damage().truncated()).isTrue();
    assertThat(first.damage().problems()).containsExactly("test.log:10: the call trace is cut short (its section markers are "
        + "not closed); line 10 is over 10 s later");
  }
}
