# tests/watch/lib.sh: helpers shared by the `ssltrace watch` host tests
# (tests/host/watch_*.sh), sourced after tests/lib.sh.
#
#   need_watch            skip unless root, eBPF and the built tools are here
#   make_libdir           a private folder with a copy of this system's libssl
#   start_watch ARGS...   starts `ssltrace watch ARGS` in the background and
#                         returns once it says "ready" on stderr
#   stop_watch [SIGNAL]   stops it (SIGINT by default); sets W_RC
#   wait_for WHAT SECS CMD...  polls CMD until it succeeds, or fails the case
#
# Every test uses its own copy of the library and looks only at the lines of
# the processes it started: other programs on the machine may map libssl.

HELPER=$BUILD/tests/watch-helper
SSLTRACE=$BUILD/ssltrace

need_watch() {
	need_root
	[ -x "$SSLTRACE" ] || skip "build/ssltrace is not built"
	[ -x "$HELPER" ] || skip "build/tests/watch-helper is not built"
	[ -e /sys/kernel/btf/vmlinux ] || skip "the kernel has no BTF (CO-RE)"
}

# The system's libssl and libcrypto, as the dynamic linker finds them.
system_lib() {
	for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
		[ -f "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	skip "no $1 on this system"
}

make_libdir() {
	LIBDIR=$(mktemp -d /tmp/ssltrace-watch.XXXXXX)
	at_exit "rm -rf $LIBDIR"
	cp "$(system_lib libssl.so.3)" "$LIBDIR/libssl.so.3"
}

wait_for() {
	_what=$1
	_secs=$2
	shift 2
	_end=$(( $(date +%s) + _secs ))
	until "$@"; do
		if [ -n "${W_PID:-}" ] && ! kill -0 "$W_PID" 2>/dev/null; then
			echo "--- watch stdout"; cat "$W_OUT"
			echo "--- watch stderr"; cat "$W_ERR"
			fail "$_what: ssltrace watch is no longer running"
		fi
		if [ "$(date +%s)" -gt "$_end" ]; then
			echo "--- watch stdout"; cat "$W_OUT" 2>/dev/null
			echo "--- watch stderr"; cat "$W_ERR" 2>/dev/null
			fail "$_what: not within $_secs s"
		fi
		sleep 0.05
	done
}

start_watch() {
	W_OUT=$(mktemp)
	W_ERR=$(mktemp)
	"$SSLTRACE" watch "$@" >"$W_OUT" 2>"$W_ERR" &
	W_PID=$!
	at_exit "kill $W_PID 2>/dev/null || true; rm -f $W_OUT $W_ERR"
	wait_for "watch ready" 60 grep -q 'ready$' "$W_ERR"
}

stop_watch() {
	kill -"${1:-INT}" "$W_PID"
	W_RC=0
	wait "$W_PID" || W_RC=$?
	W_PID=
}

# Lines of the watch's output about process $1 with event $2.
lines_of() {
	grep -E "^[0-9:.]+ $2 +$1 " "$W_OUT" || true
}

has_line() {
	[ -n "$(lines_of "$1" "$2")" ]
}

# Starts a helper in the background and waits for its first line ("mapped
# PID" or "loaded PID"); sets H_PID and H_OUT.
start_helper() {
	H_OUT=$(mktemp)
	"$HELPER" "$@" >"$H_OUT" &
	H_PID=$!
	at_exit "kill $H_PID 2>/dev/null || true; rm -f $H_OUT"
}
