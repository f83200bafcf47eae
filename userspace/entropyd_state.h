/* entropyd_state.h - the state file a running entropyd shares with
 * `entropyd status`: /run/entropyd/state, replaced atomically (written to a
 * temporary file in the same folder, then renamed), one record per line:
 *
 *   entropyd-state 1
 *   pid PID
 *   started UNIX_SECONDS
 *   updated UNIX_SECONDS
 *   credit_ratio R
 *   samples N
 *   lost N
 *   blocks N
 *   credited_bits N
 *   backoff none|ready|no-credit
 *   line irq=I samples=N rate=R estimate=H|-1 tests=HEALTH rct_failures=N
 *        apt_failures=N creditable_bits=B credited_bits=B common=BYTE
 *        common_share=F name=NAME
 *
 * (a `line` record is one line; NAME runs to its end).  Whether a daemon
 * runs is told by the lock on /run/entropyd/lock, not by this file, which
 * stays after the daemon ends.
 */
#ifndef SSLTRACE_ENTROPYD_STATE_H
#define SSLTRACE_ENTROPYD_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "entropyd_core.h"

#define ED_RUN_DIR	"/run/entropyd"
#define ED_STATE_FILE	ED_RUN_DIR "/state"
#define ED_LOCK_FILE	ED_RUN_DIR "/lock"

struct ed_state_line {
	uint32_t irq;
	char name[ED_NAME_LEN];
	uint64_t samples;
	double rate;
	double estimate;		/* < 0: none yet */
	char tests[16];
	uint64_t rct_failures, apt_failures;
	double creditable_bits, credited_bits;
	uint32_t common;		/* most common low byte of the deltas */
	double common_share;		/* its share of the deltas */
};

struct ed_state {
	long pid;
	long long started, updated;
	double credit_ratio;
	uint64_t samples, lost, blocks;
	uint64_t credited_bits;
	char backoff[16];
	size_t nr_lines;
	struct ed_state_line lines[ED_MAX_LINES];
};

/* Fill the line records from the core. */
void ed_state_from_core(struct ed_state *s, const struct ed_core *c);

/* Write path atomically; 0 or a negative errno. */
int ed_state_write(const char *path, const struct ed_state *s);

/* Read path; 0, a negative errno, or -EBADMSG for a malformed file. */
int ed_state_read(const char *path, struct ed_state *s);

#endif
