/* entropyd.c - feeds interrupt timings, health-tested and estimated, to the
 * kernel's random generator; `entropyd status` shows every entropy source.
 *
 * Sections:
 *   - options and usage
 *   - logging (stderr in the foreground, syslog as a daemon)
 *   - privileges and the kernel pool (CAP_SYS_ADMIN, RNDADDENTROPY,
 *     write_wakeup_threshold)
 *   - the eBPF interrupt tracer (irqtime.bpf.c) and its ring buffer
 *   - the daemon loop
 *   - `entropyd record`: raw samples to stdout, for measurements
 *
 * The loop sleeps in ring_buffer__poll(): the eBPF side wakes it once a
 * batch of samples is queued, and the poll timeout (1 s, or 5 s when
 * backing off) picks up the rest, so an idle machine costs one wakeup a
 * second at most, and five seconds apart once the generator is ready.  Decisions (health, estimate, credit) live in
 * entropyd_core.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <linux/random.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cli.h"
#include "entropyd.h"
#include "entropyd_core.h"
#include "entropyd_state.h"
#include "irqtime.h"
#include "irqtime.skel.h"

#define ED_TICK_MS		1000	/* poll timeout while feeding */
#define ED_IDLE_TICK_MS		5000	/* poll timeout while backing off */
#define ED_FLUSH_S		60	/* mix an uncredited block this often */
#define ED_STATE_S		5	/* state file refresh */
#define ED_MAX_DURATION		(365L * 24 * 3600)
#define WAKEUP_THRESHOLD_PATH	"/proc/sys/kernel/random/write_wakeup_threshold"

static const char usage[] =
"Usage: entropyd [--foreground] [--duration SECONDS] [--credit-ratio R] [-v]\n"
"       entropyd status [--json]\n"
"       entropyd record [--duration SECONDS]\n"
"\n"
"Reads the time of every device interrupt through eBPF, health-tests and\n"
"estimates each interrupt line (NIST SP 800-90B), and adds the timings to\n"
"the kernel's random generator with RNDADDENTROPY, hashed with SHA-256.\n"
"A line earns credit only after its start-up test (1024 samples) and only\n"
"while its repetition count and adaptive proportion tests pass; each sample\n"
"earns at most R times its min-entropy estimate, less the one bit the\n"
"kernel may already have credited for the same interrupt.  Once the kernel\n"
"generator is ready, credit is pointless and entropyd backs off.\n"
"Needs root (CAP_SYS_ADMIN).\n"
"\n"
"Options:\n"
"  --foreground        stay in the foreground, log to stderr\n"
"  --duration SECONDS  stop after SECONDS (1 to 31536000); default: never\n"
"  --credit-ratio R    credit at most R times the estimate (0 to 1,\n"
"                      default 0.5); 0 feeds the pool without credit\n"
"  -v, --verbose       log every block and libbpf's messages\n"
"  --json              (status) print one JSON object\n"
"  -h, --help          show this text\n"
"\n"
"Commands:\n"
"  status   kernel generator, entropy_avail, the jitter_rng module, and the\n"
"           running daemon's per-line table (irq, name, rate, estimate,\n"
"           tests, bits credited); needs no privilege\n"
"  record   print one line per interrupt, \"IRQ CPU TIMESTAMP_NS\", to\n"
"           stdout; nothing is credited\n"
"\n"
"Examples:\n"
"  entropyd                              run as a daemon, log to syslog\n"
"  entropyd --foreground --duration 60 -v\n"
"  entropyd --credit-ratio 0             mix timings in, claim nothing\n"
"  entropyd status --json\n"
"  entropyd record --duration 30 > irq.txt\n";

static struct env {
	int foreground;
	long duration;		/* seconds, 0: no limit */
	double credit_ratio;
	int verbose;
	int json;
} env = {
	.credit_ratio = 0.5,
};

static volatile sig_atomic_t stopping;
static int use_syslog;

/* ---- Logging ---- */

static void ed_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ed_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_DEBUG && !env.verbose)
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fputs("entropyd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	if (!env.verbose)
		return 0;	/* our own message says what failed */
	return vfprintf(stderr, fmt, ap);
}

