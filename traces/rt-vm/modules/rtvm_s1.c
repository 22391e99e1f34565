// SPDX-License-Identifier: GPL-2.0
/*
 * rtvm_s1 - seeds 000/001 ("kernel/fork: beware of __put_task_struct() calling context").
 *
 * A HARD hrtimer callback (like inactive_task_timer) drops the last reference of an object
 * and frees it on the spot (like __put_task_struct): it takes a spinlock_t (like memcg's
 * stock_lock, a sleeping lock on PREEMPT_RT) and calls kmem_cache_free() in hardirq context.
 *
 * variant=bug        free in the HARD hrtimer callback (hardirq)
 * variant=rcu        the callback hands the object to call_rcu() (the upstream fix)
 * variant=wq         the callback queues a work item embedded in the object
 * variant=contended  as bug, while a kthread on the other CPU holds the lock for long
 *                    stretches and a SCHED_FIFO kthread there preempts it now and then: with
 *                    the owner off its CPU the callback stops spinning on the rtmutex and
 *                    schedules in hardirq, and the RT kernel prints "BUG: scheduling while
 *                    atomic". (The holder must not sleep with the lock held: RT's spin_lock
 *                    is an RCU read-side section, and that would warn first.)
 */
#include <linux/module.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/sched.h>
#include "rtvm_common.h"

struct rtvm_s1_obj {
	struct rcu_head rcu;
	struct work_struct work;
	int id;
};

enum rtvm_s1_variant { S1_BUG, S1_RCU, S1_WQ, S1_CONTENDED };

static enum rtvm_s1_variant rtvm_s1_mode;
static DEFINE_SPINLOCK(rtvm_s1_lock);	/* stands for memcg's stock_lock */
static unsigned long rtvm_s1_freed;
static struct kmem_cache *rtvm_s1_cache;
static struct workqueue_struct *rtvm_s1_wq;
static struct hrtimer rtvm_s1_timer;
static struct rtvm_s1_obj *rtvm_s1_pending;	/* handed from the thread to the timer */
static struct task_struct *rtvm_s1_thread, *rtvm_s1_holder, *rtvm_s1_preemptor;

static notrace void rtvm_s1_obj_ctor(void *p)
{
	((struct rtvm_s1_obj *)p)->id = -1;
}

/* Stands for __put_task_struct(): bookkeeping under the lock, then the slab free. */
static noinline void rtvm_s1_put_obj(struct rtvm_s1_obj *obj)
{
	spin_lock(&rtvm_s1_lock);
	rtvm_s1_freed++;
	spin_unlock(&rtvm_s1_lock);
	kmem_cache_free(rtvm_s1_cache, obj);
}

static noinline void rtvm_s1_put_obj_rcu_cb(struct rcu_head *rhp)
{
	rtvm_s1_put_obj(container_of(rhp, struct rtvm_s1_obj, rcu));
}

static noinline void rtvm_s1_put_obj_work(struct work_struct *work)
{
	rtvm_s1_put_obj(container_of(work, struct rtvm_s1_obj, work));
}

/* Stands for inactive_task_timer(): a HARD hrtimer, expires in hardirq even on PREEMPT_RT. */
static noinline enum hrtimer_restart rtvm_s1_timer_fn(struct hrtimer *timer)
{
	struct rtvm_s1_obj *obj = xchg(&rtvm_s1_pending, NULL);

	if (!obj)
		return HRTIMER_NORESTART;
	switch (rtvm_s1_mode) {
	case S1_RCU:
		call_rcu(&obj->rcu, rtvm_s1_put_obj_rcu_cb);
		break;
	case S1_WQ:
		queue_work(rtvm_s1_wq, &obj->work);
		break;
	default:
		rtvm_s1_put_obj(obj);
	}
	return HRTIMER_NORESTART;
}

static int rtvm_s1_thread_fn(void *unused)
{
	int i;

	if (!rtvm_wait_for_run())
		return 0;
	for (i = 0; i < iters && !kthread_should_stop(); i++) {
		struct rtvm_s1_obj *obj = kmem_cache_alloc(rtvm_s1_cache, GFP_KERNEL);

		if (!obj)
			break;
		obj->id = i;
		INIT_WORK(&obj->work, rtvm_s1_put_obj_work);
		obj = xchg(&rtvm_s1_pending, obj);
		if (obj)	/* the timer had not fired yet: free the old one here */
			kmem_cache_free(rtvm_s1_cache, obj);
		hrtimer_start(&rtvm_s1_timer, ns_to_ktime((u64)period_us * NSEC_PER_USEC / 2), HRTIMER_MODE_REL_HARD);
		rtvm_pause();
	}
	return rtvm_finish();
}

