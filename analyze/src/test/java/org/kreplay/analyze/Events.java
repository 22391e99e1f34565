package org.kreplay.analyze;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.internal.ListReader;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceReader;

/**
 * Hand-built event sequences for analysis tests, without going through a parser: each method
 * appends one event with the fields its kind uses (see EventKind), at a time in microseconds.
 */
final class Events {
  private final List<TraceEvent> events = new ArrayList<>();
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

  private TraceEvent add(long us, String name) {
    TraceEvent e = new TraceEvent();
    e.setTimestamp(us * 1000).setCpu(cpu).setPid(pid).setComm(comm).setFlags(flags).setName(name);
    events.add(e);
    return e;
  }

  Events queueWork(long us, long work, String fn) {
    add(us, "workqueue_queue_work").setAddress(work).setFunction(fn).setText("events").setNumber(cpu);
    return this;
  }

  Events executeWork(long us, long work, String fn) {
    add(us, "workqueue_execute_start").setAddress(work).setFunction(fn);
    return this;
  }

  Events endWork(long us, long work, String fn) {
    add(us, "workqueue_execute_end").setAddress(work).setFunction(fn);
    return this;
  }

  Events hrtimerInit(long us, long timer, int mode) {
    add(us, "hrtimer_setup").setAddress(timer).setMode(mode);
    return this;
  }

  /** Start with softexpires = expires = {@code expiresNs} on the timer's clock, {@code mode} -1 if not shown. */
  Events hrtimerStart(long us, long timer, String fn, long expiresNs, int mode) {
    add(us, "hrtimer_start").setAddress(timer).setFunction(fn).setValue1(expiresNs).setValue2(expiresNs).setMode(mode);
    return this;
  }

  Events hrtimerCancel(long us, long timer) {
    add(us, "hrtimer_cancel").setAddress(timer);
    return this;
  }

  Events hrtimerExpire(long us, long timer, String fn, long nowNs) {
    add(us, "hrtimer_expire_entry").setAddress(timer).setFunction(fn).setValue3(nowNs);
    return this;
  }

  Events timerStart(long us, long timer, String fn, long expires, long nowJiffies) {
    add(us, "timer_start").setAddress(timer).setFunction(fn).setValue1(expires).setValue3(nowJiffies);
    return this;
  }

  Events timerCancel(long us, long timer) {
    add(us, "timer_cancel").setAddress(timer);
    return this;
  }

  Events timerExpire(long us, long timer, String fn, long nowJiffies) {
    add(us, "timer_expire_entry").setAddress(timer).setFunction(fn).setValue3(nowJiffies);
    return this;
  }

  Events softirqRaise(long us, int vec) {
    add(us, "softirq_raise").setNumber(vec);
    return this;
  }

  Events softirqEntry(long us, int vec) {
    add(us, "softirq_entry").setNumber(vec);
    return this;
  }

  Events softirqExit(long us, int vec) {
    add(us, "softirq_exit").setNumber(vec);
    return this;
  }

  Events irqEntry(long us, int irq) {
    add(us, "irq_handler_entry").setNumber(irq).setText("dev");
    return this;
  }

  Events irqExit(long us, int irq) {
    add(us, "irq_handler_exit").setNumber(irq).setValue1(1);
    return this;
  }

  Events vectorEntry(long us, String vector) {
    add(us, vector + "_entry").setNumber(236).setText(vector);
    return this;
  }

  Events vectorExit(long us, String vector) {
    add(us, vector + "_exit").setNumber(236).setText(vector);
    return this;
  }

  Events function(long us, String fn, String parent) {
    add(us, "function").setFunction(fn).setText(parent);
    return this;
  }

  Events rcuCallback(long us, long rhp, String fn) {
    add(us, "rcu_callback").setAddress(rhp).setFunction(fn).setText("rcu_preempt");
    return this;
  }

  Events rcuInvoke(long us, long rhp, String fn) {
    add(us, "rcu_invoke_callback").setAddress(rhp).setFunction(fn).setText("rcu_preempt");
    return this;
  }

  Events waking(long us, int wpid, String wcomm, int prio) {
    add(us, "sched_waking").setNext(wcomm, wpid, prio).setNumber(cpu);
    return this;
  }

  /** sched_wakeup: the second tracepoint of a wakeup (the task is made runnable). */
  Events wakeup(long us, int wpid, String wcomm, int prio) {
    add(us, "sched_wakeup").setNext(wcomm, wpid, prio).setNumber(cpu);
    return this;
  }

  /** sched_switch from the current task (state: 0 preempted, 1 sleeping) to the given one. */
  Events switchTo(long us, long prevState, int npid, String ncomm, int nprio) {
    add(us, "sched_switch").setPrev(comm, pid, 120, prevState).setNext(ncomm, npid, nprio);
    this.pid = npid;
    this.comm = ncomm;
    return this;
  }

  Events other(long us, String name) {
    add(us, name);
    return this;
  }

  Events lost(long us, int lostCpu, long count) {
    TraceEvent e = new TraceEvent();
    e.setTimestamp(us * 1000).setCpu(lostCpu).setName("lost_events", EventKind.LOST_EVENTS).setValue1(count);
    events.add(e);
    return this;
  }

  Events lock(long us, String lockClass, String type) {
    add(us, "lock_acquire").setLock(lockClass, type, 0, false).setAddress(lockClass.hashCode() & 0xffffffL);
    return this;
  }

  Events unlock(long us, String lockClass) {
    add(us, "lock_release").setLock(lockClass, null, 0, false).setAddress(lockClass.hashCode() & 0xffffffL);
    return this;
  }

  AnalysisResult analyze(KernelConfig config) throws IOException {
    return Analyzer.analyze(reader(), AnalysisOptions.of(config), Analyzer.Progress.NONE);
  }

  /** Attaches a kernel stack (innermost first) to the last event added. */
  Events stack(String... frames) {
    TraceEvent e = events.get(events.size() - 1);
    for (String f : frames) e.stack().add(f);
    return this;
  }

  Events kmalloc(long us, String callSite, String gfp) {
    add(us, "kmalloc").setFunction(callSite).setText(gfp).setAddress(0x1000);
    return this;
  }

  Events kmemCacheFree(long us, String callSite, String cache) {
    add(us, "kmem_cache_free").setFunction(callSite).setText(cache).setAddress(0x2000);
    return this;
  }

  Events hrtimerExpireExit(long us, long timer) {
    add(us, "hrtimer_expire_exit").setAddress(timer);
    return this;
  }

  /** preemptirq {@code irq_disable}: {@code caller} is the function that disabled interrupts. */
  Events irqDisable(long us, String caller, String parent) {
    add(us, "irq_disable").setFunction(caller).setText(parent);
    return this;
  }

  Events irqEnable(long us, String caller, String parent) {
    add(us, "irq_enable").setFunction(caller).setText(parent);
    return this;
  }

  List<TraceEvent> list() {
    return events;
  }

  AnalysisResult analyze() throws IOException {
    return Analyzer.analyze(reader(), Analyzer.Progress.NONE);
  }

  TraceReader reader() {
    return new ListReader("events", events, null);
  }
}
