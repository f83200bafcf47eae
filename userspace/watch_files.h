/* watch_files.h - noticing that a mapped watched library is deleted or
 * replaced on disk, with inotify on the directories that hold them.
 *
 * Why inotify and not eBPF: the host kernel has syscall tracepoints only,
 * and a rename or unlink syscall names its file by a user-memory string
 * relative to a directory fd, the cwd and the caller's namespace; resolving
 * that in the kernel is neither possible from a tracepoint nor race free.
 * inotify reports the change from the VFS, after it happened, on the very
 * directory inode, whatever mount namespace or path made the change.
 */
#ifndef SSLTRACE_WATCH_FILES_H
#define SSLTRACE_WATCH_FILES_H

#include <stdint.h>

struct filewatch;

/* A change to the directory entry NAME under watch WD; WD is -1 and NAME
 * NULL when the kernel's queue overflowed and changes were lost. */
typedef void (*filewatch_fn)(int wd, const char *name, void *ctx);

/* Returns 0 or a negative errno. */
int filewatch_open(struct filewatch **out);
void filewatch_close(struct filewatch *fw);
int filewatch_fd(const struct filewatch *fw);

/* Watches the directory that holds FILE, a path as this process can open
 * it (/proc/PID/root/... for a process in another mount namespace).
 * Returns the watch descriptor (the same for the same directory), or a
 * negative errno. */
int filewatch_add_dir_of(struct filewatch *fw, const char *file);

/* Reads the waiting changes and calls FN for each.  Returns 0 or a
 * negative errno. */
int filewatch_read(struct filewatch *fw, filewatch_fn fn, void *ctx);

/* Changes lost to queue overflows so far. */
uint64_t filewatch_overflows(const struct filewatch *fw);

#endif
