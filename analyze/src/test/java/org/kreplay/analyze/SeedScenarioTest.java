package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/**
 * The four fixes the project was seeded with (traces/seeds/*): each "before" trace must give the
 * problem with the culprit and context the patch names, each "after" trace none of it and the
 * deferral that replaced it, with its latency. The full findings are pinned in expected-*.txt
 * next to the traces (regenerate with -Dkreplay.updateGolden=true and review the diff).
 */
class SeedScenarioTest {
  private static final Path SEEDS = RealTraceTest.TRACES.resolve("seeds");

  private static AnalysisResult analyze(String seed, String which) throws IOException {
    Path dir = SEEDS.resolve(seed);
    Path catalogFile = dir.resolve("catalog.yaml");
    Catalog catalog = Catalog.builtinWith(Files.exists(catalogFile) ? List.of(catalogFile) : List.of());
    try (TraceReader r = Traces.open(dir.resolve(which + ".txt").toString(), ReadOptions.defaults())) {
      return Analyzer.analyze(r, new AnalysisOptions(KernelConfig.DEFAULT, catalog, false), Analyzer.Progress.NONE);
    }
  }

  /** What a user reads, one finding or deferral row per line, without file paths. */
  static String summary(AnalysisResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("rules: ").append(String.join(", ", r.summary().rules())).append('\n');
    for (Finding f : r.findings().all()) {
      sb.append(f.kind().label()).append(" (").append(f.certainty().label()).append(") x").append(f.count())
          .append(" culprit=").append(f.culprit()).append(" locks=").append(f.locks()).append('\n')
          .append("  ").append(f.message()).append('\n')
          .append("  context: ").append(f.context()).append('\n')
          .append("  remedy: ").append(f.remedy()).append('\n');
    }
    if (r.findings().isEmpty()) sb.append("no findings\n");
    for (DeferralRow row : r.deferrals().rows()) {
      if (row.key().startsWith(DeferralRow.ALL) || row.count() == 0) continue;
      sb.append(String.format(Locale.ROOT, "%s %s %s [%s] n=%d max=%.3f us%n", row.mechanism().label(),
          row.metric().name().toLowerCase(Locale.ROOT), row.key(), row.classLabel(), row.count(), row.maxNs() / 1000.0));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-put-task-struct/before", "1-put-task-struct/after", "2-kvfree-rcu/before",
      "2-kvfree-rcu/after", "3-irq-work-rt/before", "3-irq-work-rt/after", "4-srcu-rq-abba/before",
      "4-srcu-rq-abba/after"})
  void findingsMatchTheExpectedFile(String trace) throws IOException {
    String seed = trace.substring(0, trace.indexOf('/'));
    String which = trace.substring(trace.indexOf('/') + 1);
    String actual = summary(analyze(seed, which));
    Path expected = SEEDS.resolve(seed).resolve("expected-" + which + ".txt");
    if (Boolean.getBoolean("kreplay.updateGolden")) Files.writeString(expected, actual, StandardCharsets.UTF_8);
    assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
  }

