#!/bin/sh
# bench/scan.sh: how long `ssltrace scan` takes, and how much memory, on a
# machine with many processes running a replaced OpenSSL, side by side with
# the tools people use today, in the same run:
#   lsof -nP | grep DEL        (the classic one-liner)
#   needrestart -b -r l        (batch mode, list only)
#   checkrestart               (debian-goodies)
#   grep -l libssl /proc/[0-9]*/maps   (the floor: reading every maps file)
#
# Usage: bench/scan.sh [PROCESSES]   (default 1000; run as root from the top
# of a built tree).  Installs hyperfine, needrestart, debian-goodies, lsof and
# time with apt-get when missing.  Prints a Markdown table of medians and
# peak memory; never fails on a timing.
set -eu

n=${1:-1000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
old=$build/testdata/openssl/old
new=$build/testdata/openssl/new

[ "$(id -u)" -eq 0 ] || { echo "bench/scan.sh: run as root" >&2; exit 2; }
missing=
for pkg in hyperfine needrestart debian-goodies lsof time jq; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q ' installed$' ||
		missing="$missing $pkg"
done
if [ -n "$missing" ]; then
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2
fi
make -C "$top" --no-print-directory tests >&2

work=$(mktemp -d /tmp/ssltrace-bench.XXXXXX)
pids=
cleanup() {
	[ -z "$pids" ] || kill $pids 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# N processes that map a private libssl and libcrypto ...
cp "$old/libssl.so.3" "$old/libcrypto.so.3" "$work/"
i=0
while [ "$i" -lt "$n" ]; do
	LD_LIBRARY_PATH=$work "$build/tests/holdlib" --ready "$work/ready.$i" \
		"$work/libssl.so.3" >/dev/null 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
i=0
while [ "$i" -lt "$n" ]; do
	while [ ! -e "$work/ready.$i" ]; do sleep 0.05; done
	i=$((i + 1))
done
# ... then both are upgraded under them, the way dpkg does it.
for lib in libssl.so.3 libcrypto.so.3; do
	cp "$new/$lib" "$work/.tmp" && mv "$work/.tmp" "$work/$lib"
done

stale=$("$build/ssltrace" scan --json 2>/dev/null | jq .stale)
echo "bench: $n processes started; ssltrace counts $stale stale" >&2

ssltrace_cmd="$build/ssltrace scan"
lsof_cmd="sh -c 'lsof -nP 2>/dev/null | grep DEL'"
needrestart_cmd="needrestart -b -r l"
checkrestart_cmd="checkrestart"
floor_cmd="sh -c 'grep -l libssl /proc/[0-9]*/maps'"

hyperfine -N -i --warmup 1 --runs 10 --style none \
	--export-json "$work/times.json" \
	-n ssltrace "$ssltrace_cmd" \
	-n "lsof -nP, grep DEL" "$lsof_cmd" \
	-n "needrestart -b -r l" "$needrestart_cmd" \
	-n checkrestart "$checkrestart_cmd" \
	-n "grep -l libssl (floor)" "$floor_cmd" >&2

peak_kib() {
	/usr/bin/time -f %M sh -c "$1 >/dev/null 2>&1" 2>&1 | tail -n 1
}

floor=$(jq '.results[] | select(.command == "grep -l libssl (floor)") | .median' "$work/times.json")
echo
echo "$n processes mapping a replaced libssl and libcrypto; $(nproc) cores; median of 10 runs."
echo
echo "| tool | median | vs floor | peak memory |"
echo "|---|---|---|---|"
jq -r '.results[] | "\(.command)\t\(.median)"' "$work/times.json" |
while IFS="$(printf '\t')" read -r name median; do
	case $name in
	ssltrace) cmd=$ssltrace_cmd ;;
	lsof*) cmd=$lsof_cmd ;;
	needrestart*) cmd=$needrestart_cmd ;;
	checkrestart) cmd=$checkrestart_cmd ;;
	*) cmd=$floor_cmd ;;
	esac
	kib=$(peak_kib "$cmd")
	awk -v n="$name" -v m="$median" -v f="$floor" -v k="$kib" 'BEGIN {
		printf "| %s | %.0f ms | %.2fx | %.1f MiB |\n", n, m * 1000, m / f, k / 1024 }'
done
