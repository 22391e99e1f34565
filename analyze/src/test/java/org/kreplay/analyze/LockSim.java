package org.kreplay.analyze;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.internal.ListReader;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;
import org.kreplay.ingest.TraceReader;

/**
 * A simulated task that runs lib/locking-selftest.c style code and records what a trace of it
 * with lockdep tracepoints would show: {@code lock_acquire}/{@code lock_release} events (class,
 * type, read, try as in kreplay's canonical format), irq and softirq entry/exit events, and each
 * event's flags (irqs off, BH off, hardirq/softirq, preempt depth) as the kernel would record
 * them. With {@code preemptIrqEvents} it also emits the preemptirq {@code irq_disable}/{@code
 * irq_enable} events; without them the model must work from the flags alone.
 *
 * <p>Lock instances are named like the selftest's ("A", "X1"): the class is the name without a
 * trailing digit, so X1 and X2 are two instances of class X.
 */
final class LockSim {
  private static final int PID = 1;
  private final boolean preemptIrqEvents;
  private final boolean rtKernel;
  private final List<TraceEventBuilder> events = new ArrayList<>();
  private long now = 1000;
  private boolean irqsOff;
  private int bhDepth;
  private int preempt;
  private int migrate;
  private int hardirq;
  private int softirq;

  LockSim(boolean preemptIrqEvents, boolean rtKernel) {
    this.preemptIrqEvents = preemptIrqEvents;
    this.rtKernel = rtKernel;
    mark(); // dotest() starts with interrupts on, and a trace has events before the case
  }

  // ---- locks

  /** Acquires instance {@code inst} (class = name without trailing digits) of the given type. */
  LockSim lock(String prefix, String inst, LockType type, int read) {
    return acquire(prefix, inst, type, read, false);
  }

  LockSim trylock(String prefix, String inst, LockType type, int read) {
    return acquire(prefix, inst, type, read, true);
  }

  private LockSim acquire(String prefix, String inst, LockType type, int read, boolean trylock) {
    // spin_lock() disables preemption before lockdep sees the acquisition (non-RT); on RT a
    // spinlock_t disables migration instead.
    if (spins(type)) preempt++;
    else if (rtKernel && type.spinsOnNonRt()) migrate++;
    add("lock_acquire").lock(className(prefix, inst), type.label(), read, trylock).address(address(prefix, inst));
    return this;
  }

  LockSim unlock(String prefix, String inst, LockType type) {
    add("lock_release").lock(className(prefix, inst), null, 0, false).address(address(prefix, inst));
    if (spins(type)) preempt--;
    else if (rtKernel && type.spinsOnNonRt()) migrate--;
    return this;
  }

  private boolean spins(LockType type) {
    return type.isRaw() || (!rtKernel && type.spinsOnNonRt());
  }

  static String className(String prefix, String inst) {
    if (inst.isEmpty()) return prefix;
    int end = inst.length();
    while (end > 1 && Character.isDigit(inst.charAt(end - 1))) end--;
    return prefix + "_" + inst.substring(0, end);
  }

  private static long address(String prefix, String inst) {
    return 0xffff_8880_0000_0000L + (Integer.toUnsignedLong((prefix + inst).hashCode()) << 4);
  }

  /** spin_lock_irq(): disables interrupts on a non-RT kernel only (spinlock_rt.c leaves them on). */
  LockSim spinLockIrq(String prefix, String inst) {
    if (!rtKernel) irqDisable("_raw_spin_lock_irq");
    return lock(prefix, inst, LockType.SPINLOCK, 0);
  }

  LockSim spinUnlockIrq(String prefix, String inst) {
    unlock(prefix, inst, LockType.SPINLOCK);
    return rtKernel ? this : irqEnable("_raw_spin_unlock_irq");
  }

  // ---- interrupts, bottom halves, preemption

  /** local_irq_disable() in the test function (the preemptirq event names its caller). */
  LockSim irqDisable() {
    return irqDisable("selftest_case");
  }

