#!/bin/sh
# tests/host/kmod_cutoffs.sh: the jitter_rng health-test cutoffs are what
# SP 800-90B gives for the entropy the module assumes, and the generated
# header kmod/jrng_cutoffs.h is current.
. "$(dirname "$0")/../lib.sh"

header_is_current() {
	need_cmd python3
	out=$(mktemp)
	at_exit rm -f "$out"
	python3 "$TOP/kmod/gen_cutoffs.py" >"$out"
	cmp -s "$out" "$TOP/kmod/jrng_cutoffs.h" ||
		fail "kmod/jrng_cutoffs.h differs from kmod/gen_cutoffs.py's output"
}

# SP 800-90B table 2 gives, for W = 512, the APT cutoff 410 at H = 0.5 and
# alpha = 2^-20; the generator must reproduce it with alpha = 2^-20.
apt_cutoff_matches_the_standard() {
	need_cmd python3
	got=$(cd "$TOP/kmod" && python3 -c '
import gen_cutoffs as g
print(1 + g.critbinom(512, 2 ** -0.5, 2.0 ** -20))')
	expect_eq "APT cutoff for H = 0.5, alpha = 2^-20" 410 "$got"
}

default_credit_uses_a_listed_cutoff() {
	osr=$(sed -n 's/^#define JRNG_OSR_DEFAULT[[:space:]]*\([0-9]*\).*/\1/p' "$TOP/kmod/jitter_rng.h")
	expect_match "default osr" '^[0-9]+$' "$osr"
	line=$(grep -E "/\* osr $osr \*/" "$TOP/kmod/jrng_cutoffs.h" || true)
	expect_match "cutoff for the default osr $osr" '^[[:space:]]*[0-9]+,' "$line"
}

run_case "jrng_cutoffs.h is what gen_cutoffs.py generates" header_is_current
run_case "APT cutoff matches SP 800-90B for H = 0.5" apt_cutoff_matches_the_standard
run_case "the default osr has an APT cutoff" default_credit_uses_a_listed_cutoff
