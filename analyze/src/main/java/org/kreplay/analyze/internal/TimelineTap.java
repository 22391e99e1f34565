package org.kreplay.analyze.internal;

import java.util.Arrays;
import java.util.List;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.Blame;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.ReplayedState;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.analyze.TimelineListener.TaskState;
import org.kreplay.analyze.internal.context.ContextTracker;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Tells a {@link TimelineListener} what the replay rebuilt, after each event: how each CPU's
 * context stack changed (as properly nested begins and ends), its preempt depth and irqs-off
 * state, and each task's running / runnable / sleeping state from the scheduler events. It keeps
 * only what it last told per CPU and per task.
 */
final class TimelineTap implements ReplayedState {
  /** Tasks given a state track at most; further ones are counted, not drawn (a bound on memory). */
  static final int MAX_TASKS = 1 << 16;
  private static final byte BASE = 0;

  private final TimelineListener out;
  /** The locks a task holds, from the kernel model. */
  private final java.util.function.IntFunction<List<String>> locks;
  /** The CPU of the event being told (the {@link ReplayedState} view). */
  private CpuContext current;
  private Told[] cpus = new Told[0];
  private final Tasks tasks = new Tasks();
  private final Changes changed = new Changes();
  private long taskStatesNotDrawn;
  private int preemptBaseline;
  private long eventTs = Long.MIN_VALUE;
  private int eventCpu = -1;
  private long lastTs = Long.MIN_VALUE;

  /** What was last told about one CPU: its context stack, preempt depth and irqs state. */
  private static final class Told {
    final byte[] types = new byte[CpuContext.MAX_DEPTH + 1];
    final String[] names = new String[CpuContext.MAX_DEPTH + 1];
    final int[] pids = new int[CpuContext.MAX_DEPTH + 1];
    int depth;
    int preempt = -1;
    int irqsOff = -1;
    /** The previous event here: its time and flags, and whether it was a switch or came in an interrupt. */
    long lastTs = Long.MIN_VALUE;
    int lastFlags;
    boolean lastWasSwitch;
    boolean lastInIrq;
    /** The task last told running here, or -1. */
    int runningPid = -1;
  }

  private static final class Task {
    final int number;
    TaskState state;
    int cpu;

    Task(int number) {
      this.number = number;
    }
  }

  /** The tasks told of, by pid: open addressing on int keys (a lookup or two for every event, no boxing). */
  private static final class Tasks {
    private int[] pids = new int[1024];
    private Task[] tasks = new Task[1024];
    private int size;

    int size() {
      return size;
    }

    Task get(int pid) {
      int mask = pids.length - 1;
      for (int i = slot(pid, mask); tasks[i] != null; i = (i + 1) & mask) {
        if (pids[i] == pid) return tasks[i];
      }
      return null;
    }

    /** A new task for {@code pid}, which is not in the table; numbered from 0 in the order added. */
    Task add(int pid) {
      if ((size + 1) * 2 > pids.length) grow();
      int mask = pids.length - 1;
      int i = slot(pid, mask);
      while (tasks[i] != null) i = (i + 1) & mask;
      pids[i] = pid;
      return tasks[i] = new Task(size++);
    }

    private static int slot(int pid, int mask) {
      int h = pid * 0x9E3779B9;
      return (h ^ (h >>> 16)) & mask;
    }

    private void grow() {
      int[] oldPids = pids;
      Task[] oldTasks = tasks;
      pids = new int[oldPids.length * 2];
      tasks = new Task[oldPids.length * 2];
      int mask = pids.length - 1;
      for (int k = 0; k < oldPids.length; k++) {
        if (oldTasks[k] == null) continue;
        int i = slot(oldPids[k], mask);
        while (tasks[i] != null) i = (i + 1) & mask;
        pids[i] = oldPids[k];
        tasks[i] = oldTasks[k];
      }
    }
  }

  TimelineTap(TimelineListener out, java.util.function.IntFunction<List<String>> locks) {
    this.out = out;
    this.locks = locks;
  }

  void preemptBaseline(int depth) {
    preemptBaseline = Math.max(0, depth);
  }

  /** After the replay took event {@code e} on {@code c} (null for a CPU out of range). */
  void after(TraceEvent e, CpuContext c) {
    long ts = e.timestamp();
    if (ts > lastTs) lastTs = ts;
    if (c == null) return;
    Told t = told(c.cpu());
    syncStack(c, t, ts);
    counters(c.cpu(), t, ts, e.flags(), e.kind() == EventKind.SCHED_SWITCH, c.inHardirq() || c.inNmi());
    tasks(e, c.cpu(), ts);
    tellChanges(ts);
    current = c;
    out.event(e, this);
    current = null;
  }