  LockSim irqEnable() {
    return irqEnable("selftest_case");
  }

  private LockSim irqDisable(String caller) {
    boolean was = irqsOff;
    irqsOff = true;
    if (!was && preemptIrqEvents) add("irq_disable").function(caller).parent("dotest");
    return this;
  }

  private LockSim irqEnable(String caller) {
    if (irqsOff && preemptIrqEvents) {
      irqsOff = false;
      add("irq_enable").function(caller).parent("dotest");
    }
    irqsOff = false;
    return this;
  }

  LockSim bhDisable() {
    bhDepth++;
    return this;
  }

  LockSim bhEnable() {
    bhDepth--;
    return this;
  }

  LockSim preemptDisable() {
    preempt++;
    return this;
  }

  LockSim preemptEnable() {
    preempt--;
    return this;
  }

  LockSim migrateDisable() {
    migrate++;
    return this;
  }

  LockSim migrateEnable() {
    migrate--;
    return this;
  }

  /** HARDIRQ_ENTER(): interrupts off, a device interrupt handler (threaded-capable) entered. */
  LockSim hardirqEnter() {
    irqDisable();
    hardirq++;
    add("irq_handler_entry").irq(9).handlerName("selftest");
    return this;
  }

  LockSim hardirqExit() {
    add("irq_handler_exit").irq(9).ret(1);
    hardirq--;
    return irqEnable();
  }

  /** An interrupt that is never threaded (an x86 vector such as the function-call IPI). */
  LockSim vectorEnter() {
    irqDisable();
    hardirq++;
    add("call_function_single_entry").vector(251).handlerName("call_function_single");
    return this;
  }

  LockSim vectorExit() {
    add("call_function_single_exit").vector(251).handlerName("call_function_single");
    hardirq--;
    return irqEnable();
  }

  /** SOFTIRQ_ENTER(): local_bh_disable(), local_irq_disable(), softirq context. */
  LockSim softirqEnter() {
    bhDisable();
    irqDisable();
    softirq++;
    add("softirq_entry").vector(1);
    return this;
  }

  LockSim softirqExit() {
    add("softirq_exit").vector(1);
    softirq--;
    irqEnable();
    return bhEnable();
  }

  /** A plain event that shows the current flags (e.g. a printk, or the next thing traced). */
  LockSim mark() {
    add("selftest_mark");
    return this;
  }

  // ---- recording

  private TraceEventBuilder add(String name) {
    int f = ContextFlags.IRQS_KNOWN | ContextFlags.BH_KNOWN | ContextFlags.NEED_RESCHED_KNOWN
        | ContextFlags.IRQ_CONTEXT_KNOWN | ContextFlags.NMI_KNOWN;
    if (irqsOff) f |= ContextFlags.IRQS_OFF;
    if (bhDepth > 0 && softirq == 0) f |= ContextFlags.BH_OFF;
    if (hardirq > 0) f |= ContextFlags.HARDIRQ;
    if (softirq > 0) f |= ContextFlags.SOFTIRQ;
    f = ContextFlags.withPreemptDepth(f, Math.max(0, preempt));
    f = ContextFlags.withMigrateDisable(f, Math.max(0, migrate));
    TraceEventBuilder e = TraceEvent.builder();
    now += 1000;
    e.timestamp(now).cpu(0).pid(PID).comm("swapper/0").flags(f).name(name);
    e.line(events.size() + 1);
    events.add(e);
    return e;
  }

  List<TraceEvent> events() {
    List<TraceEvent> out = new ArrayList<>(events.size());
    for (TraceEventBuilder b : events) out.add(b.build());
    return out;
  }

  AnalysisResult analyze(AnalysisOptions options) throws IOException {
    return Analyzer.analyze(reader(), options, Analyzer.Progress.NONE);
  }

  private TraceReader reader() {
    return new ListReader("selftest", events(), null);
  }
}
