/* maps.h - parsing one line of /proc/PID/maps.
 *
 * A line reads "START-END PERMS OFFSET MAJOR:MINOR INODE   PATH", where the
 * device is the kernel's MAJOR(dev) and MINOR(dev) in hex, and PATH is the
 * rest of the line: it may hold spaces, and the kernel appends " (deleted)"
 * when the file was unlinked.
 */
#ifndef SSLTRACE_MAPS_H
#define SSLTRACE_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct maps_entry {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	char perms[5];
	unsigned int dev_major;
	unsigned int dev_minor;
	uint64_t inode;
	const char *path;	/* points into the parsed line, not terminated */
	size_t path_len;	/* without the " (deleted)" suffix */
	bool deleted;		/* the kernel marked the file "(deleted)" */
};

/* Parses LINE (LEN bytes, no newline needed). Returns 0, or -EINVAL when the
 * line is not a maps line. */
int maps_parse_line(const char *line, size_t len, struct maps_entry *out);

/* The device of a maps line in the encoding stat() uses for st_dev. */
uint64_t maps_entry_dev(const struct maps_entry *e);

#endif
