#!/bin/sh
# ssltrace watch: a process holds a private copy of libssl; the copy is
# replaced by rename (as dpkg does); the watch reports the process stale
# within a second, from inotify, without a rescan.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

# Seconds since the epoch, with nanoseconds.
now() {
	date +%s.%N
}

# The time of the first "replaced" JSON line of pid $1, as epoch seconds.
replaced_at() {
	python3 - "$W_OUT" "$1" <<'PY'
import json, sys, datetime
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("event") == "replaced" and o.get("pid") == int(sys.argv[2]):
        t = datetime.datetime.strptime(o["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
        print(t.replace(tzinfo=datetime.timezone.utc).timestamp())
        break
PY
}

has_replaced() {
	[ -n "$(replaced_at "$1")" ]
}

renamed_copy_turns_stale() {
	need_watch
	need_cmd python3
	make_libdir
	start_helper map "$LIBDIR/libssl.so.3"
	wait_for "helper mapped" 30 grep -q "^mapped" "$H_OUT"
	start_watch --json

	# A different build under the same name: another library's image.
	cp "$(system_lib libcrypto.so.3)" "$LIBDIR/libssl.so.3.new"
	before=$(now)
	mv "$LIBDIR/libssl.so.3.new" "$LIBDIR/libssl.so.3"
	wait_for "replaced line of pid $H_PID" 20 has_replaced "$H_PID"
	at=$(replaced_at "$H_PID")
	python3 -c "import sys; d = float(sys.argv[2]) - float(sys.argv[1]); print('delay %.3f s' % d); sys.exit(0 if d < 1.0 else 1)" \
		"$before" "$at" || fail "stale reported more than 1 s after the rename"

	line=$(grep "\"event\":\"replaced\",\"library\":\"$LIBDIR/libssl.so.3\",\"pid\":$H_PID," "$W_OUT")
	expect_match "process status" '"status":"stale"' "$line"
	expect_match "library reason" 'replaced by a different build' "$line"
	if grep -q rescanning "$W_ERR"; then
		fail "the watch rescanned instead of following the file"
	fi
	stop_watch
	expect_eq "exit status: a process is stale" 1 "$W_RC"
	expect_match "summary counts it" '"event":"summary".*"stale_now":[1-9]' \
		"$(tail -n 1 "$W_OUT")"
}

scan_while_watching_is_not_a_load() {
	need_watch
	make_libdir
	start_helper map "$LIBDIR/libssl.so.3"
	wait_for "helper mapped" 30 grep -q "^mapped" "$H_OUT"
	start_watch
	cp "$(system_lib libcrypto.so.3)" "$LIBDIR/libssl.so.3.new"
	mv "$LIBDIR/libssl.so.3.new" "$LIBDIR/libssl.so.3"
	wait_for "replaced line of pid $H_PID" 20 has_line "$H_PID" replaced

	# The scan reads both images of the stale library; it loads neither.
	"$SSLTRACE" scan --pid "$H_PID" >/dev/null &
	scan_pid=$!
	wait "$scan_pid" || true
	sleep 1
	expect_eq "lines about the scan process" "" "$(grep -E "^[0-9:.]+ [a-z]+ +$scan_pid " "$W_OUT" || true)"
	stop_watch
}

unlinked_copy_turns_stale() {
	need_watch
	make_libdir
	start_watch
	start_helper map "$LIBDIR/libssl.so.3"
	wait_for "load line of pid $H_PID" 20 has_line "$H_PID" load

	rm "$LIBDIR/libssl.so.3"
	wait_for "replaced line of pid $H_PID" 5 has_line "$H_PID" replaced
	expect_match "stale, the file is gone" " stale +$LIBDIR/libssl.so.3 " \
		"$(lines_of "$H_PID" replaced)"
	stop_watch
}

run_case "a private libssl copy replaced by rename makes its process stale within 1 s" \
	renamed_copy_turns_stale
run_case "a private libssl copy deleted makes its process stale" \
	unlinked_copy_turns_stale
run_case "a scan run while watching is not reported as loading a library" scan_while_watching_is_not_a_load
