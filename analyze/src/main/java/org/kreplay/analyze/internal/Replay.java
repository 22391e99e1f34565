package org.kreplay.analyze.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.TraceSummary;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Replays one trace, event by event in input order (timestamp order across CPUs), through the
 * per-CPU context model and the deferral pairing. Memory is bounded by live state — open contexts,
 * pending deferrals, distinct names — never by the number of events.
 */
public final class Replay {
  private final AnalysisResult result;
  private final TraceSummary summary;
  private final ContextTracker contexts;
  private final DeferralTracker deferrals;
  private final KernelModel model;
  private final org.kreplay.analyze.Catalog catalog;
  private final String source;
  /** Event counts by the reader's type id; names without an id are counted by name. */
  private long[] countsById = new long[64];
  private String[] namesById = new String[64];
  private final Map<String, long[]> countsByName = new HashMap<>();
  private long lastTimestamp = Long.MIN_VALUE;
  private long firstTimestamp = Long.MIN_VALUE;

  /** @param byteOffsets whether the events' positions are byte offsets (trace.dat), not lines */
  public Replay(AnalysisResult result, org.kreplay.analyze.KernelConfig config, org.kreplay.analyze.Catalog catalog,
      String source, boolean byteOffsets) {
    this.result = result;
    this.summary = result.summary();
    this.catalog = catalog;
    this.source = source;
    this.contexts = new ContextTracker(result);
    this.deferrals = new DeferralTracker(result.deferrals(), contexts, source, byteOffsets);
    this.model = new KernelModel(config, catalog, contexts, result, deferrals, source);
  }

  private String where(TraceEvent e) {
    return e.line() > 0 ? source + ":" + e.line() : source;
  }

  /** The preempt depth every event carries for the tracepoint itself (see KernelModel); before the first event. */
  public void eventPreemptBaseline(int depth) {
    model.eventPreemptBaseline(depth);
  }

  public void accept(TraceEvent e) {
    long ts = e.timestamp();
    EventKind kind = e.kind();
    if (kind.isMarker()) {
      marker(e);
      return;
    }
    if (firstTimestamp == Long.MIN_VALUE) firstTimestamp = ts;
    if (ts < lastTimestamp) {
      summary.countOutOfOrder();
    } else {
      lastTimestamp = ts;
    }
    countEvent(e);

    CpuContext cpu = contexts.cpu(e.cpu());
    if (cpu != null) {
      cpu.advance(ts, e.flags());
      if (e.pid() >= 0 && e.pid() != cpu.currentPid()) {
        // The event shows a task on this CPU that no traced sched_switch put there.
        if (cpu.currentPid() >= 0) deferrals.untracedSwitchIn(e.pid());
        contexts.setRunning(cpu, e.pid());
      }
      updateContext(cpu, e, kind);
    }
    dispatch(e, kind);
    if (cpu != null) model.onEvent(e, cpu);
  }

  private void countEvent(TraceEvent e) {
    int id = e.typeId();
    if (id >= 0) {
      if (id >= countsById.length) {
        int n = Math.max(id + 1, countsById.length * 2);
        countsById = Arrays.copyOf(countsById, n);
        namesById = Arrays.copyOf(namesById, n);
      }
      if (countsById[id]++ == 0) namesById[id] = e.name();
    } else {
      countsByName.computeIfAbsent(e.name(), k -> new long[1])[0]++;
    }
  }

  /** Entry events are recorded inside the context they open, exits inside the one they close. */
  private void updateContext(CpuContext cpu, TraceEvent e, EventKind kind) {
    switch (kind) {
      case IRQ_HANDLER_ENTRY:
        cpu.push(CpuContext.HARDIRQ, hardirqNumber(e), "irq " + e.number() + " (" + e.text() + ")",
            catalog.irqNeverThreaded(e.text()) || e.mode() == 0 ? (byte) 0 : (byte) 1, e.line(), e.flags());
        cpu.reconcile(e.flags());
        break;
      case VECTOR_ENTRY:
      case IRQ_WORK_ENTRY:
        cpu.push(CpuContext.HARDIRQ, hardirqNumber(e), e.text() + " vector", (byte) 0, e.line(), e.flags());
        cpu.reconcile(e.flags());
        break;
      case IRQ_HANDLER_EXIT:
      case VECTOR_EXIT:
      case IRQ_WORK_EXIT:
        cpu.reconcile(e.flags());
        cpu.pop(CpuContext.HARDIRQ, hardirqNumber(e));
        break;
      case SOFTIRQ_ENTRY:
        cpu.push(CpuContext.SOFTIRQ, e.number(), "softirq " + DeferralTracker.softirqName(e.number()), (byte) -1, e.line(), e.flags());
        cpu.reconcile(e.flags());
        break;
      case SOFTIRQ_EXIT:
        cpu.reconcile(e.flags());
        cpu.pop(CpuContext.SOFTIRQ, e.number());
        break;
      case SCHED_SWITCH:
        cpu.reconcile(e.flags());
        cpu.markTaskContext();
        contexts.setRunning(cpu, e.nextPid());
        break;
      default:
        cpu.reconcile(e.flags());
    }
  }

