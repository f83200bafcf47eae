/* fuzz_sp80090b.c - libFuzzer target for the SP 800-90B estimators and
 * health tests: any byte string is a sequence of 8-bit symbols.  Checks
 * memory safety (ASan, UBSan) and that every estimate stays within
 * [0, 8] bits and the minimum is one of them. */
#include <stdlib.h>

#include "sp80090b.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sp_estimates e;
	struct sp_rct rct;
	struct sp_apt apt;
	uint32_t *sym;
	size_t i;
	int j;

	if (size < 2 || size > 65536)
		return 0;
	sym = malloc(size * sizeof(*sym));
	if (!sym)
		return 0;
	for (i = 0; i < size; i++)
		sym[i] = data[i];
	if (sp_estimate(sym, size, 256, &e) == 0) {
		for (j = 0; j < SP_NR_ESTIMATORS; j++)
			if (e.valid[j] && (e.bits[j] < 0.0 || e.bits[j] > 8.0))
				abort();
		if (e.min_entropy != e.bits[e.limited_by])
			abort();
	}
	sp_rct_init(&rct, data[0] / 32.0);
	sp_apt_init(&apt, data[0] / 32.0, SP_APT_WINDOW);
	for (i = 0; i < size; i++) {
		sp_rct_feed(&rct, sym[i]);
		sp_apt_feed(&apt, sym[i]);
	}
	free(sym);
	return 0;
}
