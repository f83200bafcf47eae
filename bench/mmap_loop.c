/* mmap_loop.c - the cost of an mmap/munmap pair, for bench/watch_mmap.sh:
 * maps and unmaps the first page of FILE COUNT times and prints the mean
 * nanoseconds per pair.  Run once without `ssltrace watch` and once with
 * it, the difference is what watching adds to every mmap of that file.
 *
 * Usage: mmap-loop FILE COUNT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	unsigned long count;
	char *end;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: mmap-loop FILE COUNT\n");
		return 2;
	}
	errno = 0;
	count = strtoul(argv[2], &end, 10);
	if (errno || *end || count < 1 || count > 100000000UL) {
		fprintf(stderr, "mmap-loop: COUNT: '%s' is not a number from 1 to 100000000\n",
			argv[2]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "mmap-loop: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < count; i++) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);

		if (p == MAP_FAILED) {
			fprintf(stderr, "mmap-loop: mmap: %s\n", strerror(errno));
			return 2;
		}
		munmap(p, 4096);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.1f\n", ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
			  (double)(t1.tv_nsec - t0.tv_nsec)) / (double)count);
	return 0;
}
