/* sp80090b.c - NIST SP 800-90B min-entropy estimators and health tests.
 *
 * Sections:
 *   - confidence bounds shared by the estimators
 *   - symbol mapping
 *   - most-common-value estimate (6.3.1)
 *   - t-tuple and longest-repeated-substring estimates (6.3.5, 6.3.6), both
 *     read off one suffix array and its LCP array
 *   - lag prediction estimate (6.3.8)
 *   - MultiMCW prediction estimate (6.3.7)
 *   - repetition count and adaptive proportion tests (4.4.1, 4.4.2)
 *
 * The suffix array turns the t-tuple and LRS counts, which naively cost one
 * pass over the data per tuple length, into one O(n log n) sort: every
 * group of equal t-tuples is an interval of the suffix array whose LCP
 * values are all >= t.  A stuck source (one value repeated) is the worst
 * case for naive tuple counting and costs nothing special here.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sp80090b.h"

#define Z99	2.576	/* two-sided 99 % normal quantile, as 90B uses */

static const char *const est_names[SP_NR_ESTIMATORS][2] = {
	[SP_MCV]	= { "most-common-value", "most_common_value" },
	[SP_TTUPLE]	= { "t-tuple", "t_tuple" },
	[SP_LRS]	= { "lrs", "lrs" },
	[SP_LAG]	= { "lag-prediction", "lag_prediction" },
	[SP_MULTI_MCW]	= { "multi-mcw-prediction", "multi_mcw_prediction" },
};

const char *sp_estimator_name(enum sp_estimator e)
{
	return e < SP_NR_ESTIMATORS ? est_names[e][0] : "?";
}

const char *sp_estimator_key(enum sp_estimator e)
{
	return e < SP_NR_ESTIMATORS ? est_names[e][1] : "?";
}

/* ---- Confidence bounds ---- */

double sp_upper_bound(double p, size_t n)
{
	double u;

	if (n < 2)
		return 1.0;
	u = p + Z99 * sqrt(p * (1.0 - p) / (double)(n - 1));
	return u > 1.0 ? 1.0 : u;
}

/*
 * log of the probability that n trials with success probability p have no
 * run of r successes (90B 6.3.7 step 9, from Feller's approximation).
 * Returns -INFINITY where the approximation breaks down, which only
 * happens for p far above the answer the bisection looks for.
 */
static double log_no_run(double p, unsigned r, size_t n)
{
	double q = 1.0 - p, x = 1.0, num, den;
	int i;

	if (p <= 0.0)
		return 0.0;
	if (q <= 0.0)
		return -INFINITY;
	for (i = 0; i < 10; i++)
		x = 1.0 + q * pow(p, r) * pow(x, r + 1);
	num = 1.0 - p * x;
	den = ((double)r + 1.0 - (double)r * x) * q;
	if (!(num > 0.0) || !(den > 0.0) || !isfinite(x))
		return -INFINITY;
	return log(num) - log(den) - ((double)n + 1.0) * log(x);
}

