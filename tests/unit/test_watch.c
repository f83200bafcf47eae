/* test_watch.c - unit tests of the parts of `ssltrace watch` that need no
 * root: joining an event's path components, the kernel-to-userspace device
 * number, and the inotify file watcher on a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tap.h"
#include "watch_bpf.h"
#include "watch_files.h"

static struct mw_map_event event_of(const char *const *names, unsigned int n)
{
	struct mw_map_event e;

	memset(&e, 0, sizeof(e));
	e.head.kind = MW_EV_MMAP;
	for (unsigned int i = 0; i < n; i++)
		snprintf(e.names[i], MW_NAME_LEN, "%s", names[i]);
	e.depth = n;
	return e;
}

static void event_path_joins_components_root_first(void)
{
	const char *const names[] = { "libssl.so.3", "x86_64-linux-gnu", "lib", "usr" };
	struct mw_map_event e = event_of(names, 4);
	char buf[256];

	EXPECT(mapwatch_event_path(&e, buf, sizeof(buf)));
	EXPECT_STR(buf, "/usr/lib/x86_64-linux-gnu/libssl.so.3");
}

static void event_path_of_the_root_is_a_slash(void)
{
	struct mw_map_event e = event_of(NULL, 0);
	char buf[8];

	EXPECT(mapwatch_event_path(&e, buf, sizeof(buf)));
	EXPECT_STR(buf, "/");
}

static void event_path_cut_by_the_kernel_is_not_whole(void)
{
	const char *const names[] = { "libssl.so.3", "deep" };
	struct mw_map_event e = event_of(names, 2);
	char buf[256];

	e.flags = MW_PATH_TRUNCATED;
	EXPECT(!mapwatch_event_path(&e, buf, sizeof(buf)));
	EXPECT_STR(buf, "/deep/libssl.so.3");
}

static void event_path_too_long_for_the_buffer_is_not_whole(void)
{
	const char *const names[] = { "libssl.so.3", "lib", "usr" };
	struct mw_map_event e = event_of(names, 3);
	char buf[10];

	EXPECT(!mapwatch_event_path(&e, buf, sizeof(buf)));
}

static void event_path_ignores_a_depth_past_the_array(void)
{
	const char *const names[] = { "a" };
	struct mw_map_event e = event_of(names, 1);
	char buf[4096];

	e.depth = 1000;	/* a corrupt event must not read past names[] */
	mapwatch_event_path(&e, buf, sizeof(buf));
	EXPECT(strlen(buf) < (size_t)MW_PATH_DEPTH * MW_NAME_LEN);
}

static void kernel_dev_becomes_the_st_dev_encoding(void)
{
	EXPECT_INT(mapwatch_dev_to_user(8ULL << 20 | 1), makedev(8, 1));
	EXPECT_INT(mapwatch_dev_to_user(259ULL << 20 | 0x12345), makedev(259, 0x12345));
	EXPECT_INT(mapwatch_dev_to_user(0), makedev(0, 0));
}

/* ---- the file watcher ---- */

struct seen {
	int wd;
	char names[8][64];
	int n;
};

static void note(int wd, const char *name, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->wd = wd;
		snprintf(s->names[s->n++], 64, "%s", name ? name : "(overflow)");
	}
}

static bool saw(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return true;
	return false;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
}

static void filewatch_reports_a_rename_over_the_file(void)
{
	char dir[] = "/tmp/test_watch.XXXXXX", lib[64], tmp[64];
	struct filewatch *fw = NULL;
	struct seen s = { 0 };
	int wd;

	EXPECT(mkdtemp(dir) != NULL);
	snprintf(lib, sizeof(lib), "%s/libssl.so.3", dir);
	snprintf(tmp, sizeof(tmp), "%s/libssl.so.3.dpkg-new", dir);
	touch(lib);
	EXPECT_INT(filewatch_open(&fw), 0);
	if (!fw)
		return;
	wd = filewatch_add_dir_of(fw, lib);
	EXPECT(wd >= 0);
	EXPECT_INT(filewatch_add_dir_of(fw, tmp), wd);	/* same directory */

	touch(tmp);
	EXPECT_INT(rename(tmp, lib), 0);
	EXPECT_INT(filewatch_read(fw, note, &s), 0);
	EXPECT(saw(&s, "libssl.so.3"));
	EXPECT_INT(s.wd, wd);

	s.n = 0;
	EXPECT_INT(unlink(lib), 0);
	EXPECT_INT(filewatch_read(fw, note, &s), 0);
	EXPECT(saw(&s, "libssl.so.3"));

	s.n = 0;
	EXPECT_INT(filewatch_read(fw, note, &s), 0);	/* nothing left */
	EXPECT_INT(s.n, 0);
	filewatch_close(fw);
	rmdir(dir);
}

static void filewatch_refuses_a_path_without_a_directory(void)
{
	struct filewatch *fw = NULL;

	EXPECT_INT(filewatch_open(&fw), 0);
	if (!fw)
		return;
	EXPECT(filewatch_add_dir_of(fw, "libssl.so.3") < 0);
	EXPECT(filewatch_add_dir_of(fw, "/nonexistent-dir-for-test/libssl.so.3") < 0);
	filewatch_close(fw);
}

int main(void)
{
	RUN(event_path_joins_components_root_first);
	RUN(event_path_of_the_root_is_a_slash);
	RUN(event_path_cut_by_the_kernel_is_not_whole);
	RUN(event_path_too_long_for_the_buffer_is_not_whole);
	RUN(event_path_ignores_a_depth_past_the_array);
	RUN(kernel_dev_becomes_the_st_dev_encoding);
	RUN(filewatch_reports_a_rename_over_the_file);
	RUN(filewatch_refuses_a_path_without_a_directory);
	return TAP_EXIT();
}