/* contended: hold the lock for long stretches (busy, preemptible on RT). */
static int rtvm_s1_holder_fn(void *unused)
{
	if (!rtvm_wait_for_run())
		return 0;
	while (!kthread_should_stop() && !READ_ONCE(done)) {
		spin_lock(&rtvm_s1_lock);
		mdelay(20);
		spin_unlock(&rtvm_s1_lock);
		msleep(1);
	}
	return rtvm_finish();
}

/* contended: a SCHED_FIFO thread on the holder's CPU that takes the CPU from it. */
static int rtvm_s1_preemptor_fn(void *unused)
{
	if (!rtvm_wait_for_run())
		return 0;
	while (!kthread_should_stop() && !READ_ONCE(done)) {
		msleep(3);
		mdelay(5);
	}
	return rtvm_finish();
}

static int __init rtvm_s1_init(void)
{
	if (rtvm_variant_is("bug"))
		rtvm_s1_mode = S1_BUG;
	else if (rtvm_variant_is("rcu"))
		rtvm_s1_mode = S1_RCU;
	else if (rtvm_variant_is("wq"))
		rtvm_s1_mode = S1_WQ;
	else if (rtvm_variant_is("contended"))
		rtvm_s1_mode = S1_CONTENDED;
	else
		return -EINVAL;

	/* a constructor keeps the cache from being merged into another of the same size */
	rtvm_s1_cache = kmem_cache_create("rtvm_s1_obj", sizeof(struct rtvm_s1_obj), 0, 0,
					  rtvm_s1_obj_ctor);
	if (!rtvm_s1_cache)
		return -ENOMEM;
	rtvm_s1_wq = alloc_workqueue("rtvm_s1_wq", 0, 0);
	if (!rtvm_s1_wq) {
		kmem_cache_destroy(rtvm_s1_cache);
		return -ENOMEM;
	}
	hrtimer_init(&rtvm_s1_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	rtvm_s1_timer.function = rtvm_s1_timer_fn;

	rtvm_s1_thread = kthread_create(rtvm_s1_thread_fn, NULL, "rtvm_s1");
	if (IS_ERR(rtvm_s1_thread))
		goto fail;
	kthread_bind(rtvm_s1_thread, 0);
	if (rtvm_s1_mode == S1_CONTENDED && num_online_cpus() > 1) {
		rtvm_s1_holder = kthread_create(rtvm_s1_holder_fn, NULL, "rtvm_s1_holder");
		if (IS_ERR(rtvm_s1_holder)) {
			kthread_stop(rtvm_s1_thread);
			goto fail;
		}
		kthread_bind(rtvm_s1_holder, 1);
		rtvm_s1_preemptor = kthread_create(rtvm_s1_preemptor_fn, NULL, "rtvm_s1_preempt");
		if (IS_ERR(rtvm_s1_preemptor)) {
			kthread_stop(rtvm_s1_holder);
			kthread_stop(rtvm_s1_thread);
			goto fail;
		}
		kthread_bind(rtvm_s1_preemptor, 1);
		sched_set_fifo(rtvm_s1_preemptor);
		wake_up_process(rtvm_s1_holder);
		wake_up_process(rtvm_s1_preemptor);
	}
	wake_up_process(rtvm_s1_thread);
	pr_info("rtvm_s1: variant=%s lock=%px\n", variant, &rtvm_s1_lock);
	return 0;
fail:
	destroy_workqueue(rtvm_s1_wq);
	kmem_cache_destroy(rtvm_s1_cache);
	return -ENOMEM;
}

static void __exit rtvm_s1_exit(void)
{
	struct rtvm_s1_obj *obj;

	kthread_stop(rtvm_s1_thread);
	if (rtvm_s1_holder)
		kthread_stop(rtvm_s1_holder);
	if (rtvm_s1_preemptor)
		kthread_stop(rtvm_s1_preemptor);
	hrtimer_cancel(&rtvm_s1_timer);
	obj = xchg(&rtvm_s1_pending, NULL);
	if (obj)
		kmem_cache_free(rtvm_s1_cache, obj);
	rcu_barrier();
	destroy_workqueue(rtvm_s1_wq);
	kmem_cache_destroy(rtvm_s1_cache);
	pr_info("rtvm_s1: freed %lu objects\n", rtvm_s1_freed);
}

module_init(rtvm_s1_init);
module_exit(rtvm_s1_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kreplay scenario S1: slab free and spinlock_t in a HARD hrtimer callback");
