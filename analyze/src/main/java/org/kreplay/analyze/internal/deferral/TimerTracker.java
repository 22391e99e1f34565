package org.kreplay.analyze.internal.deferral;

import static org.kreplay.analyze.internal.deferral.Samples.orUnknown;

import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * timer_start → timer_expire_entry by timer address: lateness = jiffies at expiry − expires,
 * recorded in jiffies and converted with the HZ the events' jiffies show over the trace. The
 * blame covers the wait from the first event showing jiffies at the timer's expires (a ring of
 * when each jiffy was first seen) to its execution.
 */
final class TimerTracker {
  private static final int[] COMMON_HZ = {100, 128, 200, 250, 256, 300, 500, 512, 1000, 1024, 1200};

  private final Samples samples;
  private final ChainLinks chains;
  private final PendingTable timers = new PendingTable();
  // Timer-wheel HZ estimate: first and last (timestamp, jiffies) seen.
  private long firstJiffiesTs = Long.MIN_VALUE;
  private long firstJiffies;
  private long lastJiffiesTs;
  private long lastJiffies;
  /** When each of the last JIFFY_RING jiffies values was first seen, oldest at {@code jiffyHead}. */
  private static final int JIFFY_RING = 256;
  private final long[] ringJiffies = new long[JIFFY_RING];
  private final long[] ringTs = new long[JIFFY_RING];
  private int jiffyHead;
  private int jiffyCount;

  TimerTracker(Samples samples, ChainLinks chains) {
    this.samples = samples;
    this.chains = chains;
  }

  void register(Dispatch d) {
    d.on(EventKind.TIMER_START, this::start);
    /*
     * A cancel only marks the timer: the timer wheel emits timer_cancel right before
     * timer_expire_entry of the same expiry (expire_timers() detaches with debug_deactivate()),
     * so the entry must survive until either the expiry or the next start.
     */
    d.on(EventKind.TIMER_CANCEL, (e, c) -> {
      int slot = timers.find(e.address());
      if (slot >= 0) timers.setCancelled(slot);
    });
    d.on(EventKind.TIMER_EXPIRE_ENTRY, this::expire);
    d.on(EventKind.TIMER_EXPIRE_EXIT, chains::ended);
  }

  private void noteJiffies(long ts, long jiffies) {
    if (jiffies < 0) return;
    if (firstJiffiesTs == Long.MIN_VALUE) {
      firstJiffiesTs = ts;
      firstJiffies = jiffies;
    }
    if (ts >= lastJiffiesTs) {
      lastJiffiesTs = ts;
      lastJiffies = jiffies;
    }
    int newest = (jiffyHead + jiffyCount - 1) % JIFFY_RING;
    if (jiffyCount == 0 || jiffies > ringJiffies[newest]) {
      int at = (jiffyHead + jiffyCount) % JIFFY_RING;
      if (jiffyCount == JIFFY_RING) jiffyHead = (jiffyHead + 1) % JIFFY_RING; else jiffyCount++;
      ringJiffies[at] = jiffies;
      ringTs[at] = ts;
    }
  }

  /**
   * When the trace first showed jiffies at or past {@code expires}, or Long.MIN_VALUE when that is
   * older than the ring (its first sighting was forgotten).
   */
  long firstSeen(long expires) {
    long found = Long.MIN_VALUE;
    for (int k = jiffyCount - 1; k >= 0; k--) {
      int i = (jiffyHead + k) % JIFFY_RING;
      if (ringJiffies[i] < expires) return found;
      found = ringJiffies[i] == expires || k > 0 ? ringTs[i] : Long.MIN_VALUE;
    }
    return found;
  }

  private void start(TraceEvent e, CpuContext c) {
    noteJiffies(e.timestamp(), e.now());
    String fn = orUnknown(e.function());
    int put = timers.put(e.address(), e.timestamp(), e.cpu(), fn, 0, e.expires());
    timers.origin(put, e.cpu(), e.pid(), e.comm(), e.line());
    timers.chain(put, chains.handOn(e, c, Mechanism.TIMER, fn));
  }

  private void expire(TraceEvent e, CpuContext c) {
    noteJiffies(e.timestamp(), e.now());
    String fn = orUnknown(e.function());
    int slot = timers.find(e.address());
    if (slot < 0) {
      samples.unmatchedExecute(Mechanism.TIMER, fn, 0);
      return;
    }
    if (samples.crossesGap(timers.timestamp(slot), timers.cpu(slot), e.cpu())) {
      samples.acrossGap(Mechanism.TIMER, fn);
    } else {
      long expires = timers.extra(slot);
      long due = firstSeen(expires);
      long dueTs = due == Long.MIN_VALUE ? due : Math.max(due, timers.timestamp(slot));
      samples.timerSample(fn, e.now() - expires, dueTs, timers, slot, e);
      // a due time the ring forgot: the chain counts the whole wait from the start
      chains.started(e, c, Mechanism.TIMER, fn, timers, slot, dueTs == Long.MIN_VALUE ? timers.timestamp(slot) : dueTs);
    }
    timers.remove(slot);
  }

  /**
   * HZ from the jiffies the timer events carry: the jiffies advanced over the trace divided by its
   * duration, snapped to a common HZ value; 0 when the trace is too short to tell.
   */
  int detectedHz() {
    if (firstJiffiesTs == Long.MIN_VALUE) return 0;
    long dt = lastJiffiesTs - firstJiffiesTs;
    long dj = lastJiffies - firstJiffies;
    if (dt < 50_000_000L || dj < 5) return 0;
    double hz = dj * 1e9 / dt;
    for (int c : COMMON_HZ) {
      if (Math.abs(hz - c) / c < 0.05) return c;
    }
    return 0;
  }

  long untracked() {
    return timers.overflow();
  }

  void finish() {
    timers.forEach(s -> {
      if (!timers.cancelled(s)) samples.unmatchedEnqueue(Mechanism.TIMER, timers.name(s), 0);
    });
  }
}
