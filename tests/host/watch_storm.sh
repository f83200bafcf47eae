#!/bin/sh
# ssltrace watch: 100 000 mmaps a second of an unrelated file send no event
# (the kernel filters them), and the watch still reports a watched library
# mapped during the storm.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

storm_sends_nothing_and_watch_stays_responsive() {
	need_watch
	make_libdir
	head -c 65536 /dev/zero > "$LIBDIR/unrelated.bin"
	# -v prints every event the kernel sends, with its pid.
	start_watch -v

	storm_out=$(mktemp)
	at_exit "rm -f $storm_out"
	"$HELPER" storm --rate 100000 --seconds 8 "$LIBDIR/unrelated.bin" >"$storm_out" &
	storm_pid=$!
	at_exit "kill $storm_pid 2>/dev/null || true"
	sleep 1	# the storm is under way

	start_helper map --hold-ms 500 "$LIBDIR/libssl.so.3"
	wait_for "load during the storm" 10 has_line "$H_PID" load
	kill -0 "$storm_pid" || fail "the storm ended before the load was reported"

	wait "$storm_pid"
	read -r _ calls secs rate < "$storm_out"
	echo "storm: $calls mmaps in $secs s ($rate/s)"
	[ "$rate" -ge 90000 ] || skip "this machine reached only $rate mmaps/s, not 100000"

	if grep -q "pid $storm_pid " "$W_ERR"; then
		fail "the kernel sent events for the unrelated file"
	fi
	if grep -q unrelated.bin "$W_OUT"; then
		fail "the unrelated file was reported"
	fi
	stop_watch
	expect_match "summary, nothing lost" "^summary: .* 0 events lost" \
		"$(tail -n 1 "$W_OUT")"
}

run_case "a storm of 100000 mmaps/s of an unrelated file sends no event; watch stays responsive" \
	storm_sends_nothing_and_watch_stays_responsive
