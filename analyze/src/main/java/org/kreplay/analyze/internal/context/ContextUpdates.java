package org.kreplay.analyze.internal.context;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongFunction;
import org.kreplay.analyze.Catalog;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Moves each CPU's context stack on entry and exit events and corrects it from every event's
 * flags. Entry events are recorded inside the context they open, exits inside the one they close.
 */
public final class ContextUpdates {
  private static final Set<EventKind> HANDLED = EnumSet.of(EventKind.IRQ_HANDLER_ENTRY, EventKind.VECTOR_ENTRY,
      EventKind.IRQ_WORK_ENTRY, EventKind.IRQ_HANDLER_EXIT, EventKind.VECTOR_EXIT, EventKind.IRQ_WORK_EXIT,
      EventKind.SOFTIRQ_ENTRY, EventKind.SOFTIRQ_EXIT, EventKind.SCHED_SWITCH);

  private final ContextTracker contexts;
  private final Catalog catalog;
  /** Who holds the lock at an address, as the lock model knows it, or null. */
  private final LongFunction<String> lockHolder;

  public ContextUpdates(ContextTracker contexts, Catalog catalog, LongFunction<String> lockHolder) {
    this.contexts = contexts;
    this.catalog = catalog;
    this.lockHolder = lockHolder;
  }

  public void register(Dispatch d) {
    d.onCpu(EventKind.IRQ_HANDLER_ENTRY, this::irqHandlerEntry);
    d.onCpu(EnumSet.of(EventKind.VECTOR_ENTRY, EventKind.IRQ_WORK_ENTRY), this::vectorEntry);
    d.onCpu(EnumSet.of(EventKind.IRQ_HANDLER_EXIT, EventKind.VECTOR_EXIT, EventKind.IRQ_WORK_EXIT), this::hardirqExit);
    d.onCpu(EventKind.SOFTIRQ_ENTRY, this::softirqEntry);
    d.onCpu(EventKind.SOFTIRQ_EXIT, this::softirqExit);
    d.onCpu(EventKind.SCHED_SWITCH, this::schedSwitch);
    d.onCpu(EnumSet.complementOf(EnumSet.copyOf(HANDLED)), (e, cpu) -> cpu.reconcile(e.flags()));
    // what holds the running task in place, for the blame (after the flags' correction above)
    d.onCpu(EventKind.IRQ_DISABLE, (e, cpu) -> cpu.irqsOffBy("irqs off in " + code(e)));
    d.onCpu(EventKind.IRQ_ENABLE, (e, cpu) -> cpu.irqsOffBy(null));
    d.onCpu(EventKind.PREEMPT_DISABLE, (e, cpu) -> cpu.preemptOffBy("preempt off in " + code(e)));
    d.onCpu(EventKind.PREEMPT_ENABLE, (e, cpu) -> cpu.preemptOffBy(null));
    d.onCpu(EventKind.CONTENTION_BEGIN, this::contentionBegin);
    d.onCpu(EventKind.CONTENTION_END, (e, cpu) -> {
      int pid = e.pid();
      contexts.forEach(c -> c.lockWaitEnded(pid)); // it may wake on another CPU than it waited on
    });
  }

  /** A preemptirq event's code: "caller ← parent", without offsets. */
  private static String code(TraceEvent e) {
    String caller = e.function() == null ? "?" : Catalog.stripSuffix(e.function());
    return e.parent() == null ? caller : caller + " ← " + Catalog.stripSuffix(e.parent());
  }

  private void contentionBegin(TraceEvent e, CpuContext cpu) {
    if (e.pid() <= 0) return;
    String holder = lockHolder.apply(e.address());
    cpu.lockWait(e.pid(), e.comm(), "waiting for lock 0x" + Long.toHexString(e.address())
        + (holder == null ? "" : " held by " + holder));
  }

  private void irqHandlerEntry(TraceEvent e, CpuContext cpu) {
    cpu.push(CpuContext.HARDIRQ, hardirqNumber(e), "irq " + e.irq() + " (" + e.handlerName() + ")",
        catalog.irqNeverThreaded(e.handlerName()) || e.neverThreaded() ? (byte) 0 : (byte) 1, e.line(), e.flags());
    cpu.reconcile(e.flags());
  }

  private void vectorEntry(TraceEvent e, CpuContext cpu) {
    cpu.push(CpuContext.HARDIRQ, hardirqNumber(e), e.handlerName() + " vector", (byte) 0, e.line(), e.flags());
    cpu.reconcile(e.flags());
  }

  private void hardirqExit(TraceEvent e, CpuContext cpu) {
    cpu.reconcile(e.flags());
    cpu.pop(CpuContext.HARDIRQ, hardirqNumber(e));
  }

  private void softirqEntry(TraceEvent e, CpuContext cpu) {
    cpu.push(CpuContext.SOFTIRQ, e.vector(), "softirq " + softirqName(e.vector()), (byte) -1, e.line(),
        e.flags());
    cpu.reconcile(e.flags());
  }

  private void softirqExit(TraceEvent e, CpuContext cpu) {
    cpu.reconcile(e.flags());
    cpu.pop(CpuContext.SOFTIRQ, e.vector());
  }

  private void schedSwitch(TraceEvent e, CpuContext cpu) {
    cpu.reconcile(e.flags());
    cpu.markTaskContext();
    contexts.setRunning(cpu, e.nextPid(), e.nextComm());
  }

  /** Device irqs are numbered as themselves, x86 vectors offset so the two never collide. */
  private static int hardirqNumber(TraceEvent e) {
    return e.kind() == EventKind.IRQ_HANDLER_ENTRY || e.kind() == EventKind.IRQ_HANDLER_EXIT
        ? e.irq() : 0x10000 + e.vector();
  }

  /** softirq vector names, by number (include/linux/interrupt.h). */
  private static final String[] SOFTIRQ_NAMES = {
    "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"
  };

  /** The name of softirq vector {@code vec} ("vec N" beyond the kernel's list). */
  public static String softirqName(int vec) {
    return vec >= 0 && vec < SOFTIRQ_NAMES.length ? SOFTIRQ_NAMES[vec] : "vec " + vec;
  }

  /** How many softirq vectors the kernel has. */
  public static int softirqVectors() {
    return SOFTIRQ_NAMES.length;
  }
}