  private static List<Finding> of(AnalysisResult r, FindingKind kind) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : r.findings().all()) if (f.kind() == kind) out.add(f);
    return out;
  }

  @Test
  void putTaskStructFromTheHardHrtimerIsAFreeInHardirqAndCallRcuFixesIt() throws IOException {
    AnalysisResult before = analyze("1-put-task-struct", "before");
    assertThat(before.summary().rules()).containsExactly("PREEMPT_RT kernel");
    Finding free = of(before, FindingKind.RT_ALLOC_IN_ATOMIC).get(0);
    assertThat(free.culprit()).isEqualTo("inactive_task_timer");
    assertThat(free.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(free.context()).contains("hardirq").contains("HARD hrtimer callback inactive_task_timer");
    Finding lock = of(before, FindingKind.SLEEP_IN_ATOMIC).get(0);
    assertThat(lock.locks()).containsExactly("stock_lock");
    assertThat(lock.culprit()).isEqualTo("inactive_task_timer");
    // the kernel's own report in the patch: mark_lock_irq(), an inconsistent lock state
    assertThat(of(before, FindingKind.INCONSISTENT_LOCK_STATE)).extracting(Finding::culprit)
        .containsExactly("inactive_task_timer");

    AnalysisResult after = analyze("1-put-task-struct", "after");
    assertThat(after.findings().isEmpty()).isTrue();
    DeferralRow rcu = after.deferrals().find(Mechanism.RCU, DeferralRow.Metric.LATENCY, "__put_task_struct_rcu_cb");
    assertThat(rcu.count()).isEqualTo(1);
    assertThat(rcu.maxNs()).isEqualTo(3_989_000);
  }

  @Test
  void kvfreeRcuAllocatingUnderItsRawLockIsAnInvalidWaitContextAndTheHrtimerPlusWorkqueueFixesIt()
      throws IOException {
    AnalysisResult before = analyze("2-kvfree-rcu", "before");
    Finding f = of(before, FindingKind.INVALID_WAIT_CONTEXT).get(0);
    assertThat(f.culprit()).isEqualTo("kvfree_call_rcu_add_ptr_to_bulk");
    assertThat(f.locks()).containsExactly("krc.lock", "&zone->lock");
    assertThat(before.findings().size()).isEqualTo(1);

    AnalysisResult after = analyze("2-kvfree-rcu", "after");
    assertThat(after.findings().isEmpty()).isTrue();
    DeferralRow timer = after.deferrals().find(Mechanism.HRTIMER, DeferralRow.Metric.LATENCY, "schedule_page_work_fn");
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.maxNs()).isEqualTo(44_220);
    DeferralRow work = after.deferrals().find(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "fill_page_cache_func");
    assertThat(work.maxNs()).isEqualTo(27_000);
  }

  @Test
  void irqWorkTakingASpinlockInHardirqOnRtAndThePerCpuThreadThatFixesIt() throws IOException {
    AnalysisResult before = analyze("3-irq-work-rt", "before");
    Finding f = of(before, FindingKind.SLEEP_IN_ATOMIC).get(0);
    assertThat(f.culprit()).isEqualTo("rb_wake_up_waiters");
    assertThat(f.count()).isEqualTo(2);
    assertThat(f.context()).contains("non-HARD irq_work callback rb_wake_up_waiters");
    // lockdep itself treats non-HARD irq_work as threaded: no invalid-wait-context report
    assertThat(of(before, FindingKind.INVALID_WAIT_CONTEXT)).isEmpty();

    AnalysisResult after = analyze("3-irq-work-rt", "after");
    assertThat(after.findings().isEmpty()).isTrue();
    DeferralRow thread = after.deferrals().find(Mechanism.IRQ_WORK, DeferralRow.Metric.LATENCY, "rb_wake_up_waiters");
    assertThat(thread.classLabel()).isEqualTo("thread");
    assertThat(thread.maxNs()).isEqualTo(42_000);
    DeferralRow hard = after.deferrals().find(Mechanism.IRQ_WORK, DeferralRow.Metric.LATENCY,
        "rcu_preempt_deferred_qs_handler");
    assertThat(hard.classLabel()).isEqualTo("hard"); // HARD work still runs in hardirq, legally
  }

  @Test
  void callSrcuUnderTheRunqueueLockIsAnAbbaAcrossCpusAndASelfDeadlockAndTheIrqWorkBreaksIt()
      throws IOException {
    String sup = "&ACCESS_PRIVATE(ssp->srcu_sup, lock)";
    AnalysisResult before = analyze("4-srcu-rq-abba", "before");
    Finding cycle = of(before, FindingKind.CIRCULAR_DEPENDENCY).get(0);
    assertThat(cycle.locks()).contains("&rq->__lock", sup);
    assertThat(cycle.culprit()).isEqualTo("srcu_funnel_gp_start");
    // the two halves were seen on different CPUs, seconds apart
    assertThat(cycle.evidence()).extracting(Evidence::cpu).contains(1, 2);
    Finding deadlock = of(before, FindingKind.RECURSIVE_LOCKING).get(0);
    assertThat(deadlock.locks()).containsExactly("&rq->__lock");
    assertThat(deadlock.message()).startsWith("deadlock:");
    assertThat(before.lockGraph().dependencyPath(sup, "&rq->__lock")).isNotEmpty();

    AnalysisResult after = analyze("4-srcu-rq-abba", "after");
    assertThat(after.findings().isEmpty()).isTrue();
    assertThat(after.lockGraph().dependencyPath(sup, "&rq->__lock")).isEmpty();
    assertThat(after.lockGraph().dependencyPath("&rq->__lock", sup)).isNotEmpty(); // BPF still does that
    DeferralRow irqWork = after.deferrals().find(Mechanism.IRQ_WORK, DeferralRow.Metric.LATENCY, "srcu_irq_work");
    assertThat(irqWork.count()).isEqualTo(2);
    assertThat(after.deferrals().find(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "process_srcu").count())
        .isEqualTo(2);
  }
}
