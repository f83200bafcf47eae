/* watch_cmd.c - `ssltrace watch`, also what plain `ssltrace` runs: one scan,
 * then a live table kept true by eBPF events and inotify, printed as one
 * line (or one JSON object) per change.
 *
 * Sections:
 *   - options;
 *   - the table of processes that map a watched library;
 *   - printing a change;
 *   - merging an inspection into the table;
 *   - kernel events: mmap, fork, exec, exit;
 *   - file changes: re-judging the processes that map a changed file;
 *   - resync: a full rescan after the kernel lost events;
 *   - the loop, the summary, cmd_watch().
 *
 * The eBPF program is attached before the initial scan, so nothing that
 * happens during the scan is missed; events about processes the scan
 * already found merge without a second line.  A process is inspected
 * through /proc when its event is handled; one that is already gone is
 * described from the event alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "elfinfo.h"
#include "report.h"
#include "scan.h"
#include "watch_bpf.h"
#include "watch_files.h"

#define DURATION_MAX 31536000ULL	/* a year, in seconds */
#define RING_PAGES_DEFAULT 64		/* 256 KiB with 4 KiB pages */
#define RING_PAGES_MAX 16384
#define NSEC 1000000000LL

struct watch_args {
	bool json;
	bool verbose;
	struct patterns patterns;
	uint64_t duration;		/* seconds, 0 = until a signal */
	unsigned int ring_pages;
};

struct entry {
	struct process proc;
	int *wds;		/* per library: inotify watch, or -1 */
	bool from_event;	/* could not be inspected: built from its event */
	bool rejudge;		/* a file it maps changed */
};

struct watch {
	struct watch_args args;
	struct scanner *sc;
	struct mapwatch *mw;
	struct filewatch *fw;
	struct entry *tab;
	size_t n, cap;
	uint64_t seen;		/* processes that entered the table */
	uint64_t lost_known;	/* kernel losses already resynced */
	uint64_t self_mnt_ns;
	int64_t mono_to_real;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	int err;		/* first fatal error of an event handler */
	pid_t self;
};

/* ---- options ---- */

static void watch_usage(FILE *out)
{
	fputs(
"Usage: ssltrace [watch] [--json] [--lib GLOB]... [--duration SECONDS]\n"
"\n"
"Scans once, then follows the system live with eBPF: prints one line per\n"
"change -- a process maps a watched library (load, or fork when it inherits\n"
"one), replaces its program (exec), exits (exit), or a library it maps is\n"
"deleted or replaced on disk (replaced; the status then says stale or\n"
"reinstalled).  The processes the first scan finds not current are printed\n"
"first (scan).  'ready' on stderr says the watch is attached.\n"
"On SIGINT, SIGTERM or the end of --duration it prints a summary:\n"
"processes seen, stale now, events lost.\n"
"\n"
"  --json               one JSON object per line: the fields of `scan --json`\n"
"                       for the process, plus time, event and library\n"
"  --lib GLOB           watch files whose name matches GLOB instead of the\n"
"                       defaults libssl.so* and libcrypto.so*; may repeat\n"
"  --duration SECONDS   stop after SECONDS (1 to 31536000)\n"
"  --buffer-pages N     ring buffer size in pages, a power of two\n"
"                       (1 to 16384, default 64)\n"
"  -v, --verbose        debug output on stderr (libbpf, every event)\n"
"  -h, --help           show this help\n"
"\n"
"Needs root (eBPF).  Exit status: 0 no process is stale at the end,\n"
"1 at least one is, 2 error.\n"
"\n"
"Examples:\n"
"  ssltrace                           watch until Ctrl-C\n"
"  ssltrace watch --duration 3600 --json > /var/log/ssltrace.jsonl\n"
"  ssltrace watch --lib 'libz.so*' --lib 'libssl.so*'\n",
	      out);
}

