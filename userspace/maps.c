/* maps.c - parsing one line of /proc/PID/maps (see maps.h).
 *
 * Written to be strict: every field is checked against the exact format the
 * kernel prints (show_map_vma() in fs/proc/task_mmu.c), because the parser
 * runs as root over text that names files chosen by unprivileged users.
 */
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "maps.h"

static const char deleted_suffix[] = " (deleted)";

/* Reads hex digits at *p (up to END); at least one digit, value fits 64 bits. */
static int parse_hex(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	if (s >= end)
		return -EINVAL;
	while (s < end) {
		int d;
		char c = *s;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (v >> 60)
			return -EINVAL;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (s == *p)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int parse_dec(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	while (s < end && *s >= '0' && *s <= '9') {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		s++;
	}
	if (s == *p)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int expect_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

static int skip_spaces(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == *p)
		return -EINVAL;
	*p = s;
	return 0;
}

static int parse_perms(const char **p, const char *end, char perms[5])
{
	static const char allowed[4][3] = {
		{ 'r', '-' }, { 'w', '-' }, { 'x', '-' }, { 'p', 's' }
	};

	if (end - *p < 4)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		char c = (*p)[i];

		if (c != allowed[i][0] && c != allowed[i][1])
			return -EINVAL;
		perms[i] = c;
	}
	perms[4] = '\0';
	*p += 4;
	return 0;
}

int maps_parse_line(const char *line, size_t len, struct maps_entry *out)
{
	const char *p = line;
	const char *end = line + len;
	uint64_t major, minor;

	if (len && end[-1] == '\n')
		end--;
	memset(out, 0, sizeof(*out));

	if (parse_hex(&p, end, &out->start) ||
	    expect_char(&p, end, '-') ||
	    parse_hex(&p, end, &out->end) ||
	    skip_spaces(&p, end) ||
	    parse_perms(&p, end, out->perms) ||
	    skip_spaces(&p, end) ||
	    parse_hex(&p, end, &out->offset) ||
	    skip_spaces(&p, end) ||
	    parse_hex(&p, end, &major) ||
	    expect_char(&p, end, ':') ||
	    parse_hex(&p, end, &minor) ||
	    skip_spaces(&p, end) ||
	    parse_dec(&p, end, &out->inode))
		return -EINVAL;

	/* Linux device numbers: 12-bit major, 20-bit minor. */
	if (out->start > out->end || major > 0xfff || minor > 0xfffff)
		return -EINVAL;
	out->dev_major = (unsigned int)major;
	out->dev_minor = (unsigned int)minor;

	/* The kernel ends the header with a space, then pads to the path,
	 * which anonymous mappings do not have. */
	if (p == end)
		return 0;
	if (skip_spaces(&p, end))
		return -EINVAL;
	if (p == end)
		return 0;

	out->path = p;
	out->path_len = (size_t)(end - p);
	if (out->path_len > sizeof(deleted_suffix) - 1 &&
	    memcmp(end - (sizeof(deleted_suffix) - 1), deleted_suffix,
		   sizeof(deleted_suffix) - 1) == 0) {
		out->deleted = true;
		out->path_len -= sizeof(deleted_suffix) - 1;
	}
	return 0;
}

uint64_t maps_entry_dev(const struct maps_entry *e)
{
	return makedev(e->dev_major, e->dev_minor);
}
