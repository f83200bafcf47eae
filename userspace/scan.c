/* scan.c - judging each process's watched libraries (see scan.h).
 *
 * Sections:
 *   - image facts cache: build id and version of each image, read once per
 *     (device, inode, size, mtime);
 *   - the stat cache: answers kept for the length of one scanner_scan();
 *   - reading /proc/PID/maps and grouping the mappings of each library;
 *   - judging one library: mapped image against disk image;
 *   - describing the process: comm, exe, unit, container, action;
 *   - one process, then every process.
 *
 * The mapped image is first compared by the device and inode of its maps
 * line, converted to the st_dev encoding, with stat() of the path: equal
 * means current, which is the common case and costs no more.  Otherwise
 * stat() of /proc/PID/map_files/START-END identifies it through the same
 * getattr as the disk path, so the two agree even where the maps line
 * shows another device (btrfs subvolumes, overlayfs).
 *
 * The disk path is the maps path itself for a process in our mount
 * namespace (maps prints paths relative to the reader's root, chroots
 * included), else /proc/PID/root/PATH, which stays in the process's own
 * namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfinfo.h"
#include "maps.h"
#include "procinfo.h"
#include "scan.h"

#define MAPS_CHUNK (64 * 1024)

struct image_key {
	uint64_t dev;
	uint64_t ino;
	int64_t size;
	int64_t mtime_sec;
	int64_t mtime_nsec;
};

struct image_entry {
	struct image_key key;
	int err;		/* negative errno when the image was unreadable */
	struct elf_facts facts;
};

struct scanner {
	const struct patterns *patterns;
	struct image_entry *images;
	size_t nimages, images_cap;
	char *buf;		/* reused for every maps file */
	size_t buf_cap;
	uint64_t self_pid_ns, self_mnt_ns;
	/* stat() results kept during one scanner_scan() (cached_stat()). */
	struct stat_entry *stats;
	size_t nstats, stats_cap;
	bool in_scan;
	/* The file of the previous maps line, and whether it is watched. */
	uint64_t last_dev, last_ino;
	size_t last_len;
	char last_path[PATH_MAX];
	bool last_matched;
};

struct stat_entry {
	char *key_path;
	uint64_t key_dev, key_ino;
	int err;
	struct stat st;
};

/* One library while a maps file is being read. */
struct pending_lib {
	char *path;
	bool deleted;
	uint64_t maps_dev, maps_ino;
	uint64_t start, end;	/* first mapping, names its map_files link */
};