  @Override
  public String context() {
    CpuContext c = current;
    StringBuilder sb = new StringBuilder();
    if (c.taskKnown()) sb.append(c.currentPid() == 0 ? "idle" : CpuContext.taskName(c.currentComm(), c.currentPid()));
    else sb.append("unknown");
    for (int i = 0; i < c.depth(); i++) sb.append(" > ").append(c.frameLabel(i));
    return sb.toString();
  }

  @Override
  public List<String> locksHeld() {
    return current.currentPid() < 0 ? List.of() : locks.apply(current.currentPid());
  }

  @Override
  public Blame blame(long fromNs, long toNs) {
    return current.blame(fromNs, toNs);
  }

  /** Before the replay takes {@code e}: findings it reports belong to this event. */
  void before(TraceEvent e) {
    eventTs = e.timestamp();
    eventCpu = e.cpu();
  }

  /** After lost events on {@code c}: its context is unknown, so what was open there ends. */
  void gap(CpuContext c, long ts) {
    if (c == null) return;
    if (ts > lastTs) lastTs = ts;
    syncStack(c, told(c.cpu()), ts);
  }

  void finding(Finding f) {
    out.finding(eventTs, eventCpu, f);
  }

  /** State changes of tasks not drawn because {@link #MAX_TASKS} tasks were drawn already. */
  long taskStatesNotDrawn() {
    return taskStatesNotDrawn;
  }

  /**
   * The end of the trace: each CPU's contexts end at its own last event (what it did after that is
   * not in the trace, and its context time is counted to there too), the rest at the last event.
   */
  void finish(ContextTracker contexts) {
    for (int cpu = 0; cpu < cpus.length; cpu++) {
      Told t = cpus[cpu];
      CpuContext c = contexts.existing(cpu);
      if (t == null || c == null) continue;
      for (int i = t.depth - 1; i >= 0; i--) out.contextEnd(c.lastTs(), cpu);
      t.depth = 0;
    }
    if (lastTs != Long.MIN_VALUE) out.end(lastTs);
  }

  private Told told(int cpu) {
    if (cpu >= cpus.length) cpus = Arrays.copyOf(cpus, Math.max(cpu + 1, cpus.length * 2));
    Told t = cpus[cpu];
    if (t == null) cpus[cpu] = t = new Told();
    return t;
  }

  /** Ends what is no longer open, from the top, and begins what is new: the stacks' common base stays. */
  private void syncStack(CpuContext c, Told t, long ts) {
    int base = c.taskKnown() ? 1 : 0;
    int want = base + c.depth();
    int same = 0;
    while (same < t.depth && same < want && sameLevel(c, base, same, t)) same++;
    for (int i = t.depth - 1; i >= same; i--) {
      out.contextEnd(ts, c.cpu());
      t.names[i] = null;
    }
    t.depth = same;
    for (int i = same; i < want; i++) {
      byte type = type(c, base, i);
      String name = name(c, base, i);
      int pid = i < base ? c.currentPid() : -1;
      out.contextBegin(ts, c.cpu(), category(c, type), name, pid);
      t.types[i] = type;
      t.names[i] = name;
      t.pids[i] = pid;
    }
    t.depth = want;
  }

  private static boolean sameLevel(CpuContext c, int base, int i, Told t) {
    if (t.types[i] != type(c, base, i)) return false;
    if (i < base) return t.pids[i] == c.currentPid();
    return java.util.Objects.equals(t.names[i], c.frameLabel(i - base));
  }

  private static byte type(CpuContext c, int base, int i) {
    return i < base ? BASE : c.frameType(i - base);
  }

  private static String name(CpuContext c, int base, int i) {
    if (i >= base) return c.frameLabel(i - base);
    int pid = c.currentPid();
    if (pid == 0) return "idle";
    String comm = c.currentComm();
    return (comm == null || comm.isEmpty() ? "pid" : comm) + " " + pid;
  }

  private static Category category(CpuContext c, byte type) {
    switch (type) {
      case CpuContext.SOFTIRQ: return Category.SOFTIRQ;
      case CpuContext.HARDIRQ: return Category.HARDIRQ;
      case CpuContext.NMI: return Category.NMI;
      default: return c.currentPid() == 0 ? Category.IDLE : Category.TASK;
    }
  }

