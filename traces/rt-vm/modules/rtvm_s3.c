// SPDX-License-Identifier: GPL-2.0
/*
 * rtvm_s3 - seed 003 ("irq_work: Handle some irq_work in a per-CPU thread on PREEMPT_RT").
 *
 * An irq_work callback (like rb_wake_up_waiters) takes a spinlock_t and wakes a wait queue
 * (whose lock is a spinlock_t too). Queued as IRQ_WORK_HARD_IRQ it runs in hardirq even on
 * PREEMPT_RT: sleeping locks in hardirq. Queued as a normal irq_work, PREEMPT_RT runs it in
 * the per-CPU irq_work/N thread. Both variants also queue a HARD irq_work that takes no
 * sleeping lock (like rcu_preempt_deferred_qs_handler): legal in hardirq.
 *
 * variant=bug  the locking callback is IRQ_WORK_INIT_HARD
 * variant=fix  the locking callback is IRQ_WORK_INIT (irq_work/N on PREEMPT_RT)
 */
#include <linux/module.h>
#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "rtvm_common.h"

static DEFINE_SPINLOCK(rtvm_s3_lock);
static DECLARE_WAIT_QUEUE_HEAD(rtvm_s3_waiters);
static unsigned long rtvm_s3_seq;
static atomic_t rtvm_s3_hard_runs;
static struct task_struct *rtvm_s3_thread;

/* Stands for rb_wake_up_waiters(): sleeping locks on PREEMPT_RT. */
static noinline void rtvm_s3_wake_up_waiters(struct irq_work *work)
{
	spin_lock(&rtvm_s3_lock);
	WRITE_ONCE(rtvm_s3_seq, rtvm_s3_seq + 1);
	spin_unlock(&rtvm_s3_lock);
	wake_up_all(&rtvm_s3_waiters);
}

/* Stands for rcu_preempt_deferred_qs_handler(): no lock, fine in hardirq. */
static noinline void rtvm_s3_hard_handler(struct irq_work *work)
{
	atomic_inc(&rtvm_s3_hard_runs);
}

static struct irq_work rtvm_s3_work_hard = IRQ_WORK_INIT_HARD(rtvm_s3_wake_up_waiters);
static struct irq_work rtvm_s3_work_lazy = IRQ_WORK_INIT(rtvm_s3_wake_up_waiters);
static struct irq_work rtvm_s3_work_ok = IRQ_WORK_INIT_HARD(rtvm_s3_hard_handler);
static struct irq_work *rtvm_s3_work;

/*
 * Lockless on purpose: were this thread to hold rtvm_s3_lock when the HARD irq_work
 * interrupts it, the callback would spin on its own CPU's lock owner forever.
 */
static unsigned long rtvm_s3_read_seq(void)
{
	return READ_ONCE(rtvm_s3_seq);
}

static int rtvm_s3_thread_fn(void *unused)
{
	int i;

	if (!rtvm_wait_for_run())
		return 0;
	for (i = 0; i < iters && !kthread_should_stop(); i++) {
		unsigned long seq = rtvm_s3_read_seq();

		irq_work_queue(&rtvm_s3_work_ok);
		irq_work_queue(rtvm_s3_work);
		wait_event_timeout(rtvm_s3_waiters, rtvm_s3_read_seq() != seq, HZ);
		rtvm_pause();
	}
	return rtvm_finish();
}

static int __init rtvm_s3_init(void)
{
	if (rtvm_variant_is("bug"))
		rtvm_s3_work = &rtvm_s3_work_hard;
	else if (rtvm_variant_is("fix"))
		rtvm_s3_work = &rtvm_s3_work_lazy;
	else
		return -EINVAL;
	rtvm_s3_thread = kthread_create(rtvm_s3_thread_fn, NULL, "rtvm_s3");
	if (IS_ERR(rtvm_s3_thread))
		return PTR_ERR(rtvm_s3_thread);
	kthread_bind(rtvm_s3_thread, 0);
	wake_up_process(rtvm_s3_thread);
	pr_info("rtvm_s3: variant=%s lock=%px\n", variant, &rtvm_s3_lock);
	return 0;
}

static void __exit rtvm_s3_exit(void)
{
	kthread_stop(rtvm_s3_thread);
	irq_work_sync(&rtvm_s3_work_hard);
	irq_work_sync(&rtvm_s3_work_lazy);
	irq_work_sync(&rtvm_s3_work_ok);
	pr_info("rtvm_s3: seq %lu, hard runs %d\n", rtvm_s3_seq, atomic_read(&rtvm_s3_hard_runs));
}

module_init(rtvm_s3_init);
module_exit(rtvm_s3_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kreplay scenario S3: spinlock_t in a HARD vs a normal irq_work");
