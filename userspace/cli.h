/* cli.h - checked parsing of numbers given on the command line.
 *
 * Every number a user passes is parsed whole, with the end pointer and
 * errno, and range checked; a bad one gets a message that names the option
 * and the accepted range.
 */
#ifndef SSLTRACE_CLI_H
#define SSLTRACE_CLI_H

#include <stdint.h>

#include "patterns.h"

/* Parses ARG, given to option OPT, as a whole decimal number in [MIN, MAX].
 * On error prints "PROG: OPT: 'ARG' is not ... (MIN to MAX)" to stderr and
 * returns -EINVAL. */
int cli_parse_u64(const char *prog, const char *opt, const char *arg,
		  uint64_t min, uint64_t max, uint64_t *out);

/* Adds GLOB, given to --lib, to P.  On error prints what --lib accepts to
 * stderr and returns a negative errno. */
int cli_add_pattern(const char *prog, struct patterns *p, const char *glob);

#endif
