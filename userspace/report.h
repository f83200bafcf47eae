/* report.h - printing scan results: an aligned table for people, JSON for
 * programs.  The JSON schema is documented in README.md.
 */
#ifndef SSLTRACE_REPORT_H
#define SSLTRACE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scan.h"

/* Writes S as a JSON string literal, escaping what JSON requires; bytes
 * that are not valid UTF-8 are written as \u00XX. */
void report_json_string(FILE *out, const char *s);

/* Length of the valid UTF-8 sequence at S, or 0 when it is not one. */
size_t report_utf8_len(const unsigned char *s);

/* Writes S for a terminal: control characters (C0, DEL, C1) and bytes that
 * are not UTF-8 become '?', so a file name cannot move the cursor or
 * recolour the reader's terminal. */
void report_text(FILE *out, const char *s);

/* Writes S as an OpenMetrics label value, quoted and escaped; bytes that
 * are not UTF-8 become U+FFFD, as the format allows UTF-8 only. */
void report_openmetrics_value(FILE *out, const char *s);

/* Writes one process as a JSON object (no trailing newline). */
void report_json_process(FILE *out, const struct process *p);

#endif
