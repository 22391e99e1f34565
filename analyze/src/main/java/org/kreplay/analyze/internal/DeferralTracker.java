package org.kreplay.analyze.internal;

import static org.kreplay.analyze.DeferralRow.ALL;
import static org.kreplay.analyze.DeferralRow.CLASS_HARD;
import static org.kreplay.analyze.DeferralRow.CLASS_NORMAL;
import static org.kreplay.analyze.DeferralRow.CLASS_PLAIN;
import static org.kreplay.analyze.DeferralRow.CLASS_RT;
import static org.kreplay.analyze.DeferralRow.CLASS_SOFT;
import static org.kreplay.analyze.DeferralRow.CLASS_THREAD;
import static org.kreplay.analyze.DeferralRow.CLASS_UNKNOWN_MODE;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kreplay.analyze.DeferralRow.Metric;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.DeferralSample;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.ContextUpdates;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.analyze.internal.context.Dispatch;
import org.kreplay.analyze.internal.context.PidSet;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Pairs each enqueue with its execution by identity and records the latency (see {@link
 * Mechanism} for what each pair is). An enqueue still pending at the end, an execution with no
 * enqueue, and a pair spanning lost events are counted on their row, never dropped silently.
 */
final class DeferralTracker {
  private static final int HRTIMER_MODE_SOFT = 0x4;
  private static final int HRTIMER_MODE_HARD = 0x8;
  private static final int MAX_IRQ_WORK_PENDING = 1024;
  private static final int MAX_MODES = 1 << 16;

  private final DeferralStats stats;
  private final ContextTracker contexts;
  /** The input, and whether its positions are byte offsets, for the worst samples. */
  private final String source;
  private final boolean byteOffsets;

  private final PendingTable works = new PendingTable();
  private final PendingTable runningWork = new PendingTable();
  private final PendingTable hrtimers = new PendingTable();
  private final PendingTable timers = new PendingTable();
  private final PendingTable rcuHeads = new PendingTable();
  private final PendingTable wakeups = new PendingTable();
  /**
   * sched_waking of a task still on a CPU, until its next switch-in settles it as already running
   * — unless it switches out asleep and the wakeup's sched_wakeup follows: try_to_wake_up() waited
   * for it to leave the CPU and then woke it, a real wakeup from that sched_wakeup on. Cancelled =
   * switched out asleep since.
   */
  private final PendingTable runningWakings = new PendingTable();
  /** Pids whose last switch-out was a sleep: their next switch-in should follow a wakeup. */
  private final PidSet sleeping = new PidSet();

