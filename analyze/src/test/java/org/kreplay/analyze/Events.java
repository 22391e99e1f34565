package org.kreplay.analyze;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.internal.ListReader;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;
import org.kreplay.ingest.TraceReader;

/**
 * Hand-built event sequences for analysis tests, without going through a parser: each method
 * appends one event with the fields its kind uses (see EventKind), at a time in microseconds.
 */
final class Events {
  private final List<TraceEventBuilder> events = new ArrayList<>();
  private int cpu;
  private int pid = 100;
  private String comm = "task";
  private int flags = ContextFlags.UNKNOWN;

  Events on(int cpu, int pid, String comm) {
    this.cpu = cpu;
    this.pid = pid;
    this.comm = comm;
    return this;
  }

  /** Flags for the following events, in the kernel's five-column letters ("d.h1."). */
  Events flags(String letters) {
    int f = ContextFlags.IRQS_KNOWN | ContextFlags.BH_KNOWN | ContextFlags.NEED_RESCHED_KNOWN
        | ContextFlags.IRQ_CONTEXT_KNOWN | ContextFlags.NMI_KNOWN;
    if (letters.charAt(0) == 'd' || letters.charAt(0) == 'D') f |= ContextFlags.IRQS_OFF;
    if (letters.charAt(2) == 'h' || letters.charAt(2) == 'H') f |= ContextFlags.HARDIRQ;
    if (letters.charAt(2) == 's' || letters.charAt(2) == 'H') f |= ContextFlags.SOFTIRQ;
    if (letters.charAt(2) == 'z') f |= ContextFlags.NMI;
    char d = letters.charAt(3);
    f = ContextFlags.withPreemptDepth(f, d == '.' ? 0 : Character.digit(d, 16));
    this.flags = ContextFlags.withMigrateDisable(f, 0);
    return this;
  }

  Events noFlags() {
    this.flags = ContextFlags.UNKNOWN;
    return this;
  }

  private TraceEventBuilder add(long us, String name) {
    TraceEventBuilder e = TraceEvent.builder();
    e.timestamp(us * 1000).cpu(cpu).pid(pid).comm(comm).flags(flags).name(name);
    events.add(e);
    return e;
  }

  Events queueWork(long us, long work, String fn) {
    add(us, "workqueue_queue_work").address(work).function(fn).workqueue("events").targetCpu(cpu);
    return this;
  }

  Events executeWork(long us, long work, String fn) {
    add(us, "workqueue_execute_start").address(work).function(fn);
    return this;
  }

  Events endWork(long us, long work, String fn) {
    add(us, "workqueue_execute_end").address(work).function(fn);
    return this;
  }

  Events hrtimerInit(long us, long timer, int mode) {
    add(us, "hrtimer_setup").address(timer).hrtimerMode(mode);
    return this;
  }

  /** Start with softexpires = expires = {@code expiresNs} on the timer's clock, {@code mode} -1 if not shown. */
  Events hrtimerStart(long us, long timer, String fn, long expiresNs, int mode) {
    add(us, "hrtimer_start").address(timer).function(fn).expires(expiresNs).softexpires(expiresNs).hrtimerMode(mode);
    return this;
  }

  Events hrtimerCancel(long us, long timer) {
    add(us, "hrtimer_cancel").address(timer);
    return this;
  }

  Events hrtimerExpire(long us, long timer, String fn, long nowNs) {
    add(us, "hrtimer_expire_entry").address(timer).function(fn).now(nowNs);
    return this;
  }

  Events timerStart(long us, long timer, String fn, long expires, long nowJiffies) {
    add(us, "timer_start").address(timer).function(fn).expires(expires).now(nowJiffies);
    return this;
  }

  Events timerCancel(long us, long timer) {
    add(us, "timer_cancel").address(timer);
    return this;
  }

  Events timerExpire(long us, long timer, String fn, long nowJiffies) {
    add(us, "timer_expire_entry").address(timer).function(fn).now(nowJiffies);
    return this;
  }

  Events softirqRaise(long us, int vec) {
    add(us, "softirq_raise").vector(vec);
    return this;
  }

  Events softirqEntry(long us, int vec) {
    add(us, "softirq_entry").vector(vec);
    return this;
  }

  Events softirqExit(long us, int vec) {
    add(us, "softirq_exit").vector(vec);
    return this;
  }

  Events irqEntry(long us, int irq) {
    add(us, "irq_handler_entry").irq(irq).handlerName("dev");
    return this;
  }

  Events irqExit(long us, int irq) {
    add(us, "irq_handler_exit").irq(irq).ret(1);
    return this;
  }

