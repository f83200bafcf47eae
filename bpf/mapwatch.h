/* mapwatch.h - what the mapwatch eBPF program (mapwatch.bpf.c) and its
 * userspace loader (userspace/mapwatch.c) share: the ring-buffer event
 * layout, the counters and the sizes of the in-kernel name filter.
 * Fixed-width types only; included by both sides.
 */
#ifndef SSLTRACE_MAPWATCH_H
#define SSLTRACE_MAPWATCH_H

/* The in-kernel filter: up to MW_PREFIX_MAX literal base-name prefixes of
 * at most MW_PREFIX_LEN - 1 bytes (longer ones are cut, which only lets
 * more through; userspace applies the exact glob). */
#define MW_PREFIX_MAX 32
#define MW_PREFIX_LEN 16

/* A path is sent as its components, last one first, each cut at
 * MW_NAME_LEN - 1 bytes; deeper paths set MW_PATH_TRUNCATED. */
#define MW_PATH_DEPTH 16
#define MW_NAME_LEN 64

#define MW_COMM_LEN 16

enum mw_kind {
	MW_EV_MMAP = 1,		/* a process mapped a file whose name passed the filter */
	MW_EV_FORK = 2,		/* a tracked process forked a new process */
	MW_EV_EXEC = 3,		/* a tracked process replaced its program */
	MW_EV_EXIT = 4,		/* the last thread of a tracked process exited */
};

enum mw_path_flags {
	MW_PATH_TRUNCATED = 1,	/* more components than MW_PATH_DEPTH */
};

/* Per-CPU counters, summed by userspace. */
enum mw_stat {
	MW_STAT_LOST = 0,	/* ring buffer full: event dropped */
	MW_STAT_TRACK_FULL = 1,	/* tracked-process table full */
	MW_STAT_MAX = 2,
};

/* Every event starts with this; MW_EV_FORK, EXEC and EXIT are only this. */
struct mw_event {
	__u32 kind;		/* enum mw_kind */
	__u32 pid;		/* thread id of the task (the child for FORK) */
	__u32 tgid;		/* process id (the child's for FORK) */
	__u32 ppid;		/* FORK: the parent's process id; else 0 */
	__u64 time_ns;		/* CLOCK_MONOTONIC */
	char comm[MW_COMM_LEN];
};

/* MW_EV_MMAP: the mapped file, sent after the mmap succeeded. */
struct mw_map_event {
	struct mw_event head;
	__u64 dev;		/* the kernel's dev_t: major << 20 | minor */
	__u64 ino;
	__u32 depth;		/* components used in names[] */
	__u32 flags;		/* enum mw_path_flags */
	__u32 mnt_ns;		/* inode number of the mount namespace */
	__u32 pad;
	char names[MW_PATH_DEPTH][MW_NAME_LEN];	/* names[0] is the base name */
};

#endif
