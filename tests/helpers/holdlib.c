/* holdlib.c - a test process that maps libraries and keeps them mapped.
 *
 * Usage: holdlib [--mmap] [--on-signal] [--ready FILE] LIBRARY...
 *
 * Loads each LIBRARY with dlopen() (or, with --mmap, maps it read+exec the
 * way the dynamic loader maps a text segment, which also works in a static
 * build, HOLDLIB_STATIC, inside a chroot), creates FILE to say it is done, then waits until
 * it is killed.  With --on-signal it waits for SIGUSR1 before loading, to
 * test libraries loaded long after a process started.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int map_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return -1;
	}
	if (mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_EXEC, MAP_PRIVATE,
		 fd, 0) == MAP_FAILED) {
		perror(path);
		return -1;
	}
	close(fd);
	return 0;
}

static int load(const char *path, int use_mmap)
{
	if (use_mmap)
		return map_file(path);
#ifdef HOLDLIB_STATIC
	fprintf(stderr, "holdlib: the static build maps only (--mmap)\n");
	return -1;
#else
	if (!dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
		fprintf(stderr, "holdlib: %s\n", dlerror());
		return -1;
	}
	return 0;
#endif
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	int use_mmap = 0, on_signal = 0, i = 1;
	sigset_t usr1;

	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--mmap") == 0)
			use_mmap = 1;
		else if (strcmp(argv[i], "--on-signal") == 0)
			on_signal = 1;
		else if (strcmp(argv[i], "--ready") == 0 && i + 1 < argc)
			ready = argv[++i];
		else
			break;
	}
	if (i == argc) {
		fprintf(stderr, "usage: holdlib [--mmap] [--on-signal] [--ready FILE] LIBRARY...\n");
		return 2;
	}

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	if (on_signal) {
		int sig;

		if (ready)
			close(open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		sigwait(&usr1, &sig);
		if (ready)
			unlink(ready);
	}
	for (; i < argc; i++)
		if (load(argv[i], use_mmap))
			return 1;
	if (ready)
		close(open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	for (;;)
		pause();
}
