// SPDX-License-Identifier: GPL-2.0
/*
 * jrng_main.c: jitter_rng, a CPU-timing-jitter entropy source that credits
 * the kernel's random generator only with entropy it has health-tested.
 *
 * Sections:
 *   1. module parameters
 *   2. the crediting kthread: start-up test, health tests, conditioning,
 *      crediting, back-off
 *   3. init and exit
 *
 * Crediting happens only in the kthread: on 6.1 add_hwgenerator_randomness()
 * calls kthread_should_stop(), which oopses outside a kernel thread.
 *
 * Every raw sample goes through the SP 800-90B repetition count and adaptive
 * proportion tests.  The first JRNG_STARTUP_SAMPLES after load, after any
 * change of configuration and after any failure form a start-up test: they
 * are tested, never credited.  Samples that pass once the source is healthy
 * are conditioned with SHA-256 (a vetted conditioning function in SP
 * 800-90B 3.1.5.1.1); every JRNG_BLOCK_BITS * osr samples become one
 * 32-byte digest credited with JRNG_BLOCK_BITS bits, that is 1/osr bit per
 * sample.  A failure throws away the half-filled block at once.
 *
 * Once the generator is ready, more credit changes nothing.  The thread then
 * backs off: 6.1's add_hwgenerator_randomness() sleeps crng_reseed_interval()
 * after each call once the generator is ready, and the thread sleeps
 * JRNG_BACKOFF more after each period that delivered a block and ran a
 * whole APT window: about a thousand samples per half minute or more.
 */
#include "jitter_rng.h"

#include <crypto/sha2.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#define JRNG_BACKOFF		(30 * HZ)	/* extra sleep once crng is ready */
#define JRNG_RETRY		HZ		/* pause after a health failure */
#define JRNG_BATCH		64		/* samples between reschedules */

struct jrng jrng;

const char *const jrng_health_names[] = {
	[JRNG_STARTUP]		= "startup",
	[JRNG_OK]		= "ok",
	[JRNG_RCT_FAILURE]	= "rct_failure",
	[JRNG_APT_FAILURE]	= "apt_failure",
	[JRNG_COARSE_TIMER]	= "coarse_timer",
	[JRNG_DISABLED]		= "disabled",
};

const char *const jrng_fault_names[JRNG_FAULT_COUNT] = {
	[JRNG_FAULT_NONE]	= "none",
	[JRNG_FAULT_STUCK]	= "stuck",
	[JRNG_FAULT_BIASED]	= "biased",
	[JRNG_FAULT_COARSE]	= "coarse",
};

/* 1. Module parameters ----------------------------------------------------- */

static unsigned int osr = JRNG_OSR_DEFAULT;
module_param(osr, uint, 0444);
MODULE_PARM_DESC(osr, "oversampling rate: raw samples per credited bit, 1 to 15 (default 4)");

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "test only: none, stuck, biased or coarse (default none)");

/* 2. The crediting kthread ------------------------------------------------- */

/* What the kthread alone touches. */
struct jrng_run {
	struct jrng_noise noise;
	struct jrng_health_test ht;
	struct sha256_state block;
	unsigned int block_samples;
	unsigned int startup_left;	/* samples until start-up passes */
	unsigned int gen;		/* configuration in force */
	unsigned int osr;
	bool failed;			/* a test failed; no credit until start-up passes */
	bool retry;			/* pause, then a fresh start-up test */
	bool delivered;			/* a block went out since the last sleep */
	unsigned int windows_closed;	/* APT windows ended since then */
};

void jrng_kick(struct jrng *j)
{
	WRITE_ONCE(j->kick, true);
	if (j->task)
		wake_up_process(j->task);
}

static void jrng_set_health(struct jrng *j, enum jrng_health h)
{
	WRITE_ONCE(j->health, h);
}

/*
 * Sleep up to @timeout; a kick, a stop or a new configuration ends it.  A
 * kick that lands between the end of a timeout and the reset below is lost;
 * that only delays the thread to its next period, where it sees the new
 * configuration (cfg_gen) or fault anyway.
 */
