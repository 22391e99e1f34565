package org.kreplay.analyze.internal.context;

import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.ingest.ContextFlags;

/**
 * What one CPU is doing: a stack of interrupt contexts above the running task (softirq, hardirq,
 * NMI frames, each with its vector or irq), which task runs, and whether that is known at all.
 * Rebuilt from entry/exit events and corrected from each event's flags; time between events is
 * charged to the context in force.
 */
public final class CpuContext {
  public static final byte SOFTIRQ = 1;
  public static final byte HARDIRQ = 2;
  public static final byte NMI = 3;
  /** Frame number of a context known only from the flags (no entry event seen). */
  public static final int INFERRED = -1;
  public static final int MAX_DEPTH = 16;

  private final int cpu;
  private final ResultRecorder.CpuTimeRecorder times;
  private final ResultRecorder summary;
  private final byte[] types = new byte[MAX_DEPTH];
  private final int[] numbers = new int[MAX_DEPTH];
  /** What each frame runs ("irq 28 (radeon)", "local_timer vector", "softirq TIMER"). */
  private final String[] labels = new String[MAX_DEPTH];
  /** Whether a hardirq frame's handler would be force-threaded: 1 yes, 0 no, -1 unknown. */
  private final byte[] threadable = new byte[MAX_DEPTH];
  /** Input line of the frame's entry event, or 0 for frames known from flags. */
  private final long[] entries = new long[MAX_DEPTH];
  /** Preempt depth shown by the entry event (the interrupted context's), or -1. */
  private final byte[] entryPreempt = new byte[MAX_DEPTH];
  /** Each frame's number among every frame this CPU opened: tells two frames at one depth apart. */
  private final long[] serials = new long[MAX_DEPTH];
  private long framesOpened;
  private int depth;
  /** Whether the base (task) context is known; false at the start and after lost events. */
  private boolean baseKnown;
  private int currentPid = -1;
  /** The running task's comm, as the event that put it here showed it. */
  private String currentComm;
  /** What ran on this CPU lately, for the blame of the deferrals that ran here. */
  private final CpuTimeline timeline = new CpuTimeline();
  private long firstTs = Long.MIN_VALUE;
  private long lastTs = Long.MIN_VALUE;
  private int lastFlags;
  private long unknownSinceKnown;
  private long lastGapTs = Long.MIN_VALUE;
  // What holds the running task in place, for the blame (set from preemptirq and lock events)
  /** "irqs off in caller ← parent" since an irq_disable, until its irq_enable; null when not traced. */
  private String irqsOffBy;
  /** "preempt off in caller ← parent" since a preempt_disable, until its preempt_enable. */
  private String preemptOffBy;
  /** The last event was a sched_switch: its irqs-off and preempt flags end with it (see markTaskContext). */
  private boolean justSwitched;
  /** The preempt depth every event shows for its tracepoint (see PreemptBaseline). */
  private int preemptBaseline;
  /** The task of this CPU waiting for a lock (contention_begin, no contention_end yet), or -1. */
  private int waiterPid = -1;
  private String waiterComm;
  /** "waiting for lock 0x… (held by …)". */
  private String waitingFor;

  CpuContext(int cpu, ResultRecorder.CpuTimeRecorder times, ResultRecorder summary) {
    this.cpu = cpu;
    this.times = times;
    this.summary = summary;
  }

  public int cpu() {
    return cpu;
  }

  public int depth() {
    return depth;
  }

  public byte frameType(int i) {
    return types[i];
  }

  public int frameNumber(int i) {
    return numbers[i];
  }

  public String frameLabel(int i) {
    return labels[i];
  }

  /** 1 if the hardirq frame's handler would be force-threaded, 0 if not, -1 unknown. */
  public byte frameThreadable(int i) {
    return threadable[i];
  }

  /** Input line of frame {@code i}'s entry event, 0 when the frame is known from flags only. */
  public long frameEntryLine(int i) {
    return entries[i];
  }

  /** Frame {@code i}'s identity: no other frame this CPU opened has the same (inferred frames included). */
  public long frameSerial(int i) {
    return serials[i];
  }

