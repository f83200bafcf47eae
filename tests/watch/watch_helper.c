/* watch_helper.c - the processes the `ssltrace watch` host tests observe.
 *
 *   watch-helper map [--hold-ms N] [--fork] FILE...
 *       maps each FILE (read-only, private), prints "mapped PID", then holds
 *       for N ms (default: until a signal) and exits.  With --fork it then
 *       forks a child that inherits the mappings, prints "forked PID" and
 *       holds as well.
 *   watch-helper map-exec FILE PROGRAM [ARG...]
 *       maps FILE, prints "mapped PID", then execs PROGRAM.
 *   watch-helper dlopen --after-ms N [--hold-ms M] LIBRARY
 *       waits N ms, dlopen()s LIBRARY, prints "loaded PID", holds M ms (default:
 *       until a signal).
 *   watch-helper storm --rate R --seconds S FILE
 *       mmaps and munmaps FILE R times a second for S seconds; prints
 *       "storm CALLS SECONDS RATE" with what it achieved.
 *
 * Exit status 0, or 2 with a message on bad arguments or a failed call.
 * Built statically for the test VM with WATCH_HELPER_STATIC, without dlopen.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "watch-helper: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long number(const char *opt, const char *arg, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 0 || v > max) {
		fprintf(stderr, "watch-helper: %s: '%s' is not a number (0 to %ld)\n",
			opt, arg, max);
		exit(2);
	}
	return v;
}

static void hold(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (ms < 0) {
		pause();
		return;
	}
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void *map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		die(path);
	*len = st.st_size ? (size_t)st.st_size : 1;
	p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die(path);
	close(fd);
	return p;
}

static int cmd_map(int argc, char **argv)
{
	long hold_ms = -1;
	bool do_fork = false;
	int i = 0;

	for (;;) {
		if (i + 1 < argc && strcmp(argv[i], "--hold-ms") == 0) {
			hold_ms = number("--hold-ms", argv[i + 1], 3600000);
			i += 2;
		} else if (i < argc && strcmp(argv[i], "--fork") == 0) {
			do_fork = true;
			i++;
		} else {
			break;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "watch-helper map: give at least one FILE\n");
		return 2;
	}
	for (; i < argc; i++) {
		size_t len;

		map_file(argv[i], &len);
	}
	printf("mapped %d\n", (int)getpid());
	fflush(stdout);
	if (do_fork) {
		pid_t child = fork();

		if (child < 0)
			die("fork");
		if (child == 0) {
			printf("forked %d\n", (int)getpid());
			fflush(stdout);
		}
	}
	hold(hold_ms);
	return 0;
}

static int cmd_map_exec(int argc, char **argv)
{
	size_t len;

	if (argc < 2) {
		fprintf(stderr, "watch-helper map-exec: FILE PROGRAM [ARG...]\n");
		return 2;
	}
	map_file(argv[0], &len);
	printf("mapped %d\n", (int)getpid());
	fflush(stdout);
	execvp(argv[1], argv + 1);
	die(argv[1]);
	return 2;
}

static int cmd_dlopen(int argc, char **argv)
{
	long after = -1, hold_ms = -1;
	int i;

	for (i = 0; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--after-ms") == 0)
			after = number("--after-ms", argv[i + 1], 3600000);
		else if (strcmp(argv[i], "--hold-ms") == 0)
			hold_ms = number("--hold-ms", argv[i + 1], 3600000);
		else
			break;
	}
	if (after < 0 || i + 1 != argc) {
		fprintf(stderr, "watch-helper dlopen: --after-ms N [--hold-ms M] LIBRARY\n");
		return 2;
	}
	hold(after);
#ifdef WATCH_HELPER_STATIC
	fprintf(stderr, "watch-helper: dlopen: not in the static build\n");
	return 2;
#else
	if (!dlopen(argv[i], RTLD_NOW | RTLD_LOCAL)) {
		fprintf(stderr, "watch-helper: dlopen: %s\n", dlerror());
		return 2;
	}
#endif
	printf("loaded %d\n", (int)getpid());
	fflush(stdout);
	hold(hold_ms);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_storm(int argc, char **argv)
{
	long rate = 0, seconds = 0;
	unsigned long calls = 0;
	double start, t;
	int i, fd;

	for (i = 0; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--rate") == 0)
			rate = number("--rate", argv[i + 1], 100000000);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = number("--seconds", argv[i + 1], 3600);
		else
			break;
	}
	if (rate < 1 || seconds < 1 || i + 1 != argc) {
		fprintf(stderr, "watch-helper storm: --rate R --seconds S FILE\n");
		return 2;
	}
	fd = open(argv[i], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(argv[i]);

	/* Paced in slices of a millisecond, so the rate holds on a busy box
	 * when it can, and the shortfall shows when it cannot. */
	start = now();
	while ((t = now()) - start < (double)seconds) {
		unsigned long due = (unsigned long)((t - start) * (double)rate);

		if (calls >= due) {
			struct timespec ts = { 0, 200000 };

			nanosleep(&ts, NULL);
			continue;
		}
		while (calls < due) {
			void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);

			if (p == MAP_FAILED)
				die("mmap");
			munmap(p, 4096);
			calls++;
		}
	}
	t = now() - start;
	printf("storm %lu %.3f %.0f\n", calls, t, (double)calls / t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "map") == 0)
		return cmd_map(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "map-exec") == 0)
		return cmd_map_exec(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "dlopen") == 0)
		return cmd_dlopen(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "storm") == 0)
		return cmd_storm(argc - 2, argv + 2);
	fprintf(stderr, "usage: watch-helper map|dlopen|storm ... (see the source)\n");
	return 2;
}
