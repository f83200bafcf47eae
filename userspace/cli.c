/* cli.c - checked parsing of numbers given on the command line (cli.h). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cli_parse_u64(const char *prog, const char *opt, const char *arg,
		  uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	/* strtoull accepts a sign and leading space: refuse both. */
	if (!isdigit((unsigned char)arg[0]))
		goto bad;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "%s: %s: '%s' is not a whole number from %" PRIu64
		" to %" PRIu64 "\n", prog, opt, arg, min, max);
	return -EINVAL;
}

int cli_add_pattern(const char *prog, struct patterns *p, const char *glob)
{
	int err = patterns_add(p, glob);

	if (err == -E2BIG)
		fprintf(stderr, "%s: --lib: at most %d patterns\n", prog,
			PATTERNS_MAX);
	else if (err)
		fprintf(stderr, "%s: --lib: '%s' is not a file name pattern (1 to %d characters; one with a '/' must start with '/')\n",
			prog, glob, PATTERN_LEN_MAX);
	return err;
}