static void jrng_wait(struct jrng *j, long timeout)
{
	wait_event_interruptible_timeout(j->wq,
					 kthread_should_stop() || READ_ONCE(j->kick),
					 timeout);
	WRITE_ONCE(j->kick, false);
}

static void jrng_block_discard(struct jrng_run *r)
{
	memzero_explicit(&r->block, sizeof(r->block));
	sha256_init(&r->block);
	r->block_samples = 0;
}

/* Start (again) with a fresh start-up test. */
static void jrng_restart(struct jrng_run *r)
{
	jrng_health_reset(&r->ht, r->osr);
	jrng_block_discard(r);
	r->startup_left = JRNG_STARTUP_SAMPLES;
	r->delivered = false;
	r->windows_closed = 0;
}

static void jrng_load_config(struct jrng *j, struct jrng_run *r)
{
	mutex_lock(&j->cfg_lock);
	r->gen = j->cfg_gen;
	r->osr = j->osr;
	mutex_unlock(&j->cfg_lock);
	r->failed = false;
	r->retry = false;
	jrng_restart(r);
	jrng_set_health(j, READ_ONCE(j->enabled) ? JRNG_STARTUP : JRNG_DISABLED);
}

static void jrng_fail(struct jrng *j, struct jrng_run *r, enum jrng_verdict v)
{
	bool rct = v == JRNG_RCT_FAIL;

	jrng_block_discard(r);
	atomic64_inc(rct ? &j->rct_failures : &j->apt_failures);
	jrng_set_health(j, rct ? JRNG_RCT_FAILURE : JRNG_APT_FAILURE);
	if (!r->failed)
		pr_warn_ratelimited("%s test failed, crediting stopped until a new start-up test passes\n",
				    rct ? "repetition count" : "adaptive proportion");
	r->failed = true;
	r->retry = true;
}

/*
 * Condition the block into one digest and credit it.  The digest stays
 * inside the module until add_hwgenerator_randomness() mixes it.
 */
static void jrng_deliver(struct jrng *j, struct jrng_run *r)
{
	u8 digest[SHA256_DIGEST_SIZE];

	sha256_final(&r->block, digest);
	sha256_init(&r->block);
	r->block_samples = 0;
	atomic64_add(JRNG_BLOCK_BITS, &j->credited_bits);
	add_hwgenerator_randomness(digest, sizeof(digest), JRNG_BLOCK_BITS);
	memzero_explicit(digest, sizeof(digest));
	r->delivered = true;
}

/* Test and use one raw sample. */
static void jrng_take(struct jrng *j, struct jrng_run *r, u64 x)
{
	enum jrng_verdict v = jrng_health_feed(&r->ht, x);

	atomic64_inc(&j->samples);
	if (r->ht.apt_seen == 0)
		r->windows_closed++;
	if (v != JRNG_PASS) {
		jrng_fail(j, r, v);
		return;
	}
	if (r->startup_left) {
		if (--r->startup_left == 0) {
			if (r->failed)
				pr_info("start-up test passed again, crediting resumes\n");
			r->failed = false;
			jrng_set_health(j, JRNG_OK);
		}
		return;
	}
	sha256_update(&r->block, (const u8 *)&x, sizeof(x));
	if (++r->block_samples >= JRNG_BLOCK_BITS * r->osr)
		jrng_deliver(j, r);
}

/*
 * One batch of samples; returns early on a stop, a failure or new config.
 * A fault switched on through debugfs takes effect at the next sample,
 * without a restart, as a source that breaks in operation would.
 */
static void jrng_batch(struct jrng *j, struct jrng_run *r)
{
	int i;

	for (i = 0; i < JRNG_BATCH; i++) {
		if (kthread_should_stop() || r->gen != READ_ONCE(j->cfg_gen))
			return;
		jrng_take(j, r, jrng_noise_sample(&r->noise, READ_ONCE(j->fault)));
		if (r->retry)
			return;
	}
}

