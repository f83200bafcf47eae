#!/bin/sh
# ssltrace watch: a process started after the watch, that maps a watched
# library and exits at once, is reported (load, then exit).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

short_lived_process_is_reported() {
	need_watch
	make_libdir
	start_watch

	# Maps the copy and exits right away: it lives a few milliseconds.
	out=$("$HELPER" map --hold-ms 0 "$LIBDIR/libssl.so.3")
	pid=${out#mapped }
	wait_for "load line of pid $pid" 20 has_line "$pid" load
	wait_for "exit line of pid $pid" 20 has_line "$pid" exit
	expect_match "load names the library" "$LIBDIR/libssl.so.3" \
		"$(lines_of "$pid" load)"
	expect_match "command is the helper" " watch-helper " \
		"$(lines_of "$pid" load)"
	stop_watch
	expect_match "summary" "^summary: .* [0-9]+ process(es)? seen, [0-9]+ stale now, 0 events lost" \
		"$(cat "$W_OUT")"
}

run_case "a process that maps libssl and exits within 50 ms is reported" \
	short_lived_process_is_reported
