/* entropyd_core.c - per-line health, estimates, credit and conditioning.
 *
 * Sections:
 *   - credit rule
 *   - line table
 *   - health: start-up test, then RCT and APT on every sample
 *   - samples
 *   - blocks: SHA-256 of the raw samples, with the credit they earned
 *
 * A sample is the low byte of the time since the previous interrupt on the
 * same line (ns).  Each line goes through a 90B start-up test: its first
 * ED_STARTUP_SAMPLES samples are estimated, and the RCT and APT, with
 * cutoffs for that estimate, must pass on all of them.  Only then do its
 * samples earn credit, each one ed_sample_credit(estimate).  A failure
 * throws away the line's uncommitted credit and sends it back to start-up.
 * The estimate is renewed on the last ED_WINDOW samples every ED_WINDOW
 * samples.  Every sample, healthy or not, is hashed: mixing cannot hurt,
 * only crediting can.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "entropyd_core.h"

static const char *const health_names[] = {
	[ED_STARTUP]	 = "startup",
	[ED_OK]		 = "ok",
	[ED_RCT_FAILURE] = "rct_failure",
	[ED_APT_FAILURE] = "apt_failure",
	[ED_NO_ENTROPY]	 = "no_entropy",
};

const char *ed_health_name(enum ed_health h)
{
	return h <= ED_NO_ENTROPY ? health_names[h] : "?";
}

/* ---- Credit rule ---- */

double ed_sample_credit(double h, double ratio)
{
	double c = ratio * h;

	if (h <= 0.0 || ratio <= 0.0)
		return 0.0;
	if (c > h - ED_KERNEL_BITS_PER_IRQ)
		c = h - ED_KERNEL_BITS_PER_IRQ;
	return c > 0.0 ? c : 0.0;
}

/* ---- Line table ---- */

