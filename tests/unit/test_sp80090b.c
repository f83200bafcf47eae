/* test_sp80090b.c - unit tests of the SP 800-90B estimators and health
 * tests in userspace/sp80090b.c.
 *
 * Expected values are either written out (cutoffs from 90B's own tables,
 * closed forms of the most-common-value estimate) or recomputed here by
 * the slow, obvious method (t-tuple and LRS by counting tuples one length
 * at a time) to check the suffix-array shortcut.
 */
#include <math.h>
#include <stdlib.h>

#include "sp80090b.h"
#include "tap.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static uint32_t xorshift(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* ---- the slow reference for t-tuple and LRS ---- */

static const uint32_t *ref_seq;
static size_t ref_len;

static int cmp_tuple(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b, t;

	for (t = 0; t < ref_len; t++)
		if (ref_seq[i + t] != ref_seq[j + t])
			return ref_seq[i + t] < ref_seq[j + t] ? -1 : 1;
	return 0;
}

/* Count equal t-tuples by sorting their start positions. */
static void count_tuples(const uint32_t *s, size_t n, size_t t,
			 size_t *most, double *pairs)
{
	size_t m = n - t + 1, i, run = 1;
	size_t *pos = malloc(m * sizeof(*pos));

	for (i = 0; i < m; i++)
		pos[i] = i;
	ref_seq = s;
	ref_len = t;
	qsort(pos, m, sizeof(*pos), cmp_tuple);
	*most = 1;
	*pairs = 0;
	for (i = 1; i <= m; i++) {
		if (i < m && cmp_tuple(&pos[i - 1], &pos[i]) == 0) {
			run++;
			continue;
		}
		if (run > *most)
			*most = run;
		*pairs += run * (run - 1) / 2.0;
		run = 1;
	}
	free(pos);
}

static void reference_tuples(const uint32_t *s, size_t n, double *tt,
			     double *lrs)
{
	double pmax = -1, pairs;
	size_t t, most;

	for (t = 1;; t++) {
		count_tuples(s, n, t, &most, &pairs);
		if (most < 35)
			break;
		if (pow((double)most / (n - t + 1), 1.0 / t) > pmax)
			pmax = pow((double)most / (n - t + 1), 1.0 / t);
	}
	*tt = pmax < 0 ? -1 : -log2(sp_upper_bound(pmax, n));
	pmax = -1;
	for (;; t++) {
		double m = n - t + 1;

		count_tuples(s, n, t, &most, &pairs);
		if (most < 2)
			break;
		if (pow(pairs / (m * (m - 1) / 2), 1.0 / t) > pmax)
			pmax = pow(pairs / (m * (m - 1) / 2), 1.0 / t);
	}
	*lrs = pmax < 0 ? -1 : -log2(sp_upper_bound(pmax, n));
}

/* ---- the slow reference for MultiMCW ---- */

/* Most common value of s[from..to), the latest-seen one on ties. */
static uint32_t slow_mode(const uint32_t *s, size_t from, size_t to, size_t k)
{
	size_t *count = calloc(k, sizeof(*count)), best = 0, i;
	uint32_t mode = s[to - 1];

	for (i = from; i < to; i++)
		count[s[i]]++;
	for (i = to; i-- > from;)	/* latest first: ties keep the latest */
		if (count[s[i]] > best) {
			best = count[s[i]];
			mode = s[i];
		}
	free(count);
	return mode;
}

static double slow_multi_mcw(const uint32_t *s, size_t n, size_t k)
{
	static const size_t w[4] = { 63, 255, 1023, 4095 };
	size_t score[4] = { 0 }, correct = 0, i, j, winner = 0;
	unsigned run = 0, longest = 0;
	double pg, pl, p;

	for (i = 63; i < n; i++) {
		uint32_t guess[4];
		int have[4];

		for (j = 0; j < 4; j++) {
			have[j] = i >= w[j];
			guess[j] = have[j] ? slow_mode(s, i - w[j], i, k) : 0;
		}
		if (have[winner] && guess[winner] == s[i]) {
			correct++;
			if (++run > longest)
				longest = run;
		} else {
			run = 0;
		}
		for (j = 0; j < 4; j++)
			if (have[j] && guess[j] == s[i] &&
			    ++score[j] >= score[winner])
				winner = j;
	}
	n -= 63;
	pg = correct ? sp_upper_bound((double)correct / n, n) :
		       1 - pow(0.01, 1.0 / n);
	pl = sp_local_bound(longest + 1, n);
	p = pg > pl ? pg : pl;
	if (p < 1.0 / k)
		p = 1.0 / k;
	return p >= 1.0 ? 0.0 : -log2(p);
}

/* ---- estimators ---- */

static void mcv_of_half_zeros_is_the_upper_bound_of_one_half(void)
{
	uint32_t s[1000];
	size_t i;

	for (i = 0; i < 1000; i++)
		s[i] = (i % 2) ? 0 : 1 + (uint32_t)(i / 2) % 7;
	/* p = 0.5, n = 1000: p_u = 0.5 + 2.576 * sqrt(0.25 / 999) */
	EXPECT(NEAR(sp_mcv(s, 1000, 8),
		    -log2(0.5 + 2.576 * sqrt(0.25 / 999))));
}