static int jrng_thread(void *data)
{
	struct jrng *j = data;
	struct jrng_run *r;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r || jrng_noise_init(&r->noise)) {
		pr_err("out of memory, the kthread credits nothing\n");
		kfree(r);
		jrng_set_health(j, JRNG_DISABLED);
		while (!kthread_should_stop())
			jrng_wait(j, MAX_SCHEDULE_TIMEOUT);
		return -ENOMEM;
	}
	jrng_load_config(j, r);

	while (!kthread_should_stop()) {
		if (r->gen != READ_ONCE(j->cfg_gen))
			jrng_load_config(j, r);
		if (!READ_ONCE(j->enabled)) {
			jrng_wait(j, MAX_SCHEDULE_TIMEOUT);
			continue;
		}
		if (r->retry) {
			/* health keeps the failure until start-up passes. */
			jrng_wait(j, JRNG_RETRY);
			r->retry = false;
			jrng_restart(r);
			continue;
		}
		jrng_batch(j, r);
		/*
		 * Ready: a block per back-off period is all that helps.  Each
		 * period also runs at least one APT window from its start to
		 * its end (two ends), so a broken source is still caught.
		 */
		if (r->delivered && r->windows_closed >= 2 &&
		    !r->startup_left && rng_is_initialized()) {
			jrng_wait(j, JRNG_BACKOFF);
			r->delivered = false;
			r->windows_closed = 0;
		} else {
			cond_resched();
		}
	}

	jrng_block_discard(r);
	jrng_noise_free(&r->noise);
	kfree_sensitive(r);
	return 0;
}

/* 3. Init and exit --------------------------------------------------------- */

static int jrng_parse_fault(const char *s, enum jrng_fault *out)
{
	int i = __sysfs_match_string(jrng_fault_names, JRNG_FAULT_COUNT, s);

	if (i < 0)
		return -EINVAL;
	*out = i;
	return 0;
}

static int __init jrng_init(void)
{
	struct jrng *j = &jrng;
	struct jrng_noise probe;
	bool coarse;
	int err;

	if (osr < JRNG_OSR_MIN || osr > JRNG_OSR_MAX) {
		pr_err("osr=%u is out of range: it accepts %u to %u\n",
		       osr, JRNG_OSR_MIN, JRNG_OSR_MAX);
		return -EINVAL;
	}
	mutex_init(&j->cfg_lock);
	init_waitqueue_head(&j->wq);
	j->osr = osr;
	j->enabled = true;
	if (jrng_parse_fault(fault, &j->fault)) {
		pr_err("fault=%s is not one of none, stuck, biased, coarse\n",
		       fault);
		return -EINVAL;
	}

	err = jrng_noise_init(&probe);
	if (err)
		return err;
	coarse = jrng_noise_timer_coarse(&probe, j->fault);
	jrng_noise_free(&probe);

	if (coarse) {
		j->health = JRNG_COARSE_TIMER;
	} else {
		j->health = JRNG_STARTUP;
		j->task = kthread_create(jrng_thread, j, "jitter_rng");
		if (IS_ERR(j->task)) {
			err = PTR_ERR(j->task);
			j->task = NULL;
			pr_err("cannot start the kthread: %d\n", err);
			return err;
		}
	}

	err = jrng_sysfs_init(j);
	if (err)
		goto err_sysfs;
	jrng_debugfs_init(j);

	if (j->task)
		wake_up_process(j->task);
	pr_info("loaded: osr %u, %u-sample start-up test, credit 1/%u bit per sample%s\n",
		j->osr, JRNG_STARTUP_SAMPLES, j->osr,
		j->fault != JRNG_FAULT_NONE ? ", TEST FAULT INJECTED" : "");
	return 0;

err_sysfs:
	if (j->task)
		kthread_stop(j->task);
	return err;
}

static void __exit jrng_exit(void)
{
	struct jrng *j = &jrng;

	/* No writer can kick the kthread once these are gone. */
	jrng_debugfs_exit(j);
	jrng_sysfs_exit(j);
	if (j->task)
		kthread_stop(j->task);
	pr_info("unloaded: %lld bits credited from %lld samples\n",
		(long long)atomic64_read(&j->credited_bits),
		(long long)atomic64_read(&j->samples));
}

module_init(jrng_init);
module_exit(jrng_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Health-tested CPU timing jitter entropy source");
MODULE_AUTHOR("ssltrace project");
