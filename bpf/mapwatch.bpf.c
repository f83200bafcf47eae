// SPDX-License-Identifier: GPL-2.0
/* mapwatch.bpf.c - reports processes that map a watched library, and the
 * fork, exec and exit of processes that have one, for `ssltrace watch`.
 *
 * Sections:
 *   - maps: ring buffer, per-CPU counters, pending mmaps, tracked
 *     processes, already-reported mappings;
 *   - the name filter: literal base-name prefixes set by userspace as rodata;
 *   - sys_enter_mmap / sys_exit_mmap: resolve the fd to its file on entry,
 *     report it once the mapping exists;
 *   - sched_process_fork (raw), sched_process_exec, sched_process_exit.
 *
 * Only tracepoints: the host kernel has no kprobes and no fentry.  An
 * unrelated mmap costs a few CO-RE reads and one compare of its base name,
 * and sends nothing.  Userspace applies the exact glob to what passes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "mapwatch.h"

#define MAP_ANONYMOUS 0x20
#define MAX_ERRNO 4095

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load. */
const volatile __u32 targ_self_tgid = 0;	/* the watch itself reads libraries */
const volatile __u32 targ_nprefixes = 0;
const volatile __u8 targ_prefix_len[MW_PREFIX_MAX] = {};
const volatile char targ_prefix[MW_PREFIX_MAX][MW_PREFIX_LEN] = {};

/* ---- maps ---- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);	/* resized by userspace */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MW_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* An mmap whose file passed the filter, between entry and exit. */
struct pending {
	struct file *file;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);		/* pid_tgid */
	__type(value, struct pending);
} pending SEC(".maps");

/* Entries in pending, roughly: while it is zero, the exit handler of an
 * unrelated mmap returns without a hash lookup.  An entry the LRU evicts
 * leaves it too high, which costs lookups, never events. */
__u64 npending = 0;

/* Processes that map a watched library: userspace adds those of its
 * initial scan, the mmap handler adds the rest.  Value unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);		/* tgid */
	__type(value, __u8);
} tracked SEC(".maps");

/* A loader maps a library with several mmap calls (whole file, then each
 * segment): report the first only.  The value is the address space the
 * mapping went into, so an exec or a reused pid reports again. */
struct seen_key {
	__u32 tgid;
	__u32 pad;
	__u64 dev;
	__u64 ino;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct seen_key);
	__type(value, __u64);		/* mm_struct address */
} seen SEC(".maps");

/* Where an mmap event is built before bpf_ringbuf_output(): too big for
 * the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mw_map_event);
} scratch SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&stats, &which);

	if (n)
		(*n)++;
}

/* ---- the name filter ---- */

static __always_inline bool name_passes(const char *name)
{
	char buf[MW_PREFIX_LEN];

	/* One fixed-size read is much cheaper than a string read, which
	 * copies byte by byte.  Past a short name's end it reads the rest of
	 * the dentry or of the name's allocation, and the compare stops at
	 * the name's NUL anyway; where that read faults, read the string. */
	if (bpf_probe_read_kernel(buf, sizeof(buf), name) &&
	    bpf_probe_read_kernel_str(buf, sizeof(buf), name) < 0)
		return false;

	for (__u32 i = 0; i < MW_PREFIX_MAX; i++) {
		__u32 len;
		bool same = true;

		if (i >= targ_nprefixes)
			break;
		len = targ_prefix_len[i];
		for (__u32 j = 0; j < MW_PREFIX_LEN - 1; j++) {
			if (j >= len)
				break;
			if (buf[j] != targ_prefix[i][j]) {
				same = false;
				break;
			}
		}
		if (same)
			return true;
	}
	return false;
}

/* ---- mmap ---- */

/* The file open at FD.  The task's fields are read through its BTF
 * pointer (plain loads the JIT guards, cheaper than a helper call each);
 * the fd array holds plain pointers, which need one helper read. */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct file **fds;
	struct file *file = NULL;

	if (!files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]))
		return NULL;
	return file;
}

SEC("tracepoint/syscalls/sys_enter_mmap")
int mw_enter_mmap(struct trace_event_raw_sys_enter *ctx)
{
	int fd = (int)ctx->args[4];
	unsigned long flags = ctx->args[3];
	struct pending p;
	struct file *file;
	__u64 id;

	if (fd < 0 || (flags & MAP_ANONYMOUS))
		return 0;
	id = bpf_get_current_pid_tgid();
	if (id >> 32 == targ_self_tgid)
		return 0;
	file = fd_file(fd);
	if (!file)
		return 0;
	if (!name_passes((const char *)BPF_CORE_READ(file, f_path.dentry,
							d_name.name)))
		return 0;

	p.file = file;
	if (bpf_map_update_elem(&pending, &id, &p, BPF_ANY) == 0)
		__sync_fetch_and_add(&npending, 1);
	return 0;
}

/* Walking a path: one step per bpf_loop() call, so the verifier checks
 * the step once instead of every unrolled iteration. */
struct walk {
	struct mw_map_event *e;
	struct dentry *d;
	struct mount *mnt;
	__u32 n;
	bool done;
};

