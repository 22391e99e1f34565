package org.kreplay.analyze.internal;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes;
import org.kreplay.analyze.internal.context.ContextUpdates;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Section;
import org.kreplay.ingest.log.Splat;
import org.kreplay.ingest.log.SplatKind;

/**
 * A kernel report's call trace as the trace it would have left: read from the entry frame up,
 * context frames become entry events (an interrupt vector or device handler, a softirq, an
 * hrtimer, irq_work, RCU or workqueue callback), the held locks printed with the report become
 * acquisitions, allocator and lock functions become the operation, and for lockdep's own reports
 * the dependency chain or earlier usage the report prints is replayed first. The model then
 * judges it with the same rules as a recorded trace.
 */
public final class SplatEvents extends SyntheticTrace {
  private final List<String> contextLabels = new ArrayList<>();

  private SplatEvents(Splat splat, Catalog catalog, boolean rt) {
    super(splat, catalog, rt);
  }

  /** The synthetic events of one report, ready to replay. */
  public static List<TraceEvent> of(Splat splat, Catalog catalog, boolean rt) {
    SplatEvents s = new SplatEvents(splat, catalog, rt);
    s.build();
    return s.events();
  }

  // ---- building

  private void build() {
    List<Frame> frames = SplatFacts.meaningful(splat, catalog);
    for (Frame f : frames) stack.add(f.function());
    // Lockdep's own reports: what the report says happened before, replayed first.
    switch (splat.kind()) {
      case CIRCULAR_DEPENDENCY:
        replayChain();
        break;
      case INCONSISTENT_LOCK_STATE:
        replayEarlierUsage();
        break;
      default:
        break;
    }
    mark(); // the task, as it was before the interrupt or the call
    walk(frames);
  }

  /** Outermost to innermost: contexts entered, locks the report lists as held, then the operation. */
  private void walk(List<Frame> frames) {
    List<LockLine> held = new ArrayList<>(splat.lockdep().heldLocks());
    LockLine acquiring = splat.lockdep().acquiring() != null ? splat.lockdep().acquiring() : lockOfKind();
    // An inconsistent-lock-state report lists the lock it is about among the held ones (it is
    // already on the held stack when lockdep marks its usage): replay it once, as the operation.
    if (acquiring != null && !held.isEmpty() && splat.kind() != SplatKind.RECURSIVE_LOCKING
        && held.get(held.size() - 1).className().equals(acquiring.className())) {
      held.remove(held.size() - 1);
    }
    boolean hasDeviceIrq = frames.stream().anyMatch(f -> isDeviceIrq(f.baseFunction()));
    int opIndex = operationIndex(frames);
    for (int i = frames.size() - 1; i >= 0; i--) {
      Frame f = frames.get(i);
      String fn = f.baseFunction();
      String inner = i > 0 ? frames.get(i - 1).baseFunction() : null;
      enterSection(f, fn, hasDeviceIrq, frames, i);
      CatalogTypes.FunctionEntry e = catalog.function(fn);
      if (e != null && e.effect() == CatalogTypes.Effect.CONTEXT) enterContext(e.context(), fn, inner, hasDeviceIrq, frames, i);
      // held locks taken in this function (lockdep prints where: ", at: fn+0x..")
      for (var it = held.iterator(); it.hasNext(); ) {
        LockLine h = it.next();
        if (fn.equals(h.atFunction())) {
          acquire(h, false, List.of());
          it.remove();
        }
      }
      if (i == opIndex) {
        for (LockLine h : held) acquire(h, false, List.of());
        held.clear();
        reportedIrqState();
        operation(frames, i, acquiring);
      }
    }
    if (opIndex < 0) {
      for (LockLine h : held) acquire(h, false, List.of());
      reportedIrqState();
      if (acquiring != null) acquire(acquiring, false, stack);
      else if (splat.kind() == SplatKind.SLEEP_IN_ATOMIC) sleepingCall("__might_sleep");
    }
  }

  /**
   * might_sleep()'s "irqs_disabled(): 1" is the state at the reported operation, whoever turned
   * them off (local_irq_disable() before an RT spin_lock(), say): the operation replays with it.
   */
  private void reportedIrqState() {
    if (Boolean.TRUE.equals(splat.atomic().irqsDisabled())) irqsOff = true;
  }

