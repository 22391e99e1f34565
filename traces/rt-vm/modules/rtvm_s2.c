// SPDX-License-Identifier: GPL-2.0
/*
 * rtvm_s2 - seed 002 ("rcu/tree: Defer kvfree_rcu() allocation to a clean context").
 *
 * Like kvfree_call_rcu() before the fix, a per-CPU "bulk" cache is refilled with pages
 * allocated while holding a raw_spinlock_t (krcp->lock) with interrupts off. The page
 * allocator takes &zone->lock, a spinlock_t: an invalid wait context everywhere under
 * PROVE_RAW_LOCK_NESTING, and a sleeping lock in atomic context on PREEMPT_RT.
 *
 * variant=bug  allocate pages under the raw lock (GFP_NOWAIT, as kvfree_rcu did)
 * variant=fix  under the raw lock only arm an hrtimer (schedule_page_work_fn); its callback
 *              queues a work item (fill_page_cache_func) that allocates in process context
 *              and fills the cache, as the upstream fix does
 */
#include <linux/module.h>
#include <linux/hrtimer.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "rtvm_common.h"

#define RTVM_S2_CACHE	64	/* pages the deferred refill keeps ready */
#define RTVM_S2_BURST	1024	/* pages wanted per iteration: more than the per-cpu lists hold */

static bool rtvm_s2_fix;
static DEFINE_RAW_SPINLOCK(rtvm_s2_krc_lock);	/* stands for krcp->lock */
static struct page *rtvm_s2_cache[RTVM_S2_CACHE];
static int rtvm_s2_nr_cached;
static struct page *rtvm_s2_held[RTVM_S2_BURST];
static unsigned long rtvm_s2_fallbacks;
static atomic_t rtvm_s2_work_in_progress;
static struct hrtimer rtvm_s2_hrtimer;
static struct work_struct rtvm_s2_page_work;
static struct task_struct *rtvm_s2_thread;

/* Stands for fill_page_cache_func(): allocates in process context. */
static noinline void rtvm_s2_fill_page_cache_func(struct work_struct *work)
{
	unsigned long flags;
	int i;

	for (i = 0; i < RTVM_S2_CACHE; i++) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		bool added = false;

		if (!page)
			break;
		raw_spin_lock_irqsave(&rtvm_s2_krc_lock, flags);
		if (rtvm_s2_nr_cached < RTVM_S2_CACHE) {
			rtvm_s2_cache[rtvm_s2_nr_cached++] = page;
			added = true;
		}
		raw_spin_unlock_irqrestore(&rtvm_s2_krc_lock, flags);
		if (!added) {
			__free_page(page);
			break;
		}
	}
	atomic_set(&rtvm_s2_work_in_progress, 0);
}

/* Stands for schedule_page_work_fn(): a plain (soft on RT) hrtimer that queues the work. */
static noinline enum hrtimer_restart rtvm_s2_schedule_page_work_fn(struct hrtimer *t)
{
	queue_work(system_highpri_wq, &rtvm_s2_page_work);
	return HRTIMER_NORESTART;
}

/* Stands for kvfree_call_rcu_add_ptr_to_bulk(): wants one page, under the raw lock. */
static noinline struct page *rtvm_s2_add_ptr_to_bulk(void)
{
	struct page *page = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&rtvm_s2_krc_lock, flags);
	if (rtvm_s2_nr_cached)
		page = rtvm_s2_cache[--rtvm_s2_nr_cached];
	if (!page) {
		if (!rtvm_s2_fix)
			page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
		else if (!atomic_xchg(&rtvm_s2_work_in_progress, 1))
			hrtimer_start(&rtvm_s2_hrtimer, 0, HRTIMER_MODE_REL);
	}
	if (!page)
		rtvm_s2_fallbacks++;	/* kvfree_rcu would fall back to the inline rcu_head */
	raw_spin_unlock_irqrestore(&rtvm_s2_krc_lock, flags);
	return page;
}

static int rtvm_s2_thread_fn(void *unused)
{
	int i, n, j;

	if (!rtvm_wait_for_run())
		return 0;
	for (i = 0; i < iters && !kthread_should_stop(); i++) {
		for (n = 0; n < RTVM_S2_BURST; n++) {
			rtvm_s2_held[n] = rtvm_s2_add_ptr_to_bulk();
			if (rtvm_s2_fix && !rtvm_s2_held[n] && (n & 63) == 63)
				usleep_range(200, 300);	/* let the deferred refill run */
		}
		for (j = 0; j < n; j++)
			if (rtvm_s2_held[j])
				__free_page(rtvm_s2_held[j]);
		rtvm_pause();
	}
	return rtvm_finish();
}

static int __init rtvm_s2_init(void)
{
	if (rtvm_variant_is("fix"))
		rtvm_s2_fix = true;
	else if (!rtvm_variant_is("bug"))
		return -EINVAL;
	hrtimer_init(&rtvm_s2_hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rtvm_s2_hrtimer.function = rtvm_s2_schedule_page_work_fn;
	INIT_WORK(&rtvm_s2_page_work, rtvm_s2_fill_page_cache_func);
	rtvm_s2_thread = kthread_create(rtvm_s2_thread_fn, NULL, "rtvm_s2");
	if (IS_ERR(rtvm_s2_thread))
		return PTR_ERR(rtvm_s2_thread);
	kthread_bind(rtvm_s2_thread, 0);
	wake_up_process(rtvm_s2_thread);
	pr_info("rtvm_s2: variant=%s lock=%px\n", variant, &rtvm_s2_krc_lock);
	return 0;
}

static void __exit rtvm_s2_exit(void)
{
	kthread_stop(rtvm_s2_thread);
	hrtimer_cancel(&rtvm_s2_hrtimer);
	cancel_work_sync(&rtvm_s2_page_work);
	while (rtvm_s2_nr_cached)
		__free_page(rtvm_s2_cache[--rtvm_s2_nr_cached]);
	pr_info("rtvm_s2: %lu fallbacks\n", rtvm_s2_fallbacks);
}

module_init(rtvm_s2_init);
module_exit(rtvm_s2_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kreplay scenario S2: page allocation under a raw_spinlock_t");
