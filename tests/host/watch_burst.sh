#!/bin/sh
# ssltrace watch: 20 processes started at once give 20 load events and none
# is lost; when the ring buffer does overflow, the summary says how many
# events were lost, and a rescan still lists every process.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/watch/lib.sh"

COUNT=20

# Starts $COUNT helpers at once, each mapping the copy; PIDS lists them.
start_burst() {
	PIDS=
	for i in $(seq "$COUNT"); do
		"$HELPER" map "$LIBDIR/libssl.so.3" >/dev/null &
		PIDS="$PIDS $!"
	done
	at_exit "kill $PIDS 2>/dev/null || true"
}

count_lines() {
	n=0
	for p in $PIDS; do
		has_line "$p" "$1" && n=$((n + 1))
	done
	echo "$n"
}

all_have() {
	[ "$(count_lines "$1")" -eq "$COUNT" ]
}

all_mapped() {
	for p in $PIDS; do
		grep -q "$LIBDIR/libssl.so.3" "/proc/$p/maps" 2>/dev/null || return 1
	done
}

twenty_at_once_none_lost() {
	need_watch
	make_libdir
	start_watch
	start_burst
	wait_for "$COUNT load lines" 30 all_have load
	kill $PIDS
	wait_for "$COUNT exit lines" 30 all_have exit
	stop_watch
	summary=$(tail -n 1 "$W_OUT")
	expect_match "summary, nothing lost" "^summary: .* 0 events lost" "$summary"
	if grep -q "lost" "$W_ERR"; then
		fail "losses reported: $(cat "$W_ERR")"
	fi
}

# A one-page ring buffer holds three mmap events; the watch is stopped
# (SIGSTOP) while 20 processes map the library, so the kernel must drop
# most of them, count them, and the watch must say so and rescan.
losses_are_counted_and_reported() {
	need_watch
	make_libdir
	start_watch --buffer-pages 1
	kill -STOP "$W_PID"
	at_exit "kill -CONT $W_PID 2>/dev/null || true"
	start_burst
	wait_for "all $COUNT mapped" 30 all_mapped
	kill -CONT "$W_PID"

	wait_for "loss reported" 30 grep -q "events\? lost (ring buffer full); rescanning" "$W_ERR"
	# The rescan lists those whose event was dropped.
	wait_for "$COUNT load lines after the rescan" 30 all_have load
	stop_watch
	lost=$(sed -n 's/^summary: .* \([0-9][0-9]*\) events* lost.*/\1/p' "$W_OUT")
	reported=$(sed -n 's/^ssltrace: \([0-9][0-9]*\) events\? lost.*/\1/p' "$W_ERR" |
		   awk '{ s += $1 } END { print s + 0 }')
	echo "lost $lost, reported while running $reported" >&2
	[ "${lost:-0}" -ge 1 ] || fail "the summary shows no loss: $(tail -n 1 "$W_OUT")"
	expect_eq "summary matches the losses reported while running" "$reported" "$lost"
	# At most three of the twenty fit in one page.
	[ "$lost" -ge $((COUNT - 3)) ] || fail "only $lost of $COUNT events lost with a 1-page buffer"
}

run_case "20 processes started at once: 20 load events, none lost" \
	twenty_at_once_none_lost
run_case "events lost to a full ring buffer are counted, reported and rescanned" \
	losses_are_counted_and_reported
