/* report.c - JSON output of scan results (see report.h). */
#include <stdint.h>
#include <sys/sysmacros.h>

#include "report.h"

size_t report_utf8_len(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void report_json_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', out);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", out);
			s++;
			continue;
		case '\\':
			fputs("\\\\", out);
			s++;
			continue;
		case '\n':
			fputs("\\n", out);
			s++;
			continue;
		case '\t':
			fputs("\\t", out);
			s++;
			continue;
		}
		if (*s < 0x20 || *s == 0x7f || !(n = report_utf8_len(s))) {
			fprintf(out, "\\u%04x", *s);
			s++;
			continue;
		}
		fwrite(s, 1, n, out);
		s += n;
	}
	fputc('"', out);
}

static void json_field(FILE *out, const char *name, const char *value,
		       bool last)
{
	fprintf(out, "\"%s\":", name);
	report_json_string(out, value);
	if (!last)
		fputc(',', out);
}

static void json_library(FILE *out, const struct library *l)
{
	char dev[32];

	snprintf(dev, sizeof(dev), "%x:%x", major(l->mapped_dev),
		 minor(l->mapped_dev));
	fputc('{', out);
	json_field(out, "path", l->path, false);
	fprintf(out, "\"deleted\":%s,", l->deleted ? "true" : "false");
	json_field(out, "status", status_name(l->status), false);
	json_field(out, "reason", l->reason, false);
	json_field(out, "mapped_device", dev, false);
	fprintf(out, "\"mapped_inode\":%llu,", (unsigned long long)l->mapped_ino);
	json_field(out, "mapped_version", l->mapped_version, false);
	json_field(out, "disk_version", l->disk_version, false);
	json_field(out, "mapped_build_id", l->mapped_build_id, false);
	json_field(out, "disk_build_id", l->disk_build_id, true);
	fputc('}', out);
}

void report_json_process(FILE *out, const struct process *p)
{
	fprintf(out, "{\"pid\":%d,", (int)p->pid);
	json_field(out, "comm", p->comm, false);
	json_field(out, "exe", p->exe, false);
	json_field(out, "unit", p->unit, false);
	json_field(out, "container", p->container, false);
	json_field(out, "root", p->root, false);
	fprintf(out, "\"pid_ns\":%llu,\"mnt_ns\":%llu,\"foreign_namespace\":%s,",
		(unsigned long long)p->pid_ns, (unsigned long long)p->mnt_ns,
		p->foreign_ns ? "true" : "false");
	json_field(out, "status", status_name(p->status), false);
	json_field(out, "reason", p->reason, false);
	json_field(out, "action", p->action, false);
	fputs("\"libraries\":[", out);
	for (size_t i = 0; i < p->nlibs; i++) {
		if (i)
			fputc(',', out);
		json_library(out, &p->libs[i]);
	}
	fputs("]}", out);
}

void report_text(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	while (*s) {
		size_t n = *s < 0x20 || *s == 0x7f ? 0 : report_utf8_len(s);

		/* C1 controls (U+0080 to U+009F) start escape sequences too. */
		if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
			n = 0;
		if (n) {
			fwrite(s, 1, n, out);
			s += n;
		} else {
			fputc('?', out);
			s++;
		}
	}
}

void report_openmetrics_value(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', out);
	while (*s) {
		size_t n = report_utf8_len(s);

		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (n)
			fwrite(s, 1, n, out);
		else
			fputs("\xef\xbf\xbd", out);	/* U+FFFD for a bad byte */
		s += n ? n : 1;
	}
	fputc('"', out);
}