  /**
   * The preempt depth from each event on, and whether interrupts were off in the time up to it,
   * drawn from the event before: off only where both events show it, not after a switch (its
   * flags are the scheduler's) nor up to an interrupt's arrival — the time analyze counts as
   * irqs off, so the counter and the report agree.
   */
  private void counters(int cpu, Told t, long ts, int flags, boolean isSwitch, boolean inIrq) {
    if (t.lastTs != Long.MIN_VALUE && ts > t.lastTs && ContextFlags.irqsKnown(flags) && ContextFlags.irqsKnown(t.lastFlags)) {
      boolean interruptArrived = inIrq && !t.lastInIrq;
      int off = ContextFlags.irqsOff(flags) && ContextFlags.irqsOff(t.lastFlags) && !t.lastWasSwitch && !interruptArrived ? 1 : 0;
      if (off != t.irqsOff) out.irqsOff(t.lastTs, cpu, off == 1);
      t.irqsOff = off;
    }
    if (ts >= t.lastTs) {
      t.lastTs = ts;
      t.lastFlags = flags;
      t.lastWasSwitch = isSwitch;
      t.lastInIrq = inIrq;
    }
    // told after the irqs-off of the time up to this event, which belongs to the event before
    if (ContextFlags.preemptKnown(flags)) {
      // Less what every event shows for the tracepoint itself (see PreemptBaseline).
      int depth = Math.max(0, ContextFlags.preemptDepth(flags) - preemptBaseline);
      if (depth != t.preempt) out.preemptDepth(ts, cpu, depth);
      t.preempt = depth;
    }
  }

  private void tasks(TraceEvent e, int cpu, long ts) {
    EventKind k = e.kind();
    if (k == EventKind.SCHED_SWITCH) {
      // An unknown prev_state is not claimed runnable.
      state(ts, e.prevPid(), e.prevComm(), e.prevState() == 0 ? TaskState.RUNNABLE : TaskState.SLEEPING, -1);
      running(ts, e.nextPid(), e.nextComm(), cpu);
    } else if (k == EventKind.SCHED_WAKING || k == EventKind.SCHED_WAKEUP || k == EventKind.SCHED_WAKEUP_NEW) {
      Task task = tasks.get(e.nextPid());
      if (task == null || task.state == TaskState.SLEEPING) state(ts, e.nextPid(), e.nextComm(), TaskState.RUNNABLE, -1);
    } else if (e.pid() > 0) {
      // A task the trace shows here without a traced switch to it.
      Task task = tasks.get(e.pid());
      if (task == null || task.state != TaskState.RUNNING || task.cpu != cpu) running(ts, e.pid(), e.comm(), cpu);
    }
  }

  private void running(long ts, int pid, String comm, int cpu) {
    Told t = told(cpu);
    if (t.runningPid > 0 && t.runningPid != pid) {
      Task before = tasks.get(t.runningPid);
      // Switched out without a traced switch: what it does now is not known.
      if (before != null && before.state == TaskState.RUNNING && before.cpu == cpu) {
        state(ts, t.runningPid, null, TaskState.SLEEPING, -1);
      }
    }
    t.runningPid = pid;
    state(ts, pid, comm, TaskState.RUNNING, cpu);
  }

  private void state(long ts, int pid, String comm, TaskState state, int cpu) {
    if (pid <= 0) return; // the idle tasks are drawn on the CPUs' tracks
    Task task = tasks.get(pid);
    if (task == null) {
      if (tasks.size() >= MAX_TASKS) {
        taskStatesNotDrawn++;
        return;
      }
      task = tasks.add(pid);
    }
    if (task.state == state && task.cpu == cpu) return;
    task.state = state;
    task.cpu = cpu;
    changed.add(task.number, pid, comm, state, cpu);
  }

  /**
   * The task states one event changed (a switch changes three at most), told to the listener
   * together after it: one place calls it, so the JIT compiles the listener's code into that place
   * once, not into each of the five paths that change a state (on bench's trace.dat that halved
   * the compiler's work on this class).
   */
  private static final class Changes {
    final int[] numbers = new int[4];
    final int[] pids = new int[4];
    final String[] comms = new String[4];
    final TaskState[] states = new TaskState[4];
    final int[] cpus = new int[4];
    int size;

    void add(int number, int pid, String comm, TaskState state, int cpu) {
      numbers[size] = number;
      pids[size] = pid;
      comms[size] = comm;
      states[size] = state;
      cpus[size++] = cpu;
    }
  }

  private void tellChanges(long ts) {
    Changes c = changed;
    for (int i = 0; i < c.size; i++) {
      out.taskState(ts, c.numbers[i], c.pids[i], c.comms[i], c.states[i], c.cpus[i]);
      c.comms[i] = null;
    }
    c.size = 0;
  }
}
