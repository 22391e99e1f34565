package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;

/**
 * Real recordings on Debian's 6.1 PREEMPT_RT kernel under QEMU (traces/rt-vm, recorded by rtvm.sh):
 * each scenario's bug variant must give the problem its seed describes, in the context the flags
 * show and with the module's code as culprit, never the tracing machinery; each fix variant none,
 * with the deferral that replaced it measured. The trace.dat (trace-cmd record) and the text (a
 * tracefs instance recording the same moments) must agree. What each gives is pinned in
 * expected-dat.txt / expected-txt.txt beside it (-Dkreplay.updateGolden=true, then review the diff).
 * Latencies come from an emulated machine: their order and context are real, their size is not.
 */
class RtVmRecordingTest {
  static final Path REC = RealTraceTest.TRACES.resolve("rt-vm").resolve("rec").resolve("rt");
  static final String TEXT = "trace.txt.xz";
  static final String DAT = "trace.dat";

  static AnalysisResult analyze(String scenario, String file) throws IOException {
    Catalog catalog = Catalog.builtin();
    ReadOptions options = ReadOptions.defaults().probeFrames(catalog::probeFrame);
    try (TraceReader r = Traces.open(REC.resolve(scenario).resolve(file).toString(), options)) {
      return Analyzer.analyze(r, new AnalysisOptions(KernelConfig.DEFAULT, catalog, false), Analyzer.Progress.NONE);
    }
  }

