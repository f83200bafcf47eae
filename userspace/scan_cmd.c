/* scan_cmd.c - `ssltrace scan`: one pass over /proc, printed as a table,
 * JSON or OpenMetrics.
 *
 * Sections: options; collecting the processes; the table; JSON;
 * OpenMetrics; the summary of what could not be inspected.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "report.h"
#include "scan.h"

#define PID_LIMIT 4194304	/* the kernel's PID_MAX_LIMIT on 64-bit */

enum output_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_OPENMETRICS };

struct scan_args {
	enum output_format format;
	bool all;
	struct patterns patterns;
	pid_t *pids;
	size_t npids;
};

struct collected {
	struct process *procs;
	size_t count, cap;
	bool all;
};

static void scan_usage(FILE *out)
{
	fputs(
"Usage: ssltrace scan [--json | --format openmetrics] [--all] [--lib GLOB]...\n"
"                     [--pid PID]...\n"
"\n"
"Lists the processes that still map an old copy of a watched library: one\n"
"that was deleted or replaced on disk since the process loaded it.\n"
"\n"
"  --json               one JSON document (schema in README.md)\n"
"  --format FORMAT      table (default), json or openmetrics\n"
"  --all                list every process that maps a watched library\n"
"  --lib GLOB           watch files whose name matches GLOB instead of the\n"
"                       defaults libssl.so* and libcrypto.so*; may repeat;\n"
"                       a GLOB with a '/' matches the whole path\n"
"  --pid PID            inspect only PID (1 to 4194304); may repeat\n"
"  -h, --help           show this help\n"
"\n"
"Status of a process, the worst of its libraries:\n"
"  stale        runs an image that is no longer on disk, and the file now\n"
"               there is a different build (or cannot be compared)\n"
"  reinstalled  the file was replaced by an identical build\n"
"  current      runs the file that is on disk\n"
"  unknown      could not be inspected; the reason says why\n"
"\n"
"Exit status: 0 no process is stale, 1 at least one is, 2 error.\n"
"\n"
"Examples:\n"
"  ssltrace scan                      what to restart after an upgrade\n"
"  ssltrace scan --all --lib 'libz.so*'\n"
"  ssltrace scan --json --pid 1234\n"
"  # for node_exporter's textfile collector: write, then rename\n"
"  d=/var/lib/prometheus/node-exporter\n"
"  ssltrace scan --format openmetrics > $d/.ssltrace.tmp; mv $d/.ssltrace.tmp $d/ssltrace.prom\n",
	      out);
}

static bool pid_listed(const struct scan_args *a, pid_t pid)
{
	for (size_t i = 0; i < a->npids; i++)
		if (a->pids[i] == pid)
			return true;
	return false;
}

static int parse_scan_args(int argc, char **argv, struct scan_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "lib", required_argument, NULL, 'l' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool format_set = false;
	uint64_t pid;
	int c;

	argv[0] = PROG " scan";	/* how getopt names us in its messages */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'f': {
			enum output_format f = FORMAT_JSON;

			if (c == 'f') {
				if (strcmp(optarg, "table") == 0)
					f = FORMAT_TABLE;
				else if (strcmp(optarg, "openmetrics") == 0)
					f = FORMAT_OPENMETRICS;
				else if (strcmp(optarg, "json") != 0) {
					fprintf(stderr, PROG ": --format: '%s' is not one of table, json, openmetrics\n",
						optarg);
					return -EINVAL;
				}
			}
			if (format_set && a->format != f) {
				fprintf(stderr, PROG ": --json and --format choose different formats; give one\n");
				return -EINVAL;
			}
			a->format = f;
			format_set = true;
			break;
		}
		case 'a':
			a->all = true;
			break;
		case 'l':
			if (cli_add_pattern(PROG, &a->patterns, optarg))
				return -EINVAL;
			break;
		case 'p': {
			pid_t *n;

			if (cli_parse_u64(PROG, "--pid", optarg, 1, PID_LIMIT, &pid))
				return -EINVAL;
			if (pid_listed(a, (pid_t)pid))
				break;	/* asked twice: reported once */
			n = realloc(a->pids, (a->npids + 1) * sizeof(*n));
			if (!n)
				return -ENOMEM;
			a->pids = n;
			a->pids[a->npids++] = (pid_t)pid;
			break;
		}
		case 'h':
			scan_usage(stdout);
			exit(EXIT_NO_STALE);
		default:
			fputs("Try 'ssltrace scan --help'.\n", stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG " scan: unexpected argument '%s'\nTry 'ssltrace scan --help'.\n",
			argv[optind]);
		return -EINVAL;
	}
	patterns_default(&a->patterns);
	return 0;
}

/* ---- collecting ---- */

static int collect(struct process *p, void *ctx)
{
	struct collected *c = ctx;

	if (p->status == STATUS_CURRENT && !c->all) {
		process_clear(p);
		return 0;
	}
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct process *n = realloc(c->procs, cap * sizeof(*n));

		if (!n) {
			process_clear(p);
			return -ENOMEM;
		}
		c->procs = n;
		c->cap = cap;
	}
	c->procs[c->count++] = *p;
	return 0;
}

