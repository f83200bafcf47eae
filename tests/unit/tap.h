/* tap.h - a minimal TAP emitter for the C unit tests.
 *
 * Each test is a function named after the scenario it checks; RUN(fn)
 * calls it and prints "ok - fn" or "not ok - fn" with the failed
 * expectations as TAP comments.  tests/run adds the results up.
 */
#ifndef SSLTRACE_TAP_H
#define SSLTRACE_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_case_failed;
static int tap_any_failed;

#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: expected %s\n",		\
			       __FILE__, __LINE__, #cond);		\
			tap_case_failed = 1;				\
		}							\
	} while (0)

#define EXPECT_STR(actual, expected)					\
	do {								\
		const char *a_ = (actual), *e_ = (expected);		\
		if (!a_ || strcmp(a_, e_) != 0) {			\
			printf("# %s:%d: %s is \"%s\", expected \"%s\"\n", \
			       __FILE__, __LINE__, #actual,		\
			       a_ ? a_ : "(null)", e_);			\
			tap_case_failed = 1;				\
		}							\
	} while (0)

#define EXPECT_INT(actual, expected)					\
	do {								\
		long long a_ = (long long)(actual);			\
		long long e_ = (long long)(expected);			\
		if (a_ != e_) {						\
			printf("# %s:%d: %s is %lld, expected %lld\n",	\
			       __FILE__, __LINE__, #actual, a_, e_);	\
			tap_case_failed = 1;				\
		}							\
	} while (0)

#define RUN(fn)								\
	do {								\
		tap_case_failed = 0;					\
		fn();							\
		printf("%s - %s\n", tap_case_failed ? "not ok" : "ok", #fn); \
		tap_any_failed |= tap_case_failed;			\
		fflush(stdout);						\
	} while (0)

#define TAP_EXIT() (tap_any_failed ? 1 : 0)

#endif
