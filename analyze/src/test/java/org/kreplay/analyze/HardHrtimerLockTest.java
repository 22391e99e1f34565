package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;

/**
 * A spinlock_t, rwlock_t or local_lock_t taken in an hrtimer callback that expires in hard
 * interrupt context: lockdep's check_wait_context() reports it under PROVE_RAW_LOCK_NESTING when
 * the timer is HRTIMER_MODE_HARD (lockdep_hrtimer_enter() gives only non-HARD timers the
 * threaded wait type), and on PREEMPT_RT it is a sleeping lock in atomic context. The timer's
 * mode comes from the trace when it shows it (hrtimer_start / hrtimer_setup), else from the
 * catalog's hrtimer_callbacks, else it stays unknown and the finding is only possible. The
 * callback is seen from hrtimer_expire_entry, or from the kernel stack of the acquisition.
 */
class HardHrtimerLockTest {
  private static final KernelConfig NON_RT = KernelConfig.DEFAULT;
  private static final KernelConfig NO_RAW_NESTING = new KernelConfig(false, false, false);
  private static final KernelConfig JUDGED_RT = new KernelConfig(false, true, true);
  private static final KernelConfig TRACED_RT = new KernelConfig(true, false, true);
  private static final long TIMER = 0xffff8881ab381320L;

  /** Where the model learns which callback runs. */
  enum Source { EXPIRE_EVENTS, STACK, STACK_AND_VECTOR }

  /** The stack of an acquisition inside {@code callback}, innermost first (as ftrace prints it). */
  private static String[] stack(String callback, String lockFunction) {
    return new String[] {"lock_acquire", lockFunction, "refill_obj_stock", "kmem_cache_free", callback,
        "__run_hrtimer", "__hrtimer_run_queues", "hrtimer_interrupt", "__sysvec_apic_timer_interrupt",
        "sysvec_apic_timer_interrupt", "asm_sysvec_apic_timer_interrupt"};
  }

  /**
   * The timer interrupt on CPU 1 runs {@code callback}, which takes {@code lockClass}; the timer
   * was started before the trace began unless {@code startMode} >= 0. With {@code preemptIrq}
   * the interrupt's irq_disable/irq_enable events are in the trace too.
   */
  private static Events timerTakesLock(String callback, String lockClass, String type, Source source, int startMode,
      boolean preemptIrq, boolean rt) {
    Events ev = new Events().on(1, 2848, "life").flags(".....").other(100, "mark");
    if (startMode >= 0) ev.hrtimerStart(101, TIMER, callback, 5_000_000_100_000L, startMode);
    if (preemptIrq) ev.flags("d....").irqDisable(102, "asm_sysvec_apic_timer_interrupt", "default_idle");
    ev.flags("d.h..");
    if (source != Source.STACK) ev.vectorEntry(103, "local_timer");
    if (source == Source.EXPIRE_EVENTS) ev.hrtimerExpire(104, TIMER, callback, 5_000_000_101_834L);
    boolean spins = type.equals("raw_spinlock_t") || !rt;
    ev.lock(105, lockClass, type);
    if (source != Source.EXPIRE_EVENTS) ev.stack(stack(callback, rt && !spins ? "rt_spin_lock" : "_raw_spin_lock"));
    ev.flags(spins ? "d.h1." : "d.h..").other(106, "kmem_cache_free_bulk").flags("d.h..").unlock(107, lockClass);
    if (source == Source.EXPIRE_EVENTS) ev.hrtimerExpireExit(108, TIMER);
    if (source != Source.STACK) ev.vectorExit(109, "local_timer");
    if (preemptIrq) ev.flags("d....").irqEnable(110, "asm_sysvec_apic_timer_interrupt", "default_idle");
    return ev.flags(".....").other(111, "mark");
  }

  private static Events timerTakesLock(String callback, String lockClass, String type, Source source, int startMode) {
    return timerTakesLock(callback, lockClass, type, source, startMode, false, false);
  }

