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

  /** The test modules' lock classes, as a user passes --catalog for out-of-tree code. */
  static final Path MODULE_LOCKS = RealTraceTest.TRACES.resolve("rt-vm/modules/catalog.yaml");

  /** {@code scenario}: "s1-bug" (on the RT kernel) or "KERNEL/SCENARIO". */
  static AnalysisResult analyze(String scenario, String file) throws IOException {
    Catalog catalog = Catalog.builtinWith(List.of(MODULE_LOCKS));
    ReadOptions options = ReadOptions.defaults().probeFrames(catalog::probeFrame);
    Path dir = scenario.contains("/") ? REC.getParent().resolve(scenario) : REC.resolve(scenario);
    try (TraceReader r = Traces.open(dir.resolve(file).toString(), options)) {
      return Analyzer.analyze(r, new AnalysisOptions(KernelConfig.DEFAULT, catalog, false), Analyzer.Progress.NONE);
    }
  }

  /** Every recorded scenario with both forms, as KERNEL/SCENARIO ("rt/s1-bug", "std/s1-bug", …). */
  static Stream<String> scenarios() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> kernels = Files.list(REC.getParent())) {
      for (Path k : kernels.sorted().toList()) {
        try (Stream<Path> dirs = Files.list(k)) {
          dirs.filter(d -> Files.exists(d.resolve(DAT)) && Files.exists(d.resolve(TEXT))).sorted()
              .forEach(d -> out.add(k.getFileName() + "/" + d.getFileName()));
        }
      }
    }
    return out.stream();
  }

  /** The rules a kernel's recordings are judged by: the kernel's own, found in the trace. */
  private static String rulesOf(String kernel) {
    return kernel.endsWith("rt") ? "PREEMPT_RT kernel" : "non-RT kernel";
  }

  static Stream<String> recordings() throws IOException {
    return scenarios().flatMap(s -> Stream.of(s + "/" + TEXT, s + "/" + DAT));
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void everyLineIsReadTheKernelIsRecognisedAsPreemptRtAndTheVerdictsAreAsPinned(String recording) throws IOException {
    String scenario = recording.substring(0, recording.lastIndexOf('/'));
    String file = recording.substring(recording.lastIndexOf('/') + 1);
    AnalysisResult r = analyze(scenario, file);
    assertThat(r.input().skippedTotal()).as("unparsed lines").isZero();
    assertThat(r.input().accountedLines()).isEqualTo(r.input().lines());
    String kernel = scenario.substring(0, scenario.indexOf('/'));
    // The text of the 6.12 kernels has the 5 flag columns of any kernel: it says PREEMPT_RT only
    // where an RT-only function or thread shows (the goldens pin which did)
    if (file.equals(DAT) || !kernel.startsWith("lockdep")) assertThat(r.summary().rules()).containsExactly(rulesOf(kernel));
    String actual = SeedScenarioTest.summary(r);
    Path expected = REC.getParent().resolve(scenario).resolve(file.equals(DAT) ? "expected-dat.txt" : "expected-txt.txt");
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
    String scenario = recording.substring(0, recording.lastIndexOf('/'));
    for (Finding f : analyze(scenario, recording.substring(recording.lastIndexOf('/') + 1)).findings().all()) {
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
    assertThat(bug.findings().all()).extracting(Finding::culprit).containsOnly("rtvm_s2_add_ptr_to_bulk");
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
  void theSummarySaysWhatShowedThePreemptRtKernel() throws IOException {
    assertThat(analyze("rt/s1-bug", DAT).summary().kernels())
        .containsExactly("PREEMPT_RT: the trace.dat's uname: Linux (none) 6.1.0-57-rt-amd64 x86_64");
    assertThat(analyze("rt/control-idle", TEXT).summary().kernels())
        .containsExactly("PREEMPT_RT: 7 flag columns (the preempt-lazy depth)");
    // 6.12's text has 5 flag columns: the first probe hit on an RT-only lock function says it
    assertThat(analyze("lockdep-rt/s1-rcu", TEXT).summary().kernels()).singleElement().asString()
        .startsWith("PREEMPT_RT: a probe on rt_spin_lock (a PREEMPT_RT-only function), at ")
        .endsWith("trace.txt.xz:745");
    assertThat(analyze("std/s1-bug", DAT).summary().kernels()).containsExactly("non-RT: nothing in the input says PREEMPT_RT");
  }

  @Test
  void anRtOnlyThreadSaysPreemptRtWhereTheFlagsDoNot() throws IOException {
    String text = String.join("\n",
        "          <idle>-0       [000] d..2.    31.175497: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=rcuc/0 next_pid=19 next_prio=98",
        "          rcuc/0-19      [000] d..2.    31.175600: sched_switch: prev_comm=rcuc/0 prev_pid=19 prev_prio=98 prev_state=S ==> next_comm=irq_work/0 next_pid=23 next_prio=98",
        "");
    try (TraceReader r = Traces.open("t.txt", new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        ReadOptions.defaults())) {
      AnalysisResult a = Analyzer.analyze(r, AnalysisOptions.defaults(), Analyzer.Progress.NONE);
      assertThat(a.summary().rules()).containsExactly("PREEMPT_RT kernel");
      assertThat(a.summary().kernels()).containsExactly("PREEMPT_RT: the thread irq_work/0 runs (PREEMPT_RT kernels only), at t.txt:2");
      assertThat(a.summary().events()).as("the events looked at first are analysed too").isEqualTo(2);
    }
  }

  @Test
  void onTheNonRtKernelTheS1BugIsLegalAndJudgedAsPreemptRtItIsTheFreeInHardirq() throws IOException {
    Path dat = REC.getParent().resolve("std/s1-bug").resolve(DAT);
    assertThat(analyze("std/s1-bug", DAT).findings().all()).as("spinlock_t spins, the slab does not sleep").isEmpty();
    Catalog catalog = Catalog.builtin();
    try (TraceReader r = Traces.open(dat.toString(), ReadOptions.defaults().probeFrames(catalog::probeFrame))) {
      AnalysisResult judged = Analyzer.analyze(r, new AnalysisOptions(new KernelConfig(false, true, true), catalog, true),
          Analyzer.Progress.NONE);
      assertThat(judged.summary().rules()).containsExactly("non-RT kernel judged as PREEMPT_RT");
      assertThat(judged.findings().all()).anyMatch(f -> f.kind() == FindingKind.RT_ALLOC_IN_ATOMIC
          && f.certainty() == Finding.Certainty.CERTAIN && f.culprit().equals("rtvm_s1_timer_fn")
          && f.context().startsWith("hardirq: local_timer vector > HARD hrtimer callback rtvm_s1_timer_fn"));
    }
  }

  @Test
  void s4OnTheLockdepRtKernelTheAbbaFromLockdepsOwnEventsAndTheIrqWorkFixClosesIt() throws IOException {
    // the module takes rq_lock -> srcu_lock on CPU 0 and srcu_lock -> rq_lock on CPU 1, one after
    // the other (overlap=0): lockdep's events show the order, lockdep's console report the same
    Finding abba = only(analyze("lockdep-rt/s4-bug", DAT), FindingKind.CIRCULAR_DEPENDENCY);
    assertThat(abba.culprit()).isEqualTo("rtvm_s4_wake_up_worker");
    assertThat(abba.locks()).containsExactlyInAnyOrder("rtvm_s4_srcu_lock", "rtvm_s4_rq_lock");
    assertThat(abba.context()).startsWith("task rtvm_s4_gp/");
    assertThat(reports("lockdep-rt/s4-bug")).contains("circular-dependency rtvm_s4_wake_up_worker");
    AnalysisResult fix = analyze("lockdep-rt/s4-fix", DAT);
    assertThat(fix.findings().all()).isEmpty();
    assertThat(row(fix, Mechanism.IRQ_WORK, "rtvm_s4_srcu_irq_work").classLabel()).isEqualTo("thread");
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
    // the self-built 6.12 PREEMPT_RT kernel with PROVE_LOCKING (rtvm.sh kernel lockdep-rt): lockdep's
    // and might_sleep's reports, then an int3 oops in the tracing's own text patching and the panic
    List<SplatVerdict> v = splats(RealTraceTest.TRACES.resolve("rt-vm/rec/lockdep-rt/s1-bug/console.log.xz"));
    assertThat(v).extracting(SplatVerdict::kind).contains("invalid-wait-context", "sleep-in-atomic");
    for (SplatVerdict s : v) {
      if (s.kind().equals("invalid-wait-context") || s.kind().equals("sleep-in-atomic")) {
        assertThat(s.culprit()).as(s.kind()).isEqualTo("rtvm_s1_put_obj");
        assertThat(s.context()).as(s.kind()).startsWith("hardirq: local_timer vector");
      }
      // the panic line has no CPU line of its own: the boot's "Linux version ... PREEMPT_RT" banner says which kernel
      assertThat(s.rules()).as(s.kind()).isEqualTo("PREEMPT_RT kernel");
    }
  }


  /** kind and culprit of every report of a recording's console, in order. */
  private static List<String> reports(String recording) throws IOException {
    List<String> out = new ArrayList<>();
    for (SplatVerdict v : splats(REC.getParent().resolve(recording).resolve("console.log.xz"))) {
      out.add(v.kind() + " " + v.culprit());
    }
    return out;
  }

  @Test
  void theLockdepKernelsReportTheSeedsProblemsInTheModulesCode() throws IOException {
    // what lockdep itself says; the trace of most of these runs was lost (the guest oopsed in
    // the tracer's int3 text patching under TCG, or the ABBA deadlocked on the non-RT kernel)
    assertThat(reports("lockdep-rt/s3-bug"))
        .contains("invalid-wait-context rtvm_s3_wake_up_waiters", "sleep-in-atomic rtvm_s3_wake_up_waiters");
    assertThat(reports("lockdep-rt/s4-bug")).contains("circular-dependency rtvm_s4_wake_up_worker");
    assertThat(reports("lockdep/s4-bug")).contains("circular-dependency rtvm_s4_wake_up_worker");
    assertThat(reports("lockdep/s2-bug")).as("seed 002's non-RT report").contains("invalid-wait-context rtvm_s2_add_ptr_to_bulk");
    // and the trace of that S2 run: lockdep's own events, the module's raw lock typed by its catalog file
    AnalysisResult trace = analyze("lockdep/s2-bug", DAT);
    Finding wait = only(trace, FindingKind.INVALID_WAIT_CONTEXT);
    assertThat(wait.message()).startsWith("invalid wait context: &zone->lock (spinlock_t, wait type 3) taken while holding"
        + " rtvm_s2_krc_lock (raw_spinlock_t)");
    assertThat(wait.context()).startsWith("task rtvm_s2/");
    assertThat(wait.culprit()).as("lockdep's event has no stack: the task's last traced function, as lockdep's report names it")
        .isEqualTo("rtvm_s2_add_ptr_to_bulk");
    assertThat(analyze("lockdep/s2-fix", DAT).findings().all()).isEmpty();
  }
}
