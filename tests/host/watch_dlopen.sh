#!/bin/sh
# ssltrace watch: a library dlopen()ed long after its process started is
# reported when it is loaded.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

late_dlopen_is_reported() {
	need_watch
	make_libdir
	start_watch

	start_helper dlopen --after-ms 1500 "$LIBDIR/libssl.so.3"
	wait_for "helper loaded" 30 grep -q "^loaded" "$H_OUT"
	# Started 1.5 s before the load: the load, not the start, is the event.
	wait_for "load line of pid $H_PID" 20 has_line "$H_PID" load
	expect_match "load names the dlopened copy" "$LIBDIR/libssl.so.3" \
		"$(lines_of "$H_PID" load)"
	kill "$H_PID"
	wait_for "exit line of pid $H_PID" 20 has_line "$H_PID" exit
	stop_watch
}

run_case "a library dlopen()ed 1.5 s after its process started is reported" \
	late_dlopen_is_reported