/* ---- Options ---- */

static int parse_ratio(const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0.0 ||
	    v > 1.0) {
		fprintf(stderr, "entropyd: --credit-ratio takes a number from "
			"0 to 1, not '%s'\n", arg);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

enum { OPT_FOREGROUND = 256, OPT_DURATION, OPT_RATIO, OPT_JSON };

/* Returns 0, or the exit status when there is nothing more to do. */
static int parse_options(int argc, char **argv, const char *cmd)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, OPT_FOREGROUND },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "credit-ratio", required_argument, NULL, OPT_RATIO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seconds;
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FOREGROUND:
			env.foreground = 1;
			break;
		case OPT_DURATION:
			if (cli_parse_u64("entropyd", "--duration", optarg, 1,
					  ED_MAX_DURATION, &seconds))
				return 2;
			env.duration = (long)seconds;
			break;
		case OPT_RATIO:
			if (parse_ratio(optarg, &env.credit_ratio))
				return 2;
			break;
		case OPT_JSON:
			env.json = 1;
			break;
		case 'v':
			env.verbose = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			fputs("Try 'entropyd --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "entropyd: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (env.json && strcmp(cmd, "status")) {
		fprintf(stderr, "entropyd: --json is an option of "
			"'entropyd status'\n");
		return 2;
	}
	if (!strcmp(cmd, "status") &&
	    (env.foreground || env.duration || env.credit_ratio != 0.5)) {
		fprintf(stderr, "entropyd status: takes only --json\n");
		return 2;
	}
	if (!strcmp(cmd, "record") &&
	    (env.foreground || env.credit_ratio != 0.5)) {
		fprintf(stderr, "entropyd record: takes only --duration and "
			"-v\n");
		return 2;
	}
	return 0;
}

/* ---- Privileges and the kernel pool ---- */

static int has_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return !!(data[cap / 32].effective & (1u << (cap % 32)));
}

static int check_privileges(const char *what)
{
	if (has_cap(CAP_SYS_ADMIN))
		return 0;
	fprintf(stderr, "entropyd: %s needs the CAP_SYS_ADMIN capability "
		"(run it as root)%s\n", what,
		geteuid() == 0 ? "; this root process lacks it" : "");
	return -EPERM;
}

/* Older kernels wake writers of /dev/random below this many bits; 5.18 and
 * later accept the value and ignore it.  Failing is harmless. */
static void set_wakeup_threshold(void)
{
	FILE *f = fopen(WAKEUP_THRESHOLD_PATH, "w");
	int err = 0;

	if (!f) {
		err = errno;
	} else {
		if (fputs("256\n", f) < 0)
			err = errno;
		if (fclose(f) != 0 && !err)
			err = errno;
	}
	if (err)
		ed_log(LOG_WARNING, "cannot write %s: %s; going on (only "
		       "kernels before 5.18 use it)", WAKEUP_THRESHOLD_PATH,
		       strerror(err));
}

static int add_entropy(int fd, const struct ed_block *b)
{
	union {
		struct rand_pool_info info;
		uint8_t raw[sizeof(struct rand_pool_info) + sizeof(b->data)];
	} req;

	req.info.entropy_count = (int)b->credit;
	req.info.buf_size = sizeof(b->data);
	memcpy(req.info.buf, b->data, sizeof(b->data));
	if (ioctl(fd, RNDADDENTROPY, &req) < 0)
		return -errno;
	return 0;
}

/* ---- The eBPF tracer ---- */

struct tracer {
	struct irqtime_bpf *skel;
	struct ring_buffer *rb;
};

static void tracer_close(struct tracer *t)
{
	ring_buffer__free(t->rb);
	irqtime_bpf__destroy(t->skel);
	t->rb = NULL;
	t->skel = NULL;
}