  /** Device irqs are numbered as themselves, x86 vectors offset so the two never collide. */
  private static int hardirqNumber(TraceEvent e) {
    return e.kind() == EventKind.IRQ_HANDLER_ENTRY || e.kind() == EventKind.IRQ_HANDLER_EXIT
        ? e.number() : 0x10000 + e.number();
  }

  private void dispatch(TraceEvent e, EventKind kind) {
    switch (kind) {
      case WORKQUEUE_QUEUE_WORK: deferrals.queueWork(e); break;
      case WORKQUEUE_EXECUTE_START: deferrals.executeWork(e); break;
      case WORKQUEUE_EXECUTE_END: deferrals.endWork(e); break;
      case HRTIMER_INIT: deferrals.hrtimerInit(e); break;
      case HRTIMER_START: deferrals.hrtimerStart(e); break;
      case HRTIMER_CANCEL: deferrals.hrtimerCancel(e); break;
      case HRTIMER_EXPIRE_ENTRY: deferrals.hrtimerExpire(e); break;
      case TIMER_START: deferrals.timerStart(e); break;
      case TIMER_CANCEL: deferrals.timerCancel(e); break;
      case TIMER_EXPIRE_ENTRY: deferrals.timerExpire(e); break;
      case SOFTIRQ_RAISE: deferrals.softirqRaise(e); break;
      case SOFTIRQ_ENTRY: deferrals.softirqEntry(e); break;
      case SOFTIRQ_EXIT: deferrals.softirqExit(e); break;
      case IRQ_WORK_ENTRY: deferrals.irqWorkRun(e); break;
      case IRQ_WORK_EXIT: deferrals.irqWorkExit(e); break;
      case FUNCTION:
        if ("irq_work_queue".equals(e.function()) || "irq_work_queue_on".equals(e.function())) {
          deferrals.irqWorkRaise(e);
        } else if ("irq_work_single".equals(e.text()) || "irq_work_run_list".equals(e.text())) {
          CpuContext c = contexts.cpu(e.cpu());
          deferrals.irqWorkCallback(e, c != null && c.inHardirq());
        }
        break;
      case RCU_CALLBACK: deferrals.rcuCallback(e, e.function() == null ? "?" : e.function()); break;
      case RCU_INVOKE_CALLBACK: deferrals.rcuInvoke(e, e.function() == null ? "?" : e.function()); break;
      case RCU_KVFREE_CALLBACK: deferrals.rcuCallback(e, "kvfree_rcu"); break;
      case RCU_INVOKE_KVFREE_CALLBACK: deferrals.rcuInvoke(e, "kvfree_rcu"); break;
      case SCHED_WAKING:
      case SCHED_WAKEUP:
      case SCHED_WAKEUP_NEW:
        deferrals.waking(e);
        break;
      case SCHED_SWITCH: deferrals.switchTo(e); break;
      default:
        break;
    }
  }

  private void marker(TraceEvent e) {
    CpuContext cpu = contexts.cpu(e.cpu());
    if (e.kind() == EventKind.LOST_EVENTS) {
      summary.countLostMarker();
    } else {
      summary.countBufferStarted();
    }
    if (cpu != null) cpu.gap(Math.max(e.timestamp(), lastTimestamp == Long.MIN_VALUE ? e.timestamp() : lastTimestamp));
    model.gap(e.cpu());
  }

  /**
   * Closes the trace: pending deferrals become unmatched enqueues, spans and counts are final;
   * {@code timestampResolutionNs} is the input's (latencies measured between timestamps have it).
   */
  public void finish(long timestampResolutionNs) {
    model.finish();
    int hz = deferrals.detectedHz();
    deferrals.finish(hz, timestampResolutionNs);
    summary.setHz(hz);
    summary.addTimestampResolution(timestampResolutionNs);
    summary.addUntracked(deferrals.untracked());
    for (int i = 0; i < countsById.length; i++) {
      if (countsById[i] > 0) summary.countEvent(namesById[i], countsById[i]);
    }
    countsByName.forEach((name, n) -> summary.countEvent(name, n[0]));
    if (firstTimestamp != Long.MIN_VALUE) summary.addSpan(firstTimestamp, lastTimestamp);
  }
}