  /** Every recorded scenario (a directory with both forms). */
  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> dirs = Files.list(REC)) {
      return dirs.filter(d -> Files.exists(d.resolve(DAT)) && Files.exists(d.resolve(TEXT)))
          .map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  static Stream<String> recordings() throws IOException {
    return scenarios().flatMap(s -> Stream.of(s + "/" + TEXT, s + "/" + DAT));
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void everyLineIsReadTheKernelIsRecognisedAsPreemptRtAndTheVerdictsAreAsPinned(String recording) throws IOException {
    String scenario = recording.substring(0, recording.indexOf('/'));
    String file = recording.substring(recording.indexOf('/') + 1);
    AnalysisResult r = analyze(scenario, file);
    assertThat(r.input().skippedTotal()).as("unparsed lines").isZero();
    assertThat(r.input().accountedLines()).isEqualTo(r.input().lines());
    assertThat(r.summary().rules()).containsExactly("PREEMPT_RT kernel");
    String actual = SeedScenarioTest.summary(r);
    Path expected = REC.resolve(scenario).resolve(file.equals(DAT) ? "expected-dat.txt" : "expected-txt.txt");
    if (Boolean.getBoolean("kreplay.updateGolden")) Files.writeString(expected, actual, StandardCharsets.UTF_8);
    assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
  }

  /** What a finding says about the problem, without counts (the two buffers lose different events). */
  private static List<String> problems(AnalysisResult r) {
    List<String> out = new ArrayList<>();
    for (Finding f : r.findings().all()) {
      out.add(f.kind().label() + " " + f.certainty().label() + " culprit=" + f.culprit() + " context=" + f.context());
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void theTraceDatAndTheTextOfOneRecordingGiveTheSameProblems(String scenario) throws IOException {
    assertThat(problems(analyze(scenario, TEXT))).isEqualTo(problems(analyze(scenario, DAT)));
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void theTracingMachineryIsNeverTheCulprit(String recording) throws IOException {
    String scenario = recording.substring(0, recording.indexOf('/'));
    for (Finding f : analyze(scenario, recording.substring(recording.indexOf('/') + 1)).findings().all()) {
      assertThat(f.culprit()).doesNotContain("kprobe").doesNotContain("ftrace").doesNotStartWith("0x");
      assertThat(f.chain()).noneMatch(frame -> frame.contains("kprobe") || frame.startsWith("0x"));
    }
  }

  private static Finding only(AnalysisResult r, FindingKind kind) {
    List<Finding> of = new ArrayList<>();
    for (Finding f : r.findings().all()) if (f.kind() == kind) of.add(f);
    assertThat(of).hasSize(1);
    return of.get(0);
  }

  private static DeferralRow row(AnalysisResult r, Mechanism mechanism, String key) {
    for (DeferralRow row : r.deferrals().rows()) {
      if (row.mechanism() == mechanism && row.key().equals(key) && row.metric() == DeferralRow.Metric.LATENCY) return row;
    }
    throw new AssertionError("no " + mechanism.label() + " row " + key);
  }

  @Test
  void s1TheHardHrtimerCallbackTakesASpinlockAndFreesToTheSlabInHardirq() throws IOException {
    AnalysisResult bug = analyze("s1-bug", DAT);
    assertThat(bug.findings().all()).hasSize(2);
    Finding lock = only(bug, FindingKind.SLEEP_IN_ATOMIC);
    assertThat(lock.culprit()).isEqualTo("rtvm_s1_put_obj");
    assertThat(lock.message()).startsWith("sleeping lock (rt_spin_lock) taken in hardirq context");
    assertThat(lock.context()).startsWith("hardirq: local_timer vector > HARD hrtimer callback rtvm_s1_timer_fn");
    assertThat(lock.remedy()).contains("call_rcu");
    Finding free = only(bug, FindingKind.RT_ALLOC_IN_ATOMIC);
    assertThat(free.culprit()).isEqualTo("rtvm_s1_timer_fn");
    assertThat(free.message()).startsWith("kmem_cache_free (rtvm_s1_obj) takes sleeping locks on PREEMPT_RT");
    assertThat(free.count()).as("the allocator's rt_spin_lock stacks and its tracepoint: one problem")
        .isGreaterThan(20);
    for (String fix : List.of("s1-rcu", "s1-wq")) assertThat(analyze(fix, DAT).findings().all()).as(fix).isEmpty();
    assertThat(row(analyze("s1-wq", DAT), Mechanism.WORKQUEUE, "rtvm_s1_put_obj_work").count()).isEqualTo(20);
  }

  @Test
  void s2ThePageAllocationUnderARawSpinlockAndItsDeferralToAWorkItem() throws IOException {
    AnalysisResult bug = analyze("s2-bug", DAT);
    assertThat(bug.findings().all()).extracting(Finding::kind).containsOnly(FindingKind.RT_ALLOC_IN_ATOMIC);
    assertThat(bug.findings().all()).extracting(Finding::culprit).contains("rtvm_s2_add_ptr_to_bulk");
    AnalysisResult fix = analyze("s2-fix", DAT);
    assertThat(fix.findings().all()).isEmpty();
    assertThat(row(fix, Mechanism.WORKQUEUE, "rtvm_s2_fill_page_cache_func").count()).isGreaterThan(100);
    assertThat(row(fix, Mechanism.HRTIMER, "rtvm_s2_schedule_page_work_fn").count()).isGreaterThan(100);
  }

  @Test
  void s3AHardIrqWorkTakesASpinlockAndTheNormalOneRunsInTheIrqWorkThread() throws IOException {
    Finding lock = only(analyze("s3-bug", DAT), FindingKind.SLEEP_IN_ATOMIC);
    assertThat(lock.culprit()).as("wake_up()'s tail call leaves the callback out of the stack; the context names it")
        .isEqualTo("rtvm_s3_wake_up_waiters");
    assertThat(lock.context()).startsWith("hardirq: irq_work vector > irq_work callback rtvm_s3_wake_up_waiters");
    AnalysisResult fix = analyze("s3-fix", DAT);
    assertThat(fix.findings().all()).isEmpty();
    assertThat(row(fix, Mechanism.IRQ_WORK, "rtvm_s3_wake_up_waiters").classLabel()).isEqualTo("thread");
    // no irq_work_queue() events in the recording, so the deferral's cost shows as the thread's wakeups
    assertThat(row(fix, Mechanism.WAKEUP, "irq_work/0").count()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void controlsAndS4WithoutLockdepGiveNothing() throws IOException {
    // rt_mutex contention is traced under the lock's wait_lock (irqs off, preempt_count 1): not the caller's state
    for (String s : List.of("control-idle", "control-cyclictest", "s4-bug", "s4-fix")) {
      assertThat(analyze(s, DAT).findings().all()).as(s).isEmpty();
      assertThat(analyze(s, TEXT).findings().all()).as(s).isEmpty();
    }
  }

  /** Every report of a console log, judged as {@code kreplay splat} judges it. */
  private static List<SplatVerdict> splats(Path log) throws IOException {
    List<SplatVerdict> out = new ArrayList<>();
    Catalog catalog = Catalog.builtin();
    try (LogReader r = KernelLogs.open(log.toString(), ReadOptions.defaults().reportHeaders(catalog.reportHeaders()))) {
      for (org.kreplay.ingest.log.Splat sp; (sp = r.next()) != null; ) {
        out.add(SplatAnalyzer.verdict(sp, new AnalysisOptions(KernelConfig.DEFAULT, catalog, false)));
      }
    }
    return out;
  }

  @Test
  void theContendedS1PanicsWithTheTracesProblemOnTheConsole() throws IOException {
    // panic_on_warn: the HARD timer found the lock held by the module's thread and scheduled in hardirq
    List<SplatVerdict> v = splats(REC.resolve("s1-contended").resolve("console.log.xz"));
    assertThat(v).hasSize(1);
    assertThat(v.get(0).kind()).isEqualTo("schedule-while-atomic");
    assertThat(v.get(0).culprit()).as("not panic's or the rtlock slow path's frames").isEqualTo("rtvm_s1_put_obj");
    assertThat(v.get(0).context()).startsWith("hardirq: local_timer vector");
    assertThat(v.get(0).rules()).isEqualTo("PREEMPT_RT kernel");
  }

  @Test
  void theFtraceDumpOnThatConsoleGivesTheSameProblemAsTheRecordedTraces() throws IOException {
    // ftrace_dump_on_oops printed the buffer on the console before the panic: read as a trace
    AnalysisResult dump = analyze("s1-contended", "console.log.xz");
    assertThat(dump.summary().rules()).containsExactly("PREEMPT_RT kernel");
    assertThat(dump.input().skippedTotal()).isZero();
    List<String> seen = new ArrayList<>();
    for (Finding f : dump.findings().all()) seen.add(f.kind().label() + " " + f.culprit() + " " + f.context());
    assertThat(seen).anyMatch(s -> s.startsWith("sleep-in-atomic rtvm_s1_put_obj hardirq: local_timer vector > HARD hrtimer"));
    // contended, the rt_spin_lock blocks: the kernel's contention_begin in the HARD callback
    assertThat(dump.findings().all()).anyMatch(f -> f.message().startsWith("waits for a contended rt_mutex-based lock")
        && f.context().startsWith("hardirq"));
  }

  @Test
  void theLockdepRtKernelsSplatsNameTheSameCodeAndEveryReportIsFromItsRtKernel() throws IOException {
    // the self-built 6.12 PREEMPT_RT kernel with PROVE_LOCKING (rtvm.sh kernel lockdep-rt); the
    // guest wedged after its reports (the lock taken in hardirq scheduled), so no trace came out
    List<SplatVerdict> v = splats(RealTraceTest.TRACES.resolve("rt-vm/rec/lockdep-rt/s1-bug/console.log.xz"));
    assertThat(v).extracting(SplatVerdict::kind).contains("invalid-wait-context", "sleep-in-atomic");
    for (SplatVerdict s : v) {
      if (!s.kind().equals("rcu-stall")) assertThat(s.culprit()).as(s.kind()).startsWith("rtvm_s1_");
      // the stall's task dump has no CPU line: the boot's "Linux version ... PREEMPT_RT" banner says which kernel
      assertThat(s.rules()).as(s.kind()).isEqualTo("PREEMPT_RT kernel");
    }
  }
}
