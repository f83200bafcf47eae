/*
 * vmprobe.c: a small static helper for the virtual-machine tests, for what
 * busybox cannot do: call getrandom() with or without GRND_NONBLOCK, and
 * write a value to a file in one write() and report the exact errno.
 *
 * Usage:
 *   vmprobe getrandom --nonblock   exit 0 if the generator is ready,
 *                                  3 if getrandom() says EAGAIN
 *   vmprobe getrandom --wait       block until it is ready, then exit 0
 *   vmprobe write FILE VALUE       one write(2) of VALUE (no newline); prints
 *                                  "ok" or the errno name (EINVAL, ...)
 *   vmprobe write FILE --repeat N CHAR
 *                                  the same with N copies of CHAR
 *   vmprobe write-unload FILE VALUE MODULE
 *                                  the write, then at once delete_module();
 *                                  prints "unloaded in N us"
 *
 * Results go to stdout, errors to stderr; usage errors exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: vmprobe getrandom --nonblock | --wait\n"
		"       vmprobe write FILE VALUE\n"
		"       vmprobe write FILE --repeat N CHAR   (N from 1 to 65536)\n"
		"       vmprobe write-unload FILE VALUE MODULE\n"
		"\n"
		"EXAMPLES\n"
		"  vmprobe getrandom --nonblock && echo ready\n"
		"  vmprobe write /sys/kernel/jitter_rng/osr abc     # prints EINVAL\n"
		"  vmprobe write /sys/kernel/jitter_rng/osr --repeat 4096 7\n"
		"  vmprobe write-unload /sys/kernel/jitter_rng/osr 15 jitter_rng\n");
	return 2;
}

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EAGAIN: return "EAGAIN";
	case EFAULT: return "EFAULT";
	case EIO: return "EIO";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	default: return strerror(e);
	}
}

static int probe_getrandom(const char *mode)
{
	unsigned char buf[16];
	int flags;
	ssize_t n;

	if (strcmp(mode, "--nonblock") == 0)
		flags = GRND_NONBLOCK;
	else if (strcmp(mode, "--wait") == 0)
		flags = 0;
	else
		return usage();
	do {
		n = getrandom(buf, sizeof(buf), flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN) {
		printf("EAGAIN\n");
		return 3;
	}
	if (n < 0) {
		fprintf(stderr, "vmprobe: getrandom: %s\n", strerror(errno));
		return 1;
	}
	printf("ready\n");
	return 0;
}

static int probe_write(const char *path, const char *value, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "vmprobe: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	n = write(fd, value, len);
	if (n < 0)
		printf("%s\n", errno_name(errno));
	else if ((size_t)n != len)
		printf("short %zd of %zu\n", n, len);
	else
		printf("ok\n");
	close(fd);
	return 0;
}

/* Write, then unload with no fork or exec in between: the module's thread
 * is caught in the work the write started. */
static int probe_write_unload(const char *path, const char *value,
			      const char *module)
{
	struct timespec t0, t1;
	long us;

	if (probe_write(path, value, strlen(value)))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (syscall(SYS_delete_module, module, O_NONBLOCK) != 0) {
		fprintf(stderr, "vmprobe: delete_module %s: %s\n", module,
			strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
	printf("unloaded in %ld us\n", us);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "write-unload") == 0)
		return probe_write_unload(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "getrandom") == 0)
		return probe_getrandom(argv[2]);
	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return probe_write(argv[2], argv[3], strlen(argv[3]));
	if (argc == 6 && strcmp(argv[1], "write") == 0 &&
	    strcmp(argv[3], "--repeat") == 0 && strlen(argv[5]) == 1) {
		char *end, *buf;
		long n;
		int rc;

		errno = 0;
		n = strtol(argv[4], &end, 10);
		if (errno || *end || end == argv[4] || n < 1 || n > 65536) {
			fprintf(stderr, "vmprobe: --repeat takes 1 to 65536, not '%s'\n",
				argv[4]);
			return 2;
		}
		buf = malloc(n);
		if (!buf) {
			fprintf(stderr, "vmprobe: out of memory\n");
			return 1;
		}
		memset(buf, argv[5][0], n);
		rc = probe_write(argv[2], buf, n);
		free(buf);
		return rc;
	}
	return usage();
}