  private static List<Finding> of(AnalysisResult r, FindingKind kind) {
    return r.findings().all().stream().filter(f -> f.kind() == kind).toList();
  }

  private static Finding only(AnalysisResult r, FindingKind kind) {
    List<Finding> f = of(r, kind);
    assertThat(f).as(r.findings().all().toString()).hasSize(1);
    return f.get(0);
  }

  // ---- mode from the catalog: inactive_task_timer is HRTIMER_MODE_REL_HARD

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"EXPIRE_EVENTS", "STACK", "STACK_AND_VECTOR"})
  void aLocalLockInTheHardDeadlineTimerStartedBeforeTheTraceIsAnInvalidWaitContext(String source) throws IOException {
    AnalysisResult r = timerTakesLock("inactive_task_timer", "stock_lock", "local_lock_t", Source.valueOf(source), -1)
        .analyze(NON_RT);
    Finding f = only(r, FindingKind.INVALID_WAIT_CONTEXT);
    assertThat(f.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(f.culprit()).isEqualTo("inactive_task_timer");
    assertThat(f.message()).contains("stock_lock (local_lock_t, wait type 3)")
        .contains("HARD hrtimer callback inactive_task_timer").contains("(context {2:2})");
    assertThat(f.evidence()).anySatisfy(e -> assertThat(e.what()).contains("mode from the catalog")
        .contains("kernel/sched/deadline.c"));
    assertThat(of(r, FindingKind.SLEEP_IN_ATOMIC)).as("spins on a non-RT kernel").isEmpty();
  }

  @Test
  void withoutRawLockNestingLockdepCannotTellAndNothingIsReported() throws IOException {
    assertThat(timerTakesLock("inactive_task_timer", "stock_lock", "local_lock_t", Source.EXPIRE_EVENTS, -1)
        .analyze(NO_RAW_NESTING).findings().isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"EXPIRE_EVENTS", "STACK", "STACK_AND_VECTOR"})
  void judgedAsRtTheHardTimerStaysInHardirqAndTheSpinlockSleeps(String source) throws IOException {
    AnalysisResult r = timerTakesLock("inactive_task_timer", "&dev->lock", "spinlock_t", Source.valueOf(source), -1)
        .analyze(JUDGED_RT);
    Finding f = only(r, FindingKind.SLEEP_IN_ATOMIC);
    assertThat(f.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(f.message()).isEqualTo("sleeping lock (spinlock_t on PREEMPT_RT) &dev->lock taken in hardirq context"
        + " on PREEMPT_RT (" + (source.equals("STACK") ? "hardirq (entry not traced)" : "local_timer vector")
        + ", HARD hrtimer callback inactive_task_timer)");
    assertThat(only(r, FindingKind.INVALID_WAIT_CONTEXT).certainty()).isEqualTo(Finding.Certainty.CERTAIN);
  }

  @Test
  void onATracedRtKernelAnyTimerExpiringInHardirqIsHard() throws IOException {
    // PREEMPT_RT moves every timer not marked HARD to softirq: one seen in hardirq is HARD.
    for (String callback : new String[] {"inactive_task_timer", "mydrv_timer_fn"}) {
      AnalysisResult r = timerTakesLock(callback, "&dev->lock", "spinlock_t", Source.EXPIRE_EVENTS, -1, false, true)
          .analyze(TRACED_RT);
      assertThat(only(r, FindingKind.SLEEP_IN_ATOMIC).certainty()).as(callback).isEqualTo(Finding.Certainty.CERTAIN);
      Finding wait = only(r, FindingKind.INVALID_WAIT_CONTEXT);
      assertThat(wait.certainty()).as(callback).isEqualTo(Finding.Certainty.CERTAIN);
      assertThat(wait.context()).contains("HARD hrtimer callback " + callback);
    }
  }

  // ---- with and without preemptirq events the verdict is the same

  @Test
  void preemptirqEventsAroundTheInterruptChangeNothing() throws IOException {
    for (KernelConfig config : new KernelConfig[] {NON_RT, JUDGED_RT}) {
      AnalysisResult with = timerTakesLock("inactive_task_timer", "&dev->lock", "spinlock_t", Source.EXPIRE_EVENTS, -1,
          true, false).analyze(config);
      AnalysisResult without = timerTakesLock("inactive_task_timer", "&dev->lock", "spinlock_t", Source.EXPIRE_EVENTS,
          -1, false, false).analyze(config);
      assertThat(with.findings().all()).extracting(Finding::kind, Finding::certainty).isNotEmpty()
          .isEqualTo(without.findings().all().stream().map(f -> org.assertj.core.groups.Tuple.tuple(f.kind(),
              f.certainty())).toList());
    }
  }

  // ---- negatives: a timer that is not HARD, a raw lock

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"EXPIRE_EVENTS", "STACK", "STACK_AND_VECTOR"})
  void aPlainTimerGetsTheThreadedWaitTypeAndRunsInSoftirqOnRt(String source) throws IOException {
    // it_real_fn is set up with HRTIMER_MODE_REL: irq_config on !RT, softirq (ktimers) on RT.
    for (KernelConfig config : new KernelConfig[] {NON_RT, JUDGED_RT}) {
      AnalysisResult r = timerTakesLock("it_real_fn", "&sighand->siglock", "spinlock_t", Source.valueOf(source), -1)
          .analyze(config);
      assertThat(r.findings().all()).as(config.label()).isEmpty();
    }
  }

  @Test
  void aRawSpinlockInAHardTimerIsFineEverywhere() throws IOException {
    for (KernelConfig config : new KernelConfig[] {NON_RT, JUDGED_RT}) {
      AnalysisResult r = timerTakesLock("inactive_task_timer", "&dl_b->lock", "raw_spinlock_t", Source.EXPIRE_EVENTS, -1)
          .analyze(config);
      assertThat(r.findings().all()).as(config.label()).isEmpty();
    }
  }

  // ---- the trace's own mode wins; unknown stays unknown

  @Test
  void aModeTheTraceShowsWinsOverTheCatalog() throws IOException {
    // mydrv_timer_fn is not in the catalog: HARD in its start event
    Finding hard = only(timerTakesLock("mydrv_timer_fn", "&dev->lock", "spinlock_t", Source.EXPIRE_EVENTS, 0x9)
        .analyze(NON_RT), FindingKind.INVALID_WAIT_CONTEXT);
    assertThat(hard.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(hard.evidence()).noneSatisfy(e -> assertThat(e.what()).contains("catalog"));
    // started REL (plain) in the trace: lockdep gives it the threaded wait type
    assertThat(timerTakesLock("mydrv_timer_fn", "&dev->lock", "spinlock_t", Source.EXPIRE_EVENTS, 0x1)
        .analyze(NON_RT).findings().isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"EXPIRE_EVENTS", "STACK_AND_VECTOR"})
  void aTimerNeitherTheTraceNorTheCatalogKnowsIsOnlyAPossibleFinding(String source) throws IOException {
    Finding wait = only(timerTakesLock("mydrv_timer_fn", "&dev->lock", "spinlock_t", Source.valueOf(source), -1)
        .analyze(NON_RT), FindingKind.INVALID_WAIT_CONTEXT);
    assertThat(wait.certainty()).isEqualTo(Finding.Certainty.POSSIBLE);
    assertThat(wait.message()).contains("mode unknown").contains("if the timer is HRTIMER_MODE_HARD");
    Finding sleep = only(timerTakesLock("mydrv_timer_fn", "&dev->lock", "spinlock_t", Source.valueOf(source), -1)
        .analyze(JUDGED_RT), FindingKind.SLEEP_IN_ATOMIC);
    assertThat(sleep.certainty()).isEqualTo(Finding.Certainty.POSSIBLE);
  }

  // ---- an allocation in the callback seen only through its stack (the put_task_struct seed without timer events)

  @Test
  void aFreeInTheHardTimerSeenOnlyInItsStackIsCertainJudgedAsRt() throws IOException {
    Events ev = new Events().on(1, 2848, "life").flags(".....").other(100, "mark").flags("d.h..")
        .kmemCacheFree(101, "inactive_task_timer", "task_struct")
        .stack("kmem_cache_free", "inactive_task_timer", "__run_hrtimer", "__hrtimer_run_queues", "hrtimer_interrupt",
            "__sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt")
        .flags(".....").other(102, "mark");
    Finding f = only(ev.analyze(JUDGED_RT), FindingKind.RT_ALLOC_IN_ATOMIC);
    assertThat(f.certainty()).isEqualTo(Finding.Certainty.CERTAIN);
    assertThat(f.context()).contains("HARD hrtimer callback inactive_task_timer");
  }

  // ---- from a kernel report's call trace

  /** lockdep's report of a spinlock_t taken in {@code callback} (a hardirq hrtimer) on a non-RT kernel. */
  private static String invalidWaitContextIn(String callback) {
    return String.join("\n",
        "[   12.345678] =============================",
        "[   12.345679] [ BUG: Invalid wait context ]",
        "[   12.345680] 6.8.0 #1 Not tainted",
        "[   12.345681] -----------------------------",
        "[   12.345682] swapper/1/0 is trying to lock:",
        "[   12.345683] ffff888100a1c018 (&dev->lock){-...}-{3:3}, at: " + callback + "+0x20/0x80",
        "[   12.345684] other info that might help us debug this:",
        "[   12.345685] context-{2:2}",
        "[   12.345686] no locks held by swapper/1/0.",
        "[   12.345687] stack backtrace:",
        "[   12.345688] CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.8.0 #1",
        "[   12.345689] Call Trace:",
        "[   12.345690]  <IRQ>",
        "[   12.345691]  dump_stack_lvl+0x57/0x7d",
        "[   12.345692]  __lock_acquire+0x7c2/0x1f10",
        "[   12.345693]  lock_acquire+0xd3/0x2f0",
        "[   12.345694]  _raw_spin_lock_irqsave+0x45/0x60",
        "[   12.345695]  " + callback + "+0x20/0x80",
        "[   12.345696]  __run_hrtimer+0x8a/0x1a0",
        "[   12.345697]  __hrtimer_run_queues+0x91/0x130",
        "[   12.345698]  hrtimer_interrupt+0x10f/0x220",
        "[   12.345699]  __sysvec_apic_timer_interrupt+0x7b/0xd0",
        "[   12.345700]  sysvec_apic_timer_interrupt+0x4f/0xd0",
        "[   12.345701]  </IRQ>",
        "[   12.345702] mydrv: timer armed",
        "");
  }

  static SplatVerdict splat(String log, KernelConfig config) throws IOException {
    try (LogReader r = KernelLogs.open("test.log", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)),
        ReadOptions.defaults())) {
      return SplatAnalyzer.verdict(r.next(), AnalysisOptions.of(config));
    }
  }

  @Test
  void aReportOfTheHardRtPeriodTimerIsReproducedWithTheCatalogsMode() throws IOException {
    SplatVerdict v = splat(invalidWaitContextIn("sched_rt_period_timer"), NON_RT);
    assertThat(v.reproduced()).isTrue();
    assertThat(v.kind()).isEqualTo("invalid-wait-context");
    assertThat(v.culprit()).isEqualTo("sched_rt_period_timer");
    assertThat(v.context()).contains("HARD hrtimer callback sched_rt_period_timer");
  }

  @Test
  void aReportOfATimerTheCatalogDoesNotKnowTakesTheModeFromLockdepsContextLine() throws IOException {
    // context-{2:2}: task_wait_context() found no irq_config, so lockdep saw a HARD timer
    SplatVerdict v = splat(invalidWaitContextIn("mydrv_timer_fn"), NON_RT);
    assertThat(v.reproduced()).isTrue();
    assertThat(v.message()).startsWith("invalid wait context: &dev->lock (spinlock_t, wait type 3) taken in hardirq");
    assertThat(v.context()).contains("HARD hrtimer callback mydrv_timer_fn");
  }
}
