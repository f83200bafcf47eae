/* patterns.c - matching file paths against the watched-library globs. */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"

int patterns_add(struct patterns *p, const char *glob)
{
	size_t len = strlen(glob);

	if (len == 0 || len > PATTERN_LEN_MAX)
		return -EINVAL;
	if (strchr(glob, '/') && glob[0] != '/')
		return -EINVAL;
	if (p->count == PATTERNS_MAX)
		return -E2BIG;
	p->globs[p->count++] = glob;
	return 0;
}

void patterns_default(struct patterns *p)
{
	if (p->count)
		return;
	p->globs[p->count++] = "libssl.so*";
	p->globs[p->count++] = "libcrypto.so*";
}

bool patterns_match(const struct patterns *p, const char *path, size_t len)
{
	char stack[PATH_MAX];
	char *buf = stack;
	const char *base;
	bool hit = false;

	/* Paths in maps can be longer than PATH_MAX (deep directories). */
	if (len >= sizeof(stack)) {
		buf = malloc(len + 1);
		if (!buf)
			return false;
	}
	memcpy(buf, path, len);
	buf[len] = '\0';
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;

	for (size_t i = 0; i < p->count && !hit; i++) {
		const char *glob = p->globs[i];

		hit = strchr(glob, '/') ? fnmatch(glob, buf, FNM_PATHNAME) == 0
					: fnmatch(glob, base, 0) == 0;
	}
	if (buf != stack)
		free(buf);
	return hit;
}

size_t patterns_literal_prefix(const char *glob, char *out, size_t size)
{
	const char *base = strrchr(glob, '/');
	size_t n;

	base = base ? base + 1 : glob;
	n = strcspn(base, "*?[\\");
	if (n >= size)
		n = size - 1;
	memcpy(out, base, n);
	out[n] = '\0';
	return n;
}
