package org.kreplay.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * The events kreplay decodes into typed fields. Any other event is {@link #OTHER} and keeps its raw
 * body. The field slots of {@link TraceEvent} that each kind fills are listed per constant.
 */
public enum EventKind {
  /** {@code irq_handler_entry}: {@code number} = irq, {@code text} = handler name. */
  IRQ_HANDLER_ENTRY("irq_handler_entry"),
  /** {@code irq_handler_exit}: {@code number} = irq, {@code value1} = 1 handled / 0 unhandled. */
  IRQ_HANDLER_EXIT("irq_handler_exit"),
  /** {@code softirq_raise}: {@code number} = vector (0 HI … 9 RCU). */
  SOFTIRQ_RAISE("softirq_raise"),
  /** {@code softirq_entry}: {@code number} = vector. */
  SOFTIRQ_ENTRY("softirq_entry"),
  /** {@code softirq_exit}: {@code number} = vector. */
  SOFTIRQ_EXIT("softirq_exit"),
  /**
   * An x86 {@code irq_vectors} handler entry ({@code local_timer_entry}, {@code
   * reschedule_entry}, …): {@code number} = vector, {@code text} = vector name ("local_timer").
   */
  VECTOR_ENTRY(null),
  /** An x86 {@code irq_vectors} handler exit: {@code number} = vector, {@code text} = name. */
  VECTOR_EXIT(null),
  /** {@code irq_work_entry} (x86 self-IPI handler, runs the raised irq_work list): as VECTOR_ENTRY. */
  IRQ_WORK_ENTRY("irq_work_entry"),
  /** {@code irq_work_exit}: as VECTOR_EXIT. */
  IRQ_WORK_EXIT("irq_work_exit"),
  /** {@code nmi_handler}: {@code function} = handler, {@code value1} = duration in ns. */
  NMI_HANDLER("nmi_handler"),

  /**
   * {@code workqueue_queue_work}: {@code address} = work struct, {@code function} = work function,
   * {@code text} = workqueue, {@code number} = target CPU, {@code value1} = requested CPU.
   */
  WORKQUEUE_QUEUE_WORK("workqueue_queue_work"),
  /** {@code workqueue_activate_work}: {@code address} = work struct, {@code function}. */
  WORKQUEUE_ACTIVATE_WORK("workqueue_activate_work"),
  /** {@code workqueue_execute_start}: {@code address} = work struct, {@code function}. */
  WORKQUEUE_EXECUTE_START("workqueue_execute_start"),
  /** {@code workqueue_execute_end}: {@code address} = work struct, {@code function}. */
  WORKQUEUE_EXECUTE_END("workqueue_execute_end"),

  /** {@code hrtimer_init} / {@code hrtimer_setup}: {@code address}, {@code mode} bits, {@code text} = clock id. */
  HRTIMER_INIT("hrtimer_init"),
  /**
   * {@code hrtimer_start}: {@code address} = hrtimer, {@code function}, {@code value1} = expires,
   * {@code value2} = softexpires (ns, timer's clock base), {@code mode} = HRTIMER_MODE_* bits or -1
   * when the input does not show it.
   */
  HRTIMER_START("hrtimer_start"),
  /** {@code hrtimer_expire_entry}: {@code address}, {@code function}, {@code value3} = now. */
  HRTIMER_EXPIRE_ENTRY("hrtimer_expire_entry"),
  /** {@code hrtimer_expire_exit}: {@code address}. */
  HRTIMER_EXPIRE_EXIT("hrtimer_expire_exit"),
  /** {@code hrtimer_cancel}: {@code address}. */
  HRTIMER_CANCEL("hrtimer_cancel"),

  /** {@code timer_init} / {@code timer_setup}: {@code address}. */
  TIMER_INIT("timer_init"),
  /**
   * {@code timer_start}: {@code address} = timer_list, {@code function}, {@code value1} =
   * expires (jiffies), {@code value3} = now (jiffies; absent on newer kernels, then -1), {@code
   * number} = target CPU or -1.
   */
  TIMER_START("timer_start"),
  /** {@code timer_expire_entry}: {@code address}, {@code function}, {@code value3} = now (jiffies). */
  TIMER_EXPIRE_ENTRY("timer_expire_entry"),
  /** {@code timer_expire_exit}: {@code address}. */
  TIMER_EXPIRE_EXIT("timer_expire_exit"),
  /** {@code timer_cancel}: {@code address}. */
  TIMER_CANCEL("timer_cancel"),

  /**
   * {@code sched_switch}: {@code prevComm/prevPid/prevPrio/prevState} (state as {@code TASK_*}
   * bits, 0 = runnable/preempted, -1 unknown) and {@code nextComm/nextPid/nextPrio}.
   */
  SCHED_SWITCH("sched_switch"),
  /** {@code sched_waking}: the woken task in {@code nextComm/nextPid/nextPrio}, {@code number} = target CPU. */
  SCHED_WAKING("sched_waking"),
  /** {@code sched_wakeup}: as SCHED_WAKING. */
  SCHED_WAKEUP("sched_wakeup"),
  /** {@code sched_wakeup_new}: as SCHED_WAKING. */
  SCHED_WAKEUP_NEW("sched_wakeup_new"),
  /** {@code sched_migrate_task}: task in {@code next*}, {@code value1} = orig CPU, {@code number} = dest CPU. */
  SCHED_MIGRATE_TASK("sched_migrate_task"),

  /** {@code kmalloc}: {@code address} = ptr, {@code function} = call site, {@code value1} = bytes requested, {@code value2} = bytes allocated, {@code text} = gfp flags. */
  KMALLOC("kmalloc"),
  /** {@code kfree}: {@code address} = ptr, {@code function} = call site. */
  KFREE("kfree"),
  /** {@code kmem_cache_alloc}: as KMALLOC, {@code text} = gfp flags. */
  KMEM_CACHE_ALLOC("kmem_cache_alloc"),
  /** {@code kmem_cache_free}: {@code address} = ptr, {@code function} = call site, {@code text} = cache name. */
  KMEM_CACHE_FREE("kmem_cache_free"),
  /** {@code mm_page_alloc}: {@code value1} = order, {@code text} = gfp flags. */
  MM_PAGE_ALLOC("mm_page_alloc"),
  /** {@code mm_page_free}: {@code value1} = order. */
  MM_PAGE_FREE("mm_page_free"),

  /** {@code contention_begin}: {@code address} = lock, {@code mode} = LCB_F_* flags. */
  CONTENTION_BEGIN("contention_begin"),
  /** {@code contention_end}: {@code address} = lock, {@code value1} = ret. */
  CONTENTION_END("contention_end"),
  /** lockdep {@code lock_acquire}: {@code address}, {@code lockClass}, {@code lockTry}, {@code lockRead}. */
  LOCK_ACQUIRE("lock_acquire"),
  /** lockdep {@code lock_release}: {@code address}, {@code lockClass}. */
  LOCK_RELEASE("lock_release"),
  /** lockdep {@code lock_contended}: {@code address}, {@code lockClass}. */
  LOCK_CONTENDED("lock_contended"),
  /** lockdep {@code lock_acquired}: {@code address}, {@code lockClass}. */
  LOCK_ACQUIRED("lock_acquired"),

  /** {@code irq_disable} (preemptirq): {@code function} = caller, {@code text} = parent. */
  IRQ_DISABLE("irq_disable"),
  /** {@code irq_enable} (preemptirq). */
  IRQ_ENABLE("irq_enable"),
  /** {@code preempt_disable} (preemptirq). */
  PREEMPT_DISABLE("preempt_disable"),
  /** {@code preempt_enable} (preemptirq). */
  PREEMPT_ENABLE("preempt_enable"),

  /** {@code rcu_callback}: {@code address} = rcu_head, {@code function}, {@code text} = RCU flavour. */
  RCU_CALLBACK("rcu_callback"),
  /** {@code rcu_invoke_callback}: {@code address} = rcu_head, {@code function}. */
  RCU_INVOKE_CALLBACK("rcu_invoke_callback"),
  /** {@code rcu_kvfree_callback}: {@code address} = rcu_head, {@code value1} = offset. */
  RCU_KVFREE_CALLBACK("rcu_kvfree_callback"),
  /** {@code rcu_invoke_kvfree_callback}: {@code address} = rcu_head, {@code value1} = offset. */
  RCU_INVOKE_KVFREE_CALLBACK("rcu_invoke_kvfree_callback"),

  /** A function-tracer entry: {@code function} = traced function, {@code text} = parent. */
  FUNCTION("function"),
  /**
   * A kernel stack entry that could not be attached to the event before it (its frames are in
   * {@link TraceEvent#stack()}).
   */
  KERNEL_STACK("kernel_stack"),
  /** {@code print}/{@code bprint}/{@code bputs}/{@code tracing_mark_write}: {@code text} = message. */
  PRINT("print"),

  /** {@code CPU:N [LOST M EVENTS]}: {@code cpu} = N, {@code value1} = M (or -1 when not said). */
  LOST_EVENTS(null),
  /** {@code ##### CPU N buffer started ####}: earlier events of {@code cpu} were overwritten. */
  CPU_BUFFER_STARTED(null),

  /** Any other event; {@link TraceEvent#body()} holds its text. */
  OTHER(null);

  private final String eventName;

  EventKind(String eventName) {
    this.eventName = eventName;
  }

  /** The tracepoint name, or {@code null} for kinds that cover several names or none. */
  public String eventName() {
    return eventName;
  }

  /** Entry into hardirq context (device irq or an x86 vector). */
  public boolean isHardirqEntry() {
    return this == IRQ_HANDLER_ENTRY || this == VECTOR_ENTRY || this == IRQ_WORK_ENTRY;
  }

  /** Exit from hardirq context. */
  public boolean isHardirqExit() {
    return this == IRQ_HANDLER_EXIT || this == VECTOR_EXIT || this == IRQ_WORK_EXIT;
  }

  /** An in-band marker rather than an event recorded by the kernel. */
  public boolean isMarker() {
    return this == LOST_EVENTS || this == CPU_BUFFER_STARTED;
  }

  private static final Map<String, EventKind> BY_NAME = new HashMap<>();

  static {
    for (EventKind k : values()) {
      if (k.eventName != null) BY_NAME.put(k.eventName, k);
    }
    BY_NAME.put("hrtimer_setup", HRTIMER_INIT);
    BY_NAME.put("timer_setup", TIMER_INIT);
    BY_NAME.put("kmalloc_node", KMALLOC);
    BY_NAME.put("kmem_cache_alloc_node", KMEM_CACHE_ALLOC);
    BY_NAME.put("mm_page_free_batched", MM_PAGE_FREE);
    BY_NAME.put("bprint", PRINT);
    BY_NAME.put("bputs", PRINT);
    BY_NAME.put("tracing_mark_write", PRINT);
    // Names kreplay gives its markers in the canonical formats.
    BY_NAME.put("lost_events", LOST_EVENTS);
    BY_NAME.put("buffer_started", CPU_BUFFER_STARTED);
  }

  /**
   * The kind for a tracepoint name: one of the named kinds, {@link #VECTOR_ENTRY}/{@link
   * #VECTOR_EXIT} for other x86 vector handlers, else {@link #OTHER}.
   */
  public static EventKind forName(String name) {
    EventKind k = BY_NAME.get(name);
    if (k != null) return k;
    if (isVectorName(name, "_entry")) return VECTOR_ENTRY;
    if (isVectorName(name, "_exit")) return VECTOR_EXIT;
    return OTHER;
  }

  private static final String[] VECTORS = {
    "local_timer", "reschedule", "call_function", "call_function_single", "spurious_apic",
    "error_apic", "thermal_apic", "threshold_apic", "deferred_error_apic", "x86_platform_ipi"
  };

  private static boolean isVectorName(String name, String suffix) {
    if (!name.endsWith(suffix)) return false;
    String base = name.substring(0, name.length() - suffix.length());
    for (String v : VECTORS) {
      if (v.equals(base)) return true;
    }
    return false;
  }

  /** The vector name of an x86 vector entry/exit event ("local_timer" for "local_timer_entry"). */
  public static String vectorName(String eventName) {
    int i = eventName.lastIndexOf('_');
    return i > 0 ? eventName.substring(0, i) : eventName;
  }
}