  /** The preempt depth the entry event of frame {@code i} showed, or -1 when unknown. */
  public int frameEntryPreempt(int i) {
    return entryPreempt[i];
  }

  /** Index of the innermost frame of a type, or -1. */
  public int innermost(byte type) {
    for (int i = depth - 1; i >= 0; i--) if (types[i] == type) return i;
    return -1;
  }

  public boolean inHardirq() {
    for (int i = 0; i < depth; i++) if (types[i] == HARDIRQ) return true;
    return false;
  }

  public boolean inSoftirq() {
    for (int i = 0; i < depth; i++) if (types[i] == SOFTIRQ) return true;
    return false;
  }

  public boolean inNmi() {
    return depth > 0 && types[depth - 1] == NMI;
  }

  /** The innermost context, as an output category. */
  public Category category() {
    if (depth > 0) {
      switch (types[depth - 1]) {
        case HARDIRQ: return Category.HARDIRQ;
        case SOFTIRQ: return Category.SOFTIRQ;
        default: return Category.NMI;
      }
    }
    if (!baseKnown) return Category.UNKNOWN;
    return currentPid == 0 ? Category.IDLE : Category.TASK;
  }

  public int currentPid() {
    return currentPid;
  }

  /** How a blame, and explain's context column, name a task: "task stress-ng-cpu/8294". */
  public static String taskName(String comm, int pid) {
    return "task " + (comm == null ? "?" : comm) + "/" + pid;
  }

  /** The running task's comm as the event that put it here showed it, or null. */
  public String currentComm() {
    return currentComm;
  }

  /** Whether the task (base) context is known: false at the start and after lost events. */
  public boolean taskKnown() {
    return baseKnown;
  }

  /** Timestamp of the last lost-events gap on this CPU, or Long.MIN_VALUE. */
  public long lastGapTs() {
    return lastGapTs;
  }

  public long firstTs() {
    return firstTs;
  }

  public long lastTs() {
    return lastTs;
  }

  /** Charges the time since this CPU's previous event and notes the new event's flags. */
  public void advance(long ts, int flags) {
    if (lastTs == Long.MIN_VALUE) {
      firstTs = ts;
    } else if (ts > lastTs) {
      long delta = ts - lastTs;
      Category c = category();
      times.addTime(c, delta);
      if (c == Category.UNKNOWN) unknownSinceKnown += delta;
      // Idle time is left out: the idle loop halts with interrupts enabled between its events.
      boolean irqsOff = false;
      if (c != Category.IDLE && ContextFlags.irqsKnown(flags) && ContextFlags.irqsKnown(lastFlags)) {
        // Both events with irqs off, unless the second is an interrupt arriving: a hardirq can only
        // start where irqs were on (its own event shows them off, as the CPU disabled them); nor after
        // a switch, whose flags are the scheduler's (see markTaskContext).
        boolean interruptArrived = c != Category.HARDIRQ && c != Category.NMI && ContextFlags.irqContextKnown(flags)
            && ContextFlags.hardirq(flags);
        irqsOff = ContextFlags.irqsOff(flags) && ContextFlags.irqsOff(lastFlags) && !interruptArrived && !justSwitched;
        times.addIrqsTime(irqsOff, delta);
      }
      timeline.add(lastTs, ts, c, currentPid, activityLabel(), qualifier(c, irqsOff, flags));
    }
    if (ts > lastTs) lastTs = ts;
    lastFlags = flags;
    justSwitched = false;
    times.countEvent();
  }

  /**
   * What held the CPU in place over the time up to an event with {@code flags}, beyond its context:
   * for a task its lock wait, else irqs off (with the code that disabled them when traced), else
   * preemption off where both events show it above the tracepoint's own level; for idle, a task of
   * this CPU blocked on a lock. Null when nothing did.
   */
  private String qualifier(Category c, boolean irqsOff, int flags) {
    if (c == Category.IDLE) return waiterPid > 0 ? taskName(waiterComm, waiterPid) + " " + waitingFor : null;
    if (c != Category.TASK) return null;
    if (waiterPid == currentPid && waiterPid > 0) return waitingFor;
    if (irqsOff) return irqsOffBy != null ? irqsOffBy : "irqs off";
    if (preemptOffBy != null) return preemptOffBy;
    if (!justSwitched && ContextFlags.preemptKnown(flags) && ContextFlags.preemptKnown(lastFlags)
        && ContextFlags.preemptDepth(flags) > preemptBaseline && ContextFlags.preemptDepth(lastFlags) > preemptBaseline) {
      return "preempt off";
    }
    return null;
  }

