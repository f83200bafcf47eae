// SPDX-License-Identifier: GPL-2.0
/*
 * jrng_health.c: the continuous health tests of NIST SP 800-90B section 4.4,
 * run on every raw sample before it may be credited.
 *
 * Both cutoffs follow from H, the min-entropy the module assumes per sample,
 * which is also what it credits: H = 1/osr bits.  With a false-positive
 * probability alpha = 2^-JRNG_ALPHA_LOG2:
 *
 *   repetition count test (4.4.1): C = 1 + ceil(-log2(alpha) / H)
 *                                    = 1 + JRNG_ALPHA_LOG2 * osr
 *   adaptive proportion test (4.4.2), window W = 512:
 *                                  C = 1 + CRITBINOM(W, 2^-H, 1 - alpha),
 *                                  precomputed in jrng_cutoffs.h
 *
 * A sample counts as a repeat only when all 64 bits of the time delta are
 * equal, so the tests see the source exactly as the estimator does.
 */
#include "jitter_rng.h"

#include <linux/kernel.h>

static const unsigned short jrng_apt_cutoffs[] = JRNG_APT_CUTOFFS;
static_assert(ARRAY_SIZE(jrng_apt_cutoffs) == JRNG_OSR_MAX - JRNG_OSR_MIN + 1);

void jrng_health_reset(struct jrng_health_test *t, unsigned int osr)
{
	osr = clamp_t(unsigned int, osr, JRNG_OSR_MIN, JRNG_OSR_MAX);
	t->rct_cutoff = 1 + JRNG_ALPHA_LOG2 * osr;
	t->apt_cutoff = jrng_apt_cutoffs[osr - JRNG_OSR_MIN];
	t->rct_run = 0;
	t->apt_seen = 0;
}

static bool jrng_rct_feed(struct jrng_health_test *t, u64 sample)
{
	if (t->rct_run && sample == t->rct_value) {
		if (++t->rct_run >= t->rct_cutoff)
			return false;
		return true;
	}
	t->rct_value = sample;
	t->rct_run = 1;
	return true;
}

static bool jrng_apt_feed(struct jrng_health_test *t, u64 sample)
{
	if (t->apt_seen == 0) {
		t->apt_value = sample;
		t->apt_count = 1;
		t->apt_seen = 1;
		return true;
	}
	if (sample == t->apt_value && ++t->apt_count >= t->apt_cutoff)
		return false;
	if (++t->apt_seen >= JRNG_APT_WINDOW)
		t->apt_seen = 0;	/* the next sample opens a new window */
	return true;
}

/*
 * Feed one sample to both tests.  After a failure the caller resets the
 * tests (jrng_health_reset) before the fresh start-up test.
 */
enum jrng_verdict jrng_health_feed(struct jrng_health_test *t, u64 sample)
{
	bool rct_ok = jrng_rct_feed(t, sample);
	bool apt_ok = jrng_apt_feed(t, sample);

	if (!rct_ok)
		return JRNG_RCT_FAIL;
	if (!apt_ok)
		return JRNG_APT_FAIL;
	return JRNG_PASS;
}
