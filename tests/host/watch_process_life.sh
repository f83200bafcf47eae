#!/bin/sh
# ssltrace watch: the live table follows process life -- a child forked
# after the load inherits the library (fork), a process that execs another
# program drops it (exec).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

forked_child_inherits_the_library() {
	need_watch
	make_libdir
	start_watch
	start_helper map --fork "$LIBDIR/libssl.so.3"
	wait_for "child forked" 30 grep -q "^forked" "$H_OUT"
	child=$(sed -n 's/^forked //p' "$H_OUT")
	at_exit "kill $child 2>/dev/null || true"
	wait_for "load line of the parent" 20 has_line "$H_PID" load
	wait_for "fork line of the child $child" 20 has_line "$child" fork
	expect_match "the child maps the copy" "$LIBDIR/libssl.so.3" \
		"$(lines_of "$child" fork)"
	kill "$child"
	wait_for "exit line of the child" 20 has_line "$child" exit
	stop_watch
}

exec_drops_the_library() {
	need_watch
	make_libdir
	start_watch
	start_helper map-exec "$LIBDIR/libssl.so.3" sleep 30
	wait_for "helper mapped" 30 grep -q "^mapped" "$H_OUT"
	wait_for "exec line of pid $H_PID" 20 has_line "$H_PID" exec
	expect_match "exec names the dropped copy" "$LIBDIR/libssl.so.3" \
		"$(lines_of "$H_PID" exec)"
	kill "$H_PID"
	sleep 0.5
	if has_line "$H_PID" exit; then
		fail "sleep, which maps no watched library, was reported at exit"
	fi
	stop_watch
}

run_case "a child forked after the load is listed (fork), and its exit" \
	forked_child_inherits_the_library
run_case "a process that execs another program drops its library (exec)" \
	exec_drops_the_library
