package org.kreplay.analyze.internal.rules;

import java.util.function.IntUnaryOperator;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.Findings;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.context.ResultRecorder;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * The kernel's locking and context rules, applied to every event after the context tracker has
 * placed it (docs/kernel-model.md). Each rule is a part of its own that registers the event kinds
 * it judges:
 * <ul>
 *   <li>{@link LockRules}: lockdep's checks on each acquisition — might_sleep() of sleeping locks,
 *       {@link WaitContextRule wait context}, {@link IrqUsageRule irq usage}, recursive locking,
 *       {@link LockOrderRule dependency cycles} and {@link IrqSafetyRule irq-safe → irq-unsafe
 *       order} — and bad unlock balance on release;
 *   <li>{@link MightSleepRules}: sleeping-lock functions and allocations where they may not sleep,
 *       contended mutexes; {@link ScheduleWhileAtomicRule}: scheduling while atomic;
 *   <li>the shared views: {@link RunningCallbacks} (hrtimer, irq_work, RCU callbacks, work items),
 *       {@link IrqState} (who disabled interrupts), {@link AtomicContext} (may this point sleep,
 *       under the rules in force) and {@link Reporter} (culprit, chain, context, evidence).
 * </ul>
 * On a non-RT trace judged as RT the observed context is translated first: device irq handlers,
 * non-HARD hrtimer and irq_work callbacks and softirqs run in threads, spinlock_t and its _irq
 * variants neither disable preemption nor interrupts.
 */
public final class KernelModel {
  private final ModelState state;
  private final RunningCallbacks callbacks;
  private final IrqState irqState;
  private final IrqUsageRule irqUsage;
  private final LockRules locks;
  private final MightSleepRules mightSleep;
  private final ScheduleWhileAtomicRule scheduling;
  private final ResultRecorder summary;
  private long heldResets;
  /** The callback this event's own stack showed, pushed for this event only (-1: none). */
  private int stackCallback = -1;

  /**
   * @param lastExpiredClass the hrtimer class (DeferralRow.CLASS_*) of the timer that last expired
   *     on a CPU, 0 when unknown (the deferral pairing tracks timers)
   */
  public KernelModel(KernelConfig config, Catalog catalog, ContextTracker contexts, LockGraph graph, Findings findings,
      ResultRecorder summary, String source, IntUnaryOperator lastExpiredClass) {
    this.state = new ModelState(config, catalog, contexts, graph, findings, source);
    this.summary = summary;
    Reporter reporter = new Reporter(state);
    AtomicContext atomic = new AtomicContext(state);
    this.callbacks = new RunningCallbacks(state, lastExpiredClass);
    this.irqState = new IrqState(state);
    this.irqUsage = new IrqUsageRule(state, reporter, atomic);
    LockOrderRule lockOrder = new LockOrderRule(state, reporter, new IrqSafetyRule(state, reporter));
    this.locks = new LockRules(state, reporter, atomic, irqState, new WaitContextRule(state, reporter, atomic), irqUsage,
        lockOrder);
    this.mightSleep = new MightSleepRules(state, reporter, atomic, callbacks);
    this.scheduling = new ScheduleWhileAtomicRule(state, reporter);
  }

  /**
   * Registers the rules, in the order they act on an event: the views first (what runs, who
   * disabled interrupts), then the rules that judge it, then what ends with it.
   */
  public void register(Dispatch d) {
    d.onEveryCpuEvent(this::beforeEvent);
    locks.register(d);
    callbacks.register(d);
    irqState.register(d);
    irqUsage.register(d);
    mightSleep.register(d);
    d.onCpu(EventKind.FUNCTION, this::traced);
    scheduling.register(d);
    callbacks.registerSwitch(d);
    d.onEveryCpuEvent(this::afterEvent);
  }

  /** See {@link ModelState#eventBaseline}; set before the first event. */
  public void eventPreemptBaseline(int depth) {
    state.eventBaseline = depth;
  }

  private void beforeEvent(TraceEvent e, CpuContext c) {
    ModelState.Cpu m = state.cpu(c.cpu());
    state.inTask = c.depth() == 0;
    m.callbacks.dropFinished(c);
    stackCallback = callbacks.stackCallback(e, c, m);
    if (e.kind() != EventKind.IRQ_ENABLE) irqUsage.enabledSincePrevious(e, c, m);
    irqState.beforeEvent(e, m);
    mightSleep.beforeEvent(e, c, m);
  }

  /** The function the task entered, in task context: its own code, where nothing better names the culprit. */
  private void traced(TraceEvent e, CpuContext c) {
    if (state.inTask && e.pid() > 0 && e.function() != null && !state.catalog.skipFrame(e.function())) {
      state.lastTraced.put(e.pid(), Catalog.stripSuffix(e.function()));
    }
  }

  private void afterEvent(TraceEvent e, CpuContext c) {
    ModelState.Cpu m = state.cpu(c.cpu());
    if (stackCallback >= 0 && m.callbacks.size() == stackCallback + 1) m.callbacks.truncate(stackCallback);
    m.prevFlags = e.flags();
    m.prevKind = e.kind();
  }

  /** Lost events: held locks and callbacks are no longer known. */
  /** The locks {@code pid} holds now, outermost first, described as lockdep names them. */
  public java.util.List<String> locksHeld(int pid) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (HeldLocks.Held h : state.held.held(pid)) out.add(h.describe());
    return out;
  }

  /** Who holds the lock at {@code address} as far as the trace's lock events tell ("pid 42 (&rq->__lock)"), or null. */
  public String lockHolder(long address) {
    return state.held.holder(address);
  }

  public void gap(int cpuNumber) {
    if (cpuNumber >= 0) state.cpu(cpuNumber).forget();
    state.held.clear();
    heldResets++;
  }

  /** Flushes what waits for more data (switches before the depth baseline was known). */
  public void finish() {
    scheduling.finish();
    summary.addHeldLockResets(heldResets + state.held.overflows());
  }
}