const char *status_name(enum image_status status)
{
	switch (status) {
	case STATUS_CURRENT:
		return "current";
	case STATUS_REINSTALLED:
		return "reinstalled";
	case STATUS_STALE:
		return "stale";
	case STATUS_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The inode of namespace NS ("ns/pid") below DIRFD, 0 when unreadable. */
static uint64_t ns_inode(int dirfd, const char *ns)
{
	struct stat st;

	return fstatat(dirfd, ns, &st, 0) == 0 ? (uint64_t)st.st_ino : 0;
}

struct scanner *scanner_new(const struct patterns *patterns)
{
	struct scanner *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sc->patterns = patterns;
	sc->buf_cap = MAPS_CHUNK;
	sc->buf = malloc(sc->buf_cap);
	if (!sc->buf) {
		free(sc);
		return NULL;
	}
	sc->self_pid_ns = ns_inode(AT_FDCWD, "/proc/self/ns/pid");
	sc->self_mnt_ns = ns_inode(AT_FDCWD, "/proc/self/ns/mnt");
	return sc;
}

void scanner_forget_images(struct scanner *sc)
{
	sc->nimages = 0;
}

void scanner_free(struct scanner *sc)
{
	if (!sc)
		return;
	free(sc->images);
	free(sc->buf);
	free(sc);
}

/* ---- image facts cache ---- */

static struct image_key key_of(const struct stat *st)
{
	struct image_key k = {
		.dev = st->st_dev,
		.ino = st->st_ino,
		.size = st->st_size,
		.mtime_sec = st->st_mtim.tv_sec,
		.mtime_nsec = st->st_mtim.tv_nsec,
	};
	return k;
}

static struct image_entry *image_lookup(struct scanner *sc,
					const struct stat *st)
{
	struct image_key k = key_of(st);

	for (size_t i = 0; i < sc->nimages; i++)
		if (memcmp(&sc->images[i].key, &k, sizeof(k)) == 0)
			return &sc->images[i];
	return NULL;
}

/* Reads the facts of the image open at FD, whose stat is ST, into a new
 * cache entry.  Returns NULL when out of memory. */
static struct image_entry *image_add(struct scanner *sc, int fd,
				     const struct stat *st)
{
	struct image_entry *e;

	if (sc->nimages == sc->images_cap) {
		size_t cap = sc->images_cap ? sc->images_cap * 2 : 16;
		struct image_entry *n = realloc(sc->images, cap * sizeof(*n));

		if (!n)
			return NULL;
		sc->images = n;
		sc->images_cap = cap;
	}
	e = &sc->images[sc->nimages++];
	e->key = key_of(st);
	e->err = elf_facts_read_fd(fd, &e->facts);
	return e;
}

/* Facts of the image at PATH, read once per (device, inode, size, mtime).
 * KNOWN is what a stat() of PATH just returned, or NULL; with it, an image
 * already read needs no open().  Fills FACTS (zeroed on error); returns 0
 * or a negative errno. */
static int image_facts(struct scanner *sc, int dirfd, const char *path,
		       const struct stat *known, struct elf_facts *facts)
{
	struct image_entry *e = known ? image_lookup(sc, known) : NULL;
	struct stat st;
	int fd;

	memset(facts, 0, sizeof(*facts));
	if (!e) {
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (fstat(fd, &st) < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		e = image_lookup(sc, &st);
		if (!e)
			e = image_add(sc, fd, &st);
		close(fd);
		if (!e)
			return -ENOMEM;
	}
	if (e->err)
		return e->err;
	*facts = e->facts;
	return 0;
}

/* stat() of PATH below DIRFD.  With SHARED (a file in our own mount
 * namespace), the answer is kept for the rest of the current scan under
 * the key (KEY_PATH, KEY_DEV, KEY_INO): a thousand processes share a few
 * libraries.  Returns 0 or a negative errno. */
static int cached_stat(struct scanner *sc, int dirfd, const char *path,
		       const char *key_path, uint64_t key_dev, uint64_t key_ino,
		       bool shared, struct stat *st)
{
	struct stat_entry *d;
	int err;

	if (!sc->in_scan || !shared)
		return fstatat(dirfd, path, st, 0) < 0 ? -errno : 0;

	for (size_t i = 0; i < sc->nstats; i++) {
		d = &sc->stats[i];
		if (d->key_dev == key_dev && d->key_ino == key_ino &&
		    strcmp(d->key_path, key_path) == 0) {
			*st = d->st;
			return d->err;
		}
	}
	err = fstatat(dirfd, path, st, 0) < 0 ? -errno : 0;
	if (sc->nstats == sc->stats_cap) {
		size_t cap = sc->stats_cap ? sc->stats_cap * 2 : 16;

		d = realloc(sc->stats, cap * sizeof(*d));
		if (!d)
			return err;	/* only the cache is lost */
		sc->stats = d;
		sc->stats_cap = cap;
	}
	d = &sc->stats[sc->nstats];
	d->key_path = strdup(key_path);
	if (!d->key_path)
		return err;
	d->key_dev = key_dev;
	d->key_ino = key_ino;
	d->err = err;
	d->st = *st;
	sc->nstats++;
	return err;
}

static void stat_cache_clear(struct scanner *sc)
{
	for (size_t i = 0; i < sc->nstats; i++)
		free(sc->stats[i].key_path);
	free(sc->stats);
	sc->stats = NULL;
	sc->nstats = sc->stats_cap = 0;
}

/* ---- reading maps ---- */

/* The kernel writes a newline in a maps path as "\\012" (and nothing
 * else escaped); turn it back.  A name holding those four characters
 * literally is misread, and is then not found at its path. */
static void unescape_newlines(char *path)
{
	char *out = path;

	for (const char *in = path; *in; ) {
		if (strncmp(in, "\\012", 4) == 0) {
			*out++ = '\n';
			in += 4;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
}

static int add_pending(struct pending_lib **libs, size_t *n,
		       const struct maps_entry *m)
{
	struct pending_lib *l;
	char *path = strndup(m->path, m->path_len);

	if (!path)
		return -ENOMEM;
	unescape_newlines(path);
	for (size_t i = 0; i < *n; i++) {
		l = &(*libs)[i];
		if (l->maps_ino == m->inode && l->maps_dev == maps_entry_dev(m) &&
		    strcmp(l->path, path) == 0) {
			free(path);
			return 0;
		}
	}
	l = realloc(*libs, (*n + 1) * sizeof(**libs));
	if (!l) {
		free(path);
		return -ENOMEM;
	}
	*libs = l;
	l = &l[*n];
	l->path = path;
	l->deleted = m->deleted;
	l->maps_dev = maps_entry_dev(m);
	l->maps_ino = m->inode;
	l->start = m->start;
	l->end = m->end;
	(*n)++;
	return 0;
}

/* Parses the maps lines in BUF[0..LEN) that end in a newline; returns how
 * many bytes it used. */
static ssize_t take_lines(struct scanner *sc, const char *buf, size_t len,
			  struct pending_lib **libs, size_t *n)
{
	size_t used = 0;

	for (;;) {
		const char *line = buf + used;
		const char *nl = memchr(line, '\n', len - used);
		struct maps_entry m;

		if (!nl)
			return (ssize_t)used;
		used = (size_t)(nl + 1 - buf);
		if (maps_parse_line(line, (size_t)(nl - line), &m) ||
		    !m.path_len || m.path[0] != '/' || !m.inode)
			continue;
		/* A library's segments follow each other: match it once.  The
		 * name is part of the key, as hard links share an inode. */
		if (m.inode != sc->last_ino || maps_entry_dev(&m) != sc->last_dev ||
		    m.path_len != sc->last_len ||
		    memcmp(m.path, sc->last_path, m.path_len) != 0) {
			sc->last_matched = patterns_match(sc->patterns, m.path,
							  m.path_len);
			sc->last_ino = 0;
			if (m.path_len <= sizeof(sc->last_path)) {
				sc->last_ino = m.inode;
				sc->last_dev = maps_entry_dev(&m);
				sc->last_len = m.path_len;
				memcpy(sc->last_path, m.path, m.path_len);
			}
		}
		if (sc->last_matched && add_pending(libs, n, &m))
			return -ENOMEM;
	}
}

/* Reads /proc/PID/maps and collects the watched libraries.  Returns 0 or a
 * negative errno of the open or read. */
static int read_maps(struct scanner *sc, int dirfd,
		     struct pending_lib **libs, size_t *n)
{
	size_t have = 0;
	int fd, err = 0;

	sc->last_dev = sc->last_ino = 0;
	fd = openat(dirfd, "maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	for (;;) {
		ssize_t got, used;

		if (have == sc->buf_cap) {
			/* A line longer than the buffer: grow it. */
			char *b = realloc(sc->buf, sc->buf_cap * 2);

			if (!b) {
				err = -ENOMEM;
				break;
			}
			sc->buf = b;
			sc->buf_cap *= 2;
		}
		got = read(fd, sc->buf + have, sc->buf_cap - have);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (got == 0)
			break;
		have += (size_t)got;
		used = take_lines(sc, sc->buf, have, libs, n);
		if (used < 0) {
			err = (int)used;
			break;
		}
		memmove(sc->buf, sc->buf + used, have - (size_t)used);
		have -= (size_t)used;
	}
	close(fd);
	return err;
}

/* ---- judging one library ---- */

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int set_reason(struct library *lib, enum image_status status,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int set_reason(struct library *lib, enum image_status status,
		      const char *fmt, ...)
{
	va_list ap;
	int n;

	lib->status = status;
	va_start(ap, fmt);
	n = vasprintf(&lib->reason, fmt, ap);
	va_end(ap);
	if (n < 0) {
		lib->reason = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The mapped image is the disk image at DISK_PATH, whose stat is DST. */
static int judge_current(struct scanner *sc, int dirfd, const char *disk_path,
			 const struct stat *dst, struct library *lib)
{
	struct elf_facts facts;

	/* Versions are still worth showing with --all. */
	if (image_facts(sc, dirfd, disk_path, dst, &facts) == -ENOMEM)
		return -ENOMEM;
	lib->mapped_dev = dst->st_dev;
	lib->mapped_ino = dst->st_ino;
	lib->mapped_version = dup_or_empty(elf_facts_version(&facts));
	lib->disk_version = dup_or_empty(elf_facts_version(&facts));
	lib->mapped_build_id = dup_or_empty(facts.build_id);
	lib->disk_build_id = dup_or_empty(facts.build_id);
	return set_reason(lib, STATUS_CURRENT,
			  "the mapped image is the file on disk");
}

/* The library is not current: is it a file whose name really ends in
 * " (deleted)", which maps cannot tell from a deleted one?  Then it is the
 * mapped image itself, still on disk under that name. */
static bool named_deleted_but_present(int dirfd, const char *disk_path,
				      const struct library *lib)
{
	char path[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s (deleted)", disk_path) >=
	    sizeof(path))
		return false;
	return fstatat(dirfd, path, &st, 0) == 0 &&
	       st.st_dev == lib->mapped_dev && st.st_ino == lib->mapped_ino;
}

static int judge_library(struct scanner *sc, int dirfd, const char *root,
			 const char *chroot_prefix, const struct pending_lib *pl,
			 struct library *lib)
{
	char map_path[96], disk_path[PATH_MAX + 64];
	struct elf_facts mapped = { 0 }, disk = { 0 };
	struct stat mst, dst;
	int mapped_err, disk_err, disk_facts_err = 0;
	bool ids_known, mapped_known;
	const char *change, *rel;
	size_t prefix_len;
	bool shared = root[0] == '\0';

	snprintf(map_path, sizeof(map_path), "map_files/%llx-%llx",
		 (unsigned long long)pl->start, (unsigned long long)pl->end);
	lib->deleted = pl->deleted;
	lib->mapped_dev = pl->maps_dev;
	lib->mapped_ino = pl->maps_ino;

	/* A chrooted process in another mount namespace: maps shows the path
	 * from that namespace's root, /proc/PID/root is the chroot. */
	rel = lib->path;
	prefix_len = strlen(chroot_prefix);
	if (prefix_len && strncmp(rel, chroot_prefix, prefix_len) == 0 &&
	    rel[prefix_len] == '/')
		rel += prefix_len;
	if ((size_t)snprintf(disk_path, sizeof(disk_path), "%s%s", root, rel) >=
	    sizeof(disk_path) - sizeof(" (deleted)")) {
		lib->mapped_version = dup_or_empty("");
		lib->disk_version = dup_or_empty("");
		lib->mapped_build_id = dup_or_empty("");
		lib->disk_build_id = dup_or_empty("");
		return set_reason(lib, STATUS_UNKNOWN,
				  "the path is too long to look up (%zu bytes)",
				  strlen(lib->path));
	}

	disk_err = cached_stat(sc, dirfd, disk_path, disk_path, 0, 0, shared,
			       &dst);
	/* Most libraries are current and their maps line names the file on
	 * disk in the same encoding: no map_files lookup is needed. */
	if (disk_err == 0 && !pl->deleted && dst.st_dev == pl->maps_dev &&
	    dst.st_ino == pl->maps_ino)
		return judge_current(sc, dirfd, disk_path, &dst, lib);

	mapped_known = cached_stat(sc, dirfd, map_path, lib->path, pl->maps_dev,
				   pl->maps_ino, shared, &mst) == 0;
	if (mapped_known) {
		lib->mapped_dev = mst.st_dev;
		lib->mapped_ino = mst.st_ino;
	}
	if (disk_err == 0 && !pl->deleted && dst.st_dev == lib->mapped_dev &&
	    dst.st_ino == lib->mapped_ino)
		return judge_current(sc, dirfd, disk_path, &dst, lib);
	if (pl->deleted && mapped_known &&
	    named_deleted_but_present(dirfd, disk_path, lib)) {
		char *full;

		if (asprintf(&full, "%s (deleted)", lib->path) < 0)
			return -ENOMEM;
		free(lib->path);
		lib->path = full;
		lib->deleted = false;
		strcat(disk_path, " (deleted)");
		return judge_current(sc, dirfd, disk_path, &mst, lib);
	}

	mapped_err = image_facts(sc, dirfd, map_path,
				 mapped_known ? &mst : NULL, &mapped);
	if (disk_err == 0)
		disk_facts_err = image_facts(sc, dirfd, disk_path, &dst, &disk);
	if (mapped_err == -ENOMEM || disk_facts_err == -ENOMEM)
		return -ENOMEM;

	lib->mapped_version = dup_or_empty(elf_facts_version(&mapped));
	lib->disk_version = dup_or_empty(elf_facts_version(&disk));
	lib->mapped_build_id = dup_or_empty(mapped.build_id);
	lib->disk_build_id = dup_or_empty(disk.build_id);

	if (disk_err == -ENOENT || disk_err == -ENOTDIR)
		return set_reason(lib, STATUS_STALE,
				  "deleted; nothing is at %s now", lib->path);
	if (disk_err)
		return set_reason(lib, STATUS_UNKNOWN,
				  "cannot look up the file at %s now: %s",
				  lib->path, strerror(-disk_err));

	change = pl->deleted ? "deleted and replaced" : "replaced on disk";
	ids_known = mapped.build_id[0] && disk.build_id[0];
	if (ids_known && strcmp(mapped.build_id, disk.build_id) == 0)
		return set_reason(lib, STATUS_REINSTALLED,
				  "%s, but the new file has the same build id",
				  pl->deleted ? "deleted and reinstalled"
					      : "replaced on disk");
	if (ids_known)
		return set_reason(lib, STATUS_STALE, "%s by a different build",
				  change);
	/* Something else is at the path now (not ELF, unreadable, no build
	 * id): the code a restart would load cannot be shown to be the same. */
	if (mapped_err)
		return set_reason(lib, STATUS_STALE,
				  "%s; build ids cannot be compared (the mapped image: %s)",
				  change, strerror(-mapped_err));
	if (disk_facts_err)
		return set_reason(lib, STATUS_STALE,
				  "%s; build ids cannot be compared (the file on disk: %s)",
				  change, strerror(-disk_facts_err));
	return set_reason(lib, STATUS_STALE,
			  "%s; build ids cannot be compared (%s has none)",
			  change, mapped.build_id[0] ? "the file on disk"
						     : "the mapped image");
}

/* ---- describing the process ---- */

static char *read_small_file(int dirfd, const char *path)
{
	char buf[8192];
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

static char *read_link(int dirfd, const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(dirfd, path, buf, sizeof(buf) - 1);

	if (n < 0)
		return strdup("");
	buf[n] = '\0';
	return strdup(buf);
}

static int describe_action(struct process *p, const struct cgroup_identity *id)
{
	int n = 0;

	if (p->status != STATUS_STALE)
		p->action = strdup("");
	else if (p->pid == 1)
		p->action = strdup("systemctl daemon-reexec");
	else if (id->container[0])
		n = asprintf(&p->action, "restart container %.12s", id->container);
	else if (id->user_unit && id->user[0])
		n = asprintf(&p->action, "systemctl --user restart %s (as uid %s)",
			     id->unit, id->user);
	else if (strstr(p->unit, ".service") &&
		 strncmp(p->unit, "user@", 5) != 0)	/* not a whole user manager */
		n = asprintf(&p->action, "systemctl restart %s", p->unit);
	else
		n = asprintf(&p->action, "restart process %d (%s)", p->pid,
			     p->comm);
	if (n < 0)
		p->action = NULL;
	return p->action ? 0 : -ENOMEM;
}

static int describe_process(int dirfd, struct process *p)
{
	struct cgroup_identity id;
	char *text;

	p->comm = read_small_file(dirfd, "comm");
	if (!p->comm)
		return errno == ENOMEM ? -ENOMEM : -ESRCH;
	p->comm[strcspn(p->comm, "\n")] = '\0';
	p->exe = read_link(dirfd, "exe");

	text = read_small_file(dirfd, "cgroup");
	cgroup_identify(text ? text : "", &id);
	free(text);
	p->unit = strdup(id.unit);
	p->container = strdup(id.container);

	if (!p->exe || !p->root || !p->unit || !p->container)
		return -ENOMEM;
	return describe_action(p, &id);
}

/* ---- one process ---- */

static void free_pending(struct pending_lib *libs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(libs[i].path);
	free(libs);
}

static int inspect_failed(struct process *p, int dirfd, int err)
{
	if (err == -ENOENT || err == -ESRCH)
		return -ESRCH;	/* exited: no error, no entry */
	p->status = STATUS_UNKNOWN;
	p->error = err;
	if (asprintf(&p->reason, "cannot read /proc/%d/maps: %s", (int)p->pid,
		     strerror(-err)) < 0) {
		p->reason = NULL;
		return -ENOMEM;
	}
	p->comm = read_small_file(dirfd, "comm");
	if (p->comm)
		p->comm[strcspn(p->comm, "\n")] = '\0';
	p->comm = p->comm ? p->comm : strdup("?");
	p->exe = strdup("");
	p->unit = strdup("");
	p->container = strdup("");
	p->root = strdup("");
	p->action = strdup("");
	if (!p->comm || !p->exe || !p->unit || !p->container || !p->root ||
	    !p->action)
		return -ENOMEM;
	return 1;
}

int scanner_inspect(struct scanner *sc, pid_t pid, struct process *p)
{
	char pid_dir[32];
	const char *root, *chroot_prefix;
	struct pending_lib *pending = NULL;
	size_t npending = 0, worst = 0;
	int dirfd, err;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	/* Every file of the process is opened relative to this descriptor:
	 * one lookup of /proc/PID, and no mix-up with a reused pid. */
	snprintf(pid_dir, sizeof(pid_dir), "/proc/%d", (int)pid);
	dirfd = open(pid_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return errno == ENOENT ? -ESRCH : inspect_failed(p, -1, -errno);

	err = read_maps(sc, dirfd, &pending, &npending);
	if (err == -ENOMEM)
		goto out_pending;
	if (err) {
		free_pending(pending, npending);
		err = inspect_failed(p, dirfd, err);
		if (err < 0)
			process_clear(p);
		close(dirfd);
		return err;
	}
	if (npending == 0)
		goto out_pending;

	/* Paths in maps are printed relative to the reader's root when the
	 * file is reachable from it (same mount namespace, chroots included),
	 * else relative to the root of the process's own namespace: look the
	 * latter up through /proc/PID/root, which stays in that namespace. */
	p->pid_ns = ns_inode(dirfd, "ns/pid");
	p->mnt_ns = ns_inode(dirfd, "ns/mnt");
	p->foreign_pid_ns = p->pid_ns && p->pid_ns != sc->self_pid_ns;
	p->foreign_mnt_ns = p->mnt_ns && p->mnt_ns != sc->self_mnt_ns;
	p->foreign_ns = p->foreign_pid_ns || p->foreign_mnt_ns;
	root = p->mnt_ns && p->mnt_ns == sc->self_mnt_ns ? "" : "root";
	p->root = read_link(dirfd, "root");
	p->libs = calloc(npending, sizeof(*p->libs));
	if (!p->root || !p->libs) {
		err = -ENOMEM;
		goto out_process;
	}
	chroot_prefix = root[0] && strcmp(p->root, "/") ? p->root : "";
	for (size_t i = 0; i < npending; i++) {
		struct library *lib = &p->libs[i];

		lib->path = pending[i].path;
		pending[i].path = NULL;
		p->nlibs++;
		err = judge_library(sc, dirfd, root, chroot_prefix, &pending[i],
				    lib);
		if (err)
			goto out_process;
		if (!lib->mapped_version || !lib->disk_version ||
		    !lib->mapped_build_id || !lib->disk_build_id) {
			err = -ENOMEM;
			goto out_process;
		}
		if (lib->status > p->libs[worst].status)
			worst = i;
	}
	p->status = p->libs[worst].status;
	if (asprintf(&p->reason, "%s: %s", p->libs[worst].path,
		     p->libs[worst].reason) < 0) {
		p->reason = NULL;
		err = -ENOMEM;
		goto out_process;
	}
	err = describe_process(dirfd, p);
	if (err)
		goto out_process;
	free_pending(pending, npending);
	close(dirfd);
	return 1;

out_process:
	process_clear(p);
out_pending:
	free_pending(pending, npending);
	close(dirfd);
	return err;
}

void process_clear(struct process *p)
{
	for (size_t i = 0; i < p->nlibs; i++) {
		struct library *l = &p->libs[i];

		free(l->path);
		free(l->reason);
		free(l->mapped_version);
		free(l->disk_version);
		free(l->mapped_build_id);
		free(l->disk_build_id);
	}
	free(p->libs);
	free(p->comm);
	free(p->exe);
	free(p->unit);
	free(p->container);
	free(p->root);
	free(p->reason);
	free(p->action);
	memset(p, 0, sizeof(*p));
}

void scan_totals_add(struct scan_totals *t, const struct process *p)
{
	t->matched++;
	t->by_status[p->status]++;
	if (p->error == -EACCES || p->error == -EPERM)
		t->denied++;
	else if (p->error)
		t->other_errors++;
}

/* ---- every process ---- */

static int report_missing_pid(pid_t pid, struct scan_totals *totals,
			      scan_fn fn, void *ctx)
{
	struct process p = {
		.pid = pid, .status = STATUS_UNKNOWN, .error = -ESRCH,
	};

	p.reason = strdup("no such process");
	p.comm = strdup("?");
	p.exe = strdup("");
	p.unit = strdup("");
	p.container = strdup("");
	p.root = strdup("");
	p.action = strdup("");
	if (!p.reason || !p.comm || !p.exe || !p.unit || !p.container ||
	    !p.root || !p.action) {
		process_clear(&p);
		return -ENOMEM;
	}
	totals->scanned++;
	scan_totals_add(totals, &p);
	return fn(&p, ctx);
}

static int scan_one(struct scanner *sc, pid_t pid, bool must_exist,
		    struct scan_totals *totals, scan_fn fn, void *ctx)
{
	struct process p;
	int ret = scanner_inspect(sc, pid, &p);

	if (ret == -ESRCH)
		return must_exist ? report_missing_pid(pid, totals, fn, ctx) : 0;
	if (ret < 0)
		return ret;
	totals->scanned++;
	if (ret == 0)
		return 0;
	scan_totals_add(totals, &p);
	return fn(&p, ctx);
}

int scanner_scan(struct scanner *sc, const pid_t *pids, size_t npids,
		 struct scan_totals *totals, scan_fn fn, void *ctx)
{
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	sc->in_scan = true;
	if (npids) {
		for (size_t i = 0; i < npids && ret >= 0; i++)
			ret = scan_one(sc, pids[i], true, totals, fn, ctx);
		goto out;
	}

	dir = opendir("/proc");
	if (!dir) {
		ret = -errno;
		goto out;
	}
	while (ret >= 0 && (errno = 0, de = readdir(dir))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || de->d_name[0] == '0')
			continue;
		ret = scan_one(sc, (pid_t)pid, false, totals, fn, ctx);
	}
	if (ret >= 0 && errno)
		ret = -errno;
	closedir(dir);
out:
	sc->in_scan = false;
	stat_cache_clear(sc);
	return ret < 0 ? ret : 0;
}
