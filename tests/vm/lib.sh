# tests/vm/lib.sh: helpers for case scripts inside the test virtual machine
# (installed there as /lib/vmlib.sh; sourced, never run).  busybox sh.
#
#   fail MSG...                 print FAIL: MSG and exit 1
#   skip MSG...                 print SKIP: MSG and exit 77 (counted skipped)
#   expect_eq WHAT EXPECTED ACTUAL
#   expect_match WHAT REGEX TEXT
#   wait_for SECONDS 'CMD'      evaluate CMD every 0.1 s until it succeeds;
#                               returns 1 when SECONDS pass first.  Quote
#                               CMD so that $(...) in it runs every time.
#   jrng_load [PARAM=VALUE...]  insmod /lib/jitter_rng.ko
#   jrng_attr NAME              print /sys/kernel/jitter_rng/NAME
#   jrng_health_is STATE        true when health reads STATE
#   kmsg_has REGEX              true when the kernel log matches REGEX

JRNG_SYS=/sys/kernel/jitter_rng
JRNG_DBG=/sys/kernel/debug/jitter_rng

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

expect_match() {
	printf '%s\n' "$3" | grep -Eq -- "$2" || fail "$1: '$2' not found in: $3"
}

wait_for() {
	_deadline=$(($1 * 10))
	shift
	_i=0
	while [ "$_i" -lt "$_deadline" ]; do
		eval "$*" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

jrng_load() {
	insmod /lib/jitter_rng.ko "$@" || fail "insmod jitter_rng.ko $*"
}

jrng_attr() {
	cat "$JRNG_SYS/$1"
}

jrng_health_is() {
	[ "$(cat "$JRNG_SYS/health")" = "$1" ]
}

kmsg_has() {
	dmesg | grep -Eq -- "$1"
}
