package org.kreplay.analyze.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.ContextUpdates;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.context.ResultRecorder;
import org.kreplay.analyze.internal.deferral.Deferrals;
import org.kreplay.analyze.internal.rules.KernelModel;
import org.kreplay.analyze.internal.rules.LockGraph;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Replays one trace, event by event in input order (timestamp order across CPUs), through the
 * per-CPU context model and the deferral pairing. Memory is bounded by live state — open contexts,
 * pending deferrals, distinct names — never by the number of events.
 */
public final class Replay {
  private final ResultRecorder summary;
  private final ContextTracker contexts;
  private final Deferrals deferrals;
  private final KernelModel model;
  /** Context updates first, then the deferral pairing, then the kernel's rules. */
  private final Dispatch dispatch = new Dispatch();
  /**
   * For events not selected (--pid/--comm/--event), delivered for context only: the context
   * updates alone, so the per-CPU context stays as without the selection while deferrals,
   * rules and event counts see only the selected events.
   */
  private final Dispatch contextOnly = new Dispatch();
  private final String source;
  /** Event counts by the reader's type id; names without an id are counted by name. */
  private long[] countsById = new long[64];
  private String[] namesById = new String[64];
  private final Map<String, long[]> countsByName = new HashMap<>();
  private long lastTimestamp = Long.MIN_VALUE;
  private long firstTimestamp = Long.MIN_VALUE;
  /** Tells a timeline listener what changed after each event; null without one. */
  private final TimelineTap timeline;

  /** @param byteOffsets whether the events' positions are byte offsets (trace.dat), not lines */
  public Replay(ResultRecorder result, LockGraph lockGraph, KernelConfig config, Catalog catalog, String source,
      boolean byteOffsets) {
    this(result, lockGraph, config, catalog, source, byteOffsets, null);
  }

  /** @param timeline told what the replay rebuilds as it goes, or null */
  public Replay(ResultRecorder result, LockGraph lockGraph, KernelConfig config, Catalog catalog, String source,
      boolean byteOffsets, TimelineListener timeline) {
    this.summary = result;
    this.source = source;
    this.contexts = new ContextTracker(result);
    this.deferrals = new Deferrals(result.deferrals(), contexts, catalog, source, byteOffsets, timeline);
    this.model = new KernelModel(config, catalog, contexts, lockGraph, result.findings(), result, source,
        deferrals::lastExpiredClass);
    this.timeline = timeline == null ? null : new TimelineTap(timeline, model::locksHeld);
    ContextUpdates updates = new ContextUpdates(contexts, catalog, model::lockHolder);
    updates.register(dispatch);
    updates.register(contextOnly);
    deferrals.register(dispatch);
    model.register(dispatch);
  }

  private String where(TraceEvent e) {
    return e.line() > 0 ? source + ":" + e.line() : source;
  }

  /** The preempt depth every event carries for the tracepoint itself (see KernelModel); before the first event. */
  public void eventPreemptBaseline(int depth) {
    model.eventPreemptBaseline(depth);
    contexts.preemptBaseline(depth);
    if (timeline != null) timeline.preemptBaseline(depth);
  }

  /** A finding the rules reported while this replay ran, for the timeline listener. */
  public void timelineFinding(org.kreplay.analyze.Finding f) {
    if (timeline != null) timeline.finding(f);
  }

  public void accept(TraceEvent e) {
    long ts = e.timestamp();
    if (e.kind().isMarker()) {
      marker(e);
      return;
    }
    if (e.contextOnly()) {
      acceptContext(e);
      return;
    }
    if (firstTimestamp == Long.MIN_VALUE) firstTimestamp = ts;
    if (ts < lastTimestamp) {
      summary.countOutOfOrder();
    } else {
      lastTimestamp = ts;
    }
    countEvent(e);
    CpuContext cpu = place(e, ts);
    if (timeline != null) timeline.before(e);
    dispatch.dispatch(e, cpu);
    if (timeline != null) timeline.after(e, cpu);
  }

  /** An event not selected: it moves its CPU's context (time, flags, running task, frames), nothing else. */
  private void acceptContext(TraceEvent e) {
    CpuContext cpu = place(e, e.timestamp());
    if (cpu != null) contextOnly.dispatch(e, cpu);
    if (timeline != null) timeline.after(e, cpu); // the timeline draws the context it moved
  }

  /** Charges the CPU's time up to the event and notes the task it shows; its CPU context, or null. */
  private CpuContext place(TraceEvent e, long ts) {
    CpuContext cpu = contexts.cpu(e.cpu());
    if (cpu != null) {
      cpu.advance(ts, e.flags());
      if (e.pid() >= 0 && e.pid() != cpu.currentPid()) {
        // The event shows a task on this CPU that no traced sched_switch put there.
        if (cpu.currentPid() >= 0) deferrals.untracedSwitchIn(e.pid());
        contexts.setRunning(cpu, e.pid(), e.comm());
      }
    }
    return cpu;
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

  private void marker(TraceEvent e) {
    CpuContext cpu = contexts.cpu(e.cpu());
    if (e.kind() == EventKind.LOST_EVENTS) {
      summary.countLostMarker();
    } else {
      summary.countBufferStarted();
    }
    if (cpu != null) cpu.gap(Math.max(e.timestamp(), lastTimestamp == Long.MIN_VALUE ? e.timestamp() : lastTimestamp));
    model.gap(e.cpu());
    if (timeline != null) timeline.gap(cpu, e.timestamp());
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
    if (timeline != null) timeline.finish(contexts);
  }
}
