/* test_maps.c - unit tests of the /proc/PID/maps line parser and of the
 * watched-library patterns. */
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "maps.h"
#include "patterns.h"
#include "tap.h"

static int parse(const char *line, struct maps_entry *e)
{
	return maps_parse_line(line, strlen(line), e);
}

static char *path_of(const struct maps_entry *e)
{
	static char buf[512];

	memcpy(buf, e->path, e->path_len);
	buf[e->path_len] = '\0';
	return buf;
}

static void library_line_gives_every_field(void)
{
	struct maps_entry e;

	EXPECT_INT(parse("7f1c2a000000-7f1c2a0c4000 r-xp 00045000 fe:01 1048602                    /usr/lib/x86_64-linux-gnu/libssl.so.3\n", &e), 0);
	EXPECT_INT(e.start, 0x7f1c2a000000ULL);
	EXPECT_INT(e.end, 0x7f1c2a0c4000ULL);
	EXPECT_STR(e.perms, "r-xp");
	EXPECT_INT(e.offset, 0x45000);
	EXPECT_INT(e.dev_major, 0xfe);
	EXPECT_INT(e.dev_minor, 1);
	EXPECT_INT(e.inode, 1048602);
	EXPECT_STR(path_of(&e), "/usr/lib/x86_64-linux-gnu/libssl.so.3");
	EXPECT(!e.deleted);
}

static void deleted_suffix_is_removed_and_flagged(void)
{
	struct maps_entry e;

	EXPECT_INT(parse("7f00-8f00 r--p 00000000 00:2d 77 /opt/app/libcrypto.so.3 (deleted)", &e), 0);
	EXPECT(e.deleted);
	EXPECT_STR(path_of(&e), "/opt/app/libcrypto.so.3");
}

static void path_with_spaces_is_kept_whole(void)
{
	struct maps_entry e;

	EXPECT_INT(parse("1000-2000 r-xp 00000000 08:02 12 /srv/my app/lib dir/libssl.so.3", &e), 0);
	EXPECT_STR(path_of(&e), "/srv/my app/lib dir/libssl.so.3");
	EXPECT(!e.deleted);
}

static void anonymous_mapping_has_no_path(void)
{
	struct maps_entry e;

	EXPECT_INT(parse("7ffd5a1b2000-7ffd5a1d3000 rw-p 00000000 00:00 0 ", &e), 0);
	EXPECT_INT(e.path_len, 0);
	EXPECT_INT(parse("7ffd5a1b2000-7ffd5a1d3000 rw-p 00000000 00:00 0", &e), 0);
	EXPECT_INT(e.path_len, 0);
	EXPECT_INT(parse("7ffd5a1b2000-7ffd5a1d3000 rw-p 00000000 00:00 0                          [stack]", &e), 0);
	EXPECT_STR(path_of(&e), "[stack]");
}

static void device_is_compared_in_st_dev_encoding(void)
{
	struct maps_entry e;

	/* Major 0 with a minor above 255, as btrfs and overlayfs have. */
	EXPECT_INT(parse("1000-2000 r--p 00000000 00:1a3 99 /x/libssl.so.3", &e), 0);
	EXPECT_INT(maps_entry_dev(&e), makedev(0, 0x1a3));
	EXPECT_INT(parse("1000-2000 r--p 00000000 103:05 99 /x/libssl.so.3", &e), 0);
	EXPECT_INT(maps_entry_dev(&e), makedev(0x103, 5));
}

static void malformed_lines_are_refused(void)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"1000 r--p 00000000 08:01 5 /x",
		"1000-2000 rwzp 00000000 08:01 5 /x",
		"1000-2000 r--p 00000000 0801 5 /x",
		"1000-2000 r--p 00000000 08:01 /x",
		"2000-1000 r--p 00000000 08:01 5 /x",
		"1000-2000 r--p 00000000 1000:01 5 /x",
		"1000-2000 r--p 00000000 08:01 99999999999999999999999 /x",
		"10000000000000000-2000 r--p 00000000 08:01 5 /x",
		"1000-2000r--p 00000000 08:01 5 /x",
	};
	struct maps_entry e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (parse(bad[i], &e) != -EINVAL) {
			printf("# accepted: \"%s\"\n", bad[i]);
			tap_case_failed = 1;
		}
	}
}

static void default_patterns_match_libssl_and_libcrypto_by_base_name(void)
{
	struct patterns p = { 0 };
	const char *a = "/usr/lib/x86_64-linux-gnu/libssl.so.3";
	const char *b = "/opt/x/libcrypto.so.1.1";
	const char *c = "/usr/lib/libssl3.so";
	const char *d = "/usr/lib/libcrypto.so.3/other";

	patterns_default(&p);
	EXPECT(patterns_match(&p, a, strlen(a)));
	EXPECT(patterns_match(&p, b, strlen(b)));
	EXPECT(!patterns_match(&p, c, strlen(c)));
	EXPECT(!patterns_match(&p, d, strlen(d)));
}

static void lib_option_replaces_defaults_and_path_globs_match_whole_path(void)
{
	struct patterns p = { 0 };
	const char *z = "/usr/lib/libz.so.1";
	const char *s = "/usr/lib/libssl.so.3";
	const char *o = "/opt/app/lib/libssl.so.3";

	EXPECT_INT(patterns_add(&p, "libz.so*"), 0);
	EXPECT_INT(patterns_add(&p, "/opt/*/lib/*"), 0);
	patterns_default(&p);
	EXPECT_INT(p.count, 2);
	EXPECT(patterns_match(&p, z, strlen(z)));
	EXPECT(!patterns_match(&p, s, strlen(s)));
	EXPECT(patterns_match(&p, o, strlen(o)));
}

static void bad_patterns_are_refused(void)
{
	struct patterns p = { 0 };
	char long_glob[PATTERN_LEN_MAX + 2];

	memset(long_glob, 'a', sizeof(long_glob) - 1);
	long_glob[sizeof(long_glob) - 1] = '\0';
	EXPECT(patterns_add(&p, "") < 0);
	EXPECT(patterns_add(&p, "lib/x") < 0);
	EXPECT(patterns_add(&p, long_glob) < 0);
	for (int i = 0; i < PATTERNS_MAX; i++)
		EXPECT_INT(patterns_add(&p, "x"), 0);
	EXPECT(patterns_add(&p, "x") < 0);
}

static void literal_prefix_stops_at_the_first_wildcard(void)
{
	char buf[64];

	EXPECT_INT(patterns_literal_prefix("libssl.so*", buf, sizeof(buf)), 9);
	EXPECT_STR(buf, "libssl.so");
	patterns_literal_prefix("/opt/*/lib[cC]rypto*", buf, sizeof(buf));
	EXPECT_STR(buf, "lib");
	patterns_literal_prefix("*", buf, sizeof(buf));
	EXPECT_STR(buf, "");
}

int main(void)
{
	RUN(library_line_gives_every_field);
	RUN(deleted_suffix_is_removed_and_flagged);
	RUN(path_with_spaces_is_kept_whole);
	RUN(anonymous_mapping_has_no_path);
	RUN(device_is_compared_in_st_dev_encoding);
	RUN(malformed_lines_are_refused);
	RUN(default_patterns_match_libssl_and_libcrypto_by_base_name);
	RUN(lib_option_replaces_defaults_and_path_globs_match_whole_path);
	RUN(bad_patterns_are_refused);
	RUN(literal_prefix_stops_at_the_first_wildcard);
	return TAP_EXIT();
}
