/* watch_files.c - inotify on the directories that hold mapped watched
 * libraries (see watch_files.h for why inotify).
 *
 * The events that change which file a path names: a rename onto it
 * (IN_MOVED_TO, what dpkg and rpm do), an unlink (IN_DELETE), a rename
 * away (IN_MOVED_FROM), a new file after a delete (IN_CREATE), and a write
 * in place (IN_CLOSE_WRITE), which keeps the inode but not the content.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "watch_files.h"

#define FILEWATCH_MASK (IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | \
			IN_CLOSE_WRITE | IN_ONLYDIR)

struct filewatch {
	int fd;
	uint64_t overflows;
};

int filewatch_open(struct filewatch **out)
{
	struct filewatch *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return -ENOMEM;
	fw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fw->fd < 0) {
		int err = -errno;

		free(fw);
		return err;
	}
	*out = fw;
	return 0;
}

void filewatch_close(struct filewatch *fw)
{
	if (!fw)
		return;
	close(fw->fd);
	free(fw);
}

int filewatch_fd(const struct filewatch *fw)
{
	return fw->fd;
}

int filewatch_add_dir_of(struct filewatch *fw, const char *file)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(file, '/');
	size_t len;
	int wd;

	if (!slash)
		return -EINVAL;
	len = slash == file ? 1 : (size_t)(slash - file);
	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, file, len);
	dir[len] = '\0';
	wd = inotify_add_watch(fw->fd, dir, FILEWATCH_MASK);
	return wd < 0 ? -errno : wd;
}

int filewatch_read(struct filewatch *fw, filewatch_fn fn, void *ctx)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t n = read(fw->fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->mask & IN_Q_OVERFLOW) {
				fw->overflows++;
				fn(-1, NULL, ctx);
			} else if (ev->len && !(ev->mask & IN_IGNORED)) {
				fn(ev->wd, ev->name, ctx);
			}
			p += sizeof(*ev) + ev->len;
		}
	}
}

uint64_t filewatch_overflows(const struct filewatch *fw)
{
	return fw->overflows;
}
