/* entropyd_status.c - `entropyd status`: the state of every entropy source
 * on this machine, as text or one JSON object.
 *
 * Sections: kernel generator (ready from getrandom(GRND_NONBLOCK), and
 * entropy_avail, which stays at 256 once ready on 5.18 and later), the
 * jitter_rng module's sysfs attributes when it is loaded, and the running
 * daemon's per-line table from its state file.  Needs no privilege.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "entropyd.h"
#include "entropyd_state.h"

#define JITTER_DIR "/sys/kernel/jitter_rng"

static const char *const jitter_attrs[] = {
	"health", "samples", "credited_bits", "rct_failures", "apt_failures",
	"osr", "enabled",
};
#define NR_JITTER_ATTRS (sizeof(jitter_attrs) / sizeof(jitter_attrs[0]))

int ed_kernel_ready(void)
{
	char b;

	return getrandom(&b, 1, GRND_NONBLOCK) == 1;
}

/* First line of a small file, without its newline; 0 or -errno. */
static int read_value(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

/* 1 when a daemon holds the lock, 0 when none does. */
static int daemon_running(void)
{
	int fd = open(ED_LOCK_FILE, O_RDONLY | O_CLOEXEC), running = 0;

	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK)
		running = 1;
	close(fd);
	return running;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* JSON string body: the values we print come from the kernel and our
 * own state file, but escape anyway. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_jitter(int json)
{
	char path[128], val[64];
	int loaded = access(JITTER_DIR, F_OK) == 0, first = 1;
	size_t i;

	if (json) {
		printf("\"jitter_rng\":{\"loaded\":%s", loaded ? "true" : "false");
		for (i = 0; loaded && i < NR_JITTER_ATTRS; i++) {
			snprintf(path, sizeof(path), JITTER_DIR "/%s",
				 jitter_attrs[i]);
			if (read_value(path, val, sizeof(val)))
				continue;
			printf(",\"%s\":", jitter_attrs[i]);
			if (is_number(val))
				fputs(val, stdout);
			else
				json_str(val);
		}
		printf("}");
		return;
	}
	printf("%-18s ", "jitter_rng");
	if (!loaded) {
		printf("not loaded\n");
		return;
	}
	for (i = 0; i < NR_JITTER_ATTRS; i++) {
		snprintf(path, sizeof(path), JITTER_DIR "/%s", jitter_attrs[i]);
		if (read_value(path, val, sizeof(val)))
			snprintf(val, sizeof(val), "?");
		printf("%s%s %s", first ? "" : ", ", jitter_attrs[i], val);
		first = 0;
	}
	printf("\n");
}

static void print_daemon_json(int running, const struct ed_state *s)
{
	size_t i;

	if (!running) {
		printf("\"entropyd\":{\"running\":false}");
		return;
	}
	if (s->pid < 0) {
		printf("\"entropyd\":{\"running\":true,\"starting\":true}");
		return;
	}
	printf("\"entropyd\":{\"running\":true,\"pid\":%ld,\"started\":%lld,"
	       "\"updated\":%lld,\"credit_ratio\":%.3f,\"samples\":%llu,"
	       "\"lost\":%llu,\"blocks\":%llu,\"credited_bits\":%llu,"
	       "\"backoff\":", s->pid, s->started, s->updated, s->credit_ratio,
	       (unsigned long long)s->samples, (unsigned long long)s->lost,
	       (unsigned long long)s->blocks,
	       (unsigned long long)s->credited_bits);
	json_str(s->backoff);
	printf(",\"lines\":[");
	for (i = 0; i < s->nr_lines; i++) {
		const struct ed_state_line *l = &s->lines[i];

		printf("%s{\"irq\":%u,\"name\":", i ? "," : "", l->irq);
		json_str(l->name);
		printf(",\"rate\":%.4f,\"samples\":%llu,\"estimate\":",
		       l->rate, (unsigned long long)l->samples);
		if (l->estimate < 0)
			printf("null");
		else
			printf("%.4f", l->estimate);
		printf(",\"tests\":");
		json_str(l->tests);
		printf(",\"rct_failures\":%llu,\"apt_failures\":%llu,"
		       "\"creditable_bits\":%.2f,\"credited_bits\":%.2f,"
		       "\"common_low_byte\":%u,\"common_share\":%.4f}",
		       (unsigned long long)l->rct_failures,
		       (unsigned long long)l->apt_failures,
		       l->creditable_bits, l->credited_bits, l->common,
		       l->common_share);
	}
	printf("]}");
}

static const char *backoff_text(const char *b)
{
	if (!strcmp(b, "ready"))
		return "kernel generator ready, no credit needed";
	if (!strcmp(b, "no-credit"))
		return "no line earns credit yet";
	return "none";
}

static void print_daemon_text(int running, const struct ed_state *s)
{
	size_t i;

	printf("%-18s ", "entropyd");
	if (!running) {
		printf("not running\n");
		return;
	}
	if (s->pid < 0) {
		printf("running, starting (no state written yet)\n");
		return;
	}
	/* The daemon rewrites its state every few seconds: say how old
	 * these numbers are. */
	printf("running, pid %ld, up %lld s, credit ratio %.2f, state from %lld s ago\n",
	       s->pid, (long long)time(NULL) - s->started, s->credit_ratio,
	       (long long)time(NULL) - s->updated);
	printf("%-18s samples %llu, lost %llu, blocks %llu, credited %llu "
	       "bits\n", "", (unsigned long long)s->samples,
	       (unsigned long long)s->lost, (unsigned long long)s->blocks,
	       (unsigned long long)s->credited_bits);
	printf("%-18s backoff: %s\n\n", "", backoff_text(s->backoff));
	printf("%-5s %-20s %8s %9s %9s %-12s %9s\n", "IRQ", "NAME", "RATE/S",
	       "SAMPLES", "ESTIMATE", "TESTS", "CREDITED");
	for (i = 0; i < s->nr_lines; i++) {
		const struct ed_state_line *l = &s->lines[i];
		char est[16];

		if (l->estimate < 0)
			snprintf(est, sizeof(est), "-");
		else
			snprintf(est, sizeof(est), "%.3f", l->estimate);
		printf("%-5u %-20s %8.2f %9llu %9s %-12s %9.0f\n", l->irq,
		       l->name[0] ? l->name : "?", l->rate,
		       (unsigned long long)l->samples, est, l->tests,
		       l->credited_bits);
	}
}

int ed_status(int json)
{
	char avail[32];
	struct ed_state *s = calloc(1, sizeof(*s));
	int ready = ed_kernel_ready(), running = daemon_running(), ret;

	if (!s) {
		fprintf(stderr, "entropyd: out of memory\n");
		return 2;
	}
	if (read_value("/proc/sys/kernel/random/entropy_avail", avail,
		       sizeof(avail)) || !is_number(avail))
		snprintf(avail, sizeof(avail), "-1");
	if (running) {
		ret = ed_state_read(ED_STATE_FILE, s);
		if (ret == -ENOENT) {
			/* Started a moment ago: no state written yet. */
			s->pid = -1;
		} else if (ret) {
			fprintf(stderr, "entropyd: a daemon runs but its state "
				"file %s is unreadable: %s\n", ED_STATE_FILE,
				strerror(-ret));
			free(s);
			return 2;
		}
	}

	if (json) {
		printf("{\"kernel\":{\"ready\":%s,\"entropy_avail\":%s},",
		       ready ? "true" : "false", avail);
		print_jitter(1);
		printf(",");
		print_daemon_json(running, s);
		printf("}\n");
	} else {
		printf("%-18s %s\n", "kernel generator",
		       ready ? "ready" : "not ready");
		printf("%-18s %s\n", "entropy_avail", avail);
		print_jitter(0);
		print_daemon_text(running, s);
	}
	free(s);
	return 0;
}
