#!/bin/sh
# tests/host/entropyd_estimate_cli.sh: the entropy-estimate tool's interface
# (kept stable for the jitter_rng bench): text and JSON output, --bits, and
# clear errors with exit status 2.
. "$(dirname "$0")/../lib.sh"

EST=$BUILD/entropy-estimate

stuck_samples_estimate_zero_bits() {
	seq 1 2000 | sed 's/.*/42/' > "$BUILD/est-stuck.txt"
	at_exit rm -f "$BUILD/est-stuck.txt"
	out=$("$EST" "$BUILD/est-stuck.txt")
	expect_match "samples line" '^samples 2000$' "$out"
	expect_match "minimum" '^min-entropy 0\.000000 ' "$out"
}

bits_option_masks_the_high_bits() {
	# 0..4095: the low 4 bits cycle 0..15, 16 symbols; all 12 bits: 4096.
	out=$(seq 0 4095 | "$EST" --bits 4)
	expect_match "masked" '^symbols 16$' "$out"
	expect_match "bits" '^bits 4$' "$out"
	out=$(seq 0 4095 | "$EST")
	expect_match "unmasked" '^symbols 4096$' "$out"
}

json_output_has_every_estimator() {
	out=$(seq 0 4095 | "$EST" --json --bits 8)
	printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["samples"] == 4096 and d["bits"] == 8 and d["symbols"] == 256, d
for k in ("most_common_value", "t_tuple", "lrs", "lag_prediction",
          "multi_mcw_prediction"):
    assert k in d["estimates"], k
v = [x for x in d["estimates"].values() if x is not None]
assert abs(d["min_entropy"] - min(v)) < 1e-9, d
assert d["limited_by"] in d["estimates"], d
' || fail "bad JSON: $out"
}

bad_bits_value_names_the_option_and_range() {
	for v in 0 65 abc; do
		rc=0
		err=$("$EST" --bits "$v" /dev/null 2>&1 >/dev/null) || rc=$?
		expect_eq "exit status for --bits $v" 2 "$rc"
		expect_match "message" '--bits takes an integer from 1 to 64' "$err"
	done
}

non_number_line_is_reported_with_its_line_number() {
	rc=0
	err=$(printf '1\n2\nx7\n' | "$EST" 2>&1 >/dev/null) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "message" '^entropy-estimate: -:3: not an unsigned' "$err"
}

too_few_samples_is_an_error() {
	rc=0
	err=$(echo 5 | "$EST" 2>&1 >/dev/null) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "message" 'at least 2 are needed' "$err"
}

run_case "stuck samples estimate zero bits" stuck_samples_estimate_zero_bits
run_case "--bits masks the high bits" bits_option_masks_the_high_bits
run_case "--json has every estimator and the minimum" json_output_has_every_estimator
run_case "--bits 0, 65, abc: error naming the option, exit 2" bad_bits_value_names_the_option_and_range
run_case "a non-number line is reported with its line number" non_number_line_is_reported_with_its_line_number
run_case "one sample is an error" too_few_samples_is_an_error
