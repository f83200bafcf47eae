/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jitter_rng.h: what the parts of the jitter_rng module share.
 *
 *   jrng_noise.c    the noise source: timing of a memory-touching loop
 *   jrng_health.c   SP 800-90B 4.4 repetition count and adaptive proportion
 *   jrng_main.c     module parameters, the crediting kthread, init and exit
 *   jrng_sysfs.c    /sys/kernel/jitter_rng/
 *   jrng_debugfs.c  raw samples and fault injection, for root, in debugfs
 */
#ifndef JITTER_RNG_H
#define JITTER_RNG_H

/* Every file includes this header first, so pr_*() name the module. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "jrng_cutoffs.h"

#define JRNG_OSR_DEFAULT	4	/* credit 1/4 bit per raw sample */
#define JRNG_STARTUP_SAMPLES	1024	/* SP 800-90B 4.3: at least 1024 */
#define JRNG_BLOCK_BITS		64	/* credit per conditioned block */

/* Values of the health attribute; jrng_health_names[] spells them. */
enum jrng_health {
	JRNG_STARTUP,
	JRNG_OK,
	JRNG_RCT_FAILURE,
	JRNG_APT_FAILURE,
	JRNG_COARSE_TIMER,
	JRNG_DISABLED,
};

/* Test-only fault injection; jrng_fault_names[] spells them. */
enum jrng_fault {
	JRNG_FAULT_NONE,
	JRNG_FAULT_STUCK,	/* every sample the same value */
	JRNG_FAULT_BIASED,	/* 31 of every 32 samples the same value */
	JRNG_FAULT_COARSE,	/* a counter that ticks every 2^32 cycles */
	JRNG_FAULT_COUNT,
};

enum jrng_verdict {
	JRNG_PASS,
	JRNG_RCT_FAIL,
	JRNG_APT_FAIL,
};

/* The state of both SP 800-90B 4.4 tests over one stream of samples. */
struct jrng_health_test {
	u32 rct_cutoff;
	u32 apt_cutoff;
	u64 rct_value;		/* value of the current run */
	u32 rct_run;		/* its length; 0 before the first sample */
	u64 apt_value;		/* first sample of the current window */
	u32 apt_count;		/* how often apt_value occurred in it */
	u32 apt_seen;		/* samples of the window seen; 0: none yet */
};

void jrng_health_reset(struct jrng_health_test *t, unsigned int osr);
enum jrng_verdict jrng_health_feed(struct jrng_health_test *t, u64 sample);

/* One sampler: the memory its loop touches and where it stands. */
struct jrng_noise {
	u8 *mem;
	unsigned int pos;
	unsigned int fault_phase;
};

int jrng_noise_init(struct jrng_noise *n);
void jrng_noise_free(struct jrng_noise *n);
u64 jrng_noise_sample(struct jrng_noise *n, enum jrng_fault fault);
bool jrng_noise_timer_coarse(struct jrng_noise *n, enum jrng_fault fault);

/*
 * The one instance.  Configuration (osr, enabled, fault) is written under
 * cfg_lock and published by bumping cfg_gen; the kthread notices the new
 * generation and restarts with a fresh start-up test.  Counters are read
 * without locks by sysfs.
 */
struct jrng {
	struct mutex cfg_lock;
	unsigned int osr;
	bool enabled;
	enum jrng_fault fault;
	unsigned int cfg_gen;

	enum jrng_health health;
	atomic64_t samples;
	atomic64_t credited_bits;
	atomic64_t rct_failures;
	atomic64_t apt_failures;

	struct task_struct *task;	/* NULL when the timer is too coarse */
	bool kick;			/* wake the kthread early */
	wait_queue_head_t wq;
	struct dentry *debugfs;
	struct kobject *kobj;
};

extern struct jrng jrng;
extern const char *const jrng_health_names[];
extern const char *const jrng_fault_names[JRNG_FAULT_COUNT];

void jrng_kick(struct jrng *j);

int jrng_sysfs_init(struct jrng *j);
void jrng_sysfs_exit(struct jrng *j);
void jrng_debugfs_init(struct jrng *j);
void jrng_debugfs_exit(struct jrng *j);

#endif /* JITTER_RNG_H */