  /** Learned hrtimer modes by address (init events, starts that carry HARD/SOFT), bounded LRU. */
  private final Map<Long, Integer> hrtimerModes = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
      return size() > MAX_MODES;
    }
  };

  private final CpuArrays perCpu = new CpuArrays();

  /**
   * Symbols learned for raw callback addresses (report -R prints hrtimer_expire_entry's function
   * as an address and hrtimer_start's as a symbol), to name rows keyed by an address.
   */
  private final Map<String, String> symbols = new java.util.HashMap<>();

  // Timer-wheel HZ estimate: first and last (timestamp, jiffies) seen.
  private long firstJiffiesTs = Long.MIN_VALUE;
  private long firstJiffies;
  private long lastJiffiesTs;
  private long lastJiffies;

  DeferralTracker(DeferralStats stats, ContextTracker contexts, String source, boolean byteOffsets) {
    this.stats = stats;
    this.contexts = contexts;
    this.source = source;
    this.byteOffsets = byteOffsets;
  }

  /** Per-CPU state: pending softirq raises, running softirq, pending irq_work, last expired hrtimer. */
  private static final class CpuArrays {
    long[][] softirqRaised = new long[0][];
    /** Who raised each pending vector: pid, comm, input position. */
    int[][] softirqRaisedPid = new int[0][];
    String[][] softirqRaisedComm = new String[0][];
    long[][] softirqRaisedPos = new long[0][];
    int[] softirqRunningVec = new int[0];
    long[] softirqRunningTs = new long[0];
    int[] softirqRunningPid = new int[0];
    String[] softirqRunningComm = new String[0];
    long[] softirqRunningPos = new long[0];
    long[][] irqWorkTs = new long[0][];
    String[][] irqWorkKeys = new String[0][];
    /** Who raised each pending irq_work: pid, comm, input position. */
    int[][] irqWorkPid = new int[0][];
    String[][] irqWorkComm = new String[0][];
    long[][] irqWorkPos = new long[0][];
    int[] irqWorkIpiPid = new int[0];
    String[] irqWorkIpiComm = new String[0];
    long[] irqWorkIpiPos = new long[0];
    int[] irqWorkCount = new int[0];
    /** Entry time of the irq_work self-IPI running on this CPU, or -1. */
    long[] irqWorkIpiTs = new long[0];
    /** Callbacks the function tracer showed inside that IPI. */
    int[] irqWorkIpiCallbacks = new int[0];
    long[] lastExpiredHrtimer = new long[0];
    int[] lastExpiredClass = new int[0];

    void ensure(int cpu) {
      if (cpu < softirqRunningVec.length) return;
      int n = Math.max(cpu + 1, softirqRunningVec.length * 2);
      int old = softirqRunningVec.length;
      softirqRaised = Arrays.copyOf(softirqRaised, n);
      softirqRaisedPid = Arrays.copyOf(softirqRaisedPid, n);
      softirqRaisedComm = Arrays.copyOf(softirqRaisedComm, n);
      softirqRaisedPos = Arrays.copyOf(softirqRaisedPos, n);
      softirqRunningVec = Arrays.copyOf(softirqRunningVec, n);
      softirqRunningTs = Arrays.copyOf(softirqRunningTs, n);
      softirqRunningPid = Arrays.copyOf(softirqRunningPid, n);
      softirqRunningComm = Arrays.copyOf(softirqRunningComm, n);
      softirqRunningPos = Arrays.copyOf(softirqRunningPos, n);
      irqWorkTs = Arrays.copyOf(irqWorkTs, n);
      irqWorkKeys = Arrays.copyOf(irqWorkKeys, n);
      irqWorkPid = Arrays.copyOf(irqWorkPid, n);
      irqWorkComm = Arrays.copyOf(irqWorkComm, n);
      irqWorkPos = Arrays.copyOf(irqWorkPos, n);
      irqWorkIpiPid = Arrays.copyOf(irqWorkIpiPid, n);
      irqWorkIpiComm = Arrays.copyOf(irqWorkIpiComm, n);
      irqWorkIpiPos = Arrays.copyOf(irqWorkIpiPos, n);
      irqWorkCount = Arrays.copyOf(irqWorkCount, n);
      irqWorkIpiTs = Arrays.copyOf(irqWorkIpiTs, n);
      irqWorkIpiCallbacks = Arrays.copyOf(irqWorkIpiCallbacks, n);
      lastExpiredHrtimer = Arrays.copyOf(lastExpiredHrtimer, n);
      lastExpiredClass = Arrays.copyOf(lastExpiredClass, n);
      for (int i = old; i < n; i++) {
        softirqRaised[i] = new long[ContextUpdates.softirqVectors()];
        Arrays.fill(softirqRaised[i], Long.MIN_VALUE);
        softirqRaisedPid[i] = new int[ContextUpdates.softirqVectors()];
        softirqRaisedComm[i] = new String[ContextUpdates.softirqVectors()];
        softirqRaisedPos[i] = new long[ContextUpdates.softirqVectors()];
        softirqRunningVec[i] = -1;
        irqWorkIpiTs[i] = -1;
        irqWorkTs[i] = new long[8];
        irqWorkKeys[i] = new String[8];
        irqWorkPid[i] = new int[8];
        irqWorkComm[i] = new String[8];
        irqWorkPos[i] = new long[8];
      }
    }

    /** Drops the oldest pending irq_work of {@code cpu} (index 0), shifting the rest down. */
    void shiftIrqWork(int cpu) {
      int n = irqWorkCount[cpu];
      System.arraycopy(irqWorkTs[cpu], 1, irqWorkTs[cpu], 0, n - 1);
      System.arraycopy(irqWorkKeys[cpu], 1, irqWorkKeys[cpu], 0, n - 1);
      System.arraycopy(irqWorkPid[cpu], 1, irqWorkPid[cpu], 0, n - 1);
      System.arraycopy(irqWorkComm[cpu], 1, irqWorkComm[cpu], 0, n - 1);
      System.arraycopy(irqWorkPos[cpu], 1, irqWorkPos[cpu], 0, n - 1);
      irqWorkKeys[cpu][n - 1] = null;
      irqWorkComm[cpu][n - 1] = null;
      irqWorkCount[cpu] = n - 1;
    }

    void growIrqWork(int cpu) {
      int n = irqWorkTs[cpu].length * 2;
      irqWorkTs[cpu] = Arrays.copyOf(irqWorkTs[cpu], n);
      irqWorkKeys[cpu] = Arrays.copyOf(irqWorkKeys[cpu], n);
      irqWorkPid[cpu] = Arrays.copyOf(irqWorkPid[cpu], n);
      irqWorkComm[cpu] = Arrays.copyOf(irqWorkComm[cpu], n);
      irqWorkPos[cpu] = Arrays.copyOf(irqWorkPos[cpu], n);
    }
  }

  // ---- recording helpers

  private boolean crossesGap(long enqueueTs, int enqueueCpu, int executeCpu) {
    return contexts.gapSince(enqueueCpu, enqueueTs) || contexts.gapSince(executeCpu, enqueueTs);
  }

  /** A sample between an entry of {@code table} (the enqueue) and the event {@code e} (the execution). */
  private void sample(Mechanism m, Metric metric, String key, int cls, long value, PendingTable table, int slot,
      TraceEvent e) {
    sample(m, metric, key, cls, value, table.timestamp(slot), table.originCpu(slot), table.pid(slot),
        table.comm(slot), table.position(slot), e.timestamp(), e.cpu(), e.pid(), e.comm(), e.line());
  }

  /**
   * Records a sample on its key's row, its mechanism's "all" row and its class's row; the two
   * events' facts become a {@link DeferralSample} only when a row keeps it among its worst.
   */
  private void sample(Mechanism m, Metric metric, String key, int cls, long value, long enqTs, int enqCpu, int enqPid,
      String enqComm, long enqPos, long exTs, int exCpu, int exPid, String exComm, long exPos) {
    if (value < 0) value = 0;
    DeferralRow k = stats.row(m, metric, key);
    k.stats().record(value);
    k.addClass(cls);
    DeferralRow all = stats.row(m, metric, ALL);
    all.stats().record(value);
    DeferralRow byClass = null;
    if ((cls & CLASS_RT) != 0 || (cls & CLASS_NORMAL) != 0) {
      byClass = stats.row(m, metric, (cls & CLASS_RT) != 0 ? ALL + " rt" : ALL + " normal");
      byClass.stats().record(value);
      byClass.addClass(cls);
    }
    if (k.wantsWorst(value) || all.wantsWorst(value) || (byClass != null && byClass.wantsWorst(value))) {
      DeferralSample s = new DeferralSample(key, value, source, byteOffsets,
          new DeferralSample.Event(enqTs, enqCpu, enqPid, enqComm, enqPos),
          new DeferralSample.Event(exTs, exCpu, exPid, exComm, exPos));
      k.offerWorst(s);
      all.offerWorst(s);
      if (byClass != null) byClass.offerWorst(s);
    }
  }

  private void unmatchedExecute(Mechanism m, String key, int cls) {
    DeferralRow k = stats.row(m, Metric.LATENCY, key);
    k.countUnmatchedExecute();
    if (cls != CLASS_UNKNOWN_MODE) k.addClass(cls);
    stats.row(m, Metric.LATENCY, ALL).countUnmatchedExecute();
  }

  private void acrossGap(Mechanism m, String key) {
    stats.row(m, Metric.LATENCY, key).countAcrossGap();
    stats.row(m, Metric.LATENCY, ALL).countAcrossGap();
  }

  private void alreadyRunning(String key, int cls) {
    DeferralRow k = stats.row(Mechanism.WAKEUP, Metric.LATENCY, key);
    k.countAlreadyRunning();
    k.addClass(cls);
    stats.row(Mechanism.WAKEUP, Metric.LATENCY, ALL).countAlreadyRunning();
    DeferralRow byClass = stats.row(Mechanism.WAKEUP, Metric.LATENCY, (cls & CLASS_RT) != 0 ? ALL + " rt" : ALL + " normal");
    byClass.countAlreadyRunning();
    byClass.addClass(cls);
  }

  /** Settles a waking of a running task that nothing later turned into a real wakeup. */
  private void settleRunningWaking(int pid) {
    int r = runningWakings.find(pid);
    if (r < 0) return;
    alreadyRunning(runningWakings.name(r), runningWakings.cls(r));
    runningWakings.remove(r);
  }

  private void unmatchedEnqueue(Mechanism m, String key, int cls) {
    DeferralRow k = stats.row(m, Metric.LATENCY, key);
    k.countUnmatchedEnqueue(1);
    k.addClass(cls);
    stats.row(m, Metric.LATENCY, ALL).countUnmatchedEnqueue(1);
  }

  /** The hrtimer class (CLASS_HARD, CLASS_SOFT, CLASS_PLAIN, or 0 unknown) of the timer that last expired on {@code cpu}. */
  int lastExpiredClass(int cpu) {
    return cpu >= 0 && cpu < perCpu.lastExpiredClass.length ? perCpu.lastExpiredClass[cpu] : 0;
  }

  private static boolean isAddress(String s) {
    return s.startsWith("0x");
  }

  private static String orUnknown(String s) {
    return s == null ? "?" : s;
  }

  // ---- workqueue

  /** Registers the events each mechanism pairs: enqueue, execution start and end. */
  void register(Dispatch d) {
    d.on(EventKind.WORKQUEUE_QUEUE_WORK, (e, c) -> queueWork(e));
    d.on(EventKind.WORKQUEUE_EXECUTE_START, (e, c) -> executeWork(e));
    d.on(EventKind.WORKQUEUE_EXECUTE_END, (e, c) -> endWork(e));
    d.on(EventKind.HRTIMER_INIT, (e, c) -> hrtimerInit(e));
    d.on(EventKind.HRTIMER_START, (e, c) -> hrtimerStart(e));
    d.on(EventKind.HRTIMER_CANCEL, (e, c) -> hrtimerCancel(e));
    d.on(EventKind.HRTIMER_EXPIRE_ENTRY, (e, c) -> hrtimerExpire(e));
    d.on(EventKind.TIMER_START, (e, c) -> timerStart(e));
    d.on(EventKind.TIMER_CANCEL, (e, c) -> timerCancel(e));
    d.on(EventKind.TIMER_EXPIRE_ENTRY, (e, c) -> timerExpire(e));
    d.on(EventKind.SOFTIRQ_RAISE, (e, c) -> softirqRaise(e));
    d.on(EventKind.SOFTIRQ_ENTRY, (e, c) -> softirqEntry(e));
    d.on(EventKind.SOFTIRQ_EXIT, (e, c) -> softirqExit(e));
    d.on(EventKind.IRQ_WORK_ENTRY, (e, c) -> irqWorkRun(e));
    d.on(EventKind.IRQ_WORK_EXIT, (e, c) -> irqWorkExit(e));
    d.on(EventKind.FUNCTION, this::function);
    d.on(EventKind.RCU_CALLBACK, (e, c) -> rcuCallback(e, e.function() == null ? "?" : e.function()));
    d.on(EventKind.RCU_INVOKE_CALLBACK, (e, c) -> rcuInvoke(e, e.function() == null ? "?" : e.function()));
    d.on(EventKind.RCU_KVFREE_CALLBACK, (e, c) -> rcuCallback(e, "kvfree_rcu"));
    d.on(EventKind.RCU_INVOKE_KVFREE_CALLBACK, (e, c) -> rcuInvoke(e, "kvfree_rcu"));
    d.on(EnumSet.of(EventKind.SCHED_WAKING, EventKind.SCHED_WAKEUP, EventKind.SCHED_WAKEUP_NEW), (e, c) -> waking(e));
    d.on(EventKind.SCHED_SWITCH, (e, c) -> switchTo(e));
  }

  /** The function tracer shows irq_work being queued, and the callbacks irq_work_single() runs. */
  private void function(TraceEvent e, CpuContext c) {
    if ("irq_work_queue".equals(e.function()) || "irq_work_queue_on".equals(e.function())) {
      irqWorkRaise(e);
    } else if ("irq_work_single".equals(e.text()) || "irq_work_run_list".equals(e.text())) {
      irqWorkCallback(e, c != null && c.inHardirq());
    }
  }

  void queueWork(TraceEvent e) {
    int slot = works.find(e.address());
    if (slot >= 0 && !crossesGap(works.timestamp(slot), works.cpu(slot), e.cpu())) {
      return; // already pending: the first enqueue is the one the work waits from
    }
    int target = e.number() >= 0 ? e.number() : e.cpu();
    works.origin(works.put(e.address(), e.timestamp(), e.cpu(), orUnknown(e.function()), 0, target), e.cpu(), e.pid(),
        e.comm(), e.line());
  }

  void executeWork(TraceEvent e) {
    String fn = orUnknown(e.function());
    int slot = works.find(e.address());
    if (slot < 0) {
      unmatchedExecute(Mechanism.WORKQUEUE, fn, 0);
    } else {
      if (crossesGap(works.timestamp(slot), works.cpu(slot), e.cpu())) {
        acrossGap(Mechanism.WORKQUEUE, fn);
      } else {
        sample(Mechanism.WORKQUEUE, Metric.LATENCY, fn, 0, e.timestamp() - works.timestamp(slot), works, slot, e);
      }
      works.remove(slot);
    }
    if (e.pid() >= 0) {
      runningWork.origin(runningWork.put(e.pid(), e.timestamp(), e.cpu(), fn, 0, e.address()), e.cpu(), e.pid(),
          e.comm(), e.line());
    }
  }

  void endWork(TraceEvent e) {
    if (e.pid() < 0) return;
    int slot = runningWork.find(e.pid());
    if (slot < 0) return;
    if (runningWork.extra(slot) == e.address() && !crossesGap(runningWork.timestamp(slot), runningWork.cpu(slot), e.cpu())) {
      sample(Mechanism.WORKQUEUE, Metric.RUNTIME, runningWork.name(slot), 0, e.timestamp() - runningWork.timestamp(slot),
          runningWork, slot, e);
    }
    runningWork.remove(slot);
  }

  // ---- hrtimer

  void hrtimerInit(TraceEvent e) {
    if (e.mode() >= 0) hrtimerModes.put(e.address(), e.mode());
  }

  void hrtimerStart(TraceEvent e) {
    int mode = e.mode();
    int cls;
    if (mode >= 0 && (mode & (HRTIMER_MODE_HARD | HRTIMER_MODE_SOFT)) != 0) {
      hrtimerModes.put(e.address(), mode);
      cls = classOfMode(mode);
    } else {
      perCpu.ensure(e.cpu());
      if (e.cpu() >= 0 && perCpu.lastExpiredHrtimer[e.cpu()] == e.address()
          && perCpu.lastExpiredClass[e.cpu()] != 0) {
        // Restarted by __run_hrtimer(), which re-enqueues with a bare ABS mode: keep its class.
        cls = perCpu.lastExpiredClass[e.cpu()];
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
    hrtimers.origin(hrtimers.put(e.address(), e.timestamp(), e.cpu(), orUnknown(e.function()), cls, e.value2()),
        e.cpu(), e.pid(), e.comm(), e.line());
  }

  private static int classOfMode(int mode) {
    if ((mode & HRTIMER_MODE_HARD) != 0) return CLASS_HARD;
    if ((mode & HRTIMER_MODE_SOFT) != 0) return CLASS_SOFT;
    return CLASS_PLAIN;
  }

  /**
   * A cancel only marks the timer: the timer wheel emits {@code timer_cancel} right before {@code
   * timer_expire_entry} of the same expiry (expire_timers() detaches with debug_deactivate()), so
   * the entry must survive until either the expiry or the next start.
   */
  void hrtimerCancel(TraceEvent e) {
    int slot = hrtimers.find(e.address());
    if (slot >= 0) hrtimers.setCancelled(slot);
  }

  void hrtimerExpire(TraceEvent e) {
    int slot = hrtimers.find(e.address());
    String fn = orUnknown(e.function());
    int cls;
    if (slot < 0) {
      Integer learned = hrtimerModes.get(e.address());
      cls = learned != null ? classOfMode(learned) : CLASS_UNKNOWN_MODE;
      unmatchedExecute(Mechanism.HRTIMER, fn, cls);
    } else {
      cls = hrtimers.cls(slot);
      // Key by the start event's name unless only the expiry has a symbol (report -R prints
      // hrtimer_expire_entry's function as a raw address, hrtimer_start's as a symbol).
      String started = hrtimers.name(slot);
      if (e.function() == null || (isAddress(fn) && !isAddress(started))) {
        if (e.function() != null && symbols.size() < MAX_MODES) symbols.put(e.function(), started);
        fn = started;
      }
      if (crossesGap(hrtimers.timestamp(slot), hrtimers.cpu(slot), e.cpu())) {
        acrossGap(Mechanism.HRTIMER, fn);
      } else {
        sample(Mechanism.HRTIMER, Metric.LATENCY, fn, cls, e.value3() - hrtimers.extra(slot), hrtimers, slot, e);
      }
      hrtimers.remove(slot);
    }
    if (e.cpu() >= 0) {
      perCpu.ensure(e.cpu());
      perCpu.lastExpiredHrtimer[e.cpu()] = e.address();
      perCpu.lastExpiredClass[e.cpu()] = cls == CLASS_UNKNOWN_MODE ? 0 : cls;
    }
  }

  // ---- timer wheel (recorded in jiffies; converted with the detected HZ at the end)

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
  }

  void timerStart(TraceEvent e) {
    noteJiffies(e.timestamp(), e.value3());
    timers.origin(timers.put(e.address(), e.timestamp(), e.cpu(), orUnknown(e.function()), 0, e.value1()), e.cpu(),
        e.pid(), e.comm(), e.line());
  }

  void timerCancel(TraceEvent e) {
    int slot = timers.find(e.address());
    if (slot >= 0) timers.setCancelled(slot);
  }

  void timerExpire(TraceEvent e) {
    noteJiffies(e.timestamp(), e.value3());
    String fn = orUnknown(e.function());
    int slot = timers.find(e.address());
    if (slot < 0) {
      unmatchedExecute(Mechanism.TIMER, fn, 0);
      return;
    }
    if (crossesGap(timers.timestamp(slot), timers.cpu(slot), e.cpu())) {
      acrossGap(Mechanism.TIMER, fn);
    } else {
      sample(Mechanism.TIMER, Metric.LATENCY, fn, 0, e.value3() - timers.extra(slot), timers, slot, e);
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
    int[] common = {100, 128, 200, 250, 256, 300, 500, 512, 1000, 1024, 1200};
    for (int c : common) {
      if (Math.abs(hz - c) / c < 0.05) return c;
    }
    return 0;
  }

  // ---- softirq

  void softirqRaise(TraceEvent e) {
    int vec = e.number();
    if (e.cpu() < 0 || vec < 0 || vec >= ContextUpdates.softirqVectors()) return;
    perCpu.ensure(e.cpu());
    long[] raised = perCpu.softirqRaised[e.cpu()];
    if (raised[vec] == Long.MIN_VALUE) {
      raised[vec] = e.timestamp();
      perCpu.softirqRaisedPid[e.cpu()][vec] = e.pid();
      perCpu.softirqRaisedComm[e.cpu()][vec] = e.comm();
      perCpu.softirqRaisedPos[e.cpu()][vec] = e.line();
    }
  }

  void softirqEntry(TraceEvent e) {
    int vec = e.number();
    if (e.cpu() < 0 || vec < 0 || vec >= ContextUpdates.softirqVectors()) return;
    perCpu.ensure(e.cpu());
    long[] raised = perCpu.softirqRaised[e.cpu()];
    String key = ContextUpdates.softirqName(vec);
    if (raised[vec] == Long.MIN_VALUE || raised[vec] > e.timestamp()) {
      unmatchedExecute(Mechanism.SOFTIRQ, key, 0);
    } else if (contexts.gapSince(e.cpu(), raised[vec])) {
      acrossGap(Mechanism.SOFTIRQ, key);
    } else {
      int cpu = e.cpu();
      sample(Mechanism.SOFTIRQ, Metric.LATENCY, key, 0, e.timestamp() - raised[vec], raised[vec], cpu,
          perCpu.softirqRaisedPid[cpu][vec], perCpu.softirqRaisedComm[cpu][vec], perCpu.softirqRaisedPos[cpu][vec],
          e.timestamp(), cpu, e.pid(), e.comm(), e.line());
    }
    raised[vec] = Long.MIN_VALUE;
    perCpu.softirqRaisedComm[e.cpu()][vec] = null;
    perCpu.softirqRunningVec[e.cpu()] = vec;
    perCpu.softirqRunningTs[e.cpu()] = e.timestamp();
    perCpu.softirqRunningPid[e.cpu()] = e.pid();
    perCpu.softirqRunningComm[e.cpu()] = e.comm();
    perCpu.softirqRunningPos[e.cpu()] = e.line();
  }

  void softirqExit(TraceEvent e) {
    int vec = e.number();
    if (e.cpu() < 0 || vec < 0 || vec >= ContextUpdates.softirqVectors()) return;
    perCpu.ensure(e.cpu());
    if (perCpu.softirqRunningVec[e.cpu()] == vec && !contexts.gapSince(e.cpu(), perCpu.softirqRunningTs[e.cpu()])) {
      int cpu = e.cpu();
      sample(Mechanism.SOFTIRQ, Metric.RUNTIME, ContextUpdates.softirqName(vec), 0, e.timestamp() - perCpu.softirqRunningTs[cpu],
          perCpu.softirqRunningTs[cpu], cpu, perCpu.softirqRunningPid[cpu], perCpu.softirqRunningComm[cpu],
          perCpu.softirqRunningPos[cpu], e.timestamp(), cpu, e.pid(), e.comm(), e.line());
    }
    perCpu.softirqRunningVec[e.cpu()] = -1;
  }

  // ---- irq_work

  /** A function-trace entry of irq_work_queue(): the raise, keyed by its caller. */
  void irqWorkRaise(TraceEvent e) {
    if (e.cpu() < 0) return;
    perCpu.ensure(e.cpu());
    int cpu = e.cpu();
    int n = perCpu.irqWorkCount[cpu];
    if (n == MAX_IRQ_WORK_PENDING) {
      unmatchedEnqueue(Mechanism.IRQ_WORK, perCpu.irqWorkKeys[cpu][0], 0);
      perCpu.shiftIrqWork(cpu);
      n--;
    }
    if (n == perCpu.irqWorkTs[cpu].length) perCpu.growIrqWork(cpu);
    perCpu.irqWorkTs[cpu][n] = e.timestamp();
    perCpu.irqWorkKeys[cpu][n] = e.text() != null ? e.text() : "irq_work";
    perCpu.irqWorkPid[cpu][n] = e.pid();
    perCpu.irqWorkComm[cpu][n] = e.comm();
    perCpu.irqWorkPos[cpu][n] = e.line();
    perCpu.irqWorkCount[cpu] = n + 1;
  }

  /**
   * irq_work_entry: the self-IPI runs the work raised on this CPU. Whether it ran all of it is
   * known at its exit: on PREEMPT_RT only IRQ_WORK_HARD_IRQ work runs here, the rest waits for
   * the irq_work/N thread.
   */
  void irqWorkRun(TraceEvent e) {
    if (e.cpu() < 0) return;
    perCpu.ensure(e.cpu());
    int cpu = e.cpu();
    if (perCpu.irqWorkIpiTs[cpu] >= 0) irqWorkIpiEnd(cpu); // the previous exit was lost
    if (perCpu.irqWorkCount[cpu] == 0) unmatchedExecute(Mechanism.IRQ_WORK, "irq_work", 0);
    perCpu.irqWorkIpiTs[cpu] = e.timestamp();
    perCpu.irqWorkIpiPid[cpu] = e.pid();
    perCpu.irqWorkIpiComm[cpu] = e.comm();
    perCpu.irqWorkIpiPos[cpu] = e.line();
    perCpu.irqWorkIpiCallbacks[cpu] = 0;
  }

  /** irq_work_exit. */
  void irqWorkExit(TraceEvent e) {
    if (e.cpu() < 0 || e.cpu() >= perCpu.irqWorkIpiTs.length || perCpu.irqWorkIpiTs[e.cpu()] < 0) return;
    irqWorkIpiEnd(e.cpu());
  }

  /**
   * Without function-trace events of the callbacks, the IPI is taken to run everything raised
   * before it, keyed by who raised it; with them, each callback already took its raise.
   */
  private void irqWorkIpiEnd(int cpu) {
    long ipi = perCpu.irqWorkIpiTs[cpu];
    perCpu.irqWorkIpiTs[cpu] = -1;
    if (perCpu.irqWorkIpiCallbacks[cpu] > 0) return;
    int n = perCpu.irqWorkCount[cpu];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      String key = perCpu.irqWorkKeys[cpu][i];
      long ts = perCpu.irqWorkTs[cpu][i];
      if (ts > ipi) { // raised inside the IPI: runs at the next one
        perCpu.irqWorkKeys[cpu][kept] = key;
        perCpu.irqWorkPid[cpu][kept] = perCpu.irqWorkPid[cpu][i];
        perCpu.irqWorkComm[cpu][kept] = perCpu.irqWorkComm[cpu][i];
        perCpu.irqWorkPos[cpu][kept] = perCpu.irqWorkPos[cpu][i];
        perCpu.irqWorkTs[cpu][kept++] = ts;
        continue;
      }
      if (contexts.gapSince(cpu, ts)) {
        acrossGap(Mechanism.IRQ_WORK, key);
      } else {
        sample(Mechanism.IRQ_WORK, Metric.LATENCY, key, CLASS_HARD, ipi - ts, ts, cpu, perCpu.irqWorkPid[cpu][i],
            perCpu.irqWorkComm[cpu][i], perCpu.irqWorkPos[cpu][i], ipi, cpu, perCpu.irqWorkIpiPid[cpu],
            perCpu.irqWorkIpiComm[cpu], perCpu.irqWorkIpiPos[cpu]);
      }
    }
    for (int i = kept; i < n; i++) {
      perCpu.irqWorkKeys[cpu][i] = null;
      perCpu.irqWorkComm[cpu][i] = null;
    }
    perCpu.irqWorkCount[cpu] = kept;
  }

  /**
   * A callback seen by the function tracer, called from irq_work_single(): it takes the oldest
   * raise on its CPU, and the row is keyed by the callback, classed "hard" when it ran in the
   * IPI and "thread" when in task context (the irq_work/N thread on PREEMPT_RT).
   */
  void irqWorkCallback(TraceEvent e, boolean inHardirq) {
    if (e.cpu() < 0) return;
    perCpu.ensure(e.cpu());
    int cpu = e.cpu();
    if (inHardirq && perCpu.irqWorkIpiTs[cpu] >= 0) perCpu.irqWorkIpiCallbacks[cpu]++;
    String key = e.function();
    int cls = inHardirq ? CLASS_HARD : CLASS_THREAD;
    int n = perCpu.irqWorkCount[cpu];
    if (n == 0) {
      unmatchedExecute(Mechanism.IRQ_WORK, key, cls);
      return;
    }
    long ts = perCpu.irqWorkTs[cpu][0];
    if (contexts.gapSince(cpu, ts)) {
      acrossGap(Mechanism.IRQ_WORK, key);
    } else {
      sample(Mechanism.IRQ_WORK, Metric.LATENCY, key, cls, e.timestamp() - ts, ts, cpu, perCpu.irqWorkPid[cpu][0],
          perCpu.irqWorkComm[cpu][0], perCpu.irqWorkPos[cpu][0], e.timestamp(), cpu, e.pid(), e.comm(), e.line());
    }
    perCpu.shiftIrqWork(cpu);
  }

  // ---- RCU callbacks

  void rcuCallback(TraceEvent e, String key) {
    rcuHeads.origin(rcuHeads.put(e.address(), e.timestamp(), e.cpu(), key, 0, 0), e.cpu(), e.pid(), e.comm(), e.line());
  }

  void rcuInvoke(TraceEvent e, String key) {
    int slot = rcuHeads.find(e.address());
    if (slot < 0) {
      unmatchedExecute(Mechanism.RCU, key, 0);
      return;
    }
    String k = key.equals("?") ? rcuHeads.name(slot) : key;
    if (crossesGap(rcuHeads.timestamp(slot), rcuHeads.cpu(slot), e.cpu())) {
      acrossGap(Mechanism.RCU, k);
    } else {
      sample(Mechanism.RCU, Metric.LATENCY, k, 0, e.timestamp() - rcuHeads.timestamp(slot), rcuHeads, slot, e);
    }
    rcuHeads.remove(slot);
  }

  // ---- wakeups

  /**
   * sched_waking / sched_wakeup / sched_wakeup_new of {@code e.nextPid()}. A task woken while it
   * is still on a CPU waits for nothing: counted as already running, not as a sample.
   */
  void waking(TraceEvent e) {
    int pid = e.nextPid();
    if (pid <= 0) return;
    String comm = orUnknown(e.nextComm());
    int cls = prioClass(e.nextPrio());
    int target = e.number() >= 0 ? e.number() : e.cpu();
    boolean secondHalf = e.kind() == EventKind.SCHED_WAKEUP; // sched_waking was its first tracepoint
    int r = runningWakings.find(pid);
    if (contexts.isRunning(pid)) {
      if (r >= 0 && !secondHalf) settleRunningWaking(pid); // a second waking while it runs
      if (runningWakings.find(pid) < 0 && !(secondHalf && r >= 0)) {
        runningWakings.put(pid, e.timestamp(), target, comm, cls, 0);
      }
      return;
    }
    if (r >= 0) {
      if (secondHalf && runningWakings.cancelled(r)) {
        // It went to sleep as it was being woken: this sched_wakeup makes it runnable.
        runningWakings.remove(r);
      } else if (secondHalf) {
        return; // the rest of a wakeup of a running (now preempted) task
      } else {
        settleRunningWaking(pid);
      }
    }
    int slot = wakeups.find(pid);
    if (slot >= 0 && !crossesGap(wakeups.timestamp(slot), wakeups.cpu(slot), e.cpu())) {
      // Woken again before it ran: it has not slept since the first one, which it waits from.
      if (e.kind() == EventKind.SCHED_WAKING) alreadyRunning(comm, cls);
      return;
    }
    wakeups.origin(wakeups.put(pid, e.timestamp(), target, comm, cls, 0), e.cpu(), e.pid(), e.comm(), e.line());
  }

  /**
   * {@code pid} is seen running on a CPU without a traced switch to it (the switch event is
   * missing): its pending wakeup cannot be measured.
   */
  void untracedSwitchIn(int pid) {
    if (pid <= 0) return;
    settleRunningWaking(pid);
    int slot = wakeups.find(pid);
    if (slot < 0) return;
    acrossGap(Mechanism.WAKEUP, wakeups.name(slot));
    wakeups.remove(slot);
  }

  /** Kernel prio below 100 is RT; deadline tasks show -1. */
  private static int prioClass(int prio) {
    return prio < 100 ? CLASS_RT : CLASS_NORMAL;
  }

  /** sched_switch: the previous task leaves (maybe to sleep), the next one gets the CPU. */
  void switchTo(TraceEvent e) {
    int prev = e.prevPid();
    if (prev > 0 && e.prevState() != 0) {
      int r = runningWakings.find(prev);
      if (r >= 0) runningWakings.setCancelled(r);
      // Going to sleep: a wakeup recorded while it was still running is spent.
      int slot = wakeups.find(prev);
      if (slot >= 0) wakeups.remove(slot);
      if (e.prevState() > 0 && prev < ContextTracker.MAX_PID) sleeping.add(prev);
    }
    int next = e.nextPid();
    if (next <= 0) return;
    settleRunningWaking(next);
    int slot = wakeups.find(next);
    if (slot >= 0) {
      String comm = wakeups.name(slot);
      if (crossesGap(wakeups.timestamp(slot), wakeups.cpu(slot), e.cpu())) {
        acrossGap(Mechanism.WAKEUP, comm);
      } else {
        // the runner is the task switched in, not the one leaving
        sample(Mechanism.WAKEUP, Metric.LATENCY, comm, wakeups.cls(slot), e.timestamp() - wakeups.timestamp(slot),
            wakeups.timestamp(slot), wakeups.originCpu(slot), wakeups.pid(slot), wakeups.comm(slot),
            wakeups.position(slot), e.timestamp(), e.cpu(), next, e.nextComm(), e.line());
      }
      wakeups.remove(slot);
    } else if (next < ContextTracker.MAX_PID && sleeping.contains(next)) {
      unmatchedExecute(Mechanism.WAKEUP, orUnknown(e.nextComm()), prioClass(e.nextPrio()));
    }
    if (next < ContextTracker.MAX_PID) sleeping.remove(next);
  }

  // ---- end of trace

  /** Enqueues not tracked because a pending table was full (a pathological input). */
  long untracked() {
    return works.overflow() + runningWork.overflow() + hrtimers.overflow() + timers.overflow()
        + rcuHeads.overflow() + wakeups.overflow() + runningWakings.overflow();
  }

  void finish(int hz, long timestampResolutionNs) {
    works.forEach(s -> unmatchedEnqueue(Mechanism.WORKQUEUE, works.name(s), 0));
    hrtimers.forEach(s -> {
      if (!hrtimers.cancelled(s)) unmatchedEnqueue(Mechanism.HRTIMER, hrtimers.name(s), hrtimers.cls(s));
    });
    timers.forEach(s -> {
      if (!timers.cancelled(s)) unmatchedEnqueue(Mechanism.TIMER, timers.name(s), 0);
    });
    rcuHeads.forEach(s -> unmatchedEnqueue(Mechanism.RCU, rcuHeads.name(s), 0));
    wakeups.forEach(s -> unmatchedEnqueue(Mechanism.WAKEUP, wakeups.name(s), wakeups.cls(s)));
    runningWakings.forEach(s -> alreadyRunning(runningWakings.name(s), runningWakings.cls(s)));
    for (int cpu = 0; cpu < perCpu.softirqRunningVec.length; cpu++) {
      if (perCpu.irqWorkIpiTs[cpu] >= 0) irqWorkIpiEnd(cpu);
      long[] raised = perCpu.softirqRaised[cpu];
      for (int v = 0; v < raised.length; v++) {
        if (raised[v] != Long.MIN_VALUE) unmatchedEnqueue(Mechanism.SOFTIRQ, ContextUpdates.softirqName(v), 0);
      }
      for (int i = 0; i < perCpu.irqWorkCount[cpu]; i++) {
        unmatchedEnqueue(Mechanism.IRQ_WORK, perCpu.irqWorkKeys[cpu][i], 0);
      }
    }
    symbols.forEach((address, symbol) -> {
      for (Metric metric : Metric.values()) stats.renameKey(Mechanism.HRTIMER, metric, address, symbol);
    });
    // Timer-wheel rows were recorded in jiffies; hrtimer lateness comes from the events' ns
    // fields; everything else is a difference of two timestamps, as fine as the input's.
    for (DeferralRow r : stats.rows()) {
      if (r.mechanism() == Mechanism.TIMER) r.setUnitNs(hz > 0 ? 1_000_000_000L / hz : 0);
      else if (r.mechanism() != Mechanism.HRTIMER || r.metric() != Metric.LATENCY) r.setResolutionNs(timestampResolutionNs);
    }
  }
}