static int parse_watch_args(int argc, char **argv, struct watch_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "lib", required_argument, NULL, 'l' },
		{ "duration", required_argument, NULL, 'd' },
		{ "buffer-pages", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t v;
	int c;

	a->ring_pages = RING_PAGES_DEFAULT;
	argv[0] = PROG " watch";	/* how getopt names us in its messages */
	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			a->json = true;
			break;
		case 'l':
			if (cli_add_pattern(PROG, &a->patterns, optarg))
				return -EINVAL;
			break;
		case 'd':
			if (cli_parse_u64(PROG, "--duration", optarg, 1,
					  DURATION_MAX, &a->duration))
				return -EINVAL;
			break;
		case 'b':
			if (cli_parse_u64(PROG, "--buffer-pages", optarg, 1,
					  RING_PAGES_MAX, &v))
				return -EINVAL;
			if (v & (v - 1)) {
				fprintf(stderr, PROG ": --buffer-pages: '%s' is not a power of two (1, 2, 4, ... 16384)\n",
					optarg);
				return -EINVAL;
			}
			a->ring_pages = (unsigned int)v;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			watch_usage(stdout);
			exit(EXIT_NO_STALE);
		default:
			fputs("Try 'ssltrace watch --help'.\n", stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG " watch: unexpected argument '%s'\nTry 'ssltrace watch --help'.\n",
			argv[optind]);
		return -EINVAL;
	}
	patterns_default(&a->patterns);
	return 0;
}

/* ---- the table ---- */

static struct entry *find(struct watch *w, pid_t pid)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->tab[i].proc.pid == pid)
			return &w->tab[i];
	return NULL;
}

static void entry_clear(struct entry *e)
{
	process_clear(&e->proc);
	free(e->wds);
	memset(e, 0, sizeof(*e));
}

static void remove_entry(struct watch *w, struct entry *e)
{
	entry_clear(e);
	*e = w->tab[--w->n];
}

/* Where this process opens the file a process sees at PATH. */
static void path_for_us(const struct watch *w, const struct process *p,
			const char *path, char *buf, size_t size)
{
	if (p->mnt_ns && p->mnt_ns != w->self_mnt_ns)
		snprintf(buf, size, "/proc/%d/root%s", (int)p->pid, path);
	else
		snprintf(buf, size, "%s", path);
}

/* Sets E->proc to *P (taken over) and watches the directories of its
 * libraries. */
static int entry_set(struct watch *w, struct entry *e, struct process *p)
{
	int *wds = calloc(p->nlibs ? p->nlibs : 1, sizeof(*wds));

	if (!wds)
		return -ENOMEM;
	for (size_t i = 0; i < p->nlibs; i++) {
		char path[PATH_MAX];

		path_for_us(w, p, p->libs[i].path, path, sizeof(path));
		wds[i] = filewatch_add_dir_of(w->fw, path);
		if (wds[i] < 0 && w->args.verbose)
			fprintf(stderr, PROG ": cannot watch the directory of %s: %s\n",
				path, strerror(-wds[i]));
	}
	process_clear(&e->proc);
	free(e->wds);
	e->proc = *p;
	e->wds = wds;
	memset(p, 0, sizeof(*p));
	return 0;
}

/* TRACK: tell the kernel about it.  Not needed for a process an event
 * brought: the kernel tracked it when it sent the event, and adding it
 * again after its exit would leave a dead pid in the kernel's table. */
static struct entry *add_entry(struct watch *w, struct process *p, bool track)
{
	struct entry *e;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct entry *t = realloc(w->tab, cap * sizeof(*t));

		if (!t)
			return NULL;
		w->tab = t;
		w->cap = cap;
	}
	e = &w->tab[w->n];
	memset(e, 0, sizeof(*e));
	if (entry_set(w, e, p))
		return NULL;
	w->n++;
	w->seen++;
	/* The kernel reports the fork, exec and exit of tracked processes. */
	if (track && mapwatch_track(w->mw, e->proc.pid) && w->args.verbose)
		fprintf(stderr, PROG ": cannot track process %d\n",
			(int)e->proc.pid);
	return e;
}

