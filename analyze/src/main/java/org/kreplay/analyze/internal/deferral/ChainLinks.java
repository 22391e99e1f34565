package org.kreplay.analyze.internal.deferral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.internal.context.CpuContext;
import org.kreplay.ingest.TraceEvent;

/**
 * Deferrals handed on: when a deferral's callback (a stage) queues another deferral, the queued
 * item carries the chain so far, and when the last stage's callback ends without handing on, the
 * chain is one sample from the first stage's enqueue to the last stage's execution.
 *
 * <p>A stage runs in one context: an interrupt frame of one CPU (told apart by the frame's serial,
 * so a later frame at the same depth is not mistaken for it), or a task (a kworker's work item, a
 * kthread's callback). An enqueue from that context while the stage runs is a hand-on. Re-arming
 * the same callback (a periodic timer, a self-requeueing work) is not, and a chain that comes back
 * to a callback it passed through (a delayed work requeueing itself through its timer) is a cycle,
 * not a chain; and a chain whose last stage is a callback the trace shows re-arming itself only
 * started a periodic timer (an RT task woken from a timer starts sched_rt_period_timer for a
 * second), which it handed no work to: those rows go at the end. Chains stay finite and name real
 * hand-ons.
 */
final class ChainLinks {
  /** Stages a chain may have; an item queued by the last of them starts a chain of its own. */
  static final int MAX_STAGES = 8;
  /** Periodic callbacks remembered (a trace has tens); chains ending in others are kept. */
  private static final int MAX_PERIODIC = 4096;
  /** Pids whose stage is tracked (pid_max's largest value); a stage of a larger pid is not. */
  private static final int MAX_PID = 1 << 22;

  /** The chain a queued item carries: the stages before it, newest first, and when it was handed on. */
  record Chain(Chain previous, int stages, Mechanism mechanism, String key, long enqueueTs, long dueTs, long executeTs,
      long handoffTs, First first) {
    boolean contains(Mechanism m, String k) {
      for (Chain c = this; c != null; c = c.previous) if (c.mechanism == m && c.key.equals(k)) return true;
      return false;
    }
  }

  /**
   * The first stage's enqueue, and when the chain's time starts: the enqueue, or for a timer when it
   * was due (the delay it was armed with is its caller's intent, not a wait).
   */
  record First(long ts, long startTs, int cpu, int pid, String comm, long position) {}

  /** A stage running in one context; reused, so that an execution allocates nothing. */
  private static final class Stage {
    boolean active;
    long serial;
    Mechanism mechanism;
    String key;
    long enqueueTs;
    long dueTs;
    int enqueueCpu;
    int enqueuePid;
    String enqueueComm;
    long enqueuePosition;
    long executeTs;
    int executeCpu;
    int executePid;
    String executeComm;
    long executePosition;
    Chain prior;
    boolean handedOn;
    /** Its callback re-armed itself: a periodic timer or work, which whatever started it did not hand work to. */
    boolean rearmed;
    /** Its callback returned (an hrtimer's expire_exit), but an hrtimer restarted on return is still to come. */
    boolean returned;
  }

  private final Samples samples;
  /** Stages seen re-arming themselves ("hrtimer:sched_rt_period_timer"): chains that end in one are not chains. */
  private final java.util.Set<String> periodic = new java.util.HashSet<>();
  /** Interrupt frames' stages, by CPU * MAX_DEPTH + frame index. */
  private Stage[] frames = new Stage[0];
  /** Task stages by pid; the idle task (pid 0 on every CPU) by CPU. */
  private Stage[] tasks = new Stage[0];
  private Stage[] idle = new Stage[0];

  ChainLinks(Samples samples) {
    this.samples = samples;
  }

