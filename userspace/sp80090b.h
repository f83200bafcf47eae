/* sp80090b.h - min-entropy estimators and health tests of NIST SP 800-90B.
 *
 * Shared by entropyd (per interrupt line, on a sliding window) and by the
 * entropy-estimate tool (on recorded raw samples, for example the jitter_rng
 * module's).  No I/O, no allocation kept between calls, no logging.
 *
 * Estimators (section 6.3, the ones that apply to non-binary samples):
 *   most-common-value (6.3.1), t-tuple (6.3.5), longest repeated substring
 *   (6.3.6), MultiMCW prediction (6.3.7) and lag prediction (6.3.8).  Not
 *   implemented (yet): MultiMMC and LZ78Y prediction; the minimum can only
 *   be lower with them.
 * Health tests (section 4.4): repetition count test and adaptive proportion
 * test, with their cutoffs computed from the claimed entropy per sample and
 * a false-positive probability of 2^-20.
 *
 * Samples are symbols 0..k-1; sp_map_symbols() turns raw values into that
 * form.
 */
#ifndef SSLTRACE_SP80090B_H
#define SSLTRACE_SP80090B_H

#include <stddef.h>
#include <stdint.h>

enum sp_estimator {
	SP_MCV,
	SP_TTUPLE,
	SP_LRS,
	SP_LAG,
	SP_MULTI_MCW,
	SP_NR_ESTIMATORS,
};

struct sp_estimates {
	size_t samples;			/* n */
	size_t symbols;			/* k, distinct values seen */
	double bits[SP_NR_ESTIMATORS];	/* min-entropy per sample */
	int valid[SP_NR_ESTIMATORS];	/* 0: too few samples for it */
	double min_entropy;		/* minimum over the valid estimators */
	enum sp_estimator limited_by;	/* which estimator gave the minimum */
};

/* Long and JSON names ("most-common-value", "most_common_value"). */
const char *sp_estimator_name(enum sp_estimator e);
const char *sp_estimator_key(enum sp_estimator e);

/* Replace raw[0..n-1] by symbols 0..k-1 (same order as the values) in
 * sym[]; returns k, or 0 when out of memory. */
size_t sp_map_symbols(const uint64_t *raw, size_t n, uint32_t *sym);

/* Single estimators: min-entropy in bits per sample, or a negative value
 * when the sequence is too short for the estimator. */
double sp_mcv(const uint32_t *sym, size_t n, size_t k);
double sp_lag(const uint32_t *sym, size_t n, size_t k);
double sp_multi_mcw(const uint32_t *sym, size_t n, size_t k);

/* Every estimator; t-tuple and LRS share one suffix array.  Returns 0, or
 * -ENOMEM, or -EINVAL when n < 2. */
int sp_estimate(const uint32_t *sym, size_t n, size_t k,
		struct sp_estimates *out);

/* Upper bound of a proportion at 99 % confidence, as 90B uses it. */
double sp_upper_bound(double p, size_t n);

/* Probability p of success per trial such that the longest run of
 * successes in n trials is shorter than r with probability 0.99. */
double sp_local_bound(unsigned r, size_t n);

/* ---- Health tests (4.4) ---- */

#define SP_ALPHA_LOG2		20	/* false positives: 2^-20 */
#define SP_APT_WINDOW		512	/* non-binary samples */

/* Repetition count test: fails when one value repeats `cutoff` times. */
struct sp_rct {
	uint32_t cutoff;
	uint32_t last;
	uint32_t run;
};

/* Adaptive proportion test: fails when the first value of a window of
 * `window` samples occurs `cutoff` times in it. */
struct sp_apt {
	uint32_t window;
	uint32_t cutoff;
	uint32_t ref;
	uint32_t count;
	uint32_t seen;
};

uint32_t sp_rct_cutoff(double h);
uint32_t sp_apt_cutoff(double h, uint32_t window);

void sp_rct_init(struct sp_rct *t, double h);
void sp_apt_init(struct sp_apt *t, double h, uint32_t window);

/* Feed one sample; 1 when the test fails on it, else 0. */
int sp_rct_feed(struct sp_rct *t, uint32_t s);
int sp_apt_feed(struct sp_apt *t, uint32_t s);

#endif