double sp_local_bound(unsigned r, size_t n)
{
	double lo = 0.0, hi = 1.0, target = log(0.99);
	int i;

	if (r == 0)
		return 1.0;
	for (i = 0; i < 64; i++) {
		double mid = (lo + hi) / 2.0;

		if (log_no_run(mid, r, n) >= target)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static double bits_of(double p)
{
	if (p >= 1.0)
		return 0.0;
	return -log2(p);
}

/* ---- Symbol mapping ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

size_t sp_map_symbols(const uint64_t *raw, size_t n, uint32_t *sym)
{
	uint64_t *sorted;
	size_t i, k = 0;

	if (n == 0)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return 0;
	memcpy(sorted, raw, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	for (i = 0; i < n; i++)
		if (k == 0 || sorted[k - 1] != sorted[i])
			sorted[k++] = sorted[i];
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = k;

		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;

			if (sorted[mid] <= raw[i])
				lo = mid;
			else
				hi = mid;
		}
		sym[i] = (uint32_t)lo;
	}
	free(sorted);
	return k;
}

/* ---- Most common value (6.3.1) ---- */

double sp_mcv(const uint32_t *sym, size_t n, size_t k)
{
	uint32_t *count;
	size_t i, max = 0;

	if (n < 2 || k == 0)
		return -1.0;
	count = calloc(k, sizeof(*count));
	if (!count)
		return -1.0;
	for (i = 0; i < n; i++)
		if (++count[sym[i]] > max)
			max = count[sym[i]];
	free(count);
	return bits_of(sp_upper_bound((double)max / (double)n, n));
}

/* ---- Suffix array, LCP, and the tuple estimates (6.3.5, 6.3.6) ---- */

/*
 * Prefix doubling with counting sorts: after round j, suffixes are sorted
 * by their first 2^j symbols.  rank[] holds the class of each suffix;
 * suffixes past the end have class "none", which sorts first.
 */
static int suffix_array(const uint32_t *s, size_t n, size_t k, uint32_t *sa,
			uint32_t *rank)
{
	size_t m = (k > n ? k : n) + 1, len, i, p;
	uint32_t *tmp = malloc(n * sizeof(*tmp));
	uint32_t *cnt = calloc(m, sizeof(*cnt));
	uint32_t *nr = malloc(n * sizeof(*nr));
	int ret = -ENOMEM;

	if (!tmp || !cnt || !nr)
		goto out;

	/* Round 0: sort by the first symbol. */
	for (i = 0; i < n; i++)
		cnt[s[i] + 1]++;
	for (i = 1; i < m; i++)
		cnt[i] += cnt[i - 1];
	for (i = 0; i < n; i++)
		sa[cnt[s[i]]++] = (uint32_t)i;
	for (i = 0; i < n; i++)
		rank[i] = s[i];

	for (len = 1;; len *= 2) {
		uint32_t classes;

		/* Order by second key: suffixes whose second half is empty
		 * first, then the others in the order of their second half. */
		p = 0;
		for (i = n - (len < n ? len : n); i < n; i++)
			tmp[p++] = (uint32_t)i;
		for (i = 0; i < n; i++)
			if (sa[i] >= len)
				tmp[p++] = sa[i] - (uint32_t)len;

		/* Stable counting sort by first key. */
		memset(cnt, 0, m * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[rank[i] + 1]++;
		for (i = 1; i < m; i++)
			cnt[i] += cnt[i - 1];
		for (i = 0; i < n; i++)
			sa[cnt[rank[tmp[i]]]++] = tmp[i];

		/* New classes. */
		nr[sa[0]] = 0;
		classes = 1;
		for (i = 1; i < n; i++) {
			uint32_t a = sa[i - 1], b = sa[i];
			int64_t a2 = a + len < n ? (int64_t)rank[a + len] : -1;
			int64_t b2 = b + len < n ? (int64_t)rank[b + len] : -1;

			if (rank[a] != rank[b] || a2 != b2)
				classes++;
			nr[b] = classes - 1;
		}
		memcpy(rank, nr, n * sizeof(*rank));
		if (classes == n || len >= n)
			break;
	}
	ret = 0;
out:
	free(tmp);
	free(cnt);
	free(nr);
	return ret;
}

/* Kasai's algorithm: lcp[i] = common prefix of suffixes sa[i-1] and
 * sa[i]; lcp[0] = 0.  inv[] is the inverse of sa[]. */
static void lcp_array(const uint32_t *s, size_t n, const uint32_t *sa,
		      const uint32_t *inv, uint32_t *lcp)
{
	size_t i, h = 0;

	lcp[0] = 0;
	for (i = 0; i < n; i++) {
		if (inv[i] == 0) {
			h = 0;
			continue;
		}
		size_t j = sa[inv[i] - 1];

		while (i + h < n && j + h < n && s[i + h] == s[j + h])
			h++;
		lcp[inv[i]] = (uint32_t)h;
		if (h > 0)
			h--;
	}
}

struct lcp_frame {
	uint32_t lcp;
	size_t lb;
};

/*
 * Walk the LCP intervals bottom-up.  An interval with LCP value l, size c
 * and parent value p is the group of c equal W-tuples for every W in
 * (p, l].  best[l] keeps the largest group of value l; pairs[] receives,
 * as a difference array over W, the number of equal pairs C(c, 2).
 */
static int lcp_intervals(const uint32_t *lcp, size_t n, uint32_t *best,
			 double *pairs)
{
	struct lcp_frame *st = malloc((n + 1) * sizeof(*st));
	size_t top = 0, i;

	if (!st)
		return -ENOMEM;
	st[0] = (struct lcp_frame){ 0, 0 };
	for (i = 1; i <= n; i++) {
		uint32_t cur = i < n ? lcp[i] : 0;
		size_t lb = i - 1;

		while (cur < st[top].lcp) {
			struct lcp_frame f = st[top--];
			size_t c = i - f.lb;
			uint32_t parent = st[top].lcp > cur ? st[top].lcp : cur;

			if (c > best[f.lcp])
				best[f.lcp] = (uint32_t)c;
			pairs[parent + 1] += (double)c * (double)(c - 1) / 2.0;
			pairs[f.lcp + 1] -= (double)c * (double)(c - 1) / 2.0;
			lb = f.lb;
		}
		if (cur > st[top].lcp)
			st[++top] = (struct lcp_frame){ cur, lb };
	}
	free(st);
	return 0;
}

/* Both tuple estimates; each *bits is negative when it does not apply. */
static int tuple_estimates(const uint32_t *s, size_t n, size_t k,
			   double *ttuple, double *lrs)
{
	uint32_t *sa = malloc(n * sizeof(*sa));
	uint32_t *rank = malloc(n * sizeof(*rank));
	uint32_t *lcp = malloc(n * sizeof(*lcp));
	uint32_t *best = calloc(n + 2, sizeof(*best));
	double *pairs = calloc(n + 2, sizeof(*pairs));
	size_t i, t, u, v = 0;
	double pmax, acc;
	int ret = -ENOMEM;

	*ttuple = *lrs = -1.0;
	if (!sa || !rank || !lcp || !best || !pairs)
		goto out;
	ret = suffix_array(s, n, k, sa, rank);
	if (ret)
		goto out;
	/* rank[] is now the inverse suffix array (all classes distinct). */
	lcp_array(s, n, sa, rank, lcp);
	ret = lcp_intervals(lcp, n, best, pairs);
	if (ret)
		goto out;
	for (i = 0; i < n; i++)
		if (lcp[i] > v)
			v = lcp[i];

	/* Q[t]: most frequent t-tuple's count = largest group of value >= t
	 * (suffix maximum of best[]); a tuple seen once is a group of 1. */
	for (t = n; t-- > 1;)
		if (best[t + 1] > best[t])
			best[t] = best[t + 1];

	/* t-tuple: every t whose most common tuple occurs at least 35 times. */
	pmax = -1.0;
	for (t = 1; t <= n && best[t] >= 35; t++) {
		double p = pow((double)best[t] / (double)(n - t + 1), 1.0 / t);

		if (p > pmax)
			pmax = p;
	}
	u = t;		/* smallest t with fewer than 35 repeats */
	if (pmax >= 0.0)
		*ttuple = bits_of(sp_upper_bound(pmax, n));

	/* LRS: W from u to the longest repeated substring v. */
	pmax = -1.0;
	acc = 0.0;
	for (t = 1; t <= v; t++) {
		double tuples = (double)(n - t + 1), p;

		acc += pairs[t];
		if (t < u)
			continue;
		p = acc / (tuples * (tuples - 1.0) / 2.0);
		p = pow(p, 1.0 / t);
		if (p > pmax)
			pmax = p;
	}
	if (u <= v && pmax >= 0.0)
		*lrs = bits_of(sp_upper_bound(pmax, n));
	ret = 0;
out:
	free(sa);
	free(rank);
	free(lcp);
	free(best);
	free(pairs);
	return ret;
}

/* ---- Prediction estimates ---- */

/* 90B 6.3.7 steps 8 to 10, shared by every predictor. */
static double prediction_bits(size_t correct, size_t n, unsigned longest,
			      size_t k)
{
	double pg, pl, p;

	if (correct == 0)
		pg = 1.0 - pow(0.01, 1.0 / (double)n);
	else
		pg = sp_upper_bound((double)correct / (double)n, n);
	pl = sp_local_bound(longest + 1, n);
	p = pg > pl ? pg : pl;
	if (k > 0 && p < 1.0 / (double)k)
		p = 1.0 / (double)k;
	return bits_of(p);
}

/*
 * Lag prediction (6.3.8): subpredictor d guesses that the next sample
 * equals the one d steps back; the one with most correct guesses so far
 * (the later one on ties) makes the prediction.
 */
#define LAG_D 128

double sp_lag(const uint32_t *sym, size_t n, size_t k)
{
	size_t score[LAG_D + 1] = { 0 }, correct = 0, i;
	unsigned run = 0, longest = 0;
	size_t winner = 1, d;

	if (n < 3)
		return -1.0;
	for (i = 1; i < n; i++) {
		int ok = winner <= i && sym[i - winner] == sym[i];

		if (ok) {
			correct++;
			if (++run > longest)
				longest = run;
		} else {
			run = 0;
		}
		for (d = 1; d <= LAG_D && d <= i; d++) {
			if (sym[i - d] != sym[i])
				continue;
			score[d]++;
			if (score[d] >= score[winner])
				winner = d;
		}
	}
	return prediction_bits(correct, n - 1, longest, k);
}

/*
 * MultiMCW prediction (6.3.7): subpredictor j guesses the most common value
 * of the last w_j samples (the most recently seen one on ties); the one
 * with most correct guesses so far (the later one on ties) predicts.
 *
 * Each window keeps, per symbol, its count in the window and its last
 * position, and the symbols of each count in an unordered list; the guess
 * is the latest-seen symbol of the highest count's list.  That list is
 * short except for nearly uniform data, where it holds at most w_j symbols.
 */
#define MCW_WINDOWS 4

static const uint32_t mcw_w[MCW_WINDOWS] = { 63, 255, 1023, 4095 };

struct mcw_window {
	uint32_t w;
	uint32_t *count, *next, *prev;	/* per symbol */
	size_t *last;			/* per symbol: last position */
	uint32_t *head;			/* per count: first symbol, or NONE */
	uint32_t max;			/* highest count in the window */
};

#define NONE UINT32_MAX

static void mcw_unlink(struct mcw_window *m, uint32_t x)
{
	uint32_t c = m->count[x];

	if (m->prev[x] != NONE)
		m->next[m->prev[x]] = m->next[x];
	else
		m->head[c] = m->next[x];
	if (m->next[x] != NONE)
		m->prev[m->next[x]] = m->prev[x];
}

static void mcw_link(struct mcw_window *m, uint32_t x)
{
	uint32_t c = m->count[x];

	m->prev[x] = NONE;
	m->next[x] = m->head[c];
	if (m->head[c] != NONE)
		m->prev[m->head[c]] = x;
	m->head[c] = x;
}

/* Move x to count + d (d = +1 or -1); count 0 is in no list. */
static void mcw_bump(struct mcw_window *m, uint32_t x, int d)
{
	if (m->count[x] > 0)
		mcw_unlink(m, x);
	m->count[x] += d;
	if (m->count[x] > 0)
		mcw_link(m, x);
	if (d > 0 && m->count[x] > m->max)
		m->max = m->count[x];
	while (m->max > 0 && m->head[m->max] == NONE)
		m->max--;
}

static uint32_t mcw_guess(const struct mcw_window *m)
{
	uint32_t x, best = NONE;

	for (x = m->head[m->max]; x != NONE; x = m->next[x])
		if (best == NONE || m->last[x] > m->last[best])
			best = x;
	return best;
}

static void mcw_free(struct mcw_window *m)
{
	free(m->count);
	free(m->next);
	free(m->prev);
	free(m->last);
	free(m->head);
}

static int mcw_init(struct mcw_window *m, uint32_t w, size_t k)
{
	uint32_t i;

	m->w = w;
	m->max = 0;
	m->count = calloc(k, sizeof(*m->count));
	m->next = malloc(k * sizeof(*m->next));
	m->prev = malloc(k * sizeof(*m->prev));
	m->last = calloc(k, sizeof(*m->last));
	m->head = malloc((w + 1) * sizeof(*m->head));
	if (!m->count || !m->next || !m->prev || !m->last || !m->head) {
		mcw_free(m);
		return -ENOMEM;
	}
	for (i = 0; i <= w; i++)
		m->head[i] = NONE;
	return 0;
}

double sp_multi_mcw(const uint32_t *sym, size_t n, size_t k)
{
	struct mcw_window m[MCW_WINDOWS] = { 0 };
	size_t score[MCW_WINDOWS] = { 0 }, correct = 0, i;
	unsigned run = 0, longest = 0;
	int j, winner = 0, nm = 0;
	double h = -1.0;

	if (n <= mcw_w[0] + 1 || k == 0)
		return -1.0;
	for (nm = 0; nm < MCW_WINDOWS; nm++)
		if (mcw_init(&m[nm], mcw_w[nm], k))
			goto out;

	for (i = 0; i < n; i++) {
		uint32_t guess[MCW_WINDOWS];

		/* Sample i is predicted from the w samples before it. */
		for (j = 0; j < MCW_WINDOWS; j++)
			guess[j] = i >= m[j].w ? mcw_guess(&m[j]) : NONE;
		if (i >= mcw_w[0]) {
			if (guess[winner] == sym[i]) {
				correct++;
				if (++run > longest)
					longest = run;
			} else {
				run = 0;
			}
			for (j = 0; j < MCW_WINDOWS; j++) {
				if (guess[j] != sym[i])
					continue;
				score[j]++;
				if (score[j] >= score[winner])
					winner = j;
			}
		}
		/* Slide every window over sample i. */
		for (j = 0; j < MCW_WINDOWS; j++) {
			if (i >= m[j].w)
				mcw_bump(&m[j], sym[i - m[j].w], -1);
			mcw_bump(&m[j], sym[i], +1);
			m[j].last[sym[i]] = i;
		}
	}
	h = prediction_bits(correct, n - mcw_w[0], longest, k);
out:
	while (nm-- > 0)
		mcw_free(&m[nm]);
	return h;
}

/* ---- All estimators ---- */

int sp_estimate(const uint32_t *sym, size_t n, size_t k,
		struct sp_estimates *out)
{
	double tt, lrs;
	int e, ret;

	memset(out, 0, sizeof(*out));
	out->samples = n;
	out->symbols = k;
	if (n < 2)
		return -EINVAL;

	out->bits[SP_MCV] = sp_mcv(sym, n, k);
	ret = tuple_estimates(sym, n, k, &tt, &lrs);
	if (ret)
		return ret;
	out->bits[SP_TTUPLE] = tt;
	out->bits[SP_LRS] = lrs;
	out->bits[SP_LAG] = sp_lag(sym, n, k);
	out->bits[SP_MULTI_MCW] = sp_multi_mcw(sym, n, k);

	out->min_entropy = INFINITY;
	for (e = 0; e < SP_NR_ESTIMATORS; e++) {
		out->valid[e] = out->bits[e] >= 0.0;
		if (out->valid[e] && out->bits[e] < out->min_entropy) {
			out->min_entropy = out->bits[e];
			out->limited_by = e;
		}
	}
	if (!out->valid[SP_MCV])
		return -ENOMEM;	/* MCV only fails to allocate */
	return 0;
}

/* ---- Health tests (4.4) ---- */

uint32_t sp_rct_cutoff(double h)
{
	if (h <= 0.0)
		return 2;	/* no entropy claimed: any repeat is suspect */
	return 1 + (uint32_t)ceil((double)SP_ALPHA_LOG2 / h);
}

/*
 * 1 + the smallest c with P(X > c) <= 2^-20 for X ~ Binomial(window,
 * 2^-h): 90B's CRITBINOM(W, 2^-H, 1 - alpha), summed from the top tail so
 * the tiny probabilities keep their precision.
 */
uint32_t sp_apt_cutoff(double h, uint32_t window)
{
	double p = exp2(-h), alpha = exp2(-(double)SP_ALPHA_LOG2), tail = 0.0;
	uint32_t c;

	if (h <= 0.0)
		return window;
	for (c = window; c > 0; c--) {
		double lp = lgamma(window + 1.0) - lgamma(c + 1.0) -
			    lgamma(window - c + 1.0) + c * log(p) +
			    (window - c) * log1p(-p);

		/* tail = P(X >= c); once it exceeds alpha, c - 1 is too low
		 * and c is the critical value. */
		tail += exp(lp);
		if (tail > alpha)
			return c + 1 > window ? window : c + 1;
	}
	return 1;
}

void sp_rct_init(struct sp_rct *t, double h)
{
	t->cutoff = sp_rct_cutoff(h);
	t->last = 0;
	t->run = 0;
}

void sp_apt_init(struct sp_apt *t, double h, uint32_t window)
{
	t->window = window;
	t->cutoff = sp_apt_cutoff(h, window);
	t->ref = 0;
	t->count = 0;
	t->seen = 0;
}

int sp_rct_feed(struct sp_rct *t, uint32_t s)
{
	if (t->run > 0 && s == t->last) {
		t->run++;
	} else {
		t->last = s;
		t->run = 1;
	}
	return t->run >= t->cutoff;
}

int sp_apt_feed(struct sp_apt *t, uint32_t s)
{
	if (t->seen == 0) {
		t->ref = s;
		t->count = 1;
		t->seen = 1;
		return 0;
	}
	if (s == t->ref)
		t->count++;
	if (++t->seen >= t->window)
		t->seen = 0;
	return t->count >= t->cutoff;
}
