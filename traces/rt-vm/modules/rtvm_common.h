/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared plumbing of the kreplay test modules: which variant to run, how many iterations,
 * and a "run" parameter that starts the work once the recorder is ready (the module is
 * loaded first so that its symbols are in trace-cmd's kallsyms snapshot and the lock
 * addresses can be given to the kprobe filters). "done" reads 1 when the work is over.
 */
#ifndef RTVM_COMMON_H
#define RTVM_COMMON_H

#include <linux/moduleparam.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/string.h>

static char *variant = "bug";
module_param(variant, charp, 0444);
MODULE_PARM_DESC(variant, "which variant to run (see the scenario's README)");

static int iters = 20;
module_param(iters, int, 0644);
MODULE_PARM_DESC(iters, "iterations of the workload");

static int period_us = 4000;
module_param(period_us, int, 0644);
MODULE_PARM_DESC(period_us, "pause between iterations, microseconds");

static int done;
module_param(done, int, 0444);
MODULE_PARM_DESC(done, "1 once the workload has finished");

static DECLARE_COMPLETION(rtvm_go);

static int rtvm_run_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_int(val, kp);

	if (!ret)
		complete_all(&rtvm_go);
	return ret;
}

static const struct kernel_param_ops rtvm_run_ops = {
	.set = rtvm_run_set,
	.get = param_get_int,
};

static int run;
module_param_cb(run, &rtvm_run_ops, &run, 0644);
MODULE_PARM_DESC(run, "write 1 to start the workload");

static inline bool rtvm_variant_is(const char *name)
{
	return !strcmp(variant, name);
}

/* Waits for "run"; false when the module is being unloaded instead. */
static inline bool rtvm_wait_for_run(void)
{
	while (!kthread_should_stop()) {
		if (wait_for_completion_timeout(&rtvm_go, msecs_to_jiffies(50)))
			return true;
	}
	return false;
}

/* After the work: report done, then idle until kthread_stop(). */
static inline int rtvm_finish(void)
{
	WRITE_ONCE(done, 1);
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static inline void rtvm_pause(void)
{
	usleep_range(period_us, period_us + 100);
}

#endif
