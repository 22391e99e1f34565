package org.kreplay.analyze.internal.deferral;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;
import static org.kreplay.analyze.DeferralRow.CLASS_PLAIN;
import static org.kreplay.analyze.DeferralRow.CLASS_SOFT;
import static org.kreplay.analyze.DeferralRow.CLASS_UNKNOWN_MODE;
import static org.kreplay.analyze.internal.deferral.Samples.orUnknown;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * hrtimer_start → hrtimer_expire_entry by timer address: lateness = now − softexpires, classed by
 * the timer's mode (HARD, SOFT, plain) as the start, its init or an earlier start showed it.
 */
final class HrtimerTracker {
  private static final int HRTIMER_MODE_SOFT = 0x4;
  private static final int HRTIMER_MODE_HARD = 0x8;
  private static final int MAX_MODES = 1 << 16;

  private final Samples samples;
  private final ChainLinks chains;
  private final PendingTable hrtimers = new PendingTable();
  /** Learned hrtimer modes by address (init events, starts that carry HARD/SOFT), bounded LRU. */
  private final Map<Long, Integer> hrtimerModes = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
      return size() > MAX_MODES;
    }
  };
  /**
   * Symbols learned for raw callback addresses (report -R prints hrtimer_expire_entry's function
   * as an address and hrtimer_start's as a symbol), to name rows keyed by an address.
   */
  private final Map<String, String> symbols = new HashMap<>();
  private long[] lastExpiredHrtimer = new long[0];
  private int[] lastExpiredClass = new int[0];

  HrtimerTracker(Samples samples, ChainLinks chains) {
    this.samples = samples;
    this.chains = chains;
  }

  void register(Dispatch d) {
    d.on(EventKind.HRTIMER_INIT, (e, c) -> {
      if (e.hrtimerMode() >= 0) hrtimerModes.put(e.address(), e.hrtimerMode());
    });
    d.on(EventKind.HRTIMER_START, this::start);
    // A cancel only marks the timer: the entry must survive until the expiry or the next start.
    d.on(EventKind.HRTIMER_CANCEL, (e, c) -> {
      int slot = hrtimers.find(e.address());
      if (slot >= 0) hrtimers.setCancelled(slot);
    });
    d.on(EventKind.HRTIMER_EXPIRE_ENTRY, this::expire);
    d.on(EventKind.HRTIMER_EXPIRE_EXIT, chains::returned);
  }

  private void ensure(int cpu) {
    if (cpu < lastExpiredHrtimer.length) return;
    int n = Math.max(cpu + 1, lastExpiredHrtimer.length * 2);
    lastExpiredHrtimer = Arrays.copyOf(lastExpiredHrtimer, n);
    lastExpiredClass = Arrays.copyOf(lastExpiredClass, n);
  }

  /** The hrtimer class (CLASS_HARD, CLASS_SOFT, CLASS_PLAIN, or 0 unknown) of the timer that last expired on {@code cpu}. */
  int lastExpiredClass(int cpu) {
    return cpu >= 0 && cpu < lastExpiredClass.length ? lastExpiredClass[cpu] : 0;
  }

  private void start(TraceEvent e, CpuContext c) {
    int mode = e.hrtimerMode();
    int cls;
    if (mode >= 0 && (mode & (HRTIMER_MODE_HARD | HRTIMER_MODE_SOFT)) != 0) {
      hrtimerModes.put(e.address(), mode);
      cls = classOfMode(mode);
    } else {
      if (e.cpu() >= 0) ensure(e.cpu());
      if (e.cpu() >= 0 && lastExpiredHrtimer[e.cpu()] == e.address() && lastExpiredClass[e.cpu()] != 0) {
        // Restarted by __run_hrtimer(), which re-enqueues with a bare ABS mode: keep its class.
        cls = lastExpiredClass[e.cpu()];
      } else {
        Integer learned = hrtimerModes.get(e.address());
        if (learned != null && (learned & (HRTIMER_MODE_HARD | HRTIMER_MODE_SOFT)) != 0) {
          cls = classOfMode(learned);
        } else if (mode >= 0) {
          cls = CLASS_PLAIN;
        } else {
          cls = learned != null ? classOfMode(learned) : CLASS_UNKNOWN_MODE;
        }
      }
    }
    String fn = orUnknown(e.function());
    int put = hrtimers.put(e.address(), e.timestamp(), e.cpu(), fn, cls, e.softexpires());
    hrtimers.origin(put, e.cpu(), e.pid(), e.comm(), e.line());
    hrtimers.chain(put, chains.handOn(e, c, Mechanism.HRTIMER, fn));
  }

  private static int classOfMode(int mode) {
    if ((mode & HRTIMER_MODE_HARD) != 0) return CLASS_HARD;
    if ((mode & HRTIMER_MODE_SOFT) != 0) return CLASS_SOFT;
    return CLASS_PLAIN;
  }

  private void expire(TraceEvent e, CpuContext c) {
    int slot = hrtimers.find(e.address());
    String fn = orUnknown(e.function());
    int cls;
    if (slot < 0) {
      Integer learned = hrtimerModes.get(e.address());
      cls = learned != null ? classOfMode(learned) : CLASS_UNKNOWN_MODE;
      samples.unmatchedExecute(Mechanism.HRTIMER, fn, cls);
    } else {
      cls = hrtimers.cls(slot);
      // Key by the start event's name unless only the expiry has a symbol (report -R prints
      // hrtimer_expire_entry's function as a raw address, hrtimer_start's as a symbol).
      String started = hrtimers.name(slot);
      if (e.function() == null || (isAddress(fn) && !isAddress(started))) {
        if (e.function() != null && symbols.size() < MAX_MODES) symbols.put(e.function(), started);
        fn = started;
      }
      if (samples.crossesGap(hrtimers.timestamp(slot), hrtimers.cpu(slot), e.cpu())) {
        samples.acrossGap(Mechanism.HRTIMER, fn);
      } else {
        long late = e.now() - hrtimers.extra(slot);
        samples.sample(Mechanism.HRTIMER, Metric.LATENCY, fn, cls, late, hrtimers, slot, e);
        chains.started(e, c, Mechanism.HRTIMER, fn, hrtimers, slot, e.timestamp() - Math.max(0, late));
      }
      hrtimers.remove(slot);
    }
    if (e.cpu() >= 0) {
      ensure(e.cpu());
      lastExpiredHrtimer[e.cpu()] = e.address();
      lastExpiredClass[e.cpu()] = cls == CLASS_UNKNOWN_MODE ? 0 : cls;
    }
  }

  private static boolean isAddress(String s) {
    return s.startsWith("0x");
  }

  long untracked() {
    return hrtimers.overflow();
  }

  /** Timers still armed at the end (a cancelled one is not pending). */
  void finishPending() {
    hrtimers.forEach(s -> {
      if (!hrtimers.cancelled(s)) samples.unmatchedEnqueue(Mechanism.HRTIMER, hrtimers.name(s), hrtimers.cls(s));
    });
  }

  /** Rows keyed by a raw callback address take the symbol a start event gave it. */
  void renameAddresses() {
    symbols.forEach((address, symbol) -> {
      for (Metric metric : Metric.values()) samples.stats().renameKey(Mechanism.HRTIMER, metric, address, symbol);
    });
  }
}
