#!/bin/sh
# bench/watch_mmap.sh: nanoseconds per mmap/munmap pair, with and without
# `ssltrace watch` running, for a file the watch does not care about and
# for a watched one (a copy of libssl, so its name passes the in-kernel
# filter; repeated mmaps of it are deduplicated in the kernel and send no
# event).  Runs are interleaved, in alternating order so that drift of the
# machine's load cancels; medians and minimums are printed as a Markdown
# table for the README.  The minimum is the run the least disturbed by
# other work on a shared machine.
#
# Usage (root): bench/watch_mmap.sh [PAIRS [ROUNDS]]   default 1000000 7
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PAIRS=${1:-1000000}
ROUNDS=${2:-7}
LOOP=$BUILD/bench/mmap-loop
SSLTRACE=$BUILD/ssltrace

[ "$(id -u)" -eq 0 ] || { echo "watch_mmap.sh: needs root (eBPF)" >&2; exit 2; }
for f in "$LOOP" "$SSLTRACE"; do
	[ -x "$f" ] || { echo "watch_mmap.sh: $f is not built (make bench-watch)" >&2; exit 2; }
done

dir=$(mktemp -d /tmp/ssltrace-bench.XXXXXX)
watch_pid=
cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
head -c 65536 /dev/zero > "$dir/unrelated.bin"
for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
	[ -f "$d/libssl.so.3" ] && { cp "$d/libssl.so.3" "$dir/libssl.so.3"; break; }
done
[ -f "$dir/libssl.so.3" ] || { echo "watch_mmap.sh: no libssl.so.3 to copy" >&2; exit 2; }

start_watch() {
	"$SSLTRACE" watch >/dev/null 2>"$dir/watch.err" &
	watch_pid=$!
	until grep -q 'ready$' "$dir/watch.err"; do
		kill -0 "$watch_pid" || { cat "$dir/watch.err" >&2; exit 2; }
		sleep 0.1
	done
}

stop_watch() {
	kill -INT "$watch_pid"
	wait "$watch_pid" || true
	watch_pid=
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

measure() {
	"$LOOP" "$dir/unrelated.bin" "$PAIRS" >> "$dir/$1.unrelated"
	"$LOOP" "$dir/libssl.so.3" "$PAIRS" >> "$dir/$1.watched"
}

for r in $(seq "$ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then
		measure off
		start_watch
		measure on
		stop_watch
	else
		start_watch
		measure on
		stop_watch
		measure off
	fi
	echo "round $r of $ROUNDS done" >&2
done

minimum() {
	sort -n | head -n 1
}

echo "| file mapped | statistic | without watch (ns/pair) | with watch (ns/pair) | added (ns) | ratio |"
echo "|---|---|---|---|---|---|"
for kind in unrelated watched; do
	for stat in median minimum; do
		off=$($stat < "$dir/off.$kind")
		on=$($stat < "$dir/on.$kind")
		awk -v k="$kind" -v s="$stat" -v off="$off" -v on="$on" 'BEGIN {
			name = "watched file (libssl copy, deduplicated)"
			if (k == "unrelated") name = "unrelated file (filtered in the kernel)"
			printf "| %s | %s | %.0f | %.0f | %.0f | %.2f |\n", name, s, off, on, on - off, on / off }'
	done
done
echo
echo "$PAIRS mmap/munmap pairs per run, $ROUNDS interleaved runs each, $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg), kernel $(uname -r)."