static const struct library *worst_library(const struct process *p)
{
	for (size_t i = 0; i < p->nlibs; i++)
		if (p->libs[i].status == p->status)
			return &p->libs[i];
	return p->nlibs ? &p->libs[0] : NULL;
}

/* ---- printing a change ---- */

static int64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* A field of a text line: control characters (a comm or a file name may
 * hold a newline) would break the one-line-per-change promise. */
static const char *text_field(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static void print_change(struct watch *w, const char *kind, int64_t mono_ns,
			 const struct process *p, const struct library *lib)
{
	int64_t real = mono_ns + w->mono_to_real;
	time_t sec = (time_t)(real / NSEC);
	long usec = (long)(real % NSEC / 1000);
	struct tm tm;
	char stamp[32];

	if (w->args.json) {
		char *obj = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&obj, &len);

		if (!mem) {
			w->err = -ENOMEM;
			return;
		}
		report_json_process(mem, p);
		if (fclose(mem) || len < 2) {
			free(obj);
			w->err = -ENOMEM;
			return;
		}
		gmtime_r(&sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		printf("{\"time\":\"%s.%06ldZ\",\"event\":\"%s\",\"library\":",
		       stamp, usec, kind);
		report_json_string(stdout, lib ? lib->path : "");
		printf(",%s\n", obj + 1);	/* the process's fields follow */
		free(obj);
	} else {
		char f[5][PATH_MAX];

		localtime_r(&sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		printf("%s.%03ld %-8s %7d %-15s %-20s %-11s %s mapped=\"%s\" disk=\"%s\"\n",
		       stamp, usec / 1000, kind, (int)p->pid,
		       text_field(p->comm, f[0], sizeof(f[0])),
		       text_field(p->unit[0] ? p->unit : "-", f[1], sizeof(f[1])),
		       status_name(lib ? lib->status : p->status),
		       text_field(lib ? lib->path : "-", f[2], sizeof(f[2])),
		       text_field(lib ? lib->mapped_version : "", f[3], sizeof(f[3])),
		       text_field(lib ? lib->disk_version : "", f[4], sizeof(f[4])));
	}
	/* A full disk or a closed pipe ends the watch: events must not be
	 * dropped silently. */
	if ((fflush(stdout) == EOF || ferror(stdout)) && !w->err)
		w->err = errno ? -errno : -EIO;
}

/* ---- merging an inspection ---- */

static const struct library *same_library(const struct process *p,
					  const struct library *l)
{
	for (size_t i = 0; i < p->nlibs; i++)
		if (strcmp(p->libs[i].path, l->path) == 0 &&
		    p->libs[i].mapped_ino == l->mapped_ino)
			return &p->libs[i];
	return NULL;
}

/* Puts the inspected process *P (taken over) in the table, printing KIND
 * for each library it did not have before and "replaced" for each whose
 * status changed.  TRACK as for add_entry(). */
static int merge(struct watch *w, struct process *p, const char *kind,
		 int64_t mono_ns, bool track)
{
	struct entry *e = find(w, p->pid);

	if (!e) {
		e = add_entry(w, p, track);
		if (!e) {
			process_clear(p);
			return -ENOMEM;
		}
		for (size_t i = 0; i < e->proc.nlibs; i++)
			print_change(w, kind, mono_ns, &e->proc, &e->proc.libs[i]);
		return 0;
	}

	for (size_t i = 0; i < p->nlibs; i++) {
		const struct library *old = same_library(&e->proc, &p->libs[i]);

		if (!old)
			print_change(w, kind, mono_ns, p, &p->libs[i]);
		else if (old && !e->from_event &&
			 old->status != p->libs[i].status)
			print_change(w, "replaced", mono_ns, p, &p->libs[i]);
	}
	e->from_event = false;
	return entry_set(w, e, p);
}

/* ---- kernel events ---- */

/* A process that mapped a watched file and could not be inspected (it
 * exited or unmapped it first): judged from the event's device, inode and
 * path against the file at that path now. */
static int judge_from_event(struct watch *w, const struct mw_map_event *e,
			    const char *path, struct process *p)
{
	struct library *l;
	struct elf_facts facts = { 0 };
	struct stat st;
	bool foreign = e->mnt_ns && e->mnt_ns != w->self_mnt_ns;
	const char *why;
	int fd;

	memset(p, 0, sizeof(*p));
	p->pid = (pid_t)e->head.tgid;
	p->comm = strndup(e->head.comm, MW_COMM_LEN);
	p->exe = strdup("");
	p->unit = strdup("");
	p->container = strdup("");
	p->root = strdup("");
	p->action = strdup("");
	p->mnt_ns = e->mnt_ns;
	p->foreign_mnt_ns = foreign;
	p->foreign_ns = foreign;
	p->libs = calloc(1, sizeof(*p->libs));
	if (!p->libs)
		goto nomem;
	l = &p->libs[0];
	p->nlibs = 1;
	l->path = strdup(path);
	l->mapped_dev = mapwatch_dev_to_user(e->dev);
	l->mapped_ino = e->ino;

	/* The kernel side gives up on very deep paths and sends only their
	 * last components: such a path names nothing here. */
	fd = foreign || path[0] != '/' ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (foreign) {
		l->status = STATUS_UNKNOWN;
		why = "in another mount namespace; gone before it could be inspected";
	} else if (path[0] != '/') {
		l->status = STATUS_UNKNOWN;
		why = "the path is too deep for the kernel's event; gone before it could be inspected";
	} else if (fd < 0) {
		l->status = errno == ENOENT ? STATUS_STALE : STATUS_UNKNOWN;
		why = errno == ENOENT ? "deleted; nothing is at the path now" :
					"cannot read the file at the path now";
	} else if (fstat(fd, &st) == 0 && st.st_dev == l->mapped_dev &&
		   st.st_ino == l->mapped_ino) {
		l->status = STATUS_CURRENT;
		why = "the mapped image is the file on disk";
	} else {
		l->status = STATUS_STALE;
		why = "replaced on disk since it was mapped";
	}
	if (fd >= 0) {
		elf_facts_read_fd(fd, &facts);
		close(fd);
	}
	l->disk_version = strdup(elf_facts_version(&facts));
	l->disk_build_id = strdup(facts.build_id);
	l->mapped_version = strdup(l->status == STATUS_CURRENT ?
				   elf_facts_version(&facts) : "");
	l->mapped_build_id = strdup(l->status == STATUS_CURRENT ?
				    facts.build_id : "");
	if (asprintf(&l->reason, "%s (from the kernel's event: the process could not be inspected)",
		     why) < 0)
		l->reason = NULL;
	p->status = l->status;
	if (asprintf(&p->reason, "%s: %s", path, l->reason ? l->reason : "") < 0)
		p->reason = NULL;
	if (!p->comm || !p->exe || !p->unit || !p->container || !p->root ||
	    !p->action || !l->path || !l->disk_version || !l->disk_build_id ||
	    !l->mapped_version || !l->mapped_build_id || !l->reason || !p->reason)
		goto nomem;
	return 0;

nomem:
	process_clear(p);
	return -ENOMEM;
}

static bool entry_maps(const struct entry *e, uint64_t dev, uint64_t ino,
		       const char *path)
{
	for (size_t i = 0; i < e->proc.nlibs; i++) {
		const struct library *l = &e->proc.libs[i];

		if ((l->mapped_dev == dev && l->mapped_ino == ino) ||
		    strcmp(l->path, path) == 0)
			return true;
	}
	return false;
}

static int on_mmap(struct watch *w, const struct mw_map_event *e)
{
	char path[PATH_MAX];
	bool whole = mapwatch_event_path(e, path, sizeof(path));
	uint64_t dev = mapwatch_dev_to_user(e->dev);
	pid_t pid = (pid_t)e->head.tgid;
	struct entry *known = find(w, pid);
	struct process p;
	int ret;

	if (!whole)	/* cut: match the base name alone */
		snprintf(path, sizeof(path), "%.*s", MW_NAME_LEN - 1, e->names[0]);
	if (!patterns_match(&w->args.patterns, path, strlen(path)))
		return 0;	/* passed the prefix, not the glob */
	if (known && entry_maps(known, dev, e->ino, path))
		return 0;

	ret = scanner_inspect(w->sc, pid, &p);
	if (ret == 1 && p.nlibs)
		return merge(w, &p, "load", (int64_t)e->head.time_ns, false);
	if (ret == 1)
		process_clear(&p);
	else if (ret < 0 && ret != -ESRCH)
		return ret;

	if (known)
		return 0;	/* listed already; its exit will come */
	ret = judge_from_event(w, e, path, &p);
	if (ret)
		return ret;
	ret = merge(w, &p, "load", (int64_t)e->head.time_ns, false);
	if (!ret && (known = find(w, pid)))
		known->from_event = true;
	return ret;
}

static int on_fork(struct watch *w, const struct mw_event *e)
{
	struct process p;
	int ret;

	if (find(w, (pid_t)e->tgid))
		return 0;
	ret = scanner_inspect(w->sc, (pid_t)e->tgid, &p);
	if (ret == 1 && p.nlibs)
		return merge(w, &p, "fork", (int64_t)e->time_ns, false);
	if (ret == 1)
		process_clear(&p);
	/* Gone, or already exec'd another program: nothing to list. */
	return ret < 0 && ret != -ESRCH ? ret : 0;
}

static int on_gone(struct watch *w, const struct mw_event *e, const char *kind)
{
	struct entry *known = find(w, (pid_t)e->tgid);

	if (!known)
		return 0;
	print_change(w, kind, (int64_t)e->time_ns, &known->proc,
		     worst_library(&known->proc));
	remove_entry(w, known);
	return 0;
}

static int on_event(const struct mw_event *e, size_t size, void *ctx)
{
	struct watch *w = ctx;
	int ret = 0;

	(void)size;	/* the loader checked it against the kind */
	if (w->args.verbose)
		fprintf(stderr, PROG ": event %u pid %u tgid %u comm %.16s\n",
			e->kind, e->pid, e->tgid, e->comm);
	/* Reading version strings maps the libraries here too. */
	if ((pid_t)e->tgid == w->self)
		return 0;
	switch (e->kind) {
	case MW_EV_MMAP:
		ret = on_mmap(w, (const struct mw_map_event *)e);
		break;
	case MW_EV_FORK:
		ret = on_fork(w, e);
		break;
	case MW_EV_EXEC:
		ret = on_gone(w, e, "exec");
		break;
	case MW_EV_EXIT:
		ret = on_gone(w, e, "exit");
		break;
	}
	if (ret < 0 && !w->err)
		w->err = ret;
	return ret < 0 ? ret : 0;
}

/* ---- file changes ---- */

static void on_file_change(int wd, const char *name, void *ctx)
{
	struct watch *w = ctx;

	for (size_t i = 0; i < w->n; i++) {
		struct entry *e = &w->tab[i];

		for (size_t j = 0; j < e->proc.nlibs && !e->rejudge; j++) {
			const char *base = strrchr(e->proc.libs[j].path, '/');

			base = base ? base + 1 : e->proc.libs[j].path;
			e->rejudge = wd < 0 ||	/* overflow: judge everyone */
				     (e->wds[j] == wd && strcmp(base, name) == 0);
		}
	}
}

static int rejudge_marked(struct watch *w)
{
	int64_t now = now_ns(CLOCK_MONOTONIC);

	for (size_t i = 0; i < w->n;) {
		struct entry *e = &w->tab[i];
		struct process p;
		int ret;

		if (!e->rejudge || e->from_event) {
			e->rejudge = false;
			i++;
			continue;
		}
		e->rejudge = false;
		ret = scanner_inspect(w->sc, e->proc.pid, &p);
		if (ret == 1 && p.nlibs) {
			ret = merge(w, &p, "load", now, false);
			if (ret)
				return ret;
		} else if (ret == 1) {
			process_clear(&p);	/* unreadable now: keep what we know */
		} else if (ret == 0) {
			/* It unmapped every watched library. */
			print_change(w, "unload", now, &e->proc,
				     worst_library(&e->proc));
			remove_entry(w, e);
			continue;
		} else if (ret != -ESRCH) {
			return ret;	/* -ESRCH: its exit event follows */
		}
		i++;
	}
	return 0;
}

/* ---- resync ---- */

struct resync_ctx {
	struct watch *w;
	bool *visited;
	size_t nvisited;
};

static int resync_one(struct process *p, void *ctx)
{
	struct resync_ctx *r = ctx;
	struct entry *e;

	if (!p->nlibs || p->pid == r->w->self) {
		process_clear(p);
		return 0;
	}
	e = find(r->w, p->pid);
	if (e && (size_t)(e - r->w->tab) < r->nvisited)
		r->visited[e - r->w->tab] = true;
	return merge(r->w, p, "load", now_ns(CLOCK_MONOTONIC), true);
}

/* After the kernel dropped events: scan every process again, list what was
 * missed, and drop the processes that exited unseen. */
static int resync(struct watch *w)
{
	struct scan_totals totals = { 0 };
	struct resync_ctx r = { .w = w, .nvisited = w->n };
	int64_t now = now_ns(CLOCK_MONOTONIC);
	int ret;

	r.visited = calloc(w->n ? w->n : 1, sizeof(*r.visited));
	if (!r.visited)
		return -ENOMEM;
	scanner_forget_images(w->sc);
	ret = scanner_scan(w->sc, NULL, 0, &totals, resync_one, &r);
	/* New entries were appended after the old ones: one that exited
	 * before it was tracked sends no exit event. */
	for (size_t i = w->n; ret == 0 && i-- > r.nvisited;) {
		struct entry *e = &w->tab[i];

		if (kill(e->proc.pid, 0) < 0 && errno == ESRCH) {
			print_change(w, "exit", now, &e->proc,
				     worst_library(&e->proc));
			remove_entry(w, e);
		}
	}
	for (size_t i = r.nvisited; ret == 0 && i-- > 0;) {
		struct entry *e = &w->tab[i];

		if (r.visited[i])
			continue;
		if (kill(e->proc.pid, 0) < 0 && errno == ESRCH)
			print_change(w, "exit", now, &e->proc,
				     worst_library(&e->proc));
		remove_entry(w, e);
	}
	free(r.visited);
	return ret;
}

/* ---- the loop, the summary ---- */

static int initial_one(struct process *p, void *ctx)
{
	struct watch *w = ctx;
	struct entry *e;

	if (!p->nlibs || p->pid == w->self) {	/* unknown ones: counted, not listed */
		process_clear(p);
		return 0;
	}
	e = add_entry(w, p, true);
	if (!e) {
		process_clear(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < e->proc.nlibs; i++)
		if (e->proc.libs[i].status != STATUS_CURRENT)
			print_change(w, "scan", now_ns(CLOCK_MONOTONIC),
				     &e->proc, &e->proc.libs[i]);
	return 0;
}

/* Lists the processes that map a watched library now; the eBPF program is
 * already attached, so what starts meanwhile arrives as events. */
static int initial_scan(struct watch *w)
{
	struct scan_totals totals = { 0 };
	unsigned int uninspected;
	int ret = scanner_scan(w->sc, NULL, 0, &totals, initial_one, w);

	if (ret)
		return ret;
	/* One that exited before it was tracked sends no exit event. */
	for (size_t i = 0; i < w->n;) {
		if (kill(w->tab[i].proc.pid, 0) < 0 && errno == ESRCH)
			remove_entry(w, &w->tab[i]);
		else
			i++;
	}
	uninspected = totals.denied + totals.other_errors;
	if (uninspected)
		fprintf(stderr, PROG ": %u process%s could not be inspected (%u: permission denied)\n",
			uninspected, uninspected == 1 ? "" : "es", totals.denied);
	return 0;
}

static unsigned int count_stale(const struct watch *w)
{
	unsigned int n = 0;

	for (size_t i = 0; i < w->n; i++)
		n += w->tab[i].proc.status == STATUS_STALE;
	return n;
}

static uint64_t kernel_losses(const struct watch *w)
{
	return mapwatch_lost(w->mw) + mapwatch_track_full(w->mw);
}

static void print_summary(struct watch *w, double seconds)
{
	unsigned int stale = count_stale(w);
	uint64_t lost = mapwatch_lost(w->mw);
	uint64_t track_full = mapwatch_track_full(w->mw);
	uint64_t overflows = filewatch_overflows(w->fw);

	if (w->args.json) {
		char stamp[32];
		struct timespec now;
		struct tm tm;

		/* The same form as every event's time: UTC, microseconds. */
		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		printf("{\"time\":\"%s.%06ldZ\",\"event\":\"summary\",\"seconds\":%.3f,"
		       "\"processes_seen\":%llu,\"stale_now\":%u,"
		       "\"events_lost\":%llu,\"untracked\":%llu,"
		       "\"file_events_lost\":%llu}\n",
		       stamp, now.tv_nsec / 1000, seconds,
		       (unsigned long long)w->seen, stale,
		       (unsigned long long)lost, (unsigned long long)track_full,
		       (unsigned long long)overflows);
	} else {
		printf("summary: %.1f s watched, %llu process%s seen, %u stale now, %llu event%s lost",
		       seconds, (unsigned long long)w->seen,
		       w->seen == 1 ? "" : "es", stale,
		       (unsigned long long)lost, lost == 1 ? "" : "s");
		if (track_full)
			printf(", %llu processes untracked (table full)",
			       (unsigned long long)track_full);
		if (overflows)
			printf(", %llu file-change overflows",
			       (unsigned long long)overflows);
		putchar('\n');
	}
	fflush(stdout);
}

static int open_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int add_fd(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* Handles kernel events, file changes and losses until a signal or the
 * end of the duration.  Returns 0 or a negative errno. */
static int run_loop(struct watch *w, int sfd, int64_t start)
{
	int64_t end = w->args.duration ?
		      start + (int64_t)w->args.duration * NSEC : 0;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int ret = ep < 0 ? -errno : 0;
	int64_t next_resync = 0;

	if (!ret)
		ret = add_fd(ep, mapwatch_fd(w->mw));
	if (!ret)
		ret = add_fd(ep, filewatch_fd(w->fw));
	if (!ret)
		ret = add_fd(ep, sfd);

	while (!ret) {
		struct epoll_event evs[4];
		int64_t left = end ? end - now_ns(CLOCK_MONOTONIC) : NSEC;
		int timeout = left <= 0 ? 0 : left >= NSEC ? 1000 :
			      (int)((left + 999999) / 1000000);
		bool stop = false;
		uint64_t losses;
		int n;

		if (end && left <= 0)
			break;
		n = epoll_wait(ep, evs, 4, timeout);
		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		for (int i = 0; i < n; i++)
			if (evs[i].data.fd == sfd)
				stop = true;

		/* Kernel events first: an mmap must be listed before a
		 * change to its file can make it stale. */
		ret = mapwatch_consume(w->mw);
		if (ret >= 0)
			ret = filewatch_read(w->fw, on_file_change, w);
		if (ret >= 0)
			ret = rejudge_marked(w);
		if (ret >= 0 && w->err)
			ret = w->err;
		if (ret < 0)
			break;
		ret = 0;

		/* At most one rescan a second: under a flood of lost events
		 * a rescan per wake-up would be all the watch does. */
		losses = kernel_losses(w);
		if (losses > w->lost_known &&
		    now_ns(CLOCK_MONOTONIC) >= next_resync) {
			next_resync = now_ns(CLOCK_MONOTONIC) + NSEC;
			fprintf(stderr, PROG ": %llu event%s lost (ring buffer full); rescanning\n",
				(unsigned long long)(losses - w->lost_known),
				losses - w->lost_known == 1 ? "" : "s");
			w->lost_known = losses;
			ret = resync(w);
		}
		if (stop)
			break;
	}
	if (ep >= 0)
		close(ep);
	return ret;
}

int cmd_watch(int argc, char **argv)
{
	struct watch w = { 0 };
	struct stat st;
	int64_t start;
	int sfd, err;
	int status = EXIT_ERROR;

	if (parse_watch_args(argc, argv, &w.args))
		return EXIT_ERROR;
	w.self = getpid();
	w.self_mnt_ns = stat("/proc/self/ns/mnt", &st) == 0 ? st.st_ino : 0;
	w.mono_to_real = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);

	sfd = open_signals();
	if (sfd < 0) {
		fprintf(stderr, PROG ": cannot handle signals: %s\n", strerror(-sfd));
		return EXIT_ERROR;
	}
	w.sc = scanner_new(&w.args.patterns);
	err = w.sc ? filewatch_open(&w.fw) : -ENOMEM;
	if (err) {
		fprintf(stderr, PROG ": cannot start watching files: %s\n",
			strerror(-err));
		goto out;
	}

	/* Attach first, then scan: what starts during the scan is an event. */
	err = mapwatch_open(&w.args.patterns, w.args.ring_pages,
			    w.args.verbose, on_event, &w, &w.mw);
	if (err) {
		if (err == -EPERM || err == -EACCES)
			fprintf(stderr, PROG ": watch needs root (CAP_BPF and CAP_PERFMON)\n");
		goto out;
	}
	start = now_ns(CLOCK_MONOTONIC);
	if (!w.args.json)
		printf("TIME         EVENT        PID COMMAND         UNIT                 STATUS      LIBRARY\n");
	err = initial_scan(&w);
	if (err) {
		fprintf(stderr, PROG ": scan failed: %s\n", strerror(-err));
		goto out;
	}
	fprintf(stderr, PROG ": watching %zu process%s that map%s a watched library; ready\n",
		w.n, w.n == 1 ? "" : "es", w.n == 1 ? "s" : "");

	err = run_loop(&w, sfd, start);
	if (err)
		fprintf(stderr, PROG ": watch failed: %s\n", strerror(-err));
	print_summary(&w, (double)(now_ns(CLOCK_MONOTONIC) - start) / NSEC);
	/* ferror() too: an earlier failed flush has already dropped its
	 * buffer, and a later fflush() has nothing left to fail on. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (!err)
			fprintf(stderr, PROG ": cannot write the events: %s\n",
				strerror(errno ? errno : EIO));
	} else if (!err) {
		status = count_stale(&w) ? EXIT_STALE : EXIT_NO_STALE;
	}

out:
	for (size_t i = 0; i < w.n; i++)
		entry_clear(&w.tab[i]);
	free(w.tab);
	mapwatch_close(w.mw);
	filewatch_close(w.fw);
	scanner_free(w.sc);
	close(sfd);
	return status;
}
