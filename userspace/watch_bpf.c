/* watch_bpf.c - loads bpf/mapwatch.bpf.c through its libbpf skeleton, sets
 * its name filter, and hands its ring-buffer events to a callback (see
 * watch_bpf.h).
 *
 * Sections: tracefs; open, filter, load, attach; events; counters; paths.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "watch_bpf.h"
#include "mapwatch.skel.h"

struct mapwatch {
	struct mapwatch_bpf *skel;
	struct ring_buffer *rb;
	mapwatch_fn fn;
	void *ctx;
};

static bool verbose_libbpf;

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose_libbpf)
		return 0;
	if (level != LIBBPF_WARN && !verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* ---- tracefs ---- */

/* libbpf finds a tracepoint's id in tracefs; a minimal system (the test VM,
 * some containers) has not mounted it. */
static int ensure_tracefs(void)
{
	if (access("/sys/kernel/tracing/events", F_OK) == 0)
		return 0;
	if (errno == EACCES)
		return -EACCES;	/* mounted, but not for us: not root */
	if (access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0) {
		int err = -errno;

		fprintf(stderr, "ssltrace: cannot mount tracefs at /sys/kernel/tracing: %s\n",
			strerror(-err));
		return err;
	}
	return 0;
}

/* ---- open, filter, load, attach ---- */

static int set_filter(struct mapwatch_bpf *skel, const struct patterns *patterns)
{
	unsigned int n = 0;

	for (size_t i = 0; i < patterns->count && n < MW_PREFIX_MAX; i++) {
		char prefix[MW_PREFIX_LEN];
		size_t len = patterns_literal_prefix(patterns->globs[i], prefix,
						     sizeof(prefix));

		/* The rodata arrays are const volatile: write them bytewise. */
		for (size_t j = 0; j < sizeof(prefix); j++)
			((char *)skel->rodata->targ_prefix[n])[j] =
				j < len ? prefix[j] : '\0';
		((__u8 *)skel->rodata->targ_prefix_len)[n] = (__u8)len;
		n++;
	}
	skel->rodata->targ_nprefixes = n;
	skel->rodata->targ_self_tgid = (__u32)getpid();
	return 0;
}

static int on_ring_event(void *ctx, void *data, size_t size)
{
	struct mapwatch *mw = ctx;
	struct mw_map_event copy;

	/* Copy out first: the ring-buffer slot is reused once we return. */
	if (size < sizeof(struct mw_event))
		return 0;
	if (size > sizeof(copy))
		size = sizeof(copy);
	memcpy(&copy, data, size);
	if (copy.head.kind == MW_EV_MMAP && size < sizeof(copy))
		return 0;
	return mw->fn(&copy.head, size, mw->ctx);
}

int mapwatch_open(const struct patterns *patterns, unsigned int ring_pages,
		  bool verbose, mapwatch_fn fn, void *ctx,
		  struct mapwatch **out)
{
	long page = sysconf(_SC_PAGESIZE);
	struct mapwatch *mw;
	int err;

	verbose_libbpf = verbose;
	libbpf_set_print(print_libbpf);

	err = ensure_tracefs();
	if (err)
		return err;

	mw = calloc(1, sizeof(*mw));
	if (!mw)
		return -ENOMEM;
	mw->fn = fn;
	mw->ctx = ctx;

	mw->skel = mapwatch_bpf__open();
	if (!mw->skel) {
		err = -errno;
		fprintf(stderr, "ssltrace: cannot open the eBPF program: %s\n",
			strerror(-err));
		goto err_free;
	}
	set_filter(mw->skel, patterns);
	err = bpf_map__set_max_entries(mw->skel->maps.events,
				       (__u32)(ring_pages * (unsigned long)page));
	if (err)
		goto err_skel;

	err = mapwatch_bpf__load(mw->skel);
	if (err) {
		fprintf(stderr, "ssltrace: cannot load the eBPF program: %s%s\n",
			strerror(-err), verbose ? "" : " (-v shows the verifier's log)");
		goto err_skel;
	}
	err = mapwatch_bpf__attach(mw->skel);
	if (err) {
		fprintf(stderr, "ssltrace: cannot attach the eBPF program to its tracepoints: %s\n",
			strerror(-err));
		goto err_skel;
	}

	mw->rb = ring_buffer__new(bpf_map__fd(mw->skel->maps.events),
				  on_ring_event, mw, NULL);
	if (!mw->rb) {
		err = -errno;
		fprintf(stderr, "ssltrace: cannot read the ring buffer: %s\n",
			strerror(-err));
		goto err_skel;
	}
	*out = mw;
	return 0;

err_skel:
	mapwatch_bpf__destroy(mw->skel);
err_free:
	free(mw);
	return err;
}

void mapwatch_close(struct mapwatch *mw)
{
	if (!mw)
		return;
	ring_buffer__free(mw->rb);
	mapwatch_bpf__destroy(mw->skel);
	free(mw);
}

/* ---- events ---- */

int mapwatch_fd(const struct mapwatch *mw)
{
	return ring_buffer__epoll_fd(mw->rb);
}

int mapwatch_consume(struct mapwatch *mw)
{
	return ring_buffer__consume(mw->rb);
}

int mapwatch_track(struct mapwatch *mw, pid_t tgid)
{
	__u32 key = (__u32)tgid;
	__u8 one = 1;

	if (bpf_map__update_elem(mw->skel->maps.tracked, &key, sizeof(key),
				 &one, sizeof(one), BPF_ANY))
		return -errno;
	return 0;
}

/* ---- counters ---- */

static uint64_t stat_sum(const struct mapwatch *mw, __u32 which)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t sum = 0;
	__u64 *vals;

	if (ncpus <= 0)
		return 0;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return 0;
	if (bpf_map__lookup_elem(mw->skel->maps.stats, &which, sizeof(which),
				 vals, (size_t)ncpus * sizeof(*vals), 0) == 0)
		for (int i = 0; i < ncpus; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

uint64_t mapwatch_lost(const struct mapwatch *mw)
{
	return stat_sum(mw, MW_STAT_LOST);
}

uint64_t mapwatch_track_full(const struct mapwatch *mw)
{
	return stat_sum(mw, MW_STAT_TRACK_FULL);
}

/* ---- paths ---- */

bool mapwatch_event_path(const struct mw_map_event *e, char *buf, size_t size)
{
	size_t used = 0;
	unsigned int depth = e->depth < MW_PATH_DEPTH ? e->depth : MW_PATH_DEPTH;

	if (size == 0)
		return false;
	buf[0] = '\0';
	for (unsigned int i = depth; i-- > 0;) {
		int n = snprintf(buf + used, size - used, "/%.*s",
				 MW_NAME_LEN - 1, e->names[i]);

		if (n < 0 || (size_t)n >= size - used)
			return false;
		used += (size_t)n;
	}
	if (depth == 0 && size > 1) {
		buf[0] = '/';
		buf[1] = '\0';
	}
	return !(e->flags & MW_PATH_TRUNCATED);
}

uint64_t mapwatch_dev_to_user(uint64_t kdev)
{
	return makedev((unsigned int)(kdev >> 20), (unsigned int)(kdev & 0xfffff));
}
