/* entropy_estimate.c - the entropy-estimate tool: SP 800-90B min-entropy
 * estimates of recorded raw samples.
 *
 * Reads one unsigned decimal sample per line (from a file, or stdin when
 * the file is "-" or absent), optionally keeps only the low N bits of each,
 * and prints the min-entropy per sample of every estimator in sp80090b.c and
 * their minimum.  The jitter_rng module's bench and entropyd's bench both
 * use it; its output format is an interface, kept stable:
 *
 *   text:  "samples N", "symbols K", "bits N|all", one line per estimator
 *          "NAME BITS" (or "NAME n/a"), then "min-entropy BITS NAME"
 *   json:  {"samples":N,"symbols":K,"bits":N|null,
 *           "estimates":{"most_common_value":B,...,
 *                        "multi_mcw_prediction":B|null},
 *           "min_entropy":B,"limited_by":"KEY"}
 *
 * Exit status: 0, or 2 on a usage, input or memory error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp80090b.h"

static const char usage[] =
"Usage: entropy-estimate [--json] [--bits N] [FILE]\n"
"\n"
"Estimates the min-entropy per sample of raw samples with five of the\n"
"non-binary estimators of NIST SP 800-90B section 6.3 (most common value,\n"
"t-tuple, longest repeated substring, lag and MultiMCW prediction) and\n"
"prints each estimate and their minimum, in bits per sample.\n"
"\n"
"FILE holds one unsigned decimal number per line (blank lines and lines\n"
"starting with '#' are ignored); without FILE, or with '-', stdin is read.\n"
"90B asks for 1 000 000 samples for a full assessment; fewer give lower,\n"
"more cautious estimates, and under 2 samples is an error.\n"
"\n"
"Options:\n"
"  --bits N   look only at the low N bits of each sample (1 to 64)\n"
"  --json     print one JSON object instead of text\n"
"  -h, --help show this text\n"
"\n"
"Examples:\n"
"  entropy-estimate samples.txt\n"
"  entropy-estimate --bits 8 --json samples.txt\n"
"  seq 1 1000 | entropy-estimate --bits 4\n";

struct samples {
	uint64_t *v;
	size_t n, cap;
};

static int push(struct samples *s, uint64_t x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		uint64_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

/* One sample per line; returns 0, or 2 after printing why not. */
static int read_samples(FILE *f, const char *name, struct samples *s)
{
	char *line = NULL, *p, *end;
	size_t cap = 0, lineno = 0;
	int ret = 0;

	while (getline(&line, &cap, f) >= 0) {
		unsigned long long x;

		lineno++;
		p = line + strspn(line, " \t");
		if (*p == '\n' || *p == '\0' || *p == '#')
			continue;
		errno = 0;
		x = strtoull(p, &end, 10);
		if (*p < '0' || *p > '9' || errno || end == p ||
		    end[strspn(end, " \t\r\n")] != '\0') {
			p[strcspn(p, "\r\n")] = '\0';
			fprintf(stderr, "entropy-estimate: %s:%zu: not an unsigned "
				"decimal number below 2^64: '%s'\n",
				name, lineno, p);
			ret = 2;
			goto out;
		}
		if (push(s, x)) {
			fprintf(stderr, "entropy-estimate: out of memory after "
				"%zu samples\n", s->n);
			ret = 2;
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "entropy-estimate: reading %s: %s\n", name,
			strerror(errno));
		ret = 2;
	}
out:
	free(line);
	return ret;
}

static void print_text(const struct sp_estimates *e, int bits)
{
	int i;

	printf("samples %zu\n", e->samples);
	printf("symbols %zu\n", e->symbols);
	if (bits)
		printf("bits %d\n", bits);
	else
		printf("bits all\n");
	for (i = 0; i < SP_NR_ESTIMATORS; i++) {
		if (e->valid[i])
			printf("%s %.6f\n", sp_estimator_name(i), e->bits[i]);
		else
			printf("%s n/a\n", sp_estimator_name(i));
	}
	printf("min-entropy %.6f %s\n", e->min_entropy,
	       sp_estimator_name(e->limited_by));
}

static void print_json(const struct sp_estimates *e, int bits)
{
	int i;

	printf("{\"samples\":%zu,\"symbols\":%zu,", e->samples, e->symbols);
	if (bits)
		printf("\"bits\":%d,", bits);
	else
		printf("\"bits\":null,");
	printf("\"estimates\":{");
	for (i = 0; i < SP_NR_ESTIMATORS; i++) {
		printf("%s\"%s\":", i ? "," : "", sp_estimator_key(i));
		if (e->valid[i])
			printf("%.6f", e->bits[i]);
		else
			printf("null");
	}
	printf("},\"min_entropy\":%.6f,\"limited_by\":\"%s\"}\n",
	       e->min_entropy, sp_estimator_key(e->limited_by));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bits", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct samples s = { 0 };
	struct sp_estimates est;
	const char *name = "-";
	uint32_t *sym = NULL;
	int json = 0, bits = 0, c, ret = 2;
	size_t i, k;
	FILE *f;

	/* Options. */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end;
		long v;

		switch (c) {
		case 'b':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 64) {
				fprintf(stderr, "entropy-estimate: --bits takes "
					"an integer from 1 to 64, not '%s'\n",
					optarg);
				return 2;
			}
			bits = (int)v;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs("Try 'entropy-estimate --help'.\n", stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "entropy-estimate: one FILE at most, got %d\n",
			argc - optind);
		return 2;
	}
	if (optind < argc)
		name = argv[optind];

	/* Input. */
	if (strcmp(name, "-") == 0) {
		f = stdin;
	} else {
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr, "entropy-estimate: %s: %s\n", name,
				strerror(errno));
			return 2;
		}
	}
	ret = read_samples(f, name, &s);
	if (f != stdin)
		fclose(f);
	if (ret)
		goto out;
	ret = 2;
	if (s.n < 2) {
		fprintf(stderr, "entropy-estimate: %s: %zu sample(s); at least "
			"2 are needed\n", name, s.n);
		goto out;
	}
	if (bits && bits < 64)
		for (i = 0; i < s.n; i++)
			s.v[i] &= (UINT64_C(1) << bits) - 1;

	/* Estimates. */
	sym = malloc(s.n * sizeof(*sym));
	k = sym ? sp_map_symbols(s.v, s.n, sym) : 0;
	if (k == 0 || sp_estimate(sym, s.n, k, &est)) {
		fprintf(stderr, "entropy-estimate: out of memory for %zu "
			"samples\n", s.n);
		goto out;
	}
	if (json)
		print_json(&est, bits);
	else
		print_text(&est, bits);
	ret = 0;
out:
	free(sym);
	free(s.v);
	return ret;
}