static long walk_step(__u32 i, void *ctx)
{
	struct walk *w = ctx;
	/* Locals: CO-RE must not relocate the fields of struct walk. */
	struct mount *mnt = w->mnt;
	struct dentry *d = w->d;
	struct dentry *root = BPF_CORE_READ(mnt, mnt.mnt_root);
	struct dentry *parent;
	const unsigned char *name;

	if (d == root) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up == mnt) {
			w->done = true;	/* the namespace's root */
			return 1;
		}
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		return 0;
	}
	parent = BPF_CORE_READ(d, d_parent);
	if (parent == d) {
		w->done = true;
		return 1;
	}
	if (w->n >= MW_PATH_DEPTH)
		return 1;
	name = BPF_CORE_READ(d, d_name.name);
	if (bpf_probe_read_kernel_str(w->e->names[w->n & (MW_PATH_DEPTH - 1)],
				      MW_NAME_LEN, name) >= MW_NAME_LEN)
		w->e->flags |= MW_PATH_TRUNCATED;	/* may be cut */
	w->n++;
	w->d = parent;
	return 0;
}

/* Fills names[] from the dentry up to the root of the mount namespace,
 * crossing mount points, as d_path() would without the chroot. */
static __always_inline void fill_path(struct mw_map_event *e, struct file *file)
{
	struct vfsmount *vfsmnt = BPF_CORE_READ(file, f_path.mnt);
	struct walk w = {
		.e = e,
		.d = BPF_CORE_READ(file, f_path.dentry),
		.mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt),
	};

	e->flags = 0;
	/* Each component may need a mount crossing too. */
	bpf_loop(MW_PATH_DEPTH * 2, walk_step, &w, 0);
	if (!w.done)
		e->flags |= MW_PATH_TRUNCATED;
	e->depth = w.n;
}

static __always_inline void fill_head(struct mw_event *h, __u32 kind,
				      __u64 id)
{
	h->kind = kind;
	h->pid = (__u32)id;
	h->tgid = id >> 32;
	h->ppid = 0;
	h->time_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

static __always_inline void track(__u32 tgid)
{
	__u8 one = 1;

	if (bpf_map_update_elem(&tracked, &tgid, &one, BPF_ANY))
		count(MW_STAT_TRACK_FULL);
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int mw_exit_mmap(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task;
	struct pending *p;
	struct seen_key key = {};
	struct mw_map_event *e;
	__u32 zero = 0;
	struct file *file;
	__u64 id, mm, *was;

	if (!npending)
		return 0;	/* the common case: no mmap passed the filter */
	id = bpf_get_current_pid_tgid();
	p = bpf_map_lookup_elem(&pending, &id);
	if (!p)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	file = p->file;
	if (bpf_map_delete_elem(&pending, &id) == 0)
		__sync_fetch_and_sub(&npending, 1);
	if ((unsigned long)ctx->ret >= (unsigned long)-MAX_ERRNO)
		return 0;	/* the mmap failed: nothing is mapped */

	key.tgid = id >> 32;
	key.dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
	key.ino = BPF_CORE_READ(file, f_inode, i_ino);
	mm = (__u64)BPF_CORE_READ(task, mm);
	was = bpf_map_lookup_elem(&seen, &key);
	if (was && *was == mm)
		return 0;

	track(key.tgid);
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	fill_head(&e->head, MW_EV_MMAP, id);
	e->dev = key.dev;
	e->ino = key.ino;
	e->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->pad = 0;
	fill_path(e, file);
	if (bpf_ringbuf_output(&events, e, sizeof(*e), 0)) {
		/* Not marked seen: a later segment mmap may still get through. */
		count(MW_STAT_LOST);
		return 0;
	}
	bpf_map_update_elem(&seen, &key, &mm, BPF_ANY);
	return 0;
}

/* ---- process life ---- */

static __always_inline void send(struct mw_event *proto)
{
	struct mw_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count(MW_STAT_LOST);
		return;
	}
	*e = *proto;
	bpf_ringbuf_submit(e, 0);
}

/* A raw tracepoint, for the child task: the classic one gives only pids and
 * cannot tell a thread from a process. */
SEC("raw_tracepoint/sched_process_fork")
int mw_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	struct mw_event e;

	if (ctgid == ptgid || !bpf_map_lookup_elem(&tracked, &ptgid))
		return 0;	/* a thread, or a parent without a library */
	/* A child sharing the parent's memory (vfork, posix_spawn) is about
	 * to exec: it never runs the library on its own. */
	if (BPF_CORE_READ(child, mm) == BPF_CORE_READ(parent, mm))
		return 0;

	track(ctgid);
	fill_head(&e, MW_EV_FORK, (__u64)ctgid << 32 | BPF_CORE_READ(child, pid));
	e.ppid = ptgid;
	send(&e);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int mw_exec(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct mw_event e;

	if (bpf_map_delete_elem(&tracked, &tgid))
		return 0;	/* was not tracked */
	fill_head(&e, MW_EV_EXEC, id);
	send(&e);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int mw_exit(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct mw_event e;

	/* Only the last thread of the group: signal->live is already
	 * decremented when this tracepoint fires. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	if (bpf_map_delete_elem(&tracked, &tgid))
		return 0;
	fill_head(&e, MW_EV_EXIT, id);
	send(&e);
	return 0;
}