  /** The preempt depth every event shows for its own tracepoint: more is a section with preemption off. */
  public void preemptBaseline(int depth) {
    preemptBaseline = depth;
  }

  /** preemptirq irq_disable / irq_enable: {@code what} is "irqs off in caller ← parent", or null when enabled. */
  public void irqsOffBy(String what) {
    irqsOffBy = what;
  }

  /** preemptirq preempt_disable / preempt_enable: "preempt off in caller ← parent", or null when enabled. */
  public void preemptOffBy(String what) {
    preemptOffBy = what;
  }

  /** contention_begin: the task waits for a lock; {@code what} is "waiting for lock 0x… (held by …)". */
  public void lockWait(int pid, String comm, String what) {
    waiterPid = pid;
    waiterComm = comm;
    waitingFor = what;
  }

  /** contention_end of {@code pid}, wherever it ran: its wait on this CPU is over. */
  public void lockWaitEnded(int pid) {
    if (waiterPid == pid) waiterPid = -1;
  }

  public void setCurrentTask(int pid, String comm) {
    if (pid < 0) return;
    currentPid = pid;
    currentComm = comm;
  }

  /**
   * What this CPU did in {@code [from, to)}: the time split by the context that ran, largest first,
   * as far back as its history is kept (see {@link CpuTimeline}).
   */
  public org.kreplay.analyze.Blame blame(long from, long to) {
    return timeline.blame(from, to);
  }

  /**
   * A scheduler switch happens in task context: the base context is known from here on. The
   * switch's flags are the scheduler's (irqs and preemption off around it), which the task switched
   * to turns back on right away: they say nothing of the time up to that task's next event.
   */
  public void markTaskContext() {
    justSwitched = true;
    if (depth == 0) {
      baseKnown = true;
      unknownSinceKnown = 0;
    }
  }

  public void push(byte type, int number, String label, byte threaded, long entryLine, int entryFlags) {
    if (depth == MAX_DEPTH) {
      // Entries without exits piling up: drop the outermost, the input is inconsistent.
      System.arraycopy(types, 1, types, 0, MAX_DEPTH - 1);
      System.arraycopy(numbers, 1, numbers, 0, MAX_DEPTH - 1);
      System.arraycopy(labels, 1, labels, 0, MAX_DEPTH - 1);
      System.arraycopy(threadable, 1, threadable, 0, MAX_DEPTH - 1);
      System.arraycopy(entries, 1, entries, 0, MAX_DEPTH - 1);
      System.arraycopy(entryPreempt, 1, entryPreempt, 0, MAX_DEPTH - 1);
      System.arraycopy(serials, 1, serials, 0, MAX_DEPTH - 1);
      depth--;
      summary.countContextRepair();
    }
    types[depth] = type;
    numbers[depth] = number;
    labels[depth] = label;
    threadable[depth] = threaded;
    entries[depth] = entryLine;
    entryPreempt[depth] = (byte) (ContextFlags.preemptKnown(entryFlags) ? ContextFlags.preemptDepth(entryFlags) : -1);
    serials[depth] = ++framesOpened;
    depth++;
  }

  /**
   * Pops the innermost frame of {@code type} (matching {@code number} unless either is inferred),
   * and any frame left open above it.
   */
  public void pop(byte type, int number) {
    for (int i = depth - 1; i >= 0; i--) {
      if (types[i] == type && (numbers[i] == number || numbers[i] == INFERRED || number == INFERRED)) {
        if (i != depth - 1) summary.countContextRepair();
        depth = i;
        return;
      }
    }
    // An exit without its entry: the CPU was in this context before we could see it.
    summary.countUnmatchedExit();
    if (depth == 0 && !baseKnown && unknownSinceKnown > 0) {
      times.moveTime(Category.UNKNOWN, type == SOFTIRQ ? Category.SOFTIRQ : type == HARDIRQ ? Category.HARDIRQ : Category.NMI,
          unknownSinceKnown);
      unknownSinceKnown = 0;
    }
  }