/* ---- table ---- */

enum column {
	COL_PID, COL_STATUS, COL_COMMAND, COL_UNIT, COL_CONTAINER,
	COL_LIBRARY, COL_MAPPED, COL_DISK, COL_REASON, NCOLS
};

static const char *const headers[NCOLS] = {
	"PID", "STATUS", "COMMAND", "UNIT", "CONTAINER", "LIBRARY",
	"MAPPED", "DISK", "REASON",
};

/* comm is cut at 15 characters; the executable's name is the full one. */
static const char *command_name(const struct process *p)
{
	const char *base = strrchr(p->exe, '/');

	if (strlen(p->comm) < 15 || !base)
		return p->comm;
	base++;
	return strncmp(base, p->comm, strlen(p->comm)) == 0 ? base : p->comm;
}

/* Cells of one row, pointing into P or BUF; returns false when done. */
static void row_cells(const struct process *p, const struct library *l,
		      bool first, char bufs[3][64], const char *cells[NCOLS])
{
	snprintf(bufs[0], 64, "%d", (int)p->pid);
	if (p->container[0])
		snprintf(bufs[1], 64, "%.12s", p->container);
	else if (p->foreign_mnt_ns)
		snprintf(bufs[1], 64, "mnt:%llu", (unsigned long long)p->mnt_ns);
	else if (p->foreign_pid_ns)
		snprintf(bufs[1], 64, "pid:%llu", (unsigned long long)p->pid_ns);
	else
		snprintf(bufs[1], 64, "-");

	cells[COL_PID] = first ? bufs[0] : "";
	cells[COL_STATUS] = status_name(l ? l->status : p->status);
	cells[COL_COMMAND] = first ? command_name(p) : "";
	cells[COL_UNIT] = first ? (p->unit[0] ? p->unit : "-") : "";
	cells[COL_CONTAINER] = first ? bufs[1] : "";
	cells[COL_LIBRARY] = l ? l->path : "-";
	cells[COL_MAPPED] = l && l->mapped_version[0] ? l->mapped_version : "-";
	cells[COL_DISK] = l && l->disk_version[0] ? l->disk_version : "-";
	cells[COL_REASON] = l ? l->reason : p->reason;
	if (l && l->deleted)
		snprintf(bufs[2], 64, "%s", " (deleted)");
	else
		bufs[2][0] = '\0';
}

static bool row_shown(const struct library *l, bool all)
{
	return all || l->status != STATUS_CURRENT;
}

/* Calls EMIT for every row; rows of one process follow each other. */
static void for_each_row(const struct collected *c,
			 void (*emit)(const char *cells[NCOLS], const char *suffix,
				      void *ctx), void *ctx)
{
	char bufs[3][64];
	const char *cells[NCOLS];

	for (size_t i = 0; i < c->count; i++) {
		const struct process *p = &c->procs[i];
		bool first = true;

		if (!p->nlibs) {
			row_cells(p, NULL, true, bufs, cells);
			emit(cells, "", ctx);
			continue;
		}
		for (size_t j = 0; j < p->nlibs; j++) {
			if (!row_shown(&p->libs[j], c->all))
				continue;
			row_cells(p, &p->libs[j], first, bufs, cells);
			emit(cells, bufs[2], ctx);
			first = false;
		}
	}
}

static void measure_row(const char *cells[NCOLS], const char *suffix, void *ctx)
{
	size_t *width = ctx;

	for (int i = 0; i < NCOLS; i++) {
		size_t n = strlen(cells[i]) + (i == COL_LIBRARY ? strlen(suffix) : 0);

		if (n > width[i])
			width[i] = n;
	}
}

/* Cells come from file names any user chooses: report_text() keeps their
 * control characters off the terminal, byte for byte, so widths hold. */
static void print_row(const char *cells[NCOLS], const char *suffix, void *ctx)
{
	const size_t *width = ctx;

	for (int i = 0; i < NCOLS; i++) {
		size_t len = strlen(cells[i]);

		report_text(stdout, cells[i]);
		if (i == NCOLS - 1) {
			putchar('\n');
			break;
		}
		if (i == COL_LIBRARY) {
			fputs(suffix, stdout);
			len += strlen(suffix);
		}
		printf("%*s  ", (int)(width[i] - len), "");
	}
}

static void print_table(const struct collected *c)
{
	size_t width[NCOLS];
	bool any_action = false;

	for (int i = 0; i < NCOLS; i++)
		width[i] = strlen(headers[i]);
	for_each_row(c, measure_row, width);
	print_row((const char **)headers, "", width);
	for_each_row(c, print_row, width);

	/* What to run, once per distinct action. */
	for (size_t i = 0; i < c->count; i++) {
		const char *action = c->procs[i].action;
		bool seen = false;

		if (!action[0])
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(c->procs[j].action, action) == 0;
		if (seen)
			continue;
		if (!any_action)
			printf("\nTo load the new libraries:\n");
		any_action = true;
		fputs("  ", stdout);
		report_text(stdout, action);
		putchar('\n');
	}
}

