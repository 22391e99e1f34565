#!/usr/bin/env python3
"""Writes the seed scenario traces (traces/seeds/*/before.txt, after.txt).

The traces are hand-written from each patch's description, call trace and diff: this script is
only their typewriter. It lays every line out exactly as tracefs prints it (comm right-aligned
to 16, '-', PID, [CPU], the flag columns of that kernel generation, timestamp, event, body), so
the events can be read and edited here instead of counting spaces in the .txt files. Run it
from anywhere; it rewrites the .txt files next to it. Python 3, no dependencies.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Helpers to hand-write tracefs `trace` text: one call per line, exact kernel column layout.
HDR7 = """# tracer: nop
#
# entries-in-buffer/entries-written: {n}/{n}   #P:{cpus}
#
#                                _-------=> irqs-off/BH-disabled
#                               / _------=> need-resched
#                              | / _-----=> need-resched-lazy
#                              || / _----=> hardirq/softirq
#                              ||| / _---=> preempt-depth
#                              |||| / _--=> preempt-lazy-depth
#                              ||||| / _-=> migrate-disable
#                              |||||| /     delay
#           TASK-PID     CPU#  |||||||  TIMESTAMP  FUNCTION
#              | |         |   |||||||      |         |
"""
HDR5 = """# tracer: nop
#
# entries-in-buffer/entries-written: {n}/{n}   #P:{cpus}
#
#                                _-----=> irqs-off/BH-disabled
#                               / _----=> need-resched
#                              | / _---=> hardirq/softirq
#                              || / _--=> preempt-depth
#                              ||| / _-=> migrate-disable
#                              |||| /     delay
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |
"""
class Trace:
    def __init__(self, cols, cpus):
        self.cols, self.cpus, self.lines, self.events = cols, cpus, [], 0
    def ev(self, comm, pid, cpu, flags, ts, text):
        assert len(flags) == self.cols, (flags, self.cols)
        self.lines.append("%16s-%-7d [%03d] %s %12.6f: %s" % (comm, pid, cpu, flags, ts, text))
        self.events += 1
    def stack(self, comm, pid, cpu, flags, ts, frames):
        self.ev(comm, pid, cpu, flags, ts, "<stack trace>")
        for f in frames:
            self.lines.append(" => " + f)
    def write(self, path):
        hdr = (HDR7 if self.cols == 7 else HDR5).format(n=self.events, cpus=self.cpus)
        open(path, "w").write(hdr + "\n".join(self.lines) + "\n")

HDR4 = """# tracer: nop
#
# entries-in-buffer/entries-written: {n}/{n}   #P:{cpus}
#
#                              _-----=> irqs-off
#                             / _----=> need-resched
#                            | / _---=> hardirq/softirq
#                            || / _--=> preempt-depth
#                            ||| /     delay
#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION
#              | |       |   ||||       |         |
"""
class Trace4(Trace):
    """A 5.10-era tracefs trace: four flag columns, PID width 5."""
    def __init__(self, cpus):
        super().__init__(4, cpus)
    def ev(self, comm, pid, cpu, flags, ts, text):
        assert len(flags) == 4, flags
        self.lines.append("%16s-%-5d [%03d] %s %12.6f: %s" % (comm, pid, cpu, flags, ts, text))
        self.events += 1
    def write(self, path):
        open(path, "w").write(HDR4.format(n=self.events, cpus=self.cpus) + "\n".join(self.lines) + "\n")

# ----------------------------------------------------------------------------------------------
# seed 1

IRQ_STACK = ["__run_hrtimer+0x8a/0x1a0", "__hrtimer_run_queues+0x91/0x130", "hrtimer_interrupt+0x10f/0x220",
             "__sysvec_apic_timer_interrupt+0x7b/0xd0", "sysvec_apic_timer_interrupt+0x4f/0xd0",
             "asm_sysvec_apic_timer_interrupt+0x12/0x20"]

def seed1_common(t):
    L = ("life", 2848, 1)
    # dl task throttled: task_non_contending() arms the inactive timer under the rq lock (HARD mode)
    t.ev(*L, "d...1..", 4999.900010, "lock_acquire: 000000002e8f1a40 &rq->__lock")
    t.ev(*L, "d...1..", 4999.900012, "hrtimer_start: hrtimer=00000000b7e2c9a0 function=inactive_task_timer expires=5000000100000 softexpires=5000000100000 mode=REL|HARD")
    t.ev(*L, "d...1..", 4999.900013, "lock_release: 000000002e8f1a40 &rq->__lock")
    # an ordinary free in task context: the memcg stock lock is used with interrupts on
    t.ev(*L, ".......", 4999.950000, "kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=00000000e1d2c3b4 name=filp")
    t.ev(*L, ".......", 4999.950001, "lock_acquire: 00000000f00d5a10 stock_lock")
    t.ev(*L, "......1", 4999.950002, "lock_release: 00000000f00d5a10 stock_lock")
    # the local timer interrupt expires the HARD hrtimer in hardirq context, even on PREEMPT_RT
    t.ev(*L, "d..h...", 5000.000100, "local_timer_entry: vector=236")
    t.ev(*L, "d..h...", 5000.000102, "hrtimer_expire_entry: hrtimer=00000000b7e2c9a0 function=inactive_task_timer now=5000000101834")
    t.ev(*L, "d..h1..", 5000.000103, "lock_acquire: 00000000c4d3e8b0 &p->pi_lock")
    t.ev(*L, "d..h2..", 5000.000104, "lock_acquire: 000000002e8f1a40 &rq->__lock")
    t.ev(*L, "d..h2..", 5000.000108, "lock_release: 000000002e8f1a40 &rq->__lock")
    t.ev(*L, "d..h1..", 5000.000109, "lock_release: 00000000c4d3e8b0 &p->pi_lock")
    return L

def seed1_rest(t):
    """What the same workload goes on to do on CPU 1 in both traces (HZ=1000): a kworker runs, the
    next ticks come, the tick wakes irq_work/1 for other lazy irq_work. `kreplay whatif` replays
    the deferral's options over these events."""
    L = ("life", 2848, 1)
    K = ("kworker/1:1", 80, 1)
    W = ("irq_work/1", 25, 1)
    t.ev(*L, "d...2..", 5000.000600, "sched_switch: prev_comm=life prev_pid=2848 prev_prio=-1 prev_state=R+ ==> next_comm=kworker/1:1 next_pid=80 next_prio=120")
    t.ev(*K, "d...2..", 5000.000620, "sched_switch: prev_comm=kworker/1:1 prev_pid=80 prev_prio=120 prev_state=I ==> next_comm=life next_pid=2848 next_prio=-1")
    t.ev(*L, ".......", 5000.000700, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")
    for tick in (5000.001100, 5000.002100, 5000.003100):
        t.ev(*L, "d..h...", tick, "local_timer_entry: vector=236")
        t.ev(*L, "d..h...", tick + 0.000004, "local_timer_exit: vector=236")
        if tick == 5000.001100:
            t.ev(*L, "d...2..", 5000.001130, "sched_switch: prev_comm=life prev_pid=2848 prev_prio=-1 prev_state=R+ ==> next_comm=irq_work/1 next_pid=25 next_prio=98")
            t.ev(*W, "d...2..", 5000.001140, "sched_switch: prev_comm=irq_work/1 prev_pid=25 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=-1")
            t.ev(*L, ".......", 5000.001200, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")
        else:  # the task runs on with interrupts on after the tick
            t.ev(*L, ".......", tick + 0.000100, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")

def seed1_before():
    t = Trace(7, 4)
    L = seed1_common(t)
    # put_task_struct() drops the last reference: __put_task_struct() frees right here
    t.ev(*L, "d..h...", 5000.000111, "kmem_cache_free: call_site=inactive_task_timer+0x1ad/0x340 ptr=00000000c4d3e000 name=task_struct")
    t.stack(*L, "d..h...", 5000.000111, ["trace_event_raw_event_kmem_cache_free+0x9a/0xe0", "kmem_cache_free+0x357/0x560",
                                         "inactive_task_timer+0x1ad/0x340"] + IRQ_STACK)
    t.ev(*L, "d..h...", 5000.000112, "lock_acquire: 00000000f00d5a10 stock_lock")
    t.stack(*L, "d..h...", 5000.000112, ["lock_acquire.part.0+0x9c/0x210", "rt_spin_lock+0x27/0xe0", "refill_obj_stock+0x3d/0x3a0",
                                         "kmem_cache_free+0x357/0x560", "inactive_task_timer+0x1ad/0x340"] + IRQ_STACK)
    t.ev(*L, "d..h..1", 5000.000114, "lock_release: 00000000f00d5a10 stock_lock")
    t.ev(*L, "d..h...", 5000.000115, "hrtimer_expire_exit: hrtimer=00000000b7e2c9a0")
    t.ev(*L, "d..h...", 5000.000116, "local_timer_exit: vector=236")
    t.ev(*L, ".......", 5000.000120, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")
    seed1_rest(t)
    # rcuc/1 runs for the other RCU callbacks queued on CPU 1, as in after.txt
    t.ev(*L, "d...2..", 5000.003950, "sched_switch: prev_comm=life prev_pid=2848 prev_prio=-1 prev_state=R+ ==> next_comm=rcuc/1 next_pid=21 next_prio=98")
    t.ev("rcuc/1", 21, 1, "d...2..", 5000.004110, "sched_switch: prev_comm=rcuc/1 prev_pid=21 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=-1")
    t.ev(*L, ".......", 5000.004120, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")
    return t

def seed1_after():
    t = Trace(7, 4)
    L = seed1_common(t)
    # put_task_struct(): not preemptible on PREEMPT_RT, so the free is deferred with call_rcu()
    t.ev(*L, "d..h...", 5000.000111, "rcu_callback: rcu_preempt rhp=00000000c4d3e5d0 func=__put_task_struct_rcu_cb 12/37")
    t.ev(*L, "d..h...", 5000.000115, "hrtimer_expire_exit: hrtimer=00000000b7e2c9a0")
    t.ev(*L, "d..h...", 5000.000116, "local_timer_exit: vector=236")
    t.ev(*L, ".......", 5000.000120, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")
    seed1_rest(t)
    t.ev(*L, "d...2..", 5000.003950, "sched_switch: prev_comm=life prev_pid=2848 prev_prio=-1 prev_state=R+ ==> next_comm=rcuc/1 next_pid=21 next_prio=98")
    R = ("rcuc/1", 21, 1)
    # the callback runs later in the rcuc/1 kthread: process context, preemptible on PREEMPT_RT
    t.ev(*R, "b......", 5000.004100, "rcu_invoke_callback: rcu_preempt rhp=00000000c4d3e5d0 func=__put_task_struct_rcu_cb")
    t.ev(*R, "b......", 5000.004102, "kmem_cache_free: call_site=__put_task_struct+0x10a/0x180 ptr=00000000c4d3e000 name=task_struct")
    t.ev(*R, "b......", 5000.004103, "lock_acquire: 00000000f00d5a10 stock_lock")
    t.ev(*R, "b.....1", 5000.004105, "lock_release: 00000000f00d5a10 stock_lock")
    t.ev(*R, "d...2..", 5000.004110, "sched_switch: prev_comm=rcuc/1 prev_pid=21 prev_prio=98 prev_state=S ==> next_comm=life next_pid=2848 next_prio=-1")
    t.ev(*L, ".......", 5000.004120, "kmem_cache_free: call_site=vfs_fstatat+0x71/0xa0 ptr=00000000d0c0ffee name=names_cache")
    return t

d = os.path.join(HERE, "1-put-task-struct/")
seed1_before().write(os.path.join(d, "before.txt"))
seed1_after().write(os.path.join(d, "after.txt"))

# ----------------------------------------------------------------------------------------------
# seed 2

T = ("kfree_scale_thr", 312, 2)
ALLOC_FRAMES = ["lock_acquire+0xd8/0x3b0", "_raw_spin_lock+0x2c/0x40", "rmqueue_bulk.constprop.0+0x5b/0x6f0",
                "get_page_from_freelist+0x3a1/0x1370", "__alloc_pages_nodemask+0x16a/0x370", "__get_free_pages+0xd/0x30"]

def seed2_start(t):
    # rcuscale's kfree test: allocate an object, hand it to kfree_rcu()
    t.ev(*T, "....", 812.000100, "kmalloc: call_site=kfree_scale_thread+0x8a/0x260 ptr=00000000b15c0de0 bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL")
    # kvfree_call_rcu(): krc_this_cpu_lock() = local_irq_save() + raw_spin_lock(&krcp->lock)
    t.ev(*T, "d..1", 812.000104, "lock_acquire: 00000000a3c1f0e8 krc.lock")

def seed2_before():
    t = Trace4(4)
    seed2_start(t)
    # no cached page: kvfree_call_rcu_add_ptr_to_bulk() calls the page allocator under the raw lock
    t.ev(*T, "d..2", 812.000106, "lock_acquire: 00000000e7a9b100 &zone->lock")
    t.stack(*T, "d..2", 812.000106, ALLOC_FRAMES + ["kvfree_call_rcu_add_ptr_to_bulk+0xd5/0x170", "kvfree_call_rcu+0x7e/0x3d0",
                                                    "kfree_scale_thread+0xb6/0x260", "kthread+0x141/0x160", "ret_from_fork+0x22/0x30"])
    t.ev(*T, "d..2", 812.000109, "lock_release: 00000000e7a9b100 &zone->lock")
    t.ev(*T, "d..1", 812.000110, "mm_page_alloc: page=00000000f2e81c40 pfn=1289731 order=0 migratetype=0 gfp_flags=GFP_NOWAIT|__GFP_NOWARN")
    t.ev(*T, "d..1", 812.000112, "lock_release: 00000000a3c1f0e8 krc.lock")
    t.ev(*T, "....", 812.000120, "kfree: call_site=kfree_scale_thread+0x1c0/0x260 ptr=0000000000000000")
    # the CPU goes on as in after.txt, with nothing deferred: the tick, then the thread sleeps
    # (what whatif replays a deferral through)
    t.ev(*T, "d.h.", 812.000150, "local_timer_entry: vector=236")
    t.ev(*T, "d.h.", 812.000156, "local_timer_exit: vector=236")
    t.ev(*T, "d..2", 812.000170, "sched_switch: prev_comm=kfree_scale_thr prev_pid=312 prev_prio=120 prev_state=S ==> next_comm=swapper/2 next_pid=0 next_prio=120")
    return t

def seed2_after():
    t = Trace4(4)
    seed2_start(t)
    # no cached page: queue the object on its rcu_head and refill the cache from a clean context,
    # an hrtimer (so the scheduler's locks are never taken here) then a workqueue
    t.ev(*T, "d..1", 812.000106, "hrtimer_init: hrtimer=00000000a3c1f1a0 clockid=CLOCK_MONOTONIC mode=REL")
    t.ev(*T, "d..1", 812.000107, "hrtimer_start: hrtimer=00000000a3c1f1a0 function=schedule_page_work_fn expires=812000107000 softexpires=812000107000 mode=REL")
    t.ev(*T, "d..1", 812.000108, "lock_release: 00000000a3c1f0e8 krc.lock")
    t.ev(*T, "....", 812.000120, "kfree: call_site=kfree_scale_thread+0x1c0/0x260 ptr=0000000000000000")
    # the timer fires at the next tick
    t.ev(*T, "d.h.", 812.000150, "local_timer_entry: vector=236")
    t.ev(*T, "d.h.", 812.000151, "hrtimer_expire_entry: hrtimer=00000000a3c1f1a0 function=schedule_page_work_fn now=812000151220")
    t.ev(*T, "d.h1", 812.000152, "lock_acquire: 00000000c18d2e40 &pool->lock")
    t.ev(*T, "d.h1", 812.000153, "workqueue_queue_work: work struct=00000000a3c1f160 function=fill_page_cache_func workqueue=events_highpri req_cpu=8192 cpu=2")
    t.ev(*T, "d.h1", 812.000154, "lock_release: 00000000c18d2e40 &pool->lock")
    t.ev(*T, "d.h.", 812.000155, "hrtimer_expire_exit: hrtimer=00000000a3c1f1a0")
    t.ev(*T, "d.h.", 812.000156, "local_timer_exit: vector=236")
    t.ev(*T, "d..2", 812.000170, "sched_switch: prev_comm=kfree_scale_thr prev_pid=312 prev_prio=120 prev_state=R+ ==> next_comm=kworker/2:1H next_pid=97 next_prio=100")
    K = ("kworker/2:1H", 97, 2)
    t.ev(*K, "....", 812.000180, "workqueue_execute_start: work struct 00000000a3c1f160: function fill_page_cache_func")
    # process context: the allocator's spinlock_t is fine here, and the raw lock is taken afterwards
    t.ev(*K, "d..1", 812.000184, "lock_acquire: 00000000e7a9b100 &zone->lock")
    t.stack(*K, "d..1", 812.000184, ALLOC_FRAMES + ["fill_page_cache_func+0x7a/0x100", "process_one_work+0x1e8/0x3c0",
                                                    "worker_thread+0x50/0x3c0", "kthread+0x141/0x160", "ret_from_fork+0x22/0x30"])
    t.ev(*K, "d..1", 812.000187, "lock_release: 00000000e7a9b100 &zone->lock")
    t.ev(*K, "....", 812.000189, "mm_page_alloc: page=00000000f2e81c40 pfn=1289731 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_NOMEMALLOC")
    t.ev(*K, "d..1", 812.000191, "lock_acquire: 00000000a3c1f0e8 krc.lock")
    t.ev(*K, "d..1", 812.000192, "lock_release: 00000000a3c1f0e8 krc.lock")
    t.ev(*K, "....", 812.000195, "workqueue_execute_end: work struct 00000000a3c1f160: function fill_page_cache_func")
    return t

d = os.path.join(HERE, "2-kvfree-rcu/")
seed2_before().write(os.path.join(d, "before.txt"))
seed2_after().write(os.path.join(d, "after.txt"))

# ----------------------------------------------------------------------------------------------
# seed 3

W = ("trace-cmd", 1234, 2)       # writes events into the ring buffer on CPU 2
R = ("trace-cmd", 1235, 0)       # a reader waiting for data on CPU 0
IPI_STACK = ["irq_work_single+0x2b/0x70", "irq_work_run_list+0x33/0x50", "irq_work_run+0x26/0x40",
             "__sysvec_irq_work+0x2e/0xd0", "sysvec_irq_work+0x6a/0x90", "asm_sysvec_irq_work+0x12/0x20"]

def seed3_common(t):
    # (a hardirq's events show the preempt depth of the task it interrupted: 1 for trace-cmd here)
    # the reader sleeps on the buffer's wait queue: its lock (a spinlock_t, so an rt_spin_lock here)
    # is taken with interrupts on
    t.ev(*R, ".......", 699.990000, "lock_acquire: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.ev(*R, "......1", 699.990002, "lock_release: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.ev(*R, "d...2..", 699.990010, "sched_switch: prev_comm=trace-cmd prev_pid=1235 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120")
    # an IRQ_WORK_HARD_IRQ item: RCU's deferred quiescent state report, no locks taken
    t.ev(*W, "d...1..", 700.000080, "irq_work_queue <-rcu_read_unlock_special")
    t.ev(*W, "d..h1..", 700.000083, "irq_work_entry: vector=246")
    t.ev(*W, "d..h1..", 700.000084, "rcu_preempt_deferred_qs_handler <-irq_work_single")
    t.ev(*W, "d..h1..", 700.000085, "irq_work_exit: vector=246")
    # committing an event wakes the readers through an irq_work without IRQ_WORK_HARD_IRQ
    t.ev(*W, "....1..", 700.000100, "irq_work_queue <-rb_wakeups")

def seed3_before():
    t = Trace(7, 4)
    seed3_common(t)
    # before the split every irq_work runs in the self-IPI, in hardirq context, even on PREEMPT_RT
    t.ev(*W, "d..h1..", 700.000104, "irq_work_entry: vector=246")
    t.ev(*W, "d..h1..", 700.000105, "rb_wake_up_waiters <-irq_work_single")
    t.ev(*W, "d..h1..", 700.000106, "lock_acquire: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.stack(*W, "d..h1..", 700.000106, ["lock_acquire+0xd8/0x2f0", "rt_spin_lock+0x2b/0xd0", "__wake_up_common_lock+0x6b/0xc0",
                                        "__wake_up+0x13/0x20", "rb_wake_up_waiters+0x2a/0x60"] + IPI_STACK)
    t.ev(*W, "d..h1.1", 700.000109, "sched_waking: comm=trace-cmd pid=1235 prio=120 target_cpu=000")
    t.ev(*W, "d..h1.1", 700.000111, "lock_release: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.ev(*W, "d..h1..", 700.000112, "irq_work_exit: vector=246")
    t.ev(*W, "....1..", 700.000120, "irq_work_queue <-rb_wakeups")
    t.ev(*W, "d..h1..", 700.000123, "irq_work_entry: vector=246")
    t.ev(*W, "d..h1..", 700.000124, "rb_wake_up_waiters <-irq_work_single")
    t.ev(*W, "d..h1..", 700.000125, "lock_acquire: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.ev(*W, "d..h1.1", 700.000127, "lock_release: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.ev(*W, "d..h1..", 700.000128, "irq_work_exit: vector=246")
    # trace-cmd goes on as in after.txt: preemption is back on at 700.000140 (where after.txt's
    # irq_work/2 preempts it), and it commits the next event at 700.000170
    t.ev(*W, ".......", 700.000140, "kfree: call_site=ring_buffer_read_page+0x2a5/0x3f0 ptr=0000000000000000")
    t.ev(*W, "....1..", 700.000170, "irq_work_queue <-rb_wakeups")
    return t

def seed3_after():
    t = Trace(7, 4)
    seed3_common(t)
    # with the split, non-HARD work waits on the lazy list for the irq_work/2 thread
    t.ev(*W, "d...1..", 700.000102, "sched_waking: comm=irq_work/2 pid=27 prio=98 target_cpu=002")
    t.ev(*W, "d...2..", 700.000140, "sched_switch: prev_comm=trace-cmd prev_pid=1234 prev_prio=120 prev_state=R+ ==> next_comm=irq_work/2 next_pid=27 next_prio=98")
    K = ("irq_work/2", 27, 2)
    t.ev(*K, ".......", 700.000142, "rb_wake_up_waiters <-irq_work_single")
    t.ev(*K, ".......", 700.000143, "lock_acquire: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.stack(*K, ".......", 700.000143, ["lock_acquire+0xd8/0x2f0", "rt_spin_lock+0x2b/0xd0", "__wake_up_common_lock+0x6b/0xc0",
                                        "__wake_up+0x13/0x20", "rb_wake_up_waiters+0x2a/0x60", "irq_work_single+0x2b/0x70",
                                        "irq_work_run_list+0x33/0x50", "run_irq_workd+0x1f/0x30", "smpboot_thread_fn+0x1a1/0x290",
                                        "kthread+0x111/0x130", "ret_from_fork+0x22/0x30"])
    t.ev(*K, "d.....1", 700.000146, "sched_waking: comm=trace-cmd pid=1235 prio=120 target_cpu=000")
    t.ev(*K, "......1", 700.000148, "lock_release: 00000000aa55aa00 &cpu_buffer->irq_work.waiters")
    t.ev(*K, "d...2..", 700.000152, "sched_switch: prev_comm=irq_work/2 prev_pid=27 prev_prio=98 prev_state=S ==> next_comm=trace-cmd next_pid=1234 next_prio=120")
    t.ev(*W, "....1..", 700.000170, "irq_work_queue <-rb_wakeups")
    return t

d = os.path.join(HERE, "3-irq-work-rt/")
seed3_before().write(os.path.join(d, "before.txt"))
seed3_after().write(os.path.join(d, "after.txt"))

# ----------------------------------------------------------------------------------------------
# seed 4

RQ, PI, POOL = "&rq->__lock", "&p->pi_lock", "&pool->lock"
SDP, SNP, SUP = "&ACCESS_PRIVATE(sdp, lock)", "&ACCESS_PRIVATE(snp, lock)", "&ACCESS_PRIVATE(ssp->srcu_sup, lock)"
ADDR = {RQ + "1": "00000000f1e20c40", RQ + "2": "00000000f1e60c40", RQ + "3": "00000000f1ea0c40",
        PI: "000000009b3e28d0", POOL: "00000000c18d2e40", SDP: "000000004d7a1c08", SNP: "000000004d7a0a10",
        SUP: "000000004d79f818"}

BPF_FRAMES = ["call_srcu+0x4c/0x70", "call_rcu_tasks_trace+0x1b/0x30", "bpf_selem_free+0x5e/0x110",
              "bpf_selem_unlink+0x8c/0x140", "bpf_task_storage_delete+0x7f/0xd0", "bpf_prog_3b1f2e8a6c0d5e17_on_switch+0x52/0x6a",
              "bpf_trace_run4+0x97/0x180", "__bpf_trace_sched_switch+0x13/0x20", "__schedule+0x6a4/0x1620",
              "schedule+0x3d/0xd0", "do_nanosleep+0x6e/0x190", "hrtimer_nanosleep+0x9c/0x150",
              "__x64_sys_clock_nanosleep+0xc8/0x120", "do_syscall_64+0x82/0x1a0", "entry_SYSCALL_64_after_hwframe+0x76/0x7e"]
QUEUE_FRAMES = ["queue_delayed_work_on+0x84/0xa0", "srcu_funnel_gp_start+0x1d6/0x2c0", "srcu_gp_start_if_needed+0x2f3/0x4a0",
                "call_srcu+0x4c/0x70"]

def seed4_acq(t, who, flags, ts, lock, rq=None, stack=None):
    a = ADDR[lock + (rq or "")] if lock == RQ else ADDR[lock]
    t.ev(*who, flags, ts, "lock_acquire: %s %s" % (a, lock))
    if stack:
        t.stack(*who, flags, ts, stack)

def seed4_rel(t, who, flags, ts, lock, rq=None):
    a = ADDR[lock + (rq or "")] if lock == RQ else ADDR[lock]
    t.ev(*who, flags, ts, "lock_release: %s %s" % (a, lock))

def seed4_bpf_call_srcu_under_rq(t, who, ts, cpu, after):
    """__schedule() holds this CPU's runqueue lock; the sched_switch BPF program frees task
    storage with call_rcu_tasks_trace() = call_srcu(), which takes the SRCU locks."""
    c = str(cpu)
    seed4_acq(t, who, "d..2.", ts, RQ, c)
    seed4_acq(t, who, "d..3.", ts + 0.000004, SDP, stack=["lock_acquire+0xd0/0x2f0", "_raw_spin_lock_irqsave+0x4b/0x70",
                                                    "srcu_gp_start_if_needed+0x8d/0x4a0"] + BPF_FRAMES)
    seed4_rel(t, who, "d..3.", ts + 0.000006, SDP)
    seed4_acq(t, who, "d..3.", ts + 0.000007, SNP)
    seed4_rel(t, who, "d..3.", ts + 0.000008, SNP)
    seed4_acq(t, who, "d..3.", ts + 0.000009, SUP)
    return c

def seed4_before():
    t = Trace(5, 4)
    A = ("stress-ng-cpu", 1510, 1)
    c = seed4_bpf_call_srcu_under_rq(t, A, 4310.100000, 1, False)
    # a grace period is already requested: nothing is queued this time
    seed4_rel(t, A, "d..3.", 4310.100011, SUP)
    t.ev(*A, "d..2.", 4310.100014, "sched_switch: prev_comm=stress-ng-cpu prev_pid=1510 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120")
    seed4_rel(t, ("swapper/1", 0, 1), "d..2.", 4310.100016, RQ, c)

    # CPU 2, seconds later: an ordinary call_srcu() starts a grace period and queues process_srcu()
    # with the SRCU lock held; waking the worker takes a runqueue lock
    B = ("kworker/2:1", 1698, 2)
    t.ev(*B, ".....", 4312.500000, "workqueue_execute_start: work struct 00000000e4b1a0c8: function bpf_map_free_deferred")
    seed4_acq(t, B, "d..1.", 4312.500010, SDP)
    seed4_rel(t, B, "d..1.", 4312.500012, SDP)
    seed4_acq(t, B, "d..1.", 4312.500013, SNP)
    seed4_rel(t, B, "d..1.", 4312.500014, SNP)
    seed4_acq(t, B, "d..1.", 4312.500015, SUP)
    seed4_acq(t, B, "d..2.", 4312.500017, POOL)
    t.ev(*B, "d..2.", 4312.500018, "workqueue_queue_work: work struct=000000004d79f8b0 function=process_srcu workqueue=rcu_gp req_cpu=8192 cpu=2")
    seed4_acq(t, B, "d..3.", 4312.500020, PI)
    seed4_acq(t, B, "d..4.", 4312.500021, RQ, "2", stack=["lock_acquire+0xd0/0x2f0", "_raw_spin_lock_nested+0x32/0x40",
                                                    "raw_spin_rq_lock_nested+0x1e/0x80", "try_to_wake_up+0x27c/0x6c0",
                                                    "kick_pool+0x7c/0x150", "__queue_work+0x2a1/0x560"] + QUEUE_FRAMES +
                                                   ["bpf_map_free_deferred+0xb0/0x190", "process_one_work+0x17e/0x330",
                                                    "worker_thread+0x2d1/0x410", "kthread+0xe0/0x110", "ret_from_fork+0x34/0x50"])
    t.ev(*B, "d..4.", 4312.500023, "sched_waking: comm=kworker/2:2 pid=1702 prio=120 target_cpu=002")
    seed4_rel(t, B, "d..4.", 4312.500025, RQ, "2")
    seed4_rel(t, B, "d..3.", 4312.500026, PI)
    seed4_rel(t, B, "d..2.", 4312.500027, POOL)
    seed4_rel(t, B, "d..1.", 4312.500028, SUP)
    t.ev(*B, ".....", 4312.500040, "workqueue_execute_end: work struct 00000000e4b1a0c8: function bpf_map_free_deferred")

    # CPU 3: the same path with this CPU's runqueue lock already held — the worker to wake is on
    # CPU 3 too, and the CPU spins on its own lock; the trace ends there
    C = ("stress-ng-cpu", 1512, 3)
    c = seed4_bpf_call_srcu_under_rq(t, C, 4313.000000, 3, False)
    seed4_acq(t, C, "d..4.", 4313.000011, POOL)
    t.ev(*C, "d..4.", 4313.000012, "workqueue_queue_work: work struct=000000004d79f8b0 function=process_srcu workqueue=rcu_gp req_cpu=8192 cpu=3")
    seed4_acq(t, C, "d..5.", 4313.000014, PI)
    seed4_acq(t, C, "d..6.", 4313.000015, RQ, "3", stack=["lock_acquire+0xd0/0x2f0", "_raw_spin_lock_nested+0x32/0x40",
                                                    "raw_spin_rq_lock_nested+0x1e/0x80", "try_to_wake_up+0x27c/0x6c0",
                                                    "kick_pool+0x7c/0x150", "__queue_work+0x2a1/0x560"] + QUEUE_FRAMES[:3] + BPF_FRAMES)
    return t

def seed4_after():
    t = Trace(5, 4)
    A = ("stress-ng-cpu", 1510, 1)
    c = seed4_bpf_call_srcu_under_rq(t, A, 4310.100000, 1, True)
    # the fix: start process_srcu() from an irq_work, never from under the SRCU lock
    t.ev(*A, "d..3.", 4310.100010, "irq_work_queue <-srcu_funnel_gp_start")
    seed4_rel(t, A, "d..3.", 4310.100011, SUP)
    t.ev(*A, "d..2.", 4310.100014, "sched_switch: prev_comm=stress-ng-cpu prev_pid=1510 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120")
    I = ("swapper/1", 0, 1)
    seed4_rel(t, I, "d..2.", 4310.100016, RQ, c)
    # the self-IPI runs srcu_irq_work() once interrupts are on again: no SRCU lock held now
    t.ev(*I, "d.h..", 4310.100021, "irq_work_entry: vector=246")
    t.ev(*I, "d.h..", 4310.100022, "srcu_irq_work <-irq_work_single")
    seed4_acq(t, I, "d.h1.", 4310.100023, POOL)
    t.ev(*I, "d.h1.", 4310.100024, "workqueue_queue_work: work struct=000000004d79f8b0 function=process_srcu workqueue=rcu_gp req_cpu=8192 cpu=1")
    seed4_acq(t, I, "d.h2.", 4310.100025, PI)
    seed4_acq(t, I, "d.h3.", 4310.100026, RQ, "1")
    t.ev(*I, "d.h3.", 4310.100027, "sched_waking: comm=kworker/1:2 pid=1711 prio=120 target_cpu=001")
    seed4_rel(t, I, "d.h3.", 4310.100028, RQ, "1")
    seed4_rel(t, I, "d.h2.", 4310.100029, PI)
    seed4_rel(t, I, "d.h1.", 4310.100030, POOL)
    t.ev(*I, "d.h..", 4310.100031, "irq_work_exit: vector=246")
    t.ev(*I, "d..2.", 4310.100040, "sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=kworker/1:2 next_pid=1711 next_prio=120")
    K = ("kworker/1:2", 1711, 1)
    t.ev(*K, ".....", 4310.100045, "workqueue_execute_start: work struct 000000004d79f8b0: function process_srcu")
    seed4_acq(t, K, "d..1.", 4310.100050, SUP)
    seed4_rel(t, K, "d..1.", 4310.100052, SUP)
    t.ev(*K, ".....", 4310.100060, "workqueue_execute_end: work struct 000000004d79f8b0: function process_srcu")

    # CPU 2: the ordinary call_srcu() path, now also through the irq_work
    B = ("kworker/2:1", 1698, 2)
    t.ev(*B, ".....", 4312.500000, "workqueue_execute_start: work struct 00000000e4b1a0c8: function bpf_map_free_deferred")
    seed4_acq(t, B, "d..1.", 4312.500010, SDP)
    seed4_rel(t, B, "d..1.", 4312.500012, SDP)
    seed4_acq(t, B, "d..1.", 4312.500013, SNP)
    seed4_rel(t, B, "d..1.", 4312.500014, SNP)
    seed4_acq(t, B, "d..1.", 4312.500015, SUP)
    t.ev(*B, "d..1.", 4312.500016, "irq_work_queue <-srcu_funnel_gp_start")
    seed4_rel(t, B, "d..1.", 4312.500018, SUP)
    t.ev(*B, "d.h..", 4312.500019, "irq_work_entry: vector=246")
    t.ev(*B, "d.h..", 4312.500020, "srcu_irq_work <-irq_work_single")
    seed4_acq(t, B, "d.h1.", 4312.500021, POOL)
    t.ev(*B, "d.h1.", 4312.500022, "workqueue_queue_work: work struct=000000004d79f8b0 function=process_srcu workqueue=rcu_gp req_cpu=8192 cpu=2")
    seed4_acq(t, B, "d.h2.", 4312.500023, PI)
    seed4_acq(t, B, "d.h3.", 4312.500024, RQ, "2")
    t.ev(*B, "d.h3.", 4312.500025, "sched_waking: comm=kworker/2:2 pid=1702 prio=120 target_cpu=002")
    seed4_rel(t, B, "d.h3.", 4312.500026, RQ, "2")
    seed4_rel(t, B, "d.h2.", 4312.500027, PI)
    seed4_rel(t, B, "d.h1.", 4312.500028, POOL)
    t.ev(*B, "d.h..", 4312.500029, "irq_work_exit: vector=246")
    t.ev(*B, ".....", 4312.500040, "workqueue_execute_end: work struct 00000000e4b1a0c8: function bpf_map_free_deferred")
    K2 = ("kworker/2:2", 1702, 2)
    t.ev(*B, "d..2.", 4312.500050, "sched_switch: prev_comm=kworker/2:1 prev_pid=1698 prev_prio=120 prev_state=I ==> next_comm=kworker/2:2 next_pid=1702 next_prio=120")
    t.ev(*K2, ".....", 4312.500055, "workqueue_execute_start: work struct 000000004d79f8b0: function process_srcu")
    t.ev(*K2, ".....", 4312.500070, "workqueue_execute_end: work struct 000000004d79f8b0: function process_srcu")
    return t

d = os.path.join(HERE, "4-srcu-rq-abba/")
seed4_before().write(os.path.join(d, "before.txt"))
seed4_after().write(os.path.join(d, "after.txt"))