  /** The lock a lockdep report is about when it is not "trying to acquire" one. */
  private LockLine lockOfKind() {
    if (splat.kind() == SplatKind.INCONSISTENT_LOCK_STATE || splat.kind() == SplatKind.INVALID_WAIT_CONTEXT) {
      return splat.lockdep().lock();
    }
    return null;
  }

  /** The innermost allocator, lock or may-sleep frame: what the code was doing when reported, or -1. */
  private int operationIndex(List<Frame> frames) {
    int op = -1;
    for (int i = 0; i < frames.size(); i++) {
      CatalogTypes.FunctionEntry e = catalog.function(frames.get(i).baseFunction());
      if (e == null) {
        if (catalog.skipReason(frames.get(i).baseFunction()) == null) break; // reached the caller's code
        continue;
      }
      switch (e.effect()) {
        case LOCK:
        case ALLOC:
        case FREE:
        case MAY_SLEEP:
          op = i; // keep going outwards: the outermost API call is the one to replay
          break;
        default:
          break;
      }
    }
    return op;
  }

  private void operation(List<Frame> frames, int i, LockLine acquiring) {
    // allocator calls (outermost API first), then the innermost lock or sleeping call
    String caller = i + 1 < frames.size() ? frames.get(i + 1).baseFunction() : null;
    for (int j = i; j >= 0; j--) {
      CatalogTypes.FunctionEntry e = catalog.function(frames.get(j).baseFunction());
      if (e != null && (e.effect() == CatalogTypes.Effect.ALLOC || e.effect() == CatalogTypes.Effect.FREE)) {
        allocator(frames.get(j).baseFunction(), e.effect(), caller);
        break;
      }
    }
    int lockIndex = -1;
    for (int j = 0; j <= i; j++) {
      CatalogTypes.FunctionEntry e = catalog.function(frames.get(j).baseFunction());
      if (e != null && (e.effect() == CatalogTypes.Effect.LOCK || e.effect() == CatalogTypes.Effect.MAY_SLEEP)) {
        lockIndex = j;
        break;
      }
    }
    if (acquiring != null) {
      acquire(acquiring, false, stack);
    } else if (lockIndex >= 0) {
      String fn = frames.get(lockIndex).baseFunction();
      String parent = lockIndex + 1 < frames.size() ? frames.get(lockIndex + 1).baseFunction() : "";
      add("function", EventKind.FUNCTION).function(fn).parent(parent).stack(stack);
    } else if (splat.kind() == SplatKind.SLEEP_IN_ATOMIC) {
      sleepingCall("__might_sleep");
    }
  }

  private void sleepingCall(String fn) {
    add("function", EventKind.FUNCTION).function(fn).parent("").stack(stack);
  }

  private void allocator(String fn, CatalogTypes.Effect effect, String caller) {
    boolean free = effect == CatalogTypes.Effect.FREE;
    boolean page = fn.contains("page");
    EventKind kind = free ? (page ? EventKind.MM_PAGE_FREE : fn.startsWith("kmem_cache") ? EventKind.KMEM_CACHE_FREE
        : EventKind.KFREE) : (page ? EventKind.MM_PAGE_ALLOC : fn.startsWith("kmem_cache") ? EventKind.KMEM_CACHE_ALLOC
        : EventKind.KMALLOC);
    add(kind.name().toLowerCase(java.util.Locale.ROOT), kind).function(caller).address(0x1234).stack(stack);
  }

  // ---- contexts

  private static boolean isDeviceIrq(String fn) {
    return fn.equals("handle_irq_event") || fn.equals("handle_irq_event_percpu") || fn.equals("__handle_irq_event_percpu");
  }

  /** Section markers from the log (&lt;IRQ&gt;, &lt;SOFTIRQ&gt;, &lt;NMI&gt;) where names say nothing. */
  private void enterSection(Frame f, String fn, boolean hasDeviceIrq, List<Frame> frames, int i) {
    if (!f.sectionMarked()) return;
    if (f.section() == Section.NMI && !nmi) enterNmi();
    if (f.section() == Section.IRQ && hardirq == 0 && softirq == 0) enterHardirq(fn, hasDeviceIrq, frames, i);
    if (f.section() == Section.SOFTIRQ && softirq == 0) enterSoftirq(frames, i);
  }