  /** Makes the frame stack agree with the event's flags, where the flags show the context. */
  public void reconcile(int flags) {
    if (ContextFlags.nmiKnown(flags) && !ContextFlags.nmi(flags)) {
      while (depth > 0 && types[depth - 1] == NMI) {
        depth--;
      }
    }
    if (ContextFlags.irqContextKnown(flags)) {
      boolean hard = ContextFlags.hardirq(flags);
      boolean soft = ContextFlags.softirq(flags);
      if (!hard) removeAll(HARDIRQ);
      if (!soft) removeAll(SOFTIRQ);
      if (soft && !inSoftirq()) insertBase(SOFTIRQ);
      if (hard && !inHardirq()) insertAfterSoftirq();
      if (depth == 0) {
        baseKnown = true;
        unknownSinceKnown = 0;
      }
    }
    if (ContextFlags.nmiKnown(flags) && ContextFlags.nmi(flags) && !inNmi()) {
      push(NMI, INFERRED, "NMI", (byte) 0, 0, ContextFlags.UNKNOWN);
    }
  }

  private void removeAll(byte type) {
    int w = 0;
    for (int r = 0; r < depth; r++) {
      if (types[r] == type) {
        // Closing a frame opened by an entry event means its exit event was missed.
        if (numbers[r] != INFERRED) summary.countContextRepair();
        continue;
      }
      types[w] = types[r];
      numbers[w] = numbers[r];
      labels[w] = labels[r];
      threadable[w] = threadable[r];
      entries[w] = entries[r];
      entryPreempt[w] = entryPreempt[r];
      serials[w] = serials[r];
      w++;
    }
    depth = w;
  }

  private void insertBase(byte type) {
    insertAt(0, type);
  }

  private void insertAfterSoftirq() {
    int i = 0;
    while (i < depth && types[i] == SOFTIRQ) i++;
    insertAt(i, HARDIRQ);
  }

  private void insertAt(int i, byte type) {
    if (depth == MAX_DEPTH) return;
    System.arraycopy(types, i, types, i + 1, depth - i);
    System.arraycopy(numbers, i, numbers, i + 1, depth - i);
    System.arraycopy(labels, i, labels, i + 1, depth - i);
    System.arraycopy(threadable, i, threadable, i + 1, depth - i);
    System.arraycopy(entries, i, entries, i + 1, depth - i);
    System.arraycopy(entryPreempt, i, entryPreempt, i + 1, depth - i);
    System.arraycopy(serials, i, serials, i + 1, depth - i);
    types[i] = type;
    numbers[i] = INFERRED;
    labels[i] = type == SOFTIRQ ? "softirq (entry not traced)" : "hardirq (entry not traced)";
    threadable[i] = -1;
    entries[i] = 0;
    entryPreempt[i] = -1;
    serials[i] = ++framesOpened;
    depth++;
  }

  /** Lost events: forget the context; the time until the next event is unknown. */
  public void gap(long ts) {
    if (lastTs != Long.MIN_VALUE && ts > lastTs) advanceTo(ts);
    depth = 0;
    baseKnown = false;
    unknownSinceKnown = 0;
    lastFlags = 0;
    irqsOffBy = null;
    preemptOffBy = null;
    waiterPid = -1;
    lastGapTs = Math.max(lastGapTs, ts);
  }

  /** What runs now, for the timeline: the innermost frame's label, or the task's comm. */
  private String activityLabel() {
    return depth > 0 ? labels[depth - 1] : currentComm;
  }

  private void advanceTo(long ts) {
    long delta = ts - lastTs;
    Category c = category();
    times.addTime(c, delta);
    timeline.add(lastTs, ts, c, currentPid, activityLabel(), null);
    lastTs = ts;
  }
}
