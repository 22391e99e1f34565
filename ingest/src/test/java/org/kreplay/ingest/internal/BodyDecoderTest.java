package org.kreplay.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kreplay.ingest.TestTraces.readText;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/** Event bodies across kernel versions and renderers, decoded into typed fields. */
class BodyDecoderTest {
  private static TraceEvent event(String nameAndBody) throws IOException {
    return readText("  t-1 [000] ..... 1.000000: " + nameAndBody + "\n").only();
  }

  @Test
  void workqueueOldAndNew() throws IOException {
    TraceEvent q = event("workqueue_queue_work: work struct=000000004e7ab3e8 function=vmstat_update workqueue=mm_percpu_wq req_cpu=1 cpu=1");
    assertThat(q.address()).isEqualTo(0x4e7ab3e8L);
    assertThat(q.function()).isEqualTo("vmstat_update");
    assertThat(q.workqueue()).isEqualTo("mm_percpu_wq");
    assertThat(q.requestedCpu()).isEqualTo(1);
    assertThat(q.targetCpu()).isEqualTo(1);
    // 4.x printed the workqueue as a pointer and the CPUs unsigned
    TraceEvent old = event("workqueue_queue_work: work struct=ffff8881f6a2b0c8 function=hub_event [usbcore] workqueue=ffff8881 req_cpu=256 cpu=4294967295");
    assertThat(old.function()).isEqualTo("hub_event");
    TraceEvent start = event("workqueue_execute_start: work struct 00000000de5443e3: function hub_event [usbcore]");
    assertThat(start.address()).isEqualTo(0xde5443e3L);
    assertThat(start.function()).isEqualTo("hub_event");
    // before 5.x the end event had no function
    TraceEvent end = event("workqueue_execute_end: work struct 00000000de5443e3");
    assertThat(end.address()).isEqualTo(0xde5443e3L);
    assertThat(end.function()).isNull();
    TraceEvent act = event("workqueue_activate_work: work struct 000000001234abcd function=psi_avgs_work");
    assertThat(act.address()).isEqualTo(0x1234abcdL);
    assertThat(act.function()).isEqualTo("psi_avgs_work");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ABS, 0", "REL, 1", "ABS|PINNED, 2", "REL|SOFT, 5", "ABS|PINNED|HARD, 10", "REL|PINNED|SOFT, 7",
    "10, 10", "0x9, 9"
  })
  void hrtimerModesSymbolicAndNumeric(String mode, int bits) throws IOException {
    TraceEvent s = event("hrtimer_start: hrtimer=00000000beeda385 function=tick_nohz_handler expires=110324000000 softexpires=110323950000 mode=" + mode + " was_armed=0");
    assertThat(s.hrtimerMode()).isEqualTo(bits);
    assertThat(s.expires()).isEqualTo(110324000000L);
    assertThat(s.softexpires()).isEqualTo(110323950000L);
  }

  @Test
  void hrtimerWithoutModeAsTraceCmdsPluginPrintsIt() throws IOException {
    TraceEvent s = event("hrtimer_start:        hrtimer=0xffffffff83b5afb0 function=sched_rt_period_timer/0x0 expires=98614194374 softexpires=98614194374");
    assertThat(s.hrtimerMode()).isEqualTo(-1);
    assertThat(s.function()).isEqualTo("sched_rt_period_timer");
    TraceEvent x = event("hrtimer_expire_entry: hrtimer=0xffffffff83b5afb0 now=98614207137 function=sched_rt_period_timer/0x0");
    assertThat(x.now()).isEqualTo(98614207137L);
    assertThat(x.function()).isEqualTo("sched_rt_period_timer");
    TraceEvent init = event("hrtimer_init: hrtimer=00000000c5a8a7a1 clockid=CLOCK_MONOTONIC mode=REL|HARD");
    assertThat(init.kind()).isEqualTo(EventKind.HRTIMER_INIT);
    assertThat(init.hrtimerMode()).isEqualTo(9);
    assertThat(init.clockId()).isEqualTo("CLOCK_MONOTONIC");
  }

  @Test
  void timerStartNowFromTimeoutOrField() throws IOException {
    TraceEvent k = event("timer_start: timer=0000000003bfba98 function=mix_interrupt_randomness expires=4294994977 [timeout=3] bucket_expiry=4294994978 cpu=1 idx=34 flags=P");
    assertThat(k.expires()).isEqualTo(4294994977L);
    assertThat(k.now()).isEqualTo(4294994974L);
    assertThat(k.targetCpu()).isEqualTo(1);
    TraceEvent raw = event("timer_start: timer=0xffffffff8307f9d8 function=delayed_work_timer_fn expires=4294995491 bucket_expiry=4294995496 now=0x100006c30 flags=291504128");
    assertThat(raw.now()).isEqualTo(0x100006c30L);
    assertThat(raw.targetCpu()).as("CPU from the raw flags word").isEqualTo(291504128 & 0x3ffff);
    TraceEvent x = event("timer_expire_entry: timer=0000000003bfba98 function=mix_interrupt_randomness now=4294994979 baseclk=4294994978");
    assertThat(x.now()).isEqualTo(4294994979L);
  }

  @Test
  void schedulerEventsOfEveryRenderer() throws IOException {
    TraceEvent plugin = event("sched_switch:         trace-cmd:2120 [120] S ==> swapper/0:0 [120]");
    assertThat(plugin.prevComm()).isEqualTo("trace-cmd");
    assertThat(plugin.prevPid()).isEqualTo(2120);
    assertThat(plugin.prevPrio()).isEqualTo(120);
    assertThat(plugin.prevState()).isEqualTo(1);
    assertThat(plugin.nextComm()).isEqualTo("swapper/0");
    assertThat(plugin.nextPid()).isZero();
    TraceEvent preempted = event("sched_switch: a b:12 [19] R+ ==> c:13 [120]");
    assertThat(preempted.prevComm()).isEqualTo("a b");
    assertThat(preempted.prevState()).isZero();
    TraceEvent raw = event("sched_switch:          prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=256 next_comm=trace-cmd next_pid=2120 next_prio=120");
    assertThat(raw.prevState()).as("TASK_REPORT_MAX: preempted").isZero();
    TraceEvent dead = event("sched_switch: prev_comm=x prev_pid=5 prev_prio=120 prev_state=X ==> next_comm=y next_pid=6 next_prio=-1");
    assertThat(dead.prevState()).isEqualTo(0x10);
    assertThat(dead.nextPrio()).isEqualTo(-1);
    TraceEvent wakeup = event("sched_wakeup:         trace-cmd:2120 [120] CPU:000");
    assertThat(wakeup.nextPid()).isEqualTo(2120);
    assertThat(wakeup.targetCpu()).isZero();
    TraceEvent old = event("sched_wakeup: comm=sshd pid=1976 prio=120 success=1 target_cpu=003");
    assertThat(old.nextComm()).isEqualTo("sshd");
    assertThat(old.targetCpu()).isEqualTo(3);
    TraceEvent oldPlugin = event("sched_wakeup: sshd:1976 [120] success=1 CPU:003");
    assertThat(oldPlugin.targetCpu()).isEqualTo(3);
    TraceEvent migrate = event("sched_migrate_task: comm=kworker/1:1 pid=41 prio=120 orig_cpu=1 dest_cpu=0");
    assertThat(migrate.origCpu()).isEqualTo(1);
    assertThat(migrate.targetCpu()).isZero();
  }

  @Test
  void irqAndSoftirq() throws IOException {
    TraceEvent exit = event("irq_handler_exit: irq=42 ret=handled");
    assertThat(exit.irq()).isEqualTo(42);
    assertThat(exit.ret()).isEqualTo(1);
    assertThat(event("irq_handler_exit: irq=42 ret=unhandled").ret()).isZero();
    assertThat(event("softirq_entry: vec=9 [action=RCU]").vector()).isEqualTo(9);
    TraceEvent vec = event("reschedule_entry: vector=253");
    assertThat(vec.kind()).isEqualTo(EventKind.VECTOR_ENTRY);
    assertThat(vec.handlerName()).isEqualTo("reschedule");
    assertThat(event("irq_work_exit: vector=246").kind()).isEqualTo(EventKind.IRQ_WORK_EXIT);
  }

  @Test
  void memoryEvents() throws IOException {
    TraceEvent free = event("kmem_cache_free: call_site=__put_task_struct+0x7a/0x140 ptr=00000000bb name=task_struct");
    assertThat(free.function()).isEqualTo("__put_task_struct");
    assertThat(free.address()).isEqualTo(0xbb);
    assertThat(free.cacheName()).isEqualTo("task_struct");
    TraceEvent alloc = event("kmalloc: call_site=alloc_bprm+0x45 ptr=0xffff888136bee400 bytes_req=408 bytes_alloc=512 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false");
    assertThat(alloc.bytesRequested()).isEqualTo(408);
    assertThat(alloc.bytesAllocated()).isEqualTo(512);
    assertThat(alloc.gfpFlags()).isEqualTo("GFP_KERNEL|__GFP_ZERO");
    assertThat(event("kfree: call_site=ida_alloc_range+0x39b ptr=(nil)").address()).isZero();
    assertThat(event("mm_page_alloc: page=0000000041 pfn=0x1a2b order=2 migratetype=0 gfp_flags=GFP_ATOMIC").order()).isEqualTo(2);
  }

  @Test
  void lockEvents() throws IOException {
    TraceEvent begin = event("contention_begin: 000000009763513b (flags=SPIN|READ)");
    assertThat(begin.address()).isEqualTo(0x9763513bL);
    assertThat(begin.contentionFlags()).isEqualTo(3);
    TraceEvent rawBegin = event("contention_begin: lock_addr=0xffff888100073f38 flags=32");
    assertThat(rawBegin.contentionFlags()).isEqualTo(32);
    assertThat(event("contention_end: 000000009763513b (ret=-4)").ret()).isEqualTo(-4);
    TraceEvent acq = event("lock_acquire: 00000000a1b2c3d4 try read &rq->__lock");
    assertThat(acq.lockClass()).isEqualTo("&rq->__lock");
    assertThat(acq.lockTry()).isTrue();
    assertThat(acq.lockRead()).isEqualTo(1);
    TraceEvent plain = event("lock_acquire: 00000000a1b2c3d4 (wq_completion)events");
    assertThat(plain.lockClass()).isEqualTo("(wq_completion)events");
    assertThat(plain.lockTry()).isFalse();
    TraceEvent rel = event("lock_release: 00000000a1b2c3d4 &rq->__lock");
    assertThat(rel.lockClass()).isEqualTo("&rq->__lock");
  }

  @Test
  void rcuAndPreemptirq() throws IOException {
    TraceEvent cb = event("rcu_callback: rcu_preempt rhp=00000000f1e2d3c4 func=__put_task_struct_rcu_cb 17");
    assertThat(cb.address()).isEqualTo(0xf1e2d3c4L);
    assertThat(cb.function()).isEqualTo("__put_task_struct_rcu_cb");
    assertThat(cb.rcuFlavour()).isEqualTo("rcu_preempt");
    TraceEvent inv = event("rcu_invoke_callback: rcu_preempt rhp=00000000f1e2d3c4 func=__put_task_struct_rcu_cb");
    assertThat(inv.function()).isEqualTo("__put_task_struct_rcu_cb");
    TraceEvent kv = event("rcu_kvfree_callback: rcu_preempt rhp=00000000aabb func=16 3");
    assertThat(kv.offset()).isEqualTo(16);
    TraceEvent off = event("irq_disable: caller=_raw_spin_lock_irqsave+0x1e/0x50 parent=hrtimer_start_range_ns+0x30/0x3c0");
    assertThat(off.function()).isEqualTo("_raw_spin_lock_irqsave");
    assertThat(off.parent()).isEqualTo("hrtimer_start_range_ns");
  }
}