  private void enterContext(CatalogTypes.ContextKind context, String fn, String inner, boolean hasDeviceIrq, List<Frame> frames, int i) {
    if (context == null) return;
    switch (context) {
      case HARDIRQ:
        if (fn.equals("irq_exit_rcu")) {
          exitHardirq(); // softirqs run on the way out: the hardirq count is already dropped
        } else if (hardirq == 0) {
          enterHardirq(fn, hasDeviceIrq, frames, i);
        }
        break;
      case SOFTIRQ:
        if (hardirq > 0 && (fn.equals("handle_softirqs") || fn.equals("__do_softirq"))) exitHardirq();
        if (softirq == 0) enterSoftirq(frames, i);
        break;
      case NMI:
        if (!nmi) enterNmi();
        break;
      case HRTIMER_CALLBACK:
        if (inner != null) hrtimerCallback(inner);
        break;
      case IRQ_WORK_CALLBACK:
        if (inner != null && catalog.runsIrqWorkCallbacks(fn)) {
          add("function", EventKind.FUNCTION).function(inner).parent(fn);
          contextLabels.add("irq_work callback " + inner);
        }
        break;
      case RCU_CALLBACK:
        if (inner != null) {
          add("rcu_invoke_callback", EventKind.RCU_INVOKE_CALLBACK).function(inner).rcuFlavour("rcu").address(0x2000);
          contextLabels.add("RCU callback " + inner);
        }
        break;
      case WORKQUEUE_WORKER:
        if (inner != null && fn.equals("process_one_work")) {
          add("workqueue_execute_start", EventKind.WORKQUEUE_EXECUTE_START).function(inner).address(0x3000);
          contextLabels.add("workqueue function " + inner);
        }
        break;
      default:
        break;
    }
  }

  private void enterHardirq(String fn, boolean hasDeviceIrq, List<Frame> frames, int i) {
    irqsOff = true;
    hardirq++;
    if (hasDeviceIrq) {
      String handler = "unknown";
      for (int j = i; j > 0; j--) {
        if (isDeviceIrq(frames.get(j).baseFunction())) handler = frames.get(j - 1).baseFunction();
      }
      // lockdep's "context-{2:2}" says the handler runs where only spinning locks may be taken:
      // not a force-threadable one (a threaded irq's primary handler, IRQF_NO_THREAD)
      String ctx = splat.facts().get("context");
      add("irq_handler_entry", EventKind.IRQ_HANDLER_ENTRY).irq(0).handlerName(handler)
          .neverThreaded(ctx != null && ctx.contains("{2:"));
      contextLabels.add("hardirq handler " + handler);
      return;
    }
    String vector = vector(frames, i);
    add(vector + "_entry", vector.equals("irq_work") ? EventKind.IRQ_WORK_ENTRY : EventKind.VECTOR_ENTRY)
        .vector(0).handlerName(vector);
    contextLabels.add(vector + " vector");
  }

  /** The x86 vector an interrupt entry frame names; "irq" when the architecture's names do not say. */
  private static String vector(List<Frame> frames, int from) {
    for (int j = from; j >= 0; j--) {
      String fn = frames.get(j).baseFunction();
      if (fn.contains("apic_timer") || fn.equals("hrtimer_interrupt")) return "local_timer";
      if (fn.contains("irq_work")) return "irq_work";
      if (fn.contains("reschedule")) return "reschedule";
      if (fn.contains("call_function_single")) return "call_function_single";
      if (fn.contains("call_function")) return "call_function";
    }
    return "irq";
  }

  private void exitHardirq() {
    if (hardirq == 0) return;
    if (lastIrqEntry != null) {
      TraceEvent last = lastIrqEntry.build();
      EventKind exit = last.kind() == EventKind.IRQ_HANDLER_ENTRY ? EventKind.IRQ_HANDLER_EXIT
          : last.kind() == EventKind.IRQ_WORK_ENTRY ? EventKind.IRQ_WORK_EXIT : EventKind.VECTOR_EXIT;
      String name = last.name().replace("_entry", "_exit");
      TraceEventBuilder b = add(name, exit).handlerName(last.handlerName());
      if (exit == EventKind.IRQ_HANDLER_EXIT) b.irq(last.irq());
      else b.vector(last.vector());
    }
    hardirq--;
    if (hardirq == 0) contextLabels.clear();
  }

  private static final String[][] SOFTIRQ_ACTIONS = {
    {"tasklet_hi_action", "0"}, {"run_timer_softirq", "1"}, {"call_timer_fn", "1"}, {"net_tx_action", "2"},
    {"net_rx_action", "3"}, {"blk_done_softirq", "4"}, {"irq_poll_softirq", "5"}, {"tasklet_action", "6"},
    {"run_rebalance_domains", "7"}, {"hrtimer_run_softirq", "8"}, {"rcu_core", "9"}, {"rcu_core_si", "9"},
  };

