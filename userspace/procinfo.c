/* procinfo.c - naming a process's systemd unit and container from its
 * cgroup paths.
 *
 * systemd places each unit in a cgroup named after it, below slices:
 *   /system.slice/nginx.service
 *   /user.slice/user-1000.slice/user@1000.service/app.slice/foo.service
 * Container engines name theirs after the container id:
 *   /system.slice/docker-<64 hex>.scope, /docker/<64 hex>,
 *   /kubepods.slice/.../cri-containerd-<64 hex>.scope, /lxc.payload.NAME,
 *   /machine.slice/machine-NAME.scope (systemd-nspawn, libvirt).
 * With cgroup v2 the path is on the "0::" line; with v1 systemd's own
 * hierarchy is the "name=systemd" line.  Either may be the only one.
 */
#include <string.h>

#include "procinfo.h"

static const char *const unit_suffixes[] = {
	".service", ".scope", ".socket", ".mount", ".swap", ".timer",
};

static const char *const container_prefixes[] = {
	"docker-", "cri-containerd-", "crio-", "libpod-", "cri-o-",
};

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && memcmp(s + len - n, suffix, n) == 0;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* systemd unit names use letters, digits and ":-_.\\@" only; anything
 * else (a user can name cgroups in a delegated subtree) is not taken for
 * a unit, so no shell syntax reaches a suggested command. */
static bool is_unit(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789:-_.\\@", s[i]) || !s[i])
			return false;
	for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(*unit_suffixes); i++)
		if (ends_with(s, len, unit_suffixes[i]))
			return true;
	return false;
}

static bool is_hex_id(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static void copy_part(char *dst, size_t size, const char *prefix,
		      const char *s, size_t len)
{
	size_t plen = strlen(prefix);

	if (plen + len >= size)
		return;
	memcpy(dst, prefix, plen);
	memcpy(dst + plen, s, len);
	dst[plen + len] = '\0';
}

/* A container id in one path component, if it names one. */
static bool container_of_component(const char *s, size_t len,
				   const char *prev, size_t prev_len,
				   struct cgroup_identity *out)
{
	const char *id = s;
	size_t id_len = len;

	for (size_t i = 0; i < sizeof(container_prefixes) / sizeof(*container_prefixes); i++) {
		if (starts_with(s, len, container_prefixes[i])) {
			id += strlen(container_prefixes[i]);
			id_len -= strlen(container_prefixes[i]);
			break;
		}
	}
	if (ends_with(id, id_len, ".scope"))
		id_len -= strlen(".scope");
	if (is_hex_id(id, id_len)) {
		copy_part(out->container, sizeof(out->container), "", id, id_len);
		return true;
	}
	if (starts_with(s, len, "lxc.payload.") && len > strlen("lxc.payload.")) {
		copy_part(out->container, sizeof(out->container), "lxc:",
			  s + strlen("lxc.payload."), len - strlen("lxc.payload."));
		return true;
	}
	if (prev && prev_len == 3 && memcmp(prev, "lxc", 3) == 0) {
		copy_part(out->container, sizeof(out->container), "lxc:", s, len);
		return true;
	}
	if (starts_with(s, len, "machine-") && ends_with(s, len, ".scope")) {
		copy_part(out->container, sizeof(out->container), "machine:",
			  s + strlen("machine-"),
			  len - strlen("machine-") - strlen(".scope"));
		return true;
	}
	return false;
}

/* Reads one cgroup path (PATH, LEN bytes) into OUT.  Returns whether it
 * named a unit. */
static bool identify_path(const char *path, size_t len,
			  struct cgroup_identity *out)
{
	const char *p = path, *end = path + len;
	const char *prev = NULL;
	size_t prev_len = 0;
	bool found_unit = false;

	while (p < end) {
		const char *slash;
		size_t n;

		while (p < end && *p == '/')
			p++;
		slash = memchr(p, '/', (size_t)(end - p));
		n = (size_t)((slash ? slash : end) - p);
		if (n == 0)
			break;

		if (!out->container[0])
			container_of_component(p, n, prev, prev_len, out);

		if (starts_with(p, n, "user-") && ends_with(p, n, ".slice"))
			copy_part(out->user, sizeof(out->user), "",
				  p + 5, n - 5 - strlen(".slice"));

		if (is_unit(p, n) && !ends_with(p, n, ".slice")) {
			/* The first unit wins, except a user's service
			 * manager, whose own units sit below it. */
			if (!found_unit || (starts_with(out->unit, strlen(out->unit), "user@") &&
					    !out->user_unit)) {
				if (found_unit)
					out->user_unit = true;
				copy_part(out->unit, sizeof(out->unit), "", p, n);
				found_unit = true;
			}
		}
		prev = p;
		prev_len = n;
		p += n;
	}
	return found_unit;
}

void cgroup_identify(const char *text, struct cgroup_identity *out)
{
	const char *line = text;
	const char *v2 = NULL, *v1 = NULL;
	size_t v2_len = 0, v1_len = 0;

	memset(out, 0, sizeof(*out));

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *c1 = memchr(line, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;

		if (c2) {
			const char *path = c2 + 1;
			size_t plen = len - (size_t)(path - line);
			size_t clen = (size_t)(c2 - c1 - 1);

			if (c1 - line == 1 && line[0] == '0' && clen == 0) {
				v2 = path;
				v2_len = plen;
			} else if (clen == strlen("name=systemd") &&
				   memcmp(c1 + 1, "name=systemd", clen) == 0) {
				v1 = path;
				v1_len = plen;
			} else if (!out->container[0]) {
				/* Controllers' paths still show containers. */
				struct cgroup_identity tmp = { 0 };

				identify_path(path, plen, &tmp);
				memcpy(out->container, tmp.container, sizeof(tmp.container));
			}
		}
		line = nl ? nl + 1 : NULL;
	}

	if (v2 && identify_path(v2, v2_len, out))
		return;
	if (v1) {
		char container[UNIT_NAME_MAX];

		memcpy(container, out->container, sizeof(container));
		memset(out, 0, sizeof(*out));
		memcpy(out->container, container, sizeof(container));
		identify_path(v1, v1_len, out);
	}
}
