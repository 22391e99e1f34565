package org.kreplay.analyze.internal.context;

import java.util.Arrays;

/** The {@link CpuContext} of every CPU, and which task runs where. */
public final class ContextTracker {
  public static final int MAX_CPUS = 1 << 14;
  /** Linux's PID_MAX_LIMIT: larger pids come from a corrupt input and are not tracked. */
  public static final int MAX_PID = 1 << 22;

  private final ResultRecorder result;
  private CpuContext[] cpus = new CpuContext[0];
  private final PidSet running = new PidSet();
  private int preemptBaseline;

  public ContextTracker(ResultRecorder result) {
    this.result = result;
  }

  /** The context of {@code cpu}, created on first use; null for a CPU number out of range. */
  public CpuContext cpu(int cpu) {
    if (cpu < 0 || cpu >= MAX_CPUS) return null;
    if (cpu >= cpus.length) cpus = Arrays.copyOf(cpus, Math.max(cpu + 1, cpus.length * 2));
    CpuContext c = cpus[cpu];
    if (c == null) {
      c = new CpuContext(cpu, result.cpuTimes(cpu), result);
      c.preemptBaseline(preemptBaseline);
      cpus[cpu] = c;
      result.addCpu(cpu);
    }
    return c;
  }

  /** The preempt depth every event shows for its own tracepoint (see PreemptBaseline): known before the first event. */
  public void preemptBaseline(int depth) {
    preemptBaseline = depth;
    forEach(c -> c.preemptBaseline(depth));
  }

  /** Whether lost events were marked on {@code cpu} at or after {@code ts}. */
  public boolean gapSince(int cpu, long ts) {
    if (cpu < 0 || cpu >= cpus.length || cpus[cpu] == null) return false;
    return cpus[cpu].lastGapTs() >= ts;
  }

  /** Records that {@code pid} ({@code comm}) now runs on {@code c} (pid 0, the idle task, is per CPU). */
  public void setRunning(CpuContext c, int pid, String comm) {
    int old = c.currentPid();
    if (old == pid) return;
    if (old > 0 && old < MAX_PID) running.remove(old);
    if (pid > 0 && pid < MAX_PID) running.add(pid);
    c.setCurrentTask(pid, comm);
  }

  /** The CPU's context if it has had events, else null (never creates one). */
  public CpuContext existing(int cpu) {
    return cpu >= 0 && cpu < cpus.length ? cpus[cpu] : null;
  }

  public boolean isRunning(int pid) {
    return pid > 0 && pid < MAX_PID && running.contains(pid);
  }

  /** Span of every CPU, first to last event. */
  public void forEach(java.util.function.Consumer<CpuContext> action) {
    for (CpuContext c : cpus) {
      if (c != null) action.accept(c);
    }
  }
}
