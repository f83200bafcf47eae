/* procinfo.h - where a process runs: its systemd unit and container, read
 * from the text of /proc/PID/cgroup (cgroup v1 and v2).
 */
#ifndef SSLTRACE_PROCINFO_H
#define SSLTRACE_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>

#define UNIT_NAME_MAX 256

struct cgroup_identity {
	char unit[UNIT_NAME_MAX];	/* "nginx.service", or "" */
	bool user_unit;			/* a unit of a user's service manager */
	char user[32];			/* uid from "user-UID.slice", or "" */
	char container[UNIT_NAME_MAX];	/* 64-hex id, "lxc:NAME", "machine:NAME" */
};

/* Reads the unit and container from the contents of /proc/PID/cgroup. */
void cgroup_identify(const char *text, struct cgroup_identity *out);

#endif