  /**
   * An enqueue ({@code mechanism} of {@code key}; null when the enqueue does not name its callback):
   * the chain the queued item carries, or null when it was not queued from inside a stage.
   */
  Chain handOn(TraceEvent e, CpuContext c, Mechanism mechanism, String key) {
    Stage s = current(e, c);
    if (s == null) return null;
    if (key != null && s.mechanism == mechanism && s.key.equals(key)) {
      s.rearmed = true; // re-armed itself: periodic
      if (periodic.size() < MAX_PERIODIC) periodic.add(mechanism.label() + ":" + key);
      return null;
    }
    if (s.returned) { // queued after its callback returned: not by it
      end(s);
      return null;
    }
    if (key != null && s.prior != null && s.prior.contains(mechanism, key)) {
      // a cycle (a delayed work requeueing itself through its timer): periodic, no chain at all
      s.handedOn = true;
      return null;
    }
    int stages = s.prior == null ? 1 : s.prior.stages() + 1;
    if (stages >= MAX_STAGES) return null;
    s.handedOn = true;
    First first = s.prior != null ? s.prior.first()
        : new First(s.enqueueTs, s.dueTs, s.enqueueCpu, s.enqueuePid, s.enqueueComm, s.enqueuePosition);
    return new Chain(s.prior, stages, s.mechanism, s.key, s.enqueueTs, s.dueTs, s.executeTs, e.timestamp(), first);
  }

  /**
   * A deferral starts executing in {@code e}'s context: it becomes that context's stage. {@code
   * carried} is the chain its enqueue carried (null: it starts one); the enqueue's facts are for a
   * chain that starts here; {@code dueTs} is when a timer was due (else the enqueue).
   */
  void started(TraceEvent e, CpuContext c, Mechanism mechanism, String key, Chain carried, long enqueueTs, long dueTs,
      int enqueueCpu, int enqueuePid, String enqueueComm, long enqueuePosition) {
    Stage s = slot(e, c, true);
    if (s == null) return;
    if (carried != null && carried.contains(mechanism, key)) carried = null;
    if (s.active) {
      // the same item seen twice (an irq_work IPI, then the callback it runs): the second replaces it
      boolean same = s.enqueueTs == enqueueTs && s.prior == carried && s.executeCpu == e.cpu();
      if (!same) end(s);
    }
    s.active = true;
    s.serial = c.depth() > 0 ? c.frameSerial(c.depth() - 1) : 0;
    s.mechanism = mechanism;
    s.key = key;
    s.enqueueTs = enqueueTs;
    s.dueTs = Math.max(enqueueTs, Math.min(dueTs, e.timestamp()));
    s.enqueueCpu = enqueueCpu;
    s.enqueuePid = enqueuePid;
    s.enqueueComm = enqueueComm;
    s.enqueuePosition = enqueuePosition;
    s.executeTs = e.timestamp();
    s.executeCpu = e.cpu();
    s.executePid = e.pid();
    s.executeComm = e.comm();
    s.executePosition = e.line();
    s.prior = carried;
    s.handedOn = false;
    s.rearmed = false;
    s.returned = false;
  }

  /** As {@link #started(TraceEvent, CpuContext, Mechanism, String, Chain, long, long, int, int, String, long)}, for an entry of a pending table. */
  void started(TraceEvent e, CpuContext c, Mechanism mechanism, String key, PendingTable table, int slot, long dueTs) {
    started(e, c, mechanism, key, table.chain(slot), table.timestamp(slot), dueTs, table.originCpu(slot),
        table.pid(slot), table.comm(slot), table.position(slot));
  }

  /** The stage of {@code e}'s context ends (its callback returned). */
  void ended(TraceEvent e, CpuContext c) {
    Stage s = current(e, c);
    if (s != null) end(s);
  }

  /**
   * An hrtimer's callback returned: the stage ends at the next thing its context does, as
   * __run_hrtimer() re-enqueues a timer whose callback returned HRTIMER_RESTART right after its
   * expire_exit, and that restart shows the timer periodic.
   */
  void returned(TraceEvent e, CpuContext c) {
    Stage s = current(e, c);
    if (s != null) s.returned = true;
  }

  /** A task stops running: a kthread's callback (irq_work/N, rcuc/N) ends with its turn; a work item may sleep. */
  void switchedOut(int pid) {
    if (pid <= 0 || pid >= tasks.length) return;
    Stage s = tasks[pid];
    if (s != null && s.active && s.mechanism != Mechanism.WORKQUEUE) end(s);
  }

  /** The end of the trace: every stage still running ends. */
  void finish() {
    for (Stage[] all : List.of(frames, tasks, idle)) {
      for (Stage s : all) if (s != null && s.active) end(s);
    }
    samples.finishChains(periodic);
  }

