package org.kreplay.ingest;

/**
 * One event of a trace, read-only: where and when it happened, in what context, and its decoded
 * fields under the names the tracepoint gives them.
 *
 * <p>Readers fill one event per call and reuse it for the next (as JFR's parser fills its recorded
 * events), so a consumer must not keep a reference; {@link #copy} makes an independent one. Tests
 * and synthetic traces build events with {@link #builder}.
 *
 * <p>Each field accessor says which {@link EventKind}s fill it; on any other kind it returns its
 * absent value: -1 for numbers ({@link #UNKNOWN}), 0 for addresses, {@code null} for text.
 */
public interface TraceEvent {
  /** Value of a number field, {@link #pid()}, {@link #tgid()} or {@link #cpu()} when the input does not say. */
  int UNKNOWN = -1;

  /** A builder for events that no reader produced: tests and the replay of a kernel report. */
  static TraceEventBuilder builder() {
    return new TraceEventBuilder();
  }

  /** A builder that starts as a copy of {@code event}, to change a field or two of it. */
  static TraceEventBuilder builder(TraceEvent event) {
    return new TraceEventBuilder().copyOf(event);
  }

  /** An independent, unchanging copy of this event. */
  TraceEvent copy();

  // ---- header: every kind

  /** Timestamp in nanoseconds of the trace clock. */
  long timestamp();

  int cpu();

  int pid();

  int tgid();

  /** Task name as recorded ({@code <...>} when the tracer did not know it), or null. */
  String comm();

  /** {@link ContextFlags} bits. */
  int flags();

  /** Tracepoint name ("sched_switch"), or for function-tracer entries "function". */
  String name();

  EventKind kind();

  /**
   * A small number standing for {@link #name()} within one reader: equal names have equal ids for
   * the reader's life, ids are dense from 0. -1 when the reader does not assign ids.
   */
  int typeId();

  /**
   * Whether the event was not selected (--pid/--comm/--event) and is delivered only so that the
   * replay's per-CPU context stays right (ReadOptions#keepContext): its body may be undecoded.
   */
  default boolean contextOnly() {
    return false;
  }

  /** Line of the input this event came from (1-based), or 0 when the input has no lines. */
  long line();

  /** The event's text after {@code name: }, as the input showed it. */
  String body();

  /** Whether {@link #body()} starts with {@code c}, without building the body's string. */
  boolean bodyStartsWith(char c);

  /** The kernel stack recorded with the event; depth 0 when there is none. */
  StackTrace stack();

  // ---- the object and the code an event is about

  /**
   * The object's address: the work struct, hrtimer, timer_list, rcu_head, allocated pointer or
   * lock; 0 when absent.
   */
  long address();

  /**
   * The code: work or callback function (workqueue, hrtimer, timer, rcu), call site (kmem), caller
   * (preemptirq), handler (nmi), traced function (function tracer), or null.
   */
  String function();

  // ---- interrupts

  /** {@code irq_handler_entry/exit}: the irq number. */
  int irq();

  /** {@code softirq_*}: the vector (0 HI … 9 RCU); x86 vector and {@code irq_work} entries: the vector. */
  int vector();

  /** {@code irq_handler_entry}: the handler's name; x86 vector and {@code irq_work} entries: the vector's name ("local_timer"). */
  String handlerName();

  /**
   * {@code irq_handler_entry} of a replayed kernel report: true when the report shows the handler
   * running in hard irq context, so it cannot be threaded even on PREEMPT_RT.
   */
  boolean neverThreaded();

  /** {@code irq_handler_exit}: 1 handled, 0 unhandled; {@code contention_end}: the return code. */
  long ret();

  /** {@code nmi_handler}: how long the handler ran, in ns. */
  long durationNs();

  // ---- where work goes

  /**
   * The CPU the work goes to: {@code workqueue_queue_work}, {@code timer_start} and the wakeups'
   * target CPU, {@code sched_migrate_task}'s destination; -1 when not said.
   */
  int targetCpu();

  /** {@code workqueue_queue_work}: the CPU the caller asked for. */
  int requestedCpu();

  /** {@code sched_migrate_task}: the CPU the task leaves. */
  int origCpu();

  /** {@code workqueue_queue_work}: the workqueue's name. */
  String workqueue();

  // ---- timers

  /** {@code hrtimer_start}: expiry in ns of the timer's clock base; {@code timer_start}: in jiffies. */
  long expires();

  /** {@code hrtimer_start}: soft expiry in ns. */
  long softexpires();

  /** {@code hrtimer_expire_entry}: the clock's now in ns; {@code timer_start} and {@code timer_expire_entry}: jiffies (-1 on kernels that do not record it). */
  long now();

  /** {@code hrtimer_init} and {@code hrtimer_start}: HRTIMER_MODE_* bits, -1 when the input does not show them. */
  int hrtimerMode();

  /** {@code hrtimer_init}: the clock id. */
  String clockId();

  // ---- scheduler (wakeups name the woken task in next*)

  String prevComm();

  int prevPid();

  int prevPrio();

  /** {@code TASK_*} state bits of the task switched out: 0 runnable (preempted), -1 unknown. */
  long prevState();

  /** {@code sched_switch}: the task switched in; wakeups and {@code sched_migrate_task}: the task. */
  String nextComm();

  int nextPid();

  int nextPrio();

  // ---- memory

  /** {@code kmalloc}, {@code kmem_cache_alloc}: bytes requested. */
  long bytesRequested();

  /** {@code kmalloc}, {@code kmem_cache_alloc}: bytes allocated. */
  long bytesAllocated();

  /** {@code mm_page_alloc}, {@code mm_page_free}: the page order. */
  long order();

  /** {@code kmalloc}, {@code kmem_cache_alloc}, {@code mm_page_alloc}: the gfp flags as printed. */
  String gfpFlags();

  /** {@code kmem_cache_free}: the cache's name. */
  String cacheName();

  // ---- locks

  /** {@code contention_begin}: the LCB_F_* flags. */
  int contentionFlags();

  /** lockdep events: the lock class name ("&rq->__lock"), or null. */
  String lockClass();

  /** Lock type as the input states it ("raw_spinlock_t", "mutex", …), or null. */
  String lockType();

  /** {@code lock_acquire}: 0 = write/exclusive, 1 = shared reader, 2 = recursive reader. */
  int lockRead();

  /** {@code lock_acquire}: a trylock. */
  boolean lockTry();

  // ---- rcu

  /** {@code rcu_callback}: the RCU flavour. */
  String rcuFlavour();

  /** {@code rcu_kvfree_callback}, {@code rcu_invoke_kvfree_callback}: the offset of the rcu_head. */
  long offset();

  // ---- the rest

  /** preemptirq events and function-tracer entries: the parent function. */
  String parent();

  /** {@code print}, {@code bprint}, {@code bputs}, {@code tracing_mark_write}: the message. */
  String message();

  /** {@code LOST_EVENTS}: how many events the tracer lost, -1 when not said. */
  long lostEvents();
}
