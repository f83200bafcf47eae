/* entropyd_state.c - write and read entropyd's state file (format in
 * entropyd_state.h).  Writing goes through a temporary file, fsync and
 * rename, so a reader sees the old state or the new one, never half. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "entropyd_state.h"

/* The low-byte distribution, summed up by its most common value. */
static void common_byte(const struct ed_line *l, uint32_t *byte, double *share)
{
	uint64_t total = 0;
	uint32_t i, best = 0;

	for (i = 0; i < (1u << ED_SYMBOL_BITS); i++) {
		total += l->hist[i];
		if (l->hist[i] > l->hist[best])
			best = i;
	}
	*byte = best;
	*share = total ? (double)l->hist[best] / (double)total : 0.0;
}

void ed_state_from_core(struct ed_state *s, const struct ed_core *c)
{
	size_t i;

	s->nr_lines = c->nr_lines;
	s->samples = c->samples;
	for (i = 0; i < c->nr_lines; i++) {
		const struct ed_line *l = c->lines[i];
		struct ed_state_line *o = &s->lines[i];

		o->irq = l->irq;
		snprintf(o->name, sizeof(o->name), "%s", l->name);
		o->samples = l->samples;
		o->rate = ed_line_rate(c, l);
		o->estimate = l->estimate;
		snprintf(o->tests, sizeof(o->tests), "%s",
			 ed_health_name(l->health));
		o->rct_failures = l->rct_failures;
		o->apt_failures = l->apt_failures;
		o->creditable_bits = l->creditable_bits;
		o->credited_bits = l->credited_bits;
		common_byte(l, &o->common, &o->common_share);
	}
}

static void write_state(FILE *f, const struct ed_state *s)
{
	size_t i;

	fprintf(f, "entropyd-state 1\n");
	fprintf(f, "pid %ld\n", s->pid);
	fprintf(f, "started %lld\n", s->started);
	fprintf(f, "updated %lld\n", s->updated);
	fprintf(f, "credit_ratio %.3f\n", s->credit_ratio);
	fprintf(f, "samples %llu\n", (unsigned long long)s->samples);
	fprintf(f, "lost %llu\n", (unsigned long long)s->lost);
	fprintf(f, "blocks %llu\n", (unsigned long long)s->blocks);
	fprintf(f, "credited_bits %llu\n",
		(unsigned long long)s->credited_bits);
	fprintf(f, "backoff %s\n", s->backoff);
	for (i = 0; i < s->nr_lines; i++) {
		const struct ed_state_line *l = &s->lines[i];

		fprintf(f, "line irq=%u samples=%llu rate=%.4f estimate=%.4f "
			"tests=%s rct_failures=%llu apt_failures=%llu "
			"creditable_bits=%.2f credited_bits=%.2f common=%u "
			"common_share=%.4f name=%s\n",
			l->irq, (unsigned long long)l->samples, l->rate,
			l->estimate, l->tests,
			(unsigned long long)l->rct_failures,
			(unsigned long long)l->apt_failures,
			l->creditable_bits, l->credited_bits, l->common,
			l->common_share, l->name);
	}
}

int ed_state_write(const char *path, const struct ed_state *s)
{
	char tmp[256];
	FILE *f;
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		return ret;
	}
	write_state(f, s);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ret = -errno;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

static int parse_line(char *v, struct ed_state_line *l)
{
	char *name = strstr(v, " name=");
	unsigned long long samples, rct, apt;
	int n;

	if (!name)
		return -EBADMSG;
	*name = '\0';
	snprintf(l->name, sizeof(l->name), "%s", name + 6);
	n = sscanf(v, "irq=%u samples=%llu rate=%lf estimate=%lf tests=%15s "
		   "rct_failures=%llu apt_failures=%llu creditable_bits=%lf "
		   "credited_bits=%lf common=%u common_share=%lf",
		   &l->irq, &samples, &l->rate, &l->estimate, l->tests, &rct,
		   &apt, &l->creditable_bits, &l->credited_bits, &l->common,
		   &l->common_share);
	if (n != 11)
		return -EBADMSG;
	l->samples = samples;
	l->rct_failures = rct;
	l->apt_failures = apt;
	return 0;
}

int ed_state_read(const char *path, struct ed_state *s)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long long u;
	int ret = 0, seen_magic = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	memset(s, 0, sizeof(*s));
	while (getline(&line, &cap, f) > 0) {
		char *v = strchr(line, ' ');

		line[strcspn(line, "\n")] = '\0';
		if (!v) {
			ret = -EBADMSG;
			break;
		}
		*v++ = '\0';
		if (!strcmp(line, "entropyd-state"))
			seen_magic = !strcmp(v, "1");
		else if (!strcmp(line, "pid"))
			s->pid = strtol(v, NULL, 10);
		else if (!strcmp(line, "started"))
			s->started = strtoll(v, NULL, 10);
		else if (!strcmp(line, "updated"))
			s->updated = strtoll(v, NULL, 10);
		else if (!strcmp(line, "credit_ratio"))
			s->credit_ratio = strtod(v, NULL);
		else if (!strcmp(line, "samples") && sscanf(v, "%llu", &u) == 1)
			s->samples = u;
		else if (!strcmp(line, "lost") && sscanf(v, "%llu", &u) == 1)
			s->lost = u;
		else if (!strcmp(line, "blocks") && sscanf(v, "%llu", &u) == 1)
			s->blocks = u;
		else if (!strcmp(line, "credited_bits") &&
			 sscanf(v, "%llu", &u) == 1)
			s->credited_bits = u;
		else if (!strcmp(line, "backoff"))
			snprintf(s->backoff, sizeof(s->backoff), "%s", v);
		else if (!strcmp(line, "line") && s->nr_lines < ED_MAX_LINES) {
			ret = parse_line(v, &s->lines[s->nr_lines]);
			if (ret)
				break;
			s->nr_lines++;
		}
	}
	free(line);
	fclose(f);
	if (!ret && !seen_magic)
		ret = -EBADMSG;
	return ret;
}