static int tracer_open(struct tracer *t, ring_buffer_sample_fn fn, void *ctx)
{
	int err;

	libbpf_set_print(libbpf_print);
	t->skel = irqtime_bpf__open_and_load();
	if (!t->skel) {
		err = -errno;
		fprintf(stderr, "entropyd: eBPF unavailable: cannot load the "
			"interrupt tracer: %s (needs bpf(), ring buffers and "
			"kernel BTF in /sys/kernel/btf/vmlinux; -v shows "
			"libbpf's reasons)\n", strerror(-err));
		return err;
	}
	err = irqtime_bpf__attach(t->skel);
	if (err) {
		fprintf(stderr, "entropyd: eBPF unavailable: cannot attach to "
			"the irq_handler_entry raw tracepoint: %s\n",
			strerror(-err));
		goto fail;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.samples), fn, ctx,
				 NULL);
	if (!t->rb) {
		err = -errno;
		fprintf(stderr, "entropyd: eBPF unavailable: cannot map the "
			"ring buffer: %s\n", strerror(-err));
		goto fail;
	}
	return 0;
fail:
	tracer_close(t);
	return err;
}

static uint64_t tracer_lost(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->lost, __ATOMIC_RELAXED);
}

/* ---- The daemon ---- */

struct daemon {
	struct ed_core core;
	struct tracer tracer;
	struct ed_state *state;
	int random_fd, lock_fd;
	uint64_t blocks, credited_bits;
	size_t named_lines;
};

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int on_sample(void *ctx, void *data, size_t len)
{
	struct daemon *d = ctx;
	struct irqtime_sample s;

	if (len < sizeof(s))
		return 0;
	memcpy(&s, data, sizeof(s));	/* copy out of the ring first */
	ed_core_sample(&d->core, s.irq, s.cpu, s.ts_ns);
	return 0;
}

/* A last field such as "3-edge" or "11-fasteoi" is the interrupt chip's
 * hwirq and trigger: the line has no handler at that moment (a serial port
 * between close and open), so its device is not known yet. */
static bool is_hwirq_field(const char *field)
{
	size_t digits = strspn(field, "0123456789");

	return digits > 0 && field[digits] == '-';
}

/* Names from /proc/interrupts for lines that have none yet: the last field
 * of the line "IRQ: counts... chip hwirq name".  A line whose device is
 * not known yet is asked for again at the next call. */
static void name_lines(struct daemon *d)
{
	char *line = NULL, *p, *last;
	size_t cap = 0, unnamed = 0;
	FILE *f;

	if (d->named_lines == d->core.nr_lines)
		return;
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *end;
		unsigned long irq = strtoul(line, &end, 10);
		struct ed_line *l;

		if (end == line || *end != ':')
			continue;
		l = ed_core_line(&d->core, (uint32_t)irq);
		if (!l || l->name[0])
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (p = end + 1, last = NULL; (p = strtok(p, " \t")); p = NULL)
			last = p;
		if (last && !is_hwirq_field(last))
			snprintf(l->name, sizeof(l->name), "%s", last);
		else
			unnamed++;
	}
	free(line);
	fclose(f);
	if (!unnamed)
		d->named_lines = d->core.nr_lines;
}

static void write_state(struct daemon *d, const char *backoff)
{
	struct ed_state *s = d->state;
	int err;

	name_lines(d);
	ed_state_from_core(s, &d->core);
	s->updated = time(NULL);
	s->lost = tracer_lost(&d->tracer);
	s->blocks = d->blocks;
	s->credited_bits = d->credited_bits;
	snprintf(s->backoff, sizeof(s->backoff), "%s", backoff);
	err = ed_state_write(ED_STATE_FILE, s);
	if (err)
		ed_log(LOG_WARNING, "cannot write %s: %s", ED_STATE_FILE,
		       strerror(-err));
}

/* Close a block and hand it to the kernel. */
static int feed_block(struct daemon *d, int credit)
{
	struct ed_block b;
	int err = ed_core_take_block(&d->core, credit, &b);

	if (err)
		return err < 0 ? err : 0;
	err = add_entropy(d->random_fd, &b);
	if (err) {
		ed_log(LOG_ERR, "RNDADDENTROPY failed: %s", strerror(-err));
		return err;
	}
	d->blocks++;
	d->credited_bits += b.credit;
	ed_log(LOG_DEBUG, "added a block of %llu samples, credited %u bits",
	       (unsigned long long)b.samples, b.credit);
	return 0;
}

