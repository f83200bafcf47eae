/* test_output.c - unit tests of JSON string escaping and of checked number
 * parsing for options. */
#include <stdlib.h>

#include "cli.h"
#include "report.h"
#include "tap.h"

static char *json_of(const char *s)
{
	static char *buf;
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	report_json_string(f, s);
	fclose(f);
	return buf;
}

static void json_escapes_quotes_backslashes_and_controls(void)
{
	EXPECT_STR(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"");
	EXPECT_STR(json_of("line\nnext\ttab\x01"), "\"line\\nnext\\ttab\\u0001\"");
	EXPECT_STR(json_of(""), "\"\"");
	EXPECT_STR(json_of(NULL), "\"\"");
}

static void json_keeps_utf8_and_escapes_invalid_bytes(void)
{
	EXPECT_STR(json_of("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
	EXPECT_STR(json_of("bad\xff\xc3"), "\"bad\\u00ff\\u00c3\"");
	EXPECT_STR(json_of("\xc0\xaf"), "\"\\u00c0\\u00af\"");	/* overlong '/' */
	EXPECT_STR(json_of("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");	/* surrogate */
}

static void numbers_in_range_are_accepted(void)
{
	uint64_t v = 0;

	EXPECT_INT(cli_parse_u64("t", "--n", "1", 1, 10, &v), 0);
	EXPECT_INT(v, 1);
	EXPECT_INT(cli_parse_u64("t", "--n", "10", 1, 10, &v), 0);
	EXPECT_INT(v, 10);
	EXPECT_INT(cli_parse_u64("t", "--n", "18446744073709551615", 0, UINT64_MAX, &v), 0);
	EXPECT(v == UINT64_MAX);
}

static void bad_numbers_are_refused(void)
{
	static const char *const bad[] = {
		"", "abc", "-1", "+5", " 5", "5 ", "0x10", "11", "0", "1.5",
		"18446744073709551616",
	};
	uint64_t v = 42;

	/* The messages are checked by tests/host/scan.sh; here only the
	 * verdicts count. */
	if (!freopen("/dev/null", "w", stderr))
		tap_case_failed = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (cli_parse_u64("t", "--n", bad[i], 1, 10, &v) == 0) {
			printf("# accepted \"%s\"\n", bad[i]);
			tap_case_failed = 1;
		}
	}
	EXPECT_INT(v, 42);
}

int main(void)
{
	RUN(json_escapes_quotes_backslashes_and_controls);
	RUN(json_keeps_utf8_and_escapes_invalid_bytes);
	RUN(numbers_in_range_are_accepted);
	RUN(bad_numbers_are_refused);
	return TAP_EXIT();
}
