#!/bin/sh
# bench/jitter_rng_bench.sh: measures the jitter_rng module in the starved
# entropy-starved virtual machine (-cpu qemu64: no RDRAND; no virtio-rng).
#
# 1. Time to ready: from the start of a seeding method to the kernel's
#    "random: crng init done", for the module (insmod), the kernel's own
#    fallback (a process blocked in getrandom()) and jitterentropy-rngd, each
#    started at the same point of the same boot sequence.  The methods take
#    turns in every round, so drift on this shared machine hits all three.
# 2. Min-entropy: records raw samples of the noise source (debugfs) in the
#    same kind of machine and estimates them with build/entropy-estimate
#    (SP 800-90B 6.3 estimators), beside the credit the module gives.
#
# Usage: bench/jitter_rng_bench.sh [-r ROUNDS] [-n SAMPLES]
#   -r ROUNDS   boots per method, 1 to 50 (default 5)
#   -n SAMPLES  raw samples to record, 1000 to 10000000 (default 1000000)
# The results table goes to stdout and to build/bench/jitter_rng.md;
# progress to stderr.  Needs what `make check` needs, plus
# jitterentropy-rngd on the host (copied into the VM with its libraries).
#
# EXAMPLES
#   make bench-jitter-rng
#   bench/jitter_rng_bench.sh -r 3 -n 100000
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
OUT=$BUILD/bench/jitter_rng
rounds=5
samples=1000000

die_usage() {
	echo "jitter_rng_bench: $*" >&2
	echo "usage: bench/jitter_rng_bench.sh [-r ROUNDS (1-50)] [-n SAMPLES (1000-10000000)]" >&2
	exit 2
}

# number VALUE MIN MAX OPTION
number() {
	case $1 in
	''|*[!0-9]*) die_usage "$4 takes a whole number from $2 to $3, not '$1'" ;;
	esac
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ] || die_usage "$4 takes $2 to $3, not $1"
}

while getopts r:n:h opt; do
	case $opt in
	r) number "$OPTARG" 1 50 -r; rounds=$OPTARG ;;
	n) number "$OPTARG" 1000 10000000 -n; samples=$OPTARG ;;
	h) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die_usage "unknown option" ;;
	esac
done

for f in "$BUILD/jitter_rng.ko" "$BUILD/static/vmprobe" "$BUILD/entropy-estimate"; do
	[ -f "$f" ] || { echo "jitter_rng_bench: $f is missing; run make first" >&2; exit 2; }
done
rngd=$(command -v jitterentropy-rngd || true)
[ -n "$rngd" ] || { echo "jitter_rng_bench: needs jitterentropy-rngd" >&2; exit 2; }
osr=$(sed -n 's/^#define JRNG_OSR_DEFAULT[[:space:]]*\([0-9]*\).*/\1/p' "$TOP/kmod/jitter_rng.h")

rm -rf "$OUT"
mkdir -p "$OUT"
export JRNG_KO="$BUILD/jitter_rng.ko" VM_BINARIES="$BUILD/static/vmprobe"
export VM_FILES="$rngd" VM_CASES_DIR="$TOP/bench/vm-cases"

# 1. Time to ready, methods in turn.
r=1
while [ "$r" -le "$rounds" ]; do
	for m in module getrandom rngd; do
		echo "round $r/$rounds: $m" >&2
		VM_LOGS=$OUT/r$r-$m VM_APPEND="jrng_bench=$m" \
			"$TOP/tests/vm/run" jitter_rng_ready >"$OUT/r$r-$m.tap" || true
		ms=$(sed -n "s/^jrng-bench: $m \([0-9a-z]*\).*/\1/p" \
			"$OUT/r$r-$m/jitter_rng_ready.log" | tr -d '\r' | tail -n 1)
		echo "$m ${ms:-failed}" >>"$OUT/ready.txt"
	done
	r=$((r + 1))
done

# median METHOD: the median of its numeric times, or "not ready".
median() {
	awk -v m="$1" '$1 == m && $2 ~ /^[0-9]+$/ { print $2 }' "$OUT/ready.txt" |
		sort -n | awk '{ v[NR] = $1 } END {
			if (NR == 0) { print "-"; exit }
			if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
runs() {
	awk -v m="$1" '$1 == m { printf "%s%s", sep, $2; sep = " " }' "$OUT/ready.txt"
}
mod=$(median module)
gr=$(median getrandom)
jr=$(median rngd)
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b ~ /^[0-9.]+$/) printf "%.1fx", b / a; else print "-" }'
}

# 2. Raw samples and their min-entropy.
echo "recording $samples raw samples" >&2
VM_LOGS=$OUT/raw VM_APPEND="jrng_raw_count=$samples" \
	"$TOP/tests/vm/run" jitter_rng_raw >"$OUT/raw.tap" || true
raw=$OUT/raw/jitter_rng_raw.out
got=$(wc -l <"$raw" 2>/dev/null || echo 0)
"$BUILD/entropy-estimate" "$raw" >"$OUT/estimate.txt"
est() { sed -n "s/^$1 \([0-9.]*\).*/\1/p" "$OUT/estimate.txt"; }
minh=$(est min-entropy)
limited=$(sed -n 's/^min-entropy [0-9.]* //p' "$OUT/estimate.txt")
credit=$(awk -v o="$osr" 'BEGIN { printf "%.4f", 1 / o }')
verdict=$(awk -v c="$credit" -v h="$minh" 'BEGIN { print (c <= h / 2) ? "yes" : "NO" }')

{
	echo "Starved VM (qemu-system-x86_64 -accel tcg -cpu qemu64 -smp 2, no virtio-rng),"
	echo "Debian 6.1 kernel, $rounds rounds, methods in turn; $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "| method, started at the same point | median time to \`crng init done\` | runs (ms) | module is sooner by |"
	echo "|---|---|---|---|"
	echo "| \`insmod jitter_rng.ko\` | $mod ms | $(runs module) | |"
	echo "| blocking \`getrandom()\` (kernel fallback) | $gr ms | $(runs getrandom) | $(ratio "$mod" "$gr") |"
	echo "| \`jitterentropy-rngd\` 1.2.8 | $jr ms | $(runs rngd) | $(ratio "$mod" "$jr") |"
	echo
	echo "Raw samples: $got recorded through debugfs in the same kind of VM;"
	echo "SP 800-90B estimates by \`build/entropy-estimate\` (bits per sample):"
	echo
	echo "| estimator | min-entropy |"
	echo "|---|---|"
	for e in most-common-value t-tuple lrs lag-prediction; do
		echo "| $e | $(est "$e") |"
	done
	echo "| **minimum** ($limited) | **$minh** |"
	echo "| credit per sample (1/osr, osr $osr) | $credit |"
	echo "| credit <= half the minimum | $verdict |"
} | tee "$BUILD/bench/jitter_rng.md"
