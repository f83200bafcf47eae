/* scan.h - judging whether a process runs the watched libraries that are on
 * disk now.
 *
 * For every process that maps a watched library, the scanner compares the
 * mapped image (the file the process has mapped, by device and inode) with
 * the disk image (the file now at the same path inside the process's own
 * root), reads build ids and versions of both, and names the process's
 * systemd unit, container and the action that would load the new code.
 * Words and statuses are those of SPEC.md.
 */
#ifndef SSLTRACE_SCAN_H
#define SSLTRACE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "patterns.h"

/* Ordered from best to worst: a process has the worst of its libraries. */
enum image_status {
	STATUS_CURRENT,
	STATUS_REINSTALLED,
	STATUS_UNKNOWN,
	STATUS_STALE,
};

struct library {
	char *path;		/* as the process sees it, without " (deleted)" */
	bool deleted;		/* the kernel marks the mapped file deleted */
	uint64_t mapped_dev;	/* st_dev encoding (makedev) */
	uint64_t mapped_ino;
	enum image_status status;
	char *reason;
	char *mapped_version;	/* "" when unknown, never NULL */
	char *disk_version;
	char *mapped_build_id;
	char *disk_build_id;
};

struct process {
	pid_t pid;
	char *comm;		/* /proc/PID/comm */
	char *exe;		/* /proc/PID/exe target, "" if unreadable */
	char *unit;		/* systemd unit from the cgroup path, or "" */
	char *container;	/* container id, or "" */
	char *root;		/* the process's root directory, "/" usually */
	uint64_t pid_ns;	/* namespace inode numbers, 0 when unreadable */
	uint64_t mnt_ns;
	bool foreign_pid_ns;	/* in another pid namespace than ours */
	bool foreign_mnt_ns;	/* in another mount namespace than ours */
	bool foreign_ns;	/* either of the two */
	enum image_status status;
	int error;		/* negative errno when it could not be inspected */
	char *reason;
	char *action;		/* what to run so it loads the disk image, or "" */
	size_t nlibs;
	struct library *libs;
};

struct scanner;

/* Returns NULL when out of memory.  PATTERNS must outlive the scanner. */
struct scanner *scanner_new(const struct patterns *patterns);
void scanner_free(struct scanner *sc);

/* Forgets cached image facts, so files changed since are read again. */
void scanner_forget_images(struct scanner *sc);

/* Inspects process PID.  Returns 1 with *OUT filled when it maps a watched
 * library, or could not be inspected (status unknown, reason says why);
 * 0 when it maps none; -ESRCH when it exited; -ENOMEM.
 * Release *OUT with process_clear(). */
int scanner_inspect(struct scanner *sc, pid_t pid, struct process *out);

void process_clear(struct process *p);

const char *status_name(enum image_status status);

/* Why a set of processes could not be inspected, counted by errno. */
struct scan_totals {
	unsigned int scanned;		/* processes looked at */
	unsigned int matched;		/* ... that map a watched library */
	unsigned int by_status[STATUS_STALE + 1];
	unsigned int denied;		/* unknown: permission denied */
	unsigned int other_errors;	/* unknown: any other error */
};

void scan_totals_add(struct scan_totals *t, const struct process *p);


/* Called for each process scanner_scan() reports; it owns P from then on
 * and releases it with process_clear().  A negative return stops the scan. */
typedef int (*scan_fn)(struct process *p, void *ctx);

/* Inspects every process in /proc, or only PIDS when NPIDS > 0, and reports
 * those that map a watched library or could not be inspected.  A process
 * of PIDS that does not exist is reported as unknown, "no such process".
 * Counts go to TOTALS.  Returns 0 or a negative errno. */
int scanner_scan(struct scanner *sc, const pid_t *pids, size_t npids,
		 struct scan_totals *totals, scan_fn fn, void *ctx);

#endif
