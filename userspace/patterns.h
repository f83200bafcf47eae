/* patterns.h - the watched-library patterns (--lib GLOB).
 *
 * A pattern without a '/' matches a file's base name ("libssl.so*"); one
 * with a '/' matches the whole path.  The defaults are libssl.so* and
 * libcrypto.so*.
 */
#ifndef SSLTRACE_PATTERNS_H
#define SSLTRACE_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

#define PATTERNS_MAX 32
#define PATTERN_LEN_MAX 255

struct patterns {
	const char *globs[PATTERNS_MAX];
	size_t count;
};

/* Adds GLOB (kept by reference).  Returns 0, or -EINVAL (empty, too long,
 * a path pattern that is not absolute) or -E2BIG (too many patterns). */
int patterns_add(struct patterns *p, const char *glob);

/* Uses the defaults when no pattern was added. */
void patterns_default(struct patterns *p);

/* Whether PATH (LEN bytes, not necessarily terminated) is watched. */
bool patterns_match(const struct patterns *p, const char *path, size_t len);

/* The literal prefix of a glob's base name, before its first wildcard
 * ("libssl.so" for "libssl.so*"), for filters that cannot run fnmatch. */
size_t patterns_literal_prefix(const char *glob, char *out, size_t size);

#endif