  Events vectorEntry(long us, String vector) {
    add(us, vector + "_entry").vector(236).handlerName(vector);
    return this;
  }

  Events vectorExit(long us, String vector) {
    add(us, vector + "_exit").vector(236).handlerName(vector);
    return this;
  }

  Events function(long us, String fn, String parent) {
    add(us, "function").function(fn).parent(parent);
    return this;
  }

  Events rcuCallback(long us, long rhp, String fn) {
    add(us, "rcu_callback").address(rhp).function(fn).rcuFlavour("rcu_preempt");
    return this;
  }

  Events rcuInvoke(long us, long rhp, String fn) {
    add(us, "rcu_invoke_callback").address(rhp).function(fn).rcuFlavour("rcu_preempt");
    return this;
  }

  Events waking(long us, int wpid, String wcomm, int prio) {
    add(us, "sched_waking").next(wcomm, wpid, prio).targetCpu(cpu);
    return this;
  }

  /** sched_wakeup: the second tracepoint of a wakeup (the task is made runnable). */
  Events wakeup(long us, int wpid, String wcomm, int prio) {
    add(us, "sched_wakeup").next(wcomm, wpid, prio).targetCpu(cpu);
    return this;
  }

  /** sched_switch from the current task (state: 0 preempted, 1 sleeping) to the given one. */
  Events switchTo(long us, long prevState, int npid, String ncomm, int nprio) {
    add(us, "sched_switch").prev(comm, pid, 120, prevState).next(ncomm, npid, nprio);
    this.pid = npid;
    this.comm = ncomm;
    return this;
  }

  Events other(long us, String name) {
    add(us, name);
    return this;
  }

  Events lost(long us, int lostCpu, long count) {
    TraceEventBuilder e = TraceEvent.builder();
    e.timestamp(us * 1000).cpu(lostCpu).name("lost_events", EventKind.LOST_EVENTS).lostEvents(count);
    events.add(e);
    return this;
  }

  Events lock(long us, String lockClass, String type) {
    add(us, "lock_acquire").lock(lockClass, type, 0, false).address(lockClass.hashCode() & 0xffffffL);
    return this;
  }

  Events unlock(long us, String lockClass) {
    add(us, "lock_release").lock(lockClass, null, 0, false).address(lockClass.hashCode() & 0xffffffL);
    return this;
  }

  AnalysisResult analyze(KernelConfig config) throws IOException {
    return Analyzer.analyze(reader(), AnalysisOptions.of(config), Analyzer.Progress.NONE);
  }

  /** Attaches a kernel stack (innermost first) to the last event added. */
  Events stack(String... frames) {
    events.get(events.size() - 1).stack(frames);
    return this;
  }

  Events kmalloc(long us, String callSite, String gfp) {
    add(us, "kmalloc").function(callSite).gfpFlags(gfp).address(0x1000);
    return this;
  }

  Events kmemCacheFree(long us, String callSite, String cache) {
    add(us, "kmem_cache_free").function(callSite).cacheName(cache).address(0x2000);
    return this;
  }

  Events hrtimerExpireExit(long us, long timer) {
    add(us, "hrtimer_expire_exit").address(timer);
    return this;
  }

  /** preemptirq {@code irq_disable}: {@code caller} is the function that disabled interrupts. */
  Events irqDisable(long us, String caller, String parent) {
    add(us, "irq_disable").function(caller).parent(parent);
    return this;
  }

  Events irqEnable(long us, String caller, String parent) {
    add(us, "irq_enable").function(caller).parent(parent);
    return this;
  }

  /** preemptirq {@code preempt_disable}: {@code caller} is the function that disabled preemption. */
  Events preemptDisable(long us, String caller, String parent) {
    add(us, "preempt_disable").function(caller).parent(parent);
    return this;
  }

  Events preemptEnable(long us, String caller, String parent) {
    add(us, "preempt_enable").function(caller).parent(parent);
    return this;
  }

  /** lock:contention_begin on the lock at {@code address}, with its LCB_F_* {@code flags}. */
  Events contentionBegin(long us, long address, int flags) {
    add(us, "contention_begin").address(address).contentionFlags(flags);
    return this;
  }

  Events contentionEnd(long us, long address) {
    add(us, "contention_end").address(address).ret(0);
    return this;
  }

  List<TraceEvent> list() {
    List<TraceEvent> out = new ArrayList<>(events.size());
    for (TraceEventBuilder b : events) out.add(b.build());
    return out;
  }

  AnalysisResult analyze() throws IOException {
    return Analyzer.analyze(reader(), Analyzer.Progress.NONE);
  }

  TraceReader reader() {
    return new ListReader("events", list(), null);
  }
}