/* ---- JSON ---- */

static void print_json(const struct collected *c, const struct scan_totals *t)
{
	printf("{\"scanned\":%u,\"matched\":%u,\"stale\":%u,\"reinstalled\":%u,"
	       "\"current\":%u,\"unknown\":%u,\"incomplete\":%s,"
	       "\"uninspected\":{\"permission_denied\":%u,\"other\":%u},"
	       "\"processes\":[",
	       t->scanned, t->matched, t->by_status[STATUS_STALE],
	       t->by_status[STATUS_REINSTALLED], t->by_status[STATUS_CURRENT],
	       t->by_status[STATUS_UNKNOWN],
	       t->by_status[STATUS_UNKNOWN] ? "true" : "false",
	       t->denied, t->other_errors);
	for (size_t i = 0; i < c->count; i++) {
		if (i)
			putchar(',');
		report_json_process(stdout, &c->procs[i]);
	}
	printf("]}\n");
}

/* ---- OpenMetrics ---- */

static void om_label(const char *name, const char *value, bool last)
{
	printf("%s=", name);
	report_openmetrics_value(stdout, value);
	if (!last)
		putchar(',');
}

static void print_openmetrics(const struct collected *c,
			      const struct scan_totals *t)
{
	printf("# TYPE ssltrace_processes gauge\n"
	       "# HELP ssltrace_processes Processes that map a watched library, by status.\n");
	for (int s = STATUS_CURRENT; s <= STATUS_STALE; s++)
		printf("ssltrace_processes{status=\"%s\"} %u\n",
		       status_name((enum image_status)s), t->by_status[s]);

	printf("# TYPE ssltrace_library gauge\n"
	       "# HELP ssltrace_library A watched library mapped by a process; 1 per mapping.\n");
	for (size_t i = 0; i < c->count; i++) {
		const struct process *p = &c->procs[i];
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", (int)p->pid);
		for (size_t j = 0; j < p->nlibs; j++) {
			const struct library *l = &p->libs[j];

			if (!row_shown(l, c->all))
				continue;
			printf("ssltrace_library{");
			om_label("pid", pid, false);
			om_label("comm", p->comm, false);
			om_label("unit", p->unit, false);
			om_label("container", p->container, false);
			om_label("status", status_name(l->status), false);
			om_label("path", l->path, false);
			om_label("mapped_version", l->mapped_version, false);
			om_label("disk_version", l->disk_version, true);
			printf("} 1\n");
		}
	}
	printf("# EOF\n");
}

/* ---- summary ---- */

static void print_incomplete(const struct scan_totals *t)
{
	unsigned int n = t->denied + t->other_errors;

	if (!n)
		return;
	fprintf(stderr, PROG ": scan incomplete: %u process%s could not be inspected",
		n, n == 1 ? "" : "es");
	if (t->denied)
		fprintf(stderr, " (%u: permission denied%s)", t->denied,
			geteuid() ? "; run as root" : "");
	if (t->other_errors)
		fprintf(stderr, " (%u: other errors, see REASON)", t->other_errors);
	fputc('\n', stderr);
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args args = { 0 };
	struct collected c = { 0 };
	struct scan_totals totals = { 0 };
	struct scanner *sc;
	bool write_failed;
	int err;

	if (parse_scan_args(argc, argv, &args)) {
		free(args.pids);
		return EXIT_ERROR;
	}
	c.all = args.all;

	sc = scanner_new(&args.patterns);
	if (!sc) {
		fprintf(stderr, PROG ": out of memory\n");
		free(args.pids);
		return EXIT_ERROR;
	}
	err = scanner_scan(sc, args.pids, args.npids, &totals, collect, &c);
	scanner_free(sc);
	if (err) {
		fprintf(stderr, PROG ": scan failed: %s\n", strerror(-err));
	} else if (args.format == FORMAT_JSON) {
		print_json(&c, &totals);
	} else if (args.format == FORMAT_OPENMETRICS) {
		print_openmetrics(&c, &totals);
	} else if (c.count) {
		print_table(&c);
	} else {
		printf("No process maps %s watched library (%u processes scanned).\n",
		       args.all ? "a" : "an outdated", totals.scanned);
	}
	/* A full disk or a closed pipe must not pass for a clean scan. */
	write_failed = fflush(stdout) == EOF || ferror(stdout);
	if (write_failed)
		fprintf(stderr, PROG ": cannot write the results: %s\n",
			strerror(errno ? errno : EIO));
	print_incomplete(&totals);

	for (size_t i = 0; i < c.count; i++)
		process_clear(&c.procs[i]);
	free(c.procs);
	free(args.pids);
	if (err)
		return EXIT_ERROR;
	if (write_failed)
		return EXIT_ERROR;
	return totals.by_status[STATUS_STALE] ? EXIT_STALE : EXIT_NO_STALE;
}