/* Lines whose health changed since the last look are worth a log line. */
static void log_health(struct daemon *d, enum ed_health *seen)
{
	size_t i;

	for (i = 0; i < d->core.nr_lines; i++) {
		const struct ed_line *l = d->core.lines[i];

		if (seen[i] == l->health)
			continue;
		seen[i] = l->health;
		if (l->health == ED_OK || l->health == ED_NO_ENTROPY)
			ed_log(LOG_INFO, "irq %u (%s): start-up test passed, "
			       "%.3f bits per sample, %s", l->irq,
			       l->name[0] ? l->name : "?", l->estimate,
			       l->health == ED_OK ? "it earns credit" :
			       "too little to earn credit");
		else if (l->health != ED_STARTUP)
			ed_log(LOG_WARNING, "irq %u (%s): %s, no credit until "
			       "a new start-up test passes", l->irq,
			       l->name[0] ? l->name : "?",
			       ed_health_name(l->health));
	}
}

static int creditable_lines(const struct ed_core *c)
{
	size_t i;

	if (c->credit_ratio <= 0.0)
		return 0;
	for (i = 0; i < c->nr_lines; i++)
		if (c->lines[i]->health == ED_OK)
			return 1;
	return 0;
}

static int daemon_loop(struct daemon *d)
{
	enum ed_health seen[ED_MAX_LINES] = { 0 };
	double start = now_s(), last_flush = start, last_state = 0;
	const char *backoff = "none", *was = "";
	int err = 0;

	write_state(d, "none");
	while (!stopping) {
		int ready = ed_kernel_ready();
		int tick = ED_TICK_MS;
		double now;

		backoff = ready ? "ready" :
			  !creditable_lines(&d->core) ? "no-credit" : "none";
		if (strcmp(backoff, was)) {
			if (!strcmp(backoff, "ready"))
				ed_log(LOG_INFO, "kernel generator is ready: "
				       "backing off, mixing without credit "
				       "every %d s", ED_FLUSH_S);
			else if (!strcmp(backoff, "no-credit"))
				ed_log(LOG_INFO, "no line earns credit yet: "
				       "waking every %d s",
				       ED_IDLE_TICK_MS / 1000);
			else
				ed_log(LOG_INFO, "crediting healthy lines");
			was = backoff;
		}
		if (strcmp(backoff, "none"))
			tick = ED_IDLE_TICK_MS;
		if (env.duration) {
			double left = start + env.duration - now_s();

			if (left <= 0)
				break;
			if (left * 1000 < tick)
				tick = (int)(left * 1000) + 1;
		}

		/* The eBPF side wakes us per batch only; after a timeout,
		 * take the samples of a slow line that are already queued. */
		err = ring_buffer__poll(d->tracer.rb, tick);
		if (err >= 0)
			err = ring_buffer__consume(d->tracer.rb);
		if (err < 0 && err != -EINTR) {
			ed_log(LOG_ERR, "reading the ring buffer: %s",
			       strerror(-err));
			break;
		}
		err = 0;
		log_health(d, seen);

		/* Ask again: the poll may have slept through the moment the
		 * generator became ready, and a ready one needs no credit. */
		ready = ed_kernel_ready();
		now = now_s();
		if ((!ready && ed_core_block_due(&d->core)) ||
		    now - last_flush >= ED_FLUSH_S) {
			err = feed_block(d, !ready);
			if (err)
				break;
			last_flush = now;
		}
		if (now - last_state >= ED_STATE_S) {
			write_state(d, backoff);
			last_state = now;
		}
	}

	/* Last samples: mixed in, credited if the kernel still wants it. */
	if (!err) {
		ring_buffer__consume(d->tracer.rb);
		err = feed_block(d, !ed_kernel_ready());
	}
	write_state(d, backoff);
	return err;
}

static int lock_run_dir(void)
{
	int fd;

	if (mkdir(ED_RUN_DIR, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "entropyd: cannot create %s: %s\n", ED_RUN_DIR,
			strerror(errno));
		return -errno;
	}
	fd = open(ED_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "entropyd: cannot open %s: %s\n", ED_LOCK_FILE,
			strerror(errno));
		return -errno;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "entropyd: another entropyd is running (it "
			"holds %s)\n", ED_LOCK_FILE);
		close(fd);
		return -EBUSY;
	}
	return fd;
}

