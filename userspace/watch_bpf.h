/* watch_bpf.h - loading the mapwatch eBPF program (bpf/mapwatch.bpf.c) and
 * reading its events: which process maps a watched library, and the fork,
 * exec and exit of those that have one.
 */
#ifndef SSLTRACE_WATCH_BPF_H
#define SSLTRACE_WATCH_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/types.h>
#include "mapwatch.h"
#include "patterns.h"

struct mapwatch;

/* Called for every event, copied out of the ring buffer; SIZE is the size
 * the kernel sent (a struct mw_map_event for MW_EV_MMAP).  A negative
 * return stops the current poll and is returned by mapwatch_consume(). */
typedef int (*mapwatch_fn)(const struct mw_event *e, size_t size, void *ctx);

/* Loads and attaches the program with the literal prefixes of PATTERNS as
 * its filter and a ring buffer of RING_PAGES pages (a power of two).
 * Mounts tracefs when it is not mounted.  Returns 0 or a negative errno;
 * the step that failed is printed to stderr. */
int mapwatch_open(const struct patterns *patterns, unsigned int ring_pages,
		  bool verbose, mapwatch_fn fn, void *ctx,
		  struct mapwatch **out);
void mapwatch_close(struct mapwatch *mw);

/* A file descriptor that is readable when events are waiting. */
int mapwatch_fd(const struct mapwatch *mw);

/* Handles every waiting event.  Returns how many, or a negative errno. */
int mapwatch_consume(struct mapwatch *mw);

/* Marks TGID as a process with a watched library, so its fork, exec and
 * exit are reported.  Returns 0 or a negative errno. */
int mapwatch_track(struct mapwatch *mw, pid_t tgid);

/* Events the kernel dropped because the ring buffer was full, and
 * processes it could not track because its table was full. */
uint64_t mapwatch_lost(const struct mapwatch *mw);
uint64_t mapwatch_track_full(const struct mapwatch *mw);

/* The path an MW_EV_MMAP event carries, joined ("/usr/lib/libssl.so.3");
 * relative to the root of the process's mount namespace.  Returns false
 * when it was cut (too deep) or does not fit SIZE. */
bool mapwatch_event_path(const struct mw_map_event *e, char *buf, size_t size);

/* The kernel's dev_t of an event as the st_dev userspace sees. */
uint64_t mapwatch_dev_to_user(uint64_t kdev);

#endif
