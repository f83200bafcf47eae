/* report.h - printing scan results: an aligned table for people, JSON for
 * programs.  The JSON schema is documented in README.md.
 */
#ifndef SSLTRACE_REPORT_H
#define SSLTRACE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "scan.h"

/* Writes S as a JSON string literal, escaping what JSON requires; bytes
 * that are not valid UTF-8 are written as \u00XX. */
void report_json_string(FILE *out, const char *s);

/* Writes one process as a JSON object (no trailing newline). */
void report_json_process(FILE *out, const struct process *p);

#endif
