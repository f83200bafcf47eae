#!/bin/sh
# ssltrace watch: its command line -- checked numbers, the default command,
# --duration, the JSON fields, SIGTERM.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

# run_rc VAR CMD...: runs CMD, keeps stdout in OUT, stderr in ERR, status in VAR.
run_rc() {
	_var=$1
	shift
	OUT=$(mktemp)
	ERR=$(mktemp)
	at_exit "rm -f $OUT $ERR"
	_rc=0
	"$@" >"$OUT" 2>"$ERR" || _rc=$?
	eval "$_var=$_rc"
}

bad_duration_is_a_usage_error() {
	[ -x "$SSLTRACE" ] || skip "build/ssltrace is not built"
	for bad in 0 -1 abc 1x 31536001 99999999999999999999999; do
		run_rc rc "$SSLTRACE" watch --duration "$bad"
		expect_eq "exit status for --duration $bad" 2 "$rc"
		expect_match "message for --duration $bad" \
			"--duration: '$bad' .*1 to 31536000" "$(cat "$ERR")"
		expect_eq "nothing on stdout for --duration $bad" "" "$(cat "$OUT")"
	done
	run_rc rc "$SSLTRACE" watch --buffer-pages 3
	expect_eq "exit status for --buffer-pages 3" 2 "$rc"
	expect_match "message for --buffer-pages 3" "--buffer-pages: '3' is not a power of two" \
		"$(cat "$ERR")"
	run_rc rc "$SSLTRACE" watch --bogus
	expect_eq "exit status for an unknown option" 2 "$rc"
	run_rc rc "$SSLTRACE" watch extra
	expect_eq "exit status for an argument" 2 "$rc"
}

writing_to_a_full_disk_is_an_error() {
	[ -x "$SSLTRACE" ] || skip "build/ssltrace is not built"
	need_root
	ERRF=$(mktemp)
	at_exit "rm -f $ERRF"
	_rc=0
	"$SSLTRACE" watch --duration 1 >/dev/full 2>"$ERRF" || _rc=$?
	expect_eq "exit status writing to /dev/full" 2 "$_rc"
	expect_match "message" "cannot write the events" "$(cat "$ERRF")"
}

help_has_examples() {
	[ -x "$SSLTRACE" ] || skip "build/ssltrace is not built"
	run_rc rc "$SSLTRACE" watch --help
	expect_eq "exit status of --help" 0 "$rc"
	expect_match "examples" "^Examples:" "$(cat "$OUT")"
	expect_match "--duration documented" "--duration SECONDS" "$(cat "$OUT")"
}

# Plain `ssltrace` with options only is the watch; --duration ends it with
# a summary and the exit status of SPEC.md (0 or 1, never 2).
default_command_watches_for_duration() {
	need_watch
	start=$(date +%s)
	run_rc rc "$SSLTRACE" --duration 2
	took=$(( $(date +%s) - start ))
	[ "$rc" -le 1 ] || fail "exit status $rc: $(cat "$ERR")"
	expect_match "ready" "ready$" "$(cat "$ERR")"
	expect_match "summary" "^summary: 2\.[0-9] s watched, [0-9]+ process(es)? seen, [0-9]+ stale now, [0-9]+ events? lost" \
		"$(tail -n 1 "$OUT")"
	[ "$took" -le 30 ] || fail "--duration 2 took $took s"
}

json_has_the_scan_fields() {
	need_watch
	need_cmd python3
	make_libdir
	start_watch --json
	start_helper map "$LIBDIR/libssl.so.3"
	wait_for "load object" 20 grep -q "\"event\":\"load\",\"library\":\"$LIBDIR/libssl.so.3\",\"pid\":$H_PID," "$W_OUT"
	stop_watch TERM
	python3 - "$W_OUT" "$H_PID" "$LIBDIR/libssl.so.3" <<'PY' || fail "JSON lines are not what scan --json gives"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
load = [o for o in objs if o["event"] == "load" and o["pid"] == int(sys.argv[2])][0]
for k in ("time", "event", "library", "pid", "comm", "exe", "unit", "container",
          "status", "reason", "libraries"):
    assert k in load, k
lib = [l for l in load["libraries"] if l["path"] == sys.argv[3]][0]
for k in ("path", "reason", "mapped_version", "disk_version",
          "mapped_build_id", "disk_build_id"):
    assert k in lib, k
assert load["comm"] == "watch-helper", load["comm"]
assert load["status"] == "current", load["status"]
summary = objs[-1]
assert summary["event"] == "summary", summary
for k in ("processes_seen", "stale_now", "events_lost"):
    assert isinstance(summary[k], int), k
print("ok")
PY
	[ "$W_RC" -le 1 ] || fail "SIGTERM: exit status $W_RC"
}

without_root_says_so() {
	need_watch
	need_cmd setpriv
	run_rc rc setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SSLTRACE" watch --duration 1
	expect_eq "exit status without root" 2 "$rc"
	expect_match "message" "watch needs root" "$(cat "$ERR")"
}

run_case "--duration and --buffer-pages reject bad values with exit status 2" \
	bad_duration_is_a_usage_error
run_case "a watch whose output cannot be written exits 2" writing_to_a_full_disk_is_an_error
run_case "watch --help shows examples" help_has_examples
run_case "without root the watch says it needs root, exit status 2" \
	without_root_says_so
run_case "plain ssltrace watches, --duration 2 stops it with a summary" \
	default_command_watches_for_duration
run_case "--json lines carry the fields of scan --json; SIGTERM ends with a summary" \
	json_has_the_scan_fields
