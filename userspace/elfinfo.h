/* elfinfo.h - what ssltrace reads from a shared library's ELF image: its GNU
 * build id, the OpenSSL version string it carries, and its soname.
 */
#ifndef SSLTRACE_ELFINFO_H
#define SSLTRACE_ELFINFO_H

#include <stddef.h>

#define ELF_BUILD_ID_MAX 64	/* bytes; GNU ld writes 20 (sha1) */
#define ELF_VERSION_MAX 128

struct elf_facts {
	char build_id[ELF_BUILD_ID_MAX * 2 + 1];	/* lowercase hex, "" if none */
	char version[ELF_VERSION_MAX];	/* "OpenSSL 3.0.22 25 Aug 2026", "" if none */
	char soname[ELF_VERSION_MAX];	/* DT_SONAME, "" if none */
};

/* Reads the facts of the ELF image open at FD (the offset is not used).
 * Returns 0, or a negative errno: -ENOEXEC when it is not an ELF image. */
int elf_facts_read_fd(int fd, struct elf_facts *out);

/* The same, for an image held in memory (used by the fuzzer and tests). */
int elf_facts_read_memory(const void *image, size_t size,
			  struct elf_facts *out);

/* The version to show: the OpenSSL version string, else the soname. */
const char *elf_facts_version(const struct elf_facts *facts);

#endif