static void stuck_sequence_has_zero_entropy_in_every_estimator(void)
{
	uint32_t s[5000] = { 0 };
	struct sp_estimates e;
	int i;

	EXPECT_INT(sp_estimate(s, 5000, 1, &e), 0);
	for (i = 0; i < SP_NR_ESTIMATORS; i++) {
		EXPECT(e.valid[i]);
		EXPECT(NEAR(e.bits[i], 0.0));
	}
	EXPECT(NEAR(e.min_entropy, 0.0));
}

static void tuple_estimates_match_slow_counting_on_random_symbols(void)
{
	uint32_t s[3000], state = 12345;
	struct sp_estimates e;
	double tt, lrs;
	size_t i;

	for (i = 0; i < 3000; i++)
		s[i] = xorshift(&state) % 4;
	reference_tuples(s, 3000, &tt, &lrs);
	EXPECT_INT(sp_estimate(s, 3000, 4, &e), 0);
	EXPECT(e.valid[SP_TTUPLE] && e.valid[SP_LRS]);
	EXPECT(NEAR(e.bits[SP_TTUPLE], tt));
	EXPECT(NEAR(e.bits[SP_LRS], lrs));
	EXPECT(e.min_entropy <= e.bits[SP_MCV]);
}

static void tuple_estimates_match_slow_counting_on_a_repeating_pattern(void)
{
	/* A period-5 pattern with one symbol in 10 replaced: long repeats. */
	uint32_t s[2000], state = 99;
	struct sp_estimates e;
	double tt, lrs;
	size_t i;

	for (i = 0; i < 2000; i++)
		s[i] = xorshift(&state) % 10 == 0 ? 5 : i % 5;
	reference_tuples(s, 2000, &tt, &lrs);
	EXPECT_INT(sp_estimate(s, 2000, 6, &e), 0);
	EXPECT(NEAR(e.bits[SP_TTUPLE], tt));
	EXPECT(NEAR(e.bits[SP_LRS], lrs));
}

static void counter_sequence_is_caught_by_t_tuple(void)
{
	/* i mod 256 looks uniform to the MCV, but every tuple repeats. */
	uint32_t s[20000];
	struct sp_estimates e;
	size_t i;

	for (i = 0; i < 20000; i++)
		s[i] = i % 256;
	EXPECT_INT(sp_estimate(s, 20000, 256, &e), 0);
	EXPECT(e.bits[SP_MCV] > 7.0);
	EXPECT(e.min_entropy < 0.01);
}

static void alternating_sequence_is_caught_by_lag_prediction(void)
{
	uint32_t s[4000];
	size_t i;

	for (i = 0; i < 4000; i++)
		s[i] = i % 2;
	/* Lag 2 predicts every sample after the first two. */
	EXPECT(sp_lag(s, 4000, 2) < 0.01);
}

static void uniform_bytes_score_close_to_eight_bits(void)
{
	size_t n = 200000, i;
	uint32_t *s = malloc(n * sizeof(*s)), state = 2024;
	struct sp_estimates e;

	for (i = 0; i < n; i++)
		s[i] = xorshift(&state) >> 24;
	EXPECT_INT(sp_estimate(s, n, 256, &e), 0);
	EXPECT(e.min_entropy > 7.5 && e.min_entropy <= 8.0);
	free(s);
}

static void multi_mcw_matches_slow_windows_on_drifting_symbols(void)
{
	/* Symbol 0 is common in the first half, 3 in the second: the windows
	 * disagree for a while, which exercises the scoreboard. */
	size_t n = 6000, i;
	uint32_t *s = malloc(n * sizeof(*s)), state = 4242;

	for (i = 0; i < n; i++) {
		uint32_t r = xorshift(&state) % 8;

		s[i] = r < 3 ? (i < n / 2 ? 0 : 3) : r % 5;
	}
	EXPECT(NEAR(sp_multi_mcw(s, n, 5), slow_multi_mcw(s, n, 5)));
	free(s);
}

static void multi_mcw_catches_a_biased_source(void)
{
	/* Half the samples are 0, the rest uniform over 1..255: MCV-like
	 * prediction gets about half right, about 1 bit. */
	size_t n = 20000, i;
	uint32_t *s = malloc(n * sizeof(*s)), state = 77;

	for (i = 0; i < n; i++)
		s[i] = xorshift(&state) % 2 ? 0 : 1 + xorshift(&state) % 255;
	EXPECT(sp_multi_mcw(s, n, 256) < 1.1);
	free(s);
}

static void too_few_samples_are_refused(void)
{
	uint32_t s[1] = { 0 };
	struct sp_estimates e;

	EXPECT(sp_estimate(s, 1, 1, &e) < 0);
}

