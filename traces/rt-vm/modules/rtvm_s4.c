// SPDX-License-Identifier: GPL-2.0
/*
 * rtvm_s4 - seed 004 (the SRCU / runqueue lock ABBA, "rcu: Use an intermediate irq_work to
 * start process_srcu()").
 *
 * Two raw spinlocks taken in opposite orders on two CPUs: rtvm_s4_rq_lock (stands for
 * &rq->__lock) then rtvm_s4_srcu_lock on CPU 0 (call_srcu() under the runqueue lock), and
 * rtvm_s4_srcu_lock then rtvm_s4_rq_lock on CPU 1 (queue_work() -> try_to_wake_up() under
 * the SRCU lock). The two sides are sequenced so that the inversion is real (CPU 1 waits for
 * rq_lock while holding srcu_lock, and contends for it) but never closes into a deadlock:
 * CPU 0 has dropped srcu_lock before CPU 1 starts, and holds rq_lock a while longer.
 * A non-lockdep kernel shows it through lock:contention_begin/end and the kprobes on the
 * lock functions; a PROVE_LOCKING kernel reports the circular dependency.
 *
 * variant=bug  CPU 1 takes rq_lock while holding srcu_lock
 * variant=fix  CPU 1 queues an irq_work under srcu_lock; the irq_work (irq_work/N on
 *              PREEMPT_RT) takes rq_lock with no SRCU lock held, as the fix does
 */
#include <linux/module.h>
#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include "rtvm_common.h"

static bool rtvm_s4_fix;
static DEFINE_RAW_SPINLOCK(rtvm_s4_rq_lock);	/* stands for &rq->__lock */
static DEFINE_RAW_SPINLOCK(rtvm_s4_srcu_lock);	/* stands for the SRCU node lock */
static unsigned long rtvm_s4_wakeups;
static atomic_t rtvm_s4_phase;	/* 0 idle, 1 CPU 0 in rq->srcu nesting, 2 CPU 0 holds rq only, 3 CPU 0 holds none */
/*
 * overlap=1 (default): CPU 1 starts while CPU 0 still holds rq_lock, so it contends for it
 * (contention_begin/end on kernels without lockdep). overlap=0: CPU 1 starts only once CPU 0
 * has released both; lockdep sees the inversion from the order alone.
 */
static int overlap = 1;
module_param(overlap, int, 0444);
MODULE_PARM_DESC(overlap, "1: CPU 1 contends for rq_lock while CPU 0 holds it; 0: strictly one after the other");
static atomic_t rtvm_s4_round;
static struct task_struct *rtvm_s4_sched, *rtvm_s4_gp;

/* Stands for try_to_wake_up() of a worker: needs the runqueue lock. */
static noinline void rtvm_s4_wake_up_worker(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rtvm_s4_rq_lock, flags);
	rtvm_s4_wakeups++;
	raw_spin_unlock_irqrestore(&rtvm_s4_rq_lock, flags);
}

static noinline void rtvm_s4_srcu_irq_work(struct irq_work *work)
{
	rtvm_s4_wake_up_worker();
}

static struct irq_work rtvm_s4_irq_work = IRQ_WORK_INIT(rtvm_s4_srcu_irq_work);

/* Stands for srcu_funnel_gp_start() -> queue_delayed_work(): under the SRCU lock. */
static noinline void rtvm_s4_funnel_gp_start(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rtvm_s4_srcu_lock, flags);
	if (rtvm_s4_fix)
		irq_work_queue(&rtvm_s4_irq_work);
	else
		rtvm_s4_wake_up_worker();
	raw_spin_unlock_irqrestore(&rtvm_s4_srcu_lock, flags);
}

/* Stands for call_srcu() from a BPF program on sched_switch: under the runqueue lock. */
static noinline void rtvm_s4_call_srcu_under_rq_lock(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rtvm_s4_rq_lock, flags);
	atomic_set(&rtvm_s4_phase, 1);
	raw_spin_lock(&rtvm_s4_srcu_lock);
	raw_spin_unlock(&rtvm_s4_srcu_lock);
	atomic_set(&rtvm_s4_phase, 2);
	mdelay(2);	/* the rest of __schedule(): CPU 1 contends for rq_lock now */
	raw_spin_unlock_irqrestore(&rtvm_s4_rq_lock, flags);
	atomic_set(&rtvm_s4_phase, 3);
}

static int rtvm_s4_sched_fn(void *unused)
{
	int i;

	if (!rtvm_wait_for_run())
		return 0;
	for (i = 0; i < iters && !kthread_should_stop(); i++) {
		rtvm_s4_call_srcu_under_rq_lock();
		/* wait for CPU 1's round before the next nesting, so the two never deadlock */
		while (atomic_read(&rtvm_s4_round) <= i && !kthread_should_stop())
			usleep_range(100, 200);
		atomic_set(&rtvm_s4_phase, 0);
		rtvm_pause();
	}
	return rtvm_finish();
}

static int rtvm_s4_gp_fn(void *unused)
{
	int i;

	if (!rtvm_wait_for_run())
		return 0;
	for (i = 0; i < iters && !kthread_should_stop(); i++) {
		while (atomic_read(&rtvm_s4_phase) != (overlap ? 2 : 3) && !kthread_should_stop()) {
			if (overlap) {
				cpu_relax();
				cond_resched();	/* a non-preemptible kernel must still run CPU 1's other tasks */
			} else
				usleep_range(50, 100);
		}
		rtvm_s4_funnel_gp_start();
		atomic_inc(&rtvm_s4_round);
		while (atomic_read(&rtvm_s4_phase) >= 2 && !kthread_should_stop())
			usleep_range(50, 100);
	}
	return rtvm_finish();
}

static int __init rtvm_s4_init(void)
{
	if (rtvm_variant_is("fix"))
		rtvm_s4_fix = true;
	else if (!rtvm_variant_is("bug"))
		return -EINVAL;
	if (num_online_cpus() < 2)
		return -ENODEV;
	rtvm_s4_sched = kthread_create(rtvm_s4_sched_fn, NULL, "rtvm_s4_sched");
	if (IS_ERR(rtvm_s4_sched))
		return PTR_ERR(rtvm_s4_sched);
	rtvm_s4_gp = kthread_create(rtvm_s4_gp_fn, NULL, "rtvm_s4_gp");
	if (IS_ERR(rtvm_s4_gp)) {
		kthread_stop(rtvm_s4_sched);
		return PTR_ERR(rtvm_s4_gp);
	}
	kthread_bind(rtvm_s4_sched, 0);
	kthread_bind(rtvm_s4_gp, 1);
	wake_up_process(rtvm_s4_sched);
	wake_up_process(rtvm_s4_gp);
	pr_info("rtvm_s4: variant=%s rq_lock=%px srcu_lock=%px\n", variant,
		&rtvm_s4_rq_lock, &rtvm_s4_srcu_lock);
	return 0;
}

static void __exit rtvm_s4_exit(void)
{
	kthread_stop(rtvm_s4_sched);
	kthread_stop(rtvm_s4_gp);
	irq_work_sync(&rtvm_s4_irq_work);
	pr_info("rtvm_s4: %lu wakeups\n", rtvm_s4_wakeups);
}

module_init(rtvm_s4_init);
module_exit(rtvm_s4_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kreplay scenario S4: two raw locks taken in opposite orders");
