// SPDX-License-Identifier: GPL-2.0
/*
 * jrng_noise.c: the noise source.  One raw sample is the number of CPU
 * cycles (random_get_entropy(), the TSC on x86) a short loop takes that
 * reads and writes bytes spread over a buffer larger than a level-1 data
 * cache.  Cache and TLB state, interrupts, SMT neighbours and, in a virtual
 * machine, the host's scheduling make that time vary; the variation is the
 * entropy.  The delta is kept whole (64 bits): no bit is thrown away before
 * the health tests and the estimator see it.
 *
 * Sections: timestamps and faults, one sample, the coarse-timer check.
 */
#include "jitter_rng.h"

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/timex.h>

#define JRNG_MEM_SIZE	(64 * 1024)	/* bigger than an L1 data cache */
#define JRNG_MEM_STEPS	64		/* accesses per sample */
#define JRNG_MEM_STRIDE	4159		/* prime: walks many cache lines */
#define JRNG_STUCK	4242		/* the value a faulty source repeats */

#define JRNG_PROBES		512
#define JRNG_PROBE_DISTINCT	4

/* Test-only: a counter that advances every 2^32 cycles, like jiffies. */
static u64 jrng_timestamp(enum jrng_fault fault)
{
	u64 t = random_get_entropy();

	if (fault == JRNG_FAULT_COARSE)
		t &= ~0xffffffffULL;
	return t;
}

int jrng_noise_init(struct jrng_noise *n)
{
	n->mem = kvzalloc(JRNG_MEM_SIZE, GFP_KERNEL);
	if (!n->mem)
		return -ENOMEM;
	n->pos = 0;
	n->fault_phase = 0;
	return 0;
}

void jrng_noise_free(struct jrng_noise *n)
{
	kvfree(n->mem);
	n->mem = NULL;
}

static u64 jrng_noise_delta(struct jrng_noise *n, enum jrng_fault fault)
{
	unsigned int pos = n->pos;
	u64 start, end;
	int i;

	start = jrng_timestamp(fault);
	for (i = 0; i < JRNG_MEM_STEPS; i++) {
		pos += JRNG_MEM_STRIDE;
		if (pos >= JRNG_MEM_SIZE)
			pos -= JRNG_MEM_SIZE;
		/* READ_ONCE/WRITE_ONCE keep the compiler from folding it. */
		WRITE_ONCE(n->mem[pos], READ_ONCE(n->mem[pos]) + 1);
	}
	end = jrng_timestamp(fault);
	n->pos = pos;
	return end - start;
}

/*
 * One raw sample.  The stuck and biased faults replace it after it was
 * measured, so the loop's timing is unchanged and only the tests notice.
 */
u64 jrng_noise_sample(struct jrng_noise *n, enum jrng_fault fault)
{
	u64 delta = jrng_noise_delta(n, fault);

	switch (fault) {
	case JRNG_FAULT_STUCK:
		return JRNG_STUCK;
	case JRNG_FAULT_BIASED:
		/*
		 * 31 of 32: about 496 of a 512-sample window, over the APT
		 * cutoff up to osr 6; runs of 31 stay under the RCT cutoff
		 * from osr 2 on (61).
		 */
		if (++n->fault_phase % 32)
			return JRNG_STUCK;
		return delta;
	default:
		return delta;
	}
}

/*
 * A timer too coarse to see the loop's jitter gives mostly zero deltas, or
 * a handful of values.  Either way the source has nothing to credit.
 */
bool jrng_noise_timer_coarse(struct jrng_noise *n, enum jrng_fault fault)
{
	u64 seen[JRNG_PROBE_DISTINCT];
	unsigned int zeros = 0, distinct = 0;
	unsigned int i, k;

	for (i = 0; i < JRNG_PROBES; i++) {
		u64 d = jrng_noise_delta(n, fault);

		if (d == 0) {
			zeros++;
			continue;
		}
		for (k = 0; k < distinct && seen[k] != d; k++)
			;
		if (k == distinct && distinct < JRNG_PROBE_DISTINCT)
			seen[distinct++] = d;
	}
	if (zeros > JRNG_PROBES / 10) {
		pr_warn("timer too coarse: %u of %u loop timings were 0, crediting nothing\n",
			zeros, JRNG_PROBES);
		return true;
	}
	if (distinct < JRNG_PROBE_DISTINCT) {
		pr_warn("timer too coarse: %u distinct loop timings in %u, crediting nothing\n",
			distinct, JRNG_PROBES);
		return true;
	}
	return false;
}