static int run_daemon(void)
{
	struct daemon d = { .random_fd = -1, .lock_fd = -1 };
	int err;

	/* Set-up, reported on the terminal. */
	if (check_privileges("feeding the kernel pool"))
		return 2;
	d.state = calloc(1, sizeof(*d.state));
	if (!d.state || ed_core_init(&d.core, env.credit_ratio)) {
		fprintf(stderr, "entropyd: out of memory\n");
		free(d.state);
		return 2;
	}
	d.random_fd = open("/dev/random", O_WRONLY | O_CLOEXEC);
	if (d.random_fd < 0) {
		fprintf(stderr, "entropyd: cannot open /dev/random: %s\n",
			strerror(errno));
		err = -errno;
		goto out;
	}
	d.lock_fd = lock_run_dir();
	if (d.lock_fd < 0) {
		err = d.lock_fd;
		goto out;
	}
	err = tracer_open(&d.tracer, on_sample, &d);
	if (err)
		goto out;
	set_wakeup_threshold();

	if (!env.foreground) {
		if (daemon(0, 0) < 0) {
			err = -errno;
			fprintf(stderr, "entropyd: cannot become a daemon: "
				"%s\n", strerror(errno));
			goto out;
		}
		openlog("entropyd", LOG_PID, LOG_DAEMON);
		use_syslog = 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	d.state->pid = getpid();
	d.state->started = time(NULL);
	d.state->credit_ratio = env.credit_ratio;

	ed_log(LOG_INFO, "started: tracing device interrupts, credit ratio "
	       "%.2f, %d start-up samples per line", env.credit_ratio,
	       ED_STARTUP_SAMPLES);
	err = daemon_loop(&d);
	ed_log(LOG_INFO, "stopping: %llu samples, %llu lost, %llu blocks, "
	       "%llu bits credited", (unsigned long long)d.core.samples,
	       (unsigned long long)tracer_lost(&d.tracer),
	       (unsigned long long)d.blocks,
	       (unsigned long long)d.credited_bits);
out:
	tracer_close(&d.tracer);
	ed_core_free(&d.core);
	if (d.random_fd >= 0)
		close(d.random_fd);
	if (d.lock_fd >= 0)
		close(d.lock_fd);
	free(d.state);
	return err ? 2 : 0;
}

/* ---- entropyd record ---- */

static int print_sample(void *ctx, void *data, size_t len)
{
	struct irqtime_sample s;

	(void)ctx;
	if (len < sizeof(s))
		return 0;
	memcpy(&s, data, sizeof(s));
	printf("%u %u %llu\n", s.irq, s.cpu, (unsigned long long)s.ts_ns);
	return 0;
}

static int run_record(void)
{
	struct tracer t = { 0 };
	double end = now_s() + env.duration;
	int err;

	if (check_privileges("tracing interrupts"))
		return 2;
	err = tracer_open(&t, print_sample, NULL);
	if (err)
		return 2;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stopping && (!env.duration || now_s() < end)) {
		err = ring_buffer__poll(t.rb, ED_TICK_MS);
		if (err >= 0)
			err = ring_buffer__consume(t.rb);
		if (err < 0 && err != -EINTR)
			break;
		err = 0;
	}
	ring_buffer__consume(t.rb);
	fflush(stdout);
	fprintf(stderr, "entropyd: record: %llu samples lost\n",
		(unsigned long long)tracer_lost(&t));
	tracer_close(&t);
	return err ? 2 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = "daemon";
	int ret;

	if (argc > 1 && (!strcmp(argv[1], "status") ||
			 !strcmp(argv[1], "record"))) {
		cmd = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	ret = parse_options(argc, argv, cmd);
	if (ret)
		return ret == 1 ? 0 : ret;

	if (!strcmp(cmd, "status"))
		return ed_status(env.json);
	if (!strcmp(cmd, "record"))
		return run_record();
	return run_daemon();
}
