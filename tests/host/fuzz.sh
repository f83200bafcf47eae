#!/bin/sh
# tests/host/fuzz.sh: runs each libFuzzer target (AddressSanitizer, UBSan)
# for FUZZ_CHECK_SECONDS (default 15) and fails on any crash, leak or
# sanitizer report.  `make fuzz FUZZ_SECONDS=N` runs them longer.
. "$(dirname "$0")/../lib.sh"

SECONDS_EACH=${FUZZ_CHECK_SECONDS:-15}

fuzz() {
	target=$BUILD/fuzz/$1
	[ -x "$target" ] || skip "$1 is not built (clang with libFuzzer missing?)"
	corpus=$(mktemp -d)
	at_exit "rm -rf '$corpus'"
	seeds=$TOP/tests/fuzz/seeds/$1
	[ -d "$seeds" ] || seeds=$BUILD/fuzz/seeds/$1
	rc=0
	"$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 \
		"$corpus" "$seeds" >"$corpus.log" 2>&1 || rc=$?
	at_exit "rm -f '$corpus.log'"
	tail -n 30 "$corpus.log"
	expect_eq "fuzzer exit status" 0 "$rc"
	grep -q '^Done [0-9]* runs' "$corpus.log" || fail "the fuzzer did not finish its run"
}

case_maps_line_parser_survives_fuzzing() {
	fuzz fuzz_maps_line
}

case_elf_notes_reader_survives_fuzzing() {
	fuzz fuzz_elf_notes
}

run_case "the maps line parser survives ${SECONDS_EACH}s of fuzzing" case_maps_line_parser_survives_fuzzing
run_case "the ELF notes reader survives ${SECONDS_EACH}s of fuzzing" case_elf_notes_reader_survives_fuzzing