  private void enterSoftirq(List<Frame> frames, int from) {
    int vec = 1;
    outer:
    for (int j = from; j >= 0; j--) {
      for (String[] a : SOFTIRQ_ACTIONS) {
        if (frames.get(j).baseFunction().equals(a[0])) {
          vec = Integer.parseInt(a[1]);
          break outer;
        }
      }
    }
    softirq++;
    if (!rt) irqsOff = false;
    add("softirq_entry", EventKind.SOFTIRQ_ENTRY).vector(vec);
    contextLabels.add("softirq " + ContextUpdates.softirqName(vec));
  }

  private void enterNmi() {
    nmi = true;
    irqsOff = true;
    mark();
    contextLabels.add("NMI");
  }

  private void hrtimerCallback(String callback) {
    CatalogTypes.HrtimerEntry known = catalog.hrtimerCallback(callback);
    int mode = known == null ? -1 : known.mode().bits();
    // Else lockdep's "context-{2:2}" says the timer had no irq_config, i.e. it is HRTIMER_MODE_HARD.
    String ctx = splat.facts().get("context");
    if (mode < 0 && hardirq > 0 && ctx != null && ctx.contains("{2:")) mode = 0x8;
    long timer = 0x4000 + callback.hashCode() & 0xffff;
    if (mode >= 0) add("hrtimer_init", EventKind.HRTIMER_INIT).address(timer).hrtimerMode(mode);
    add("hrtimer_start", EventKind.HRTIMER_START).address(timer).function(callback)
        .expires(now).softexpires(now).hrtimerMode(mode);
    add("hrtimer_expire_entry", EventKind.HRTIMER_EXPIRE_ENTRY).address(timer).function(callback).now(now);
    contextLabels.add("hrtimer callback " + callback);
  }

  /** Circular report: each printed dependency, then the report's own acquisition closes the cycle. */
  private void replayChain() {
    List<ChainLink> links = new ArrayList<>(splat.lockdep().chain());
    links.sort(java.util.Comparator.comparingInt(ChainLink::n));
    for (int i = 1; i < links.size(); i++) {
      // link #i was taken while holding link #(i-1) (lockdep prints the chain in reverse order)
      LockLine from = links.get(i - 1).lock();
      LockLine to = links.get(i).lock();
      List<String> frames = new ArrayList<>();
      for (Frame f : links.get(i).frames()) frames.add(f.function());
      pidOverride = 900_000 + i;
      acquire(from, false, List.of());
      acquire(to, false, frames);
      release(to);
      release(from);
    }
    pidOverride = -1;
  }

  /** Inconsistent lock state: the usage registered earlier ("{HARDIRQ-ON-W} -> {IN-HARDIRQ-W}"), in its context. */
  private void replayEarlierUsage() {
    String t = splat.lockdep().usageTransition();
    LockLine lock = splat.lockdep().lock();
    if (t == null || lock == null) return;
    // old kernels print the states in lower case ("{in-hardirq-W}")
    String before = t.substring(t.indexOf('{') + 1, t.indexOf('}')).toUpperCase(java.util.Locale.ROOT);
    pidOverride = 900_000;
    mark();
    boolean hard = before.contains("HARDIRQ");
    if (before.startsWith("IN-")) {
      if (hard) {
        irqsOff = true;
        hardirq++;
        add("irq_handler_entry", EventKind.IRQ_HANDLER_ENTRY).irq(1).handlerName("earlier");
      } else {
        softirq++;
        add("softirq_entry", EventKind.SOFTIRQ_ENTRY).vector(1);
      }
      acquire(lock, false, List.of());
      release(lock);
      if (hard) {
        add("irq_handler_exit", EventKind.IRQ_HANDLER_EXIT).irq(1);
        hardirq--;
        irqsOff = false;
      } else {
        add("softirq_exit", EventKind.SOFTIRQ_EXIT).vector(1);
        softirq--;
      }
    } else {
      irqsOff = false; // "-ON-": taken with that interrupt enabled
      acquire(lock, false, List.of());
      release(lock);
    }
    add("sched_switch", EventKind.SCHED_SWITCH).prev("earlier", 900_000, 120, 0)
        .next(splat.task().comm() == null ? "task" : splat.task().comm(), Math.max(splat.task().pid(), 1), 120);
    pidOverride = -1;
  }


}
