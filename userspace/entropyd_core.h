/* entropyd_core.h - entropyd's decisions, without eBPF or the kernel pool:
 * per interrupt line statistics, SP 800-90B health tests and estimates,
 * how much credit each sample earns, and SHA-256 conditioning into blocks
 * ready for RNDADDENTROPY.  The daemon feeds it samples from the ring
 * buffer; the unit tests feed it recorded ones.
 */
#ifndef SSLTRACE_ENTROPYD_CORE_H
#define SSLTRACE_ENTROPYD_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "sp80090b.h"

#define ED_MAX_LINES		256
#define ED_NAME_LEN		32
#define ED_SYMBOL_BITS		8	/* a sample is the low byte of a delta */
#define ED_STARTUP_SAMPLES	1024	/* 90B 4.3 (9): start-up test length */
#define ED_WINDOW		4096	/* samples the estimate is taken on */
#define ED_BLOCK_BITS		128	/* credit that makes a block worth it */
#define ED_BLOCK_MAX_CREDIT	192	/* of 256 output bits: a 64-bit margin */
/* The kernel credits at most one bit per interrupt it mixes itself
 * (mix_interrupt_randomness: max(1, count / 64) per mix); the same events
 * reach us, so we never claim that bit again. */
#define ED_KERNEL_BITS_PER_IRQ	1.0

enum ed_health {
	ED_STARTUP,		/* collecting the start-up samples */
	ED_OK,
	ED_RCT_FAILURE,		/* last failure; the line is in start-up again */
	ED_APT_FAILURE,
	ED_NO_ENTROPY,		/* start-up estimate too low to credit */
};

const char *ed_health_name(enum ed_health h);

struct ed_line {
	uint32_t irq;
	char name[ED_NAME_LEN];
	uint64_t samples;		/* interrupts seen */
	uint64_t first_ns, last_ns;	/* first and last timestamp */
	uint32_t hist[1 << ED_SYMBOL_BITS];	/* low-byte distribution */

	/* Health and estimate. */
	enum ed_health health;		/* state shown to the administrator */
	int testing;			/* 1 once start-up has passed */
	uint8_t window[ED_WINDOW];	/* last symbols, ring */
	uint32_t wpos, wfill;
	uint32_t since_estimate;
	double estimate;		/* bits per sample, < 0: none yet */
	struct sp_rct rct;
	struct sp_apt apt;
	uint64_t rct_failures, apt_failures;

	/* Credit. */
	double pending;			/* earned, not yet in a block */
	double creditable_bits;		/* earned since start */
	double credited_bits;		/* handed to the kernel */
};

struct ed_block {
	uint8_t data[32];		/* SHA-256 of the samples */
	unsigned credit;		/* bits to claim for it */
	uint64_t samples;		/* samples hashed into it */
};

struct ed_core {
	double credit_ratio;
	struct ed_line *lines[ED_MAX_LINES];
	size_t nr_lines;
	uint64_t samples, dropped_lines;
	uint64_t first_ns, last_ns;	/* first and latest sample, any line */
	double pending;			/* sum of the lines' pending */
	uint64_t block_samples;
	void *sha;			/* EVP_MD_CTX, opaque here */
};

int ed_core_init(struct ed_core *c, double credit_ratio);
void ed_core_free(struct ed_core *c);

/* One interrupt: irq number, CPU, timestamp in ns.  Returns the line, or
 * NULL when the line table is full (the sample is still hashed). */
struct ed_line *ed_core_sample(struct ed_core *c, uint32_t irq, uint32_t cpu,
			       uint64_t ts_ns);

struct ed_line *ed_core_line(struct ed_core *c, uint32_t irq);

/* Credit one healthy sample earns with estimate h: at most ratio * h, and
 * never the bit the kernel may already have claimed for the same event. */
double ed_sample_credit(double h, double ratio);

/* 1 when enough credit is pending for a block. */
int ed_core_block_due(const struct ed_core *c);

/* Close the current block: digest of everything hashed since the last one
 * and the credit it carries (0 when `credit` is 0: ready kernel, ratio 0).
 * Each line's credited_bits gets its share.  Returns 0, 1 when there was
 * nothing to close, or -ENOMEM. */
int ed_core_take_block(struct ed_core *c, int credit, struct ed_block *b);

/* Interrupts per second on the line since the core's first sample (of
 * any line), so a burst does not read as a steady rate. */
double ed_line_rate(const struct ed_core *c, const struct ed_line *l);

#endif
