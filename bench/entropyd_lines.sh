#!/bin/sh
# bench/entropyd_lines.sh: what this host's interrupt lines deliver to
# entropyd, idle and under a disk load, and what the daemon costs.
#
# Usage (root, after `make`): bench/entropyd_lines.sh [SECONDS]
#   SECONDS  length of each run, default 120
#
# Two runs, one after the other: the host idle, then the host with a steady
# disk load (4 KiB direct writes, about 200 a second).  In each, entropyd
# runs in the foreground under /usr/bin/time while `entropyd record` saves
# the same interrupts.  For every line the table gives:
#   rate/s        interrupts a second
#   samples       interrupts seen
#   daemon H      the daemon's own estimate (bits per sample; "-" while the
#                 line is still in its 1024-sample start-up test)
#   90B H         entropy-estimate --bits 8 on the whole recording (the
#                 low byte of the ns delta, as the daemon uses it); "-"
#                 under 1024 samples, too few to mean anything
#   bits/min      credit the daemon earned per minute in this run (what a
#                 generator that is not ready would get)
#   after start-up  rate x 60 x min(0.5 H, H - 1), with H the 90B
#                 estimate: the credit per minute once start-up has passed
# and the daemon's CPU time (user + system) for the run.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
secs=${1:-120}
ed=$build/entropyd
est=$build/entropy-estimate
work=$(mktemp -d)
trap 'kill $load 2>/dev/null || true; rm -rf "$work"' EXIT
load=

case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS]  (SECONDS: a whole number)" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "$0: needs root" >&2; exit 2; }
[ -x "$ed" ] && [ -x "$est" ] || { echo "$0: run make first" >&2; exit 2; }

disk_load() {
	while :; do
		dd if=/dev/zero of="$work/disk" bs=4k count=200 oflag=direct \
			status=none
		sleep 1
	done
}

# run NAME: one measured run; leaves $work/NAME.{state,rec,time}
run() {
	"$ed" record --duration "$secs" >"$work/$1.rec" 2>/dev/null &
	rec=$!
	/usr/bin/time -f '%U %S' -o "$work/$1.time" \
		"$ed" --foreground --duration "$secs" 2>"$work/$1.log"
	wait $rec
	cp /run/entropyd/state "$work/$1.state"
}

# table NAME: the markdown rows of one run
table() {
	cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/$1.time")
	echo
	echo "#### $1: $secs s, daemon CPU $cpu s ($(awk -v c="$cpu" -v s="$secs" \
		'BEGIN { printf "%.2f", 100 * c / s }') % of one core)"
	echo
	echo "| irq | name | rate/s | samples | daemon H | 90B H | bits/min | after start-up, bits/min |"
	echo "|---|---|---|---|---|---|---|---|"
	grep '^line ' "$work/$1.state" | while read -r _ fields; do
		eval "$(echo "$fields" | sed 's/ name=.*//' | tr ' ' '\n' |
			sed 's/^\([a-z_]*\)=\(.*\)$/\1=\2/')"
		name=$(echo "$fields" | sed 's/.* name=//')
		awk -v i="$irq" '$1 == i { if (p) printf "%d\n", $3 - p; p = $3 }' \
			"$work/$1.rec" >"$work/deltas"
		# Fewer deltas than the daemon's start-up test: no estimate.
		if [ "$(wc -l <"$work/deltas")" -ge 1024 ]; then
			h90=$("$est" --bits 8 "$work/deltas" |
				awk '/^min-entropy/ { print $2 }')
		else
			h90=
		fi
		awk -v irq="$irq" -v name="$name" -v rate="$rate" \
		    -v n="$samples" -v h="$estimate" -v h90="$h90" \
		    -v cb="$creditable_bits" -v secs="$secs" 'BEGIN {
			c = 0
			if (h90 != "") { c = 0.5 * h90; if (c > h90 - 1) c = h90 - 1; if (c < 0) c = 0 }
			printf "| %s | %s | %.2f | %d | %s | %s | %.0f | %s |\n",
				irq, name, rate, n, h < 0 ? "-" : sprintf("%.2f", h),
				h90 == "" ? "-" : sprintf("%.2f", h90),
				cb * 60 / secs,
				h90 == "" ? "-" : sprintf("%.0f", rate * 60 * c)
		}'
	done
}

echo "entropyd bench: $(uname -r), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')" >&2
echo "idle run, $secs s" >&2
run idle
echo "disk-load run, $secs s" >&2
disk_load &
load=$!
run disk
kill $load 2>/dev/null || true
wait $load 2>/dev/null || true
load=

table idle
table disk
