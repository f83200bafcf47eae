/* test_elfinfo.c - unit tests of reading build ids, version strings and
 * sonames from ELF images.  FIXTURE_DIR holds two libraries built for it:
 * fixture.so (build id 0x0123456789abcdef, soname libfixture.so.7, version
 * "OpenSSL 9.8.7 1 Jan 2030") and fixture-nover.so (no version string). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "elfinfo.h"
#include "tap.h"

static int read_file(const char *name, struct elf_facts *f)
{
	char path[512];
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("# cannot open %s\n", path);
		return -errno;
	}
	err = elf_facts_read_fd(fd, f);
	close(fd);
	return err;
}

static void build_id_version_and_soname_are_read(void)
{
	struct elf_facts f;

	EXPECT_INT(read_file("fixture.so", &f), 0);
	EXPECT_STR(f.build_id, "0123456789abcdef");
	EXPECT_STR(f.version, "OpenSSL 9.8.7 1 Jan 2030");
	EXPECT_STR(f.soname, "libfixture.so.7");
	EXPECT_STR(elf_facts_version(&f), "OpenSSL 9.8.7 1 Jan 2030");
}

static void without_a_version_string_the_soname_is_the_version(void)
{
	struct elf_facts f;

	EXPECT_INT(read_file("fixture-nover.so", &f), 0);
	EXPECT_STR(f.version, "");
	EXPECT_STR(elf_facts_version(&f), "libfixture.so.7");
}

static void a_file_that_is_not_elf_is_refused(void)
{
	static const char text[] = "#!/bin/sh\necho not a library\n";
	struct elf_facts f;

	EXPECT_INT(elf_facts_read_memory(text, sizeof(text), &f), -ENOEXEC);
	EXPECT_STR(f.build_id, "");
}

static void a_truncated_image_gives_what_it_can_without_crashing(void)
{
	char path[512];
	struct elf_facts f;
	char buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/fixture.so", FIXTURE_DIR);
	fd = open(path, O_RDONLY);
	EXPECT(fd >= 0);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	for (size_t len = 0; len <= (size_t)n; len += 7)
		elf_facts_read_memory(buf, len, &f);
	EXPECT_INT(elf_facts_read_memory(buf, 16, &f), -ENOEXEC);
}

int main(void)
{
	RUN(build_id_version_and_soname_are_read);
	RUN(without_a_version_string_the_soname_is_the_version);
	RUN(a_file_that_is_not_elf_is_refused);
	RUN(a_truncated_image_gives_what_it_can_without_crashing);
	return TAP_EXIT();
}