static void map_symbols_keeps_the_order_of_values(void)
{
	uint64_t raw[6] = { 1000, 7, UINT64_MAX, 7, 1000, 3 };
	uint32_t sym[6];

	EXPECT_INT(sp_map_symbols(raw, 6, sym), 4);
	EXPECT_INT(sym[0], 2);
	EXPECT_INT(sym[1], 1);
	EXPECT_INT(sym[2], 3);
	EXPECT_INT(sym[3], 1);
	EXPECT_INT(sym[4], 2);
	EXPECT_INT(sym[5], 0);
}

static void local_bound_grows_with_the_longest_run(void)
{
	double a = sp_local_bound(2, 100000), b = sp_local_bound(10, 100000);

	EXPECT(a > 0.0 && a < b && b < 1.0);
}

/* ---- health tests ---- */

static void rct_cutoffs_follow_one_plus_ceil_20_over_h(void)
{
	EXPECT_INT(sp_rct_cutoff(1.0), 21);
	EXPECT_INT(sp_rct_cutoff(2.0), 11);
	EXPECT_INT(sp_rct_cutoff(3.0), 8);
	EXPECT_INT(sp_rct_cutoff(8.0), 4);
	EXPECT_INT(sp_rct_cutoff(0.5), 41);
}

static void apt_cutoffs_match_the_90b_table_for_window_512(void)
{
	EXPECT_INT(sp_apt_cutoff(0.5, 512), 410);
	EXPECT_INT(sp_apt_cutoff(1.0, 512), 311);
	EXPECT_INT(sp_apt_cutoff(2.0, 512), 177);
	EXPECT_INT(sp_apt_cutoff(4.0, 512), 62);
	EXPECT_INT(sp_apt_cutoff(8.0, 512), 13);
}

static void rct_fails_on_the_cutoffth_repeat_only(void)
{
	struct sp_rct t;
	int i, failed = 0;

	sp_rct_init(&t, 1.0);		/* cutoff 21 */
	for (i = 0; i < 20; i++)
		failed |= sp_rct_feed(&t, 9);
	EXPECT_INT(failed, 0);
	EXPECT_INT(sp_rct_feed(&t, 9), 1);
	EXPECT_INT(sp_rct_feed(&t, 8), 0);
}

static int apt_first_failure(uint32_t (*gen)(int))
{
	struct sp_apt t;
	int i;

	sp_apt_init(&t, 8.0, 512);	/* cutoff 13 */
	for (i = 0; i < 512; i++)
		if (sp_apt_feed(&t, gen(i)))
			return i;
	return -1;
}

/* 77 at every even sample, distinct values between. */
static uint32_t reference_every_other(int i)
{
	return i % 2 ? 1000 + (uint32_t)i : 77;
}

/* Sample 0 is unique; 77 fills the rest but is not the reference. */
static uint32_t reference_never_repeated(int i)
{
	return i == 0 ? 5 : 77;
}

static void apt_fails_on_the_13th_copy_of_the_reference(void)
{
	/* Copies at samples 0, 2, ..., 24: the 13th is sample 24. */
	EXPECT_INT(apt_first_failure(reference_every_other), 24);
}

static void apt_counts_only_the_first_value_of_its_window(void)
{
	EXPECT_INT(apt_first_failure(reference_never_repeated), -1);
}

static void apt_passes_uniform_bytes_claimed_at_eight_bits(void)
{
	struct sp_apt a;
	struct sp_rct r;
	uint32_t state = 7;
	int i, failed = 0;

	sp_apt_init(&a, 8.0, 512);
	sp_rct_init(&r, 8.0);
	for (i = 0; i < 100000; i++) {
		uint32_t s = xorshift(&state) >> 24;

		failed += sp_apt_feed(&a, s) + sp_rct_feed(&r, s);
	}
	EXPECT_INT(failed, 0);
}

int main(void)
{
	RUN(mcv_of_half_zeros_is_the_upper_bound_of_one_half);
	RUN(stuck_sequence_has_zero_entropy_in_every_estimator);
	RUN(tuple_estimates_match_slow_counting_on_random_symbols);
	RUN(tuple_estimates_match_slow_counting_on_a_repeating_pattern);
	RUN(counter_sequence_is_caught_by_t_tuple);
	RUN(alternating_sequence_is_caught_by_lag_prediction);
	RUN(uniform_bytes_score_close_to_eight_bits);
	RUN(multi_mcw_matches_slow_windows_on_drifting_symbols);
	RUN(multi_mcw_catches_a_biased_source);
	RUN(too_few_samples_are_refused);
	RUN(map_symbols_keeps_the_order_of_values);
	RUN(local_bound_grows_with_the_longest_run);
	RUN(rct_cutoffs_follow_one_plus_ceil_20_over_h);
	RUN(apt_cutoffs_match_the_90b_table_for_window_512);
	RUN(rct_fails_on_the_cutoffth_repeat_only);
	RUN(apt_fails_on_the_13th_copy_of_the_reference);
	RUN(apt_counts_only_the_first_value_of_its_window);
	RUN(apt_passes_uniform_bytes_claimed_at_eight_bits);
	return TAP_EXIT();
}