int ed_core_init(struct ed_core *c, double credit_ratio)
{
	memset(c, 0, sizeof(*c));
	c->credit_ratio = credit_ratio;
	c->sha = EVP_MD_CTX_new();
	if (!c->sha)
		return -ENOMEM;
	if (!EVP_DigestInit_ex(c->sha, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(c->sha);
		c->sha = NULL;
		return -EINVAL;
	}
	return 0;
}

void ed_core_free(struct ed_core *c)
{
	size_t i;

	for (i = 0; i < c->nr_lines; i++)
		free(c->lines[i]);
	EVP_MD_CTX_free(c->sha);
	memset(c, 0, sizeof(*c));
}

struct ed_line *ed_core_line(struct ed_core *c, uint32_t irq)
{
	size_t i;

	for (i = 0; i < c->nr_lines; i++)
		if (c->lines[i]->irq == irq)
			return c->lines[i];
	return NULL;
}

static struct ed_line *line_add(struct ed_core *c, uint32_t irq)
{
	struct ed_line *l;

	if (c->nr_lines == ED_MAX_LINES)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->irq = irq;
	l->estimate = -1.0;
	l->health = ED_STARTUP;
	c->lines[c->nr_lines++] = l;
	return l;
}

double ed_line_rate(const struct ed_core *c, const struct ed_line *l)
{
	if (c->last_ns <= c->first_ns)
		return 0.0;
	return (double)l->samples * 1e9 / (double)(c->last_ns - c->first_ns);
}

/* ---- Health ---- */

/* Min-entropy of the last n symbols of the window. */
static double line_estimate(const struct ed_line *l, uint32_t n)
{
	struct sp_estimates e;
	uint32_t *sym = malloc(n * sizeof(*sym)), i;
	uint32_t start = (l->wpos + ED_WINDOW - n) % ED_WINDOW;
	double h = 0.0;

	if (!sym)
		return 0.0;	/* no memory: claim nothing */
	for (i = 0; i < n; i++)
		sym[i] = l->window[(start + i) % ED_WINDOW];
	if (sp_estimate(sym, n, 1u << ED_SYMBOL_BITS, &e) == 0)
		h = e.min_entropy;
	free(sym);
	return h;
}

static void line_fail(struct ed_core *c, struct ed_line *l,
		      enum ed_health why)
{
	l->health = why;
	if (why == ED_RCT_FAILURE)
		l->rct_failures++;
	else
		l->apt_failures++;
	l->testing = 0;
	l->since_estimate = 0;
	c->pending -= l->pending;
	l->pending = 0.0;
}

/* End of start-up: estimate, then test every start-up sample. */
static void line_startup_done(struct ed_core *c, struct ed_line *l)
{
	uint32_t i, start = (l->wpos + ED_WINDOW - ED_STARTUP_SAMPLES) %
			    ED_WINDOW;

	l->estimate = line_estimate(l, ED_STARTUP_SAMPLES);
	sp_rct_init(&l->rct, l->estimate);
	sp_apt_init(&l->apt, l->estimate, SP_APT_WINDOW);
	for (i = 0; i < ED_STARTUP_SAMPLES; i++) {
		uint8_t s = l->window[(start + i) % ED_WINDOW];

		if (sp_rct_feed(&l->rct, s)) {
			line_fail(c, l, ED_RCT_FAILURE);
			return;
		}
		if (sp_apt_feed(&l->apt, s)) {
			line_fail(c, l, ED_APT_FAILURE);
			return;
		}
	}
	l->testing = 1;
	l->since_estimate = 0;
	l->health = ed_sample_credit(l->estimate, 1.0) > 0.0 ? ED_OK :
							       ED_NO_ENTROPY;
}

/* A tested sample; returns the credit it earns (0 on a failure). */
static double line_test(struct ed_core *c, struct ed_line *l, uint8_t s)
{
	if (sp_rct_feed(&l->rct, s)) {
		line_fail(c, l, ED_RCT_FAILURE);
		return 0.0;
	}
	if (sp_apt_feed(&l->apt, s)) {
		line_fail(c, l, ED_APT_FAILURE);
		return 0.0;
	}
	if (++l->since_estimate >= ED_WINDOW && l->wfill == ED_WINDOW) {
		/* New cutoffs restart both tests' counts; both stay armed. */
		l->estimate = line_estimate(l, ED_WINDOW);
		l->rct.cutoff = sp_rct_cutoff(l->estimate);
		l->apt.cutoff = sp_apt_cutoff(l->estimate, SP_APT_WINDOW);
		l->since_estimate = 0;
		l->health = ed_sample_credit(l->estimate, 1.0) > 0.0 ?
			    ED_OK : ED_NO_ENTROPY;
	}
	return ed_sample_credit(l->estimate, c->credit_ratio);
}

/* ---- Samples ---- */

struct ed_line *ed_core_sample(struct ed_core *c, uint32_t irq, uint32_t cpu,
			       uint64_t ts_ns)
{
	uint64_t raw[2] = { ts_ns, ((uint64_t)irq << 32) | cpu };
	struct ed_line *l;
	uint8_t s;
	double credit;

	EVP_DigestUpdate(c->sha, raw, sizeof(raw));
	c->block_samples++;
	if (c->samples++ == 0)
		c->first_ns = ts_ns;
	if (ts_ns > c->last_ns)
		c->last_ns = ts_ns;

	l = ed_core_line(c, irq);
	if (!l)
		l = line_add(c, irq);
	if (!l) {
		c->dropped_lines++;
		return NULL;
	}
	if (l->samples++ == 0 || ts_ns <= l->last_ns) {
		if (l->samples == 1)
			l->first_ns = ts_ns;
		l->last_ns = ts_ns > l->last_ns ? ts_ns : l->last_ns;
		return l;
	}

	s = (uint8_t)(ts_ns - l->last_ns);
	l->last_ns = ts_ns;
	l->hist[s]++;
	l->window[l->wpos] = s;
	l->wpos = (l->wpos + 1) % ED_WINDOW;
	if (l->wfill < ED_WINDOW)
		l->wfill++;

	if (!l->testing) {
		if (++l->since_estimate >= ED_STARTUP_SAMPLES)
			line_startup_done(c, l);
		return l;
	}
	credit = line_test(c, l, s);
	l->pending += credit;
	l->creditable_bits += credit;
	c->pending += credit;
	return l;
}

/* ---- Blocks ---- */

int ed_core_block_due(const struct ed_core *c)
{
	return c->pending >= ED_BLOCK_BITS;
}

int ed_core_take_block(struct ed_core *c, int credit, struct ed_block *b)
{
	unsigned int len = sizeof(b->data);
	double claim = 0.0;
	size_t i;

	if (c->block_samples == 0)
		return 1;
	if (!EVP_DigestFinal_ex(c->sha, b->data, &len) ||
	    !EVP_DigestInit_ex(c->sha, EVP_sha256(), NULL))
		return -ENOMEM;

	if (credit && c->pending > 0.0) {
		claim = floor(c->pending);
		if (claim > ED_BLOCK_MAX_CREDIT)
			claim = ED_BLOCK_MAX_CREDIT;
	}
	/* Each line gets its share of what is claimed; the rest of the
	 * pending credit is dropped, never carried into the next block. */
	for (i = 0; i < c->nr_lines; i++) {
		struct ed_line *l = c->lines[i];

		if (claim > 0.0)
			l->credited_bits += l->pending * claim / c->pending;
		l->pending = 0.0;
	}
	b->credit = (unsigned)claim;
	b->samples = c->block_samples;
	c->pending = 0.0;
	c->block_samples = 0;
	return 0;
}
