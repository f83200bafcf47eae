# tests/lib.sh: helpers for shell test programs (sourced, never run).
#
# A test program defines one shell function per scenario and calls
#   run_case "what the scenario shows" function_name
# for each.  The function runs in a subshell with `set -e`; it passes when it
# returns 0, is skipped when it calls `skip REASON`, and fails otherwise.
# Its output is shown, as TAP comments, only when it fails.
# Cleanup registered with `at_exit CMD` runs when the scenario ends.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}

skip() {
	echo "SKIP: $*" >&3
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# expect_match WHAT REGEX TEXT
expect_match() {
	printf '%s\n' "$3" | grep -Eq -- "$2" || fail "$1: '$2' not found in: $3"
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

need_cmd() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

at_exit() {
	_cleanup="$*; ${_cleanup:-}"
}

run_case() {
	_name=$1
	_func=$2
	_out=$(mktemp)
	_why=$(mktemp)
	(
		_cleanup=
		# The case's status, not that of its cleanup, is the result.
		trap '_status=$?; set +e; eval "$_cleanup" 2>/dev/null; exit $_status' EXIT
		set -e
		"$_func"
	) >"$_out" 2>&1 3>"$_why"
	_rc=$?
	if [ "$_rc" -eq 0 ]; then
		echo "ok - $_name"
	elif [ "$_rc" -eq 77 ]; then
		echo "ok - $_name # SKIP $(sed 's/^SKIP: //' "$_why")"
	else
		echo "not ok - $_name"
		sed 's/^/# /' "$_out"
	fi
	rm -f "$_out" "$_why"
}

# wait_for_file FILE [SECONDS]: waits until FILE exists (default 10 s).
wait_for_file() {
	_n=$(( ${2:-10} * 20 ))
	while [ ! -e "$1" ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.05
	done
}

# wait_gone PID [SECONDS]: waits until process PID has ended (default 10 s).
wait_gone() {
	_n=$(( ${2:-10} * 20 ))
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.05
	done
}