  /** The running stage of {@code e}'s context, or null; a stage of a frame that has ended ends now. */
  private Stage current(TraceEvent e, CpuContext c) {
    Stage s = slot(e, c, false);
    if (s == null || !s.active) return null;
    if (c.depth() > 0 && s.serial != c.frameSerial(c.depth() - 1)) {
      end(s);
      return null;
    }
    return s;
  }

  private Stage slot(TraceEvent e, CpuContext c, boolean create) {
    if (c == null || e.cpu() < 0) return null;
    int cpu = e.cpu();
    if (c.depth() > 0) {
      int i = cpu * CpuContext.MAX_DEPTH + c.depth() - 1;
      if (i >= frames.length) {
        if (!create) return null;
        frames = Arrays.copyOf(frames, Math.max(i + 1, frames.length * 2));
      }
      return frames[i] != null || !create ? frames[i] : (frames[i] = new Stage());
    }
    int pid = e.pid();
    if (pid < 0 || pid >= MAX_PID) return null;
    if (pid == 0) {
      if (cpu >= idle.length) {
        if (!create) return null;
        idle = Arrays.copyOf(idle, Math.max(cpu + 1, idle.length * 2));
      }
      return idle[cpu] != null || !create ? idle[cpu] : (idle[cpu] = new Stage());
    }
    if (pid >= tasks.length) {
      if (!create) return null;
      tasks = Arrays.copyOf(tasks, Math.min(MAX_PID, Math.max(pid + 1, tasks.length * 2)));
    }
    return tasks[pid] != null || !create ? tasks[pid] : (tasks[pid] = new Stage());
  }

  /** A stage ends; if it was the last of a chain (it had stages before it and handed nothing on), the chain is a sample. */
  private void end(Stage s) {
    s.active = false;
    if (s.prior != null && !s.handedOn && !s.rearmed) record(s);
    s.prior = null;
    s.key = null;
    s.enqueueComm = null;
    s.executeComm = null;
  }

  private void record(Stage last) {
    List<Chain> stages = new ArrayList<>();
    for (Chain c = last.prior; c != null; c = c.previous()) stages.add(0, c);
    List<String> names = new ArrayList<>();
    List<String> segments = new ArrayList<>();
    List<Long> ns = new ArrayList<>();
    boolean firstStage = true;
    for (Chain c : stages) {
      names.add(c.mechanism().label() + ":" + c.key());
      waits(c.mechanism(), c.key(), c.enqueueTs(), c.dueTs(), c.executeTs(), firstStage, stages, last, segments, ns);
      segments.add("in " + c.key());
      ns.add(c.handoffTs() - c.executeTs());
      firstStage = false;
    }
    names.add(last.mechanism.label() + ":" + last.key);
    waits(last.mechanism, last.key, last.enqueueTs, last.dueTs, last.executeTs, false, stages, last, segments, ns);
    long[] segmentNs = new long[ns.size()];
    for (int i = 0; i < segmentNs.length; i++) segmentNs[i] = ns.get(i);
    First f = last.prior.first();
    samples.chainSample(String.join(" → ", names), segments, segmentNs, last.executeTs - f.startTs(), f.ts(), f.cpu(),
        f.pid(), f.comm(), f.position(), last.executeTs, last.executeCpu, last.executePid, last.executeComm,
        last.executePosition);
  }

  /**
   * A stage's wait: from its enqueue, or for a timer from when it was due; a timer after the first
   * stage also has the delay it was armed with (a delayed work's jiffies are part of what the chain costs).
   */
  private static void waits(Mechanism m, String key, long enqueueTs, long dueTs, long executeTs, boolean firstStage,
      List<Chain> stages, Stage last, List<String> segments, List<Long> ns) {
    boolean timer = m == Mechanism.HRTIMER || m == Mechanism.TIMER;
    String label = waitLabel(m, key, stages, last);
    if (timer && !firstStage) {
      segments.add(label.replace(" wait", " delay"));
      ns.add(dueTs - enqueueTs);
    }
    segments.add(label);
    ns.add(executeTs - (timer ? dueTs : enqueueTs));
  }

  /** "workqueue wait"; with the callback's name when the chain has two stages of that mechanism. */
  private static String waitLabel(Mechanism m, String key, List<Chain> stages, Stage last) {
    int same = last.mechanism == m ? 1 : 0;
    for (Chain c : stages) if (c.mechanism() == m) same++;
    return m.label() + " wait" + (same > 1 ? " (" + key + ")" : "");
  }
}
