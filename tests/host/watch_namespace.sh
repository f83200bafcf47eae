#!/bin/sh
# ssltrace watch: a process in its own mount namespace maps a library only
# that namespace can see; it is listed, and replacing the file inside the
# namespace makes it stale (inotify on /proc/PID/root/DIR).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

private_mount_namespace() {
	need_watch
	need_cmd unshare nsenter
	make_libdir
	# The mount point exists outside; the tmpfs on it only inside.
	mnt=$LIBDIR/ns
	mkdir "$mnt"
	crypto=$(system_lib libcrypto.so.3)
	start_watch
	H_OUT=$(mktemp)
	at_exit "rm -f $H_OUT"
	unshare -m --propagation private sh -c "
		mount -t tmpfs ssltrace-ns '$mnt' &&
		cp '$LIBDIR/libssl.so.3' '$mnt/libssl.so.3' &&
		exec '$HELPER' map '$mnt/libssl.so.3'" >"$H_OUT" &
	at_exit "kill $! 2>/dev/null || true"
	wait_for "helper mapped" 30 grep -q "^mapped" "$H_OUT"
	pid=$(sed -n 's/^mapped //p' "$H_OUT")
	[ -e "$mnt/libssl.so.3" ] && fail "the tmpfs leaked out of the namespace"

	wait_for "load line of pid $pid" 20 has_line "$pid" load
	expect_match "listed current" " current +$mnt/libssl.so.3 " "$(lines_of "$pid" load)"

	nsenter -t "$pid" -m sh -c "cp '$crypto' '$mnt/new' && mv '$mnt/new' '$mnt/libssl.so.3'"
	wait_for "replaced line of pid $pid" 10 has_line "$pid" replaced
	expect_match "stale" " stale +$mnt/libssl.so.3 " "$(lines_of "$pid" replaced)"
	stop_watch
}

run_case "a library in a private mount namespace is listed and turns stale when replaced there" \
	private_mount_namespace
