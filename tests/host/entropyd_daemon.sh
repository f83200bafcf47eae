#!/bin/sh
# tests/host/entropyd_daemon.sh: entropyd on the live host, as root: option
# checking, privilege and eBPF errors, the daemon's cost and credit, the
# state file and `entropyd status`, and `entropyd record`.
. "$(dirname "$0")/../lib.sh"

ED=$BUILD/entropyd
STATE=/run/entropyd/state

# Make the disk interrupt: small direct writes reach the device each time.
disk_interrupts() {
	dd if=/dev/zero of="$BUILD/entropyd-disk.tmp" bs=4k count="${1:-200}" \
		oflag=direct status=none
	rm -f "$BUILD/entropyd-disk.tmp"
}

need_daemon_free() {
	need_root
	if [ -e /run/entropyd/lock ] && ! flock -n /run/entropyd/lock true; then
		skip "another entropyd runs on this machine"
	fi
}

# Field of the state file: state_value KEY
state_value() {
	sed -n "s/^$1 //p" "$STATE"
}

wait_for_state_lines() {
	i=0
	while [ $i -lt 50 ]; do
		grep -q '^line ' "$STATE" 2>/dev/null && return 0
		sleep 0.2
		i=$((i + 1))
	done
	fail "no line in $STATE after 10 s"
}

credit_ratio_2_and_abc_are_refused() {
	for v in 2 abc -0.1 nan 1.5x ""; do
		rc=0
		err=$("$ED" --foreground --credit-ratio "$v" 2>&1) || rc=$?
		expect_eq "exit status for --credit-ratio '$v'" 2 "$rc"
		expect_match "message for '$v'" \
			"--credit-ratio takes a number from 0 to 1, not '$v'" "$err"
	done
}

duration_out_of_range_is_refused() {
	for v in 0 -5 abc 2.5 31536001; do
		rc=0
		err=$("$ED" --foreground --duration "$v" 2>&1) || rc=$?
		expect_eq "exit status for --duration '$v'" 2 "$rc"
		expect_match "message for '$v'" \
			"--duration: '$v' is not a whole number from 1 to 31536000" "$err"
	done
}

unknown_option_is_a_usage_error() {
	rc=0
	err=$("$ED" --frobnicate 2>&1) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "hint" "Try 'entropyd --help'" "$err"
}

help_has_examples() {
	out=$("$ED" --help)
	expect_match "examples" '^Examples:' "$out"
	expect_match "status" 'entropyd status --json' "$out"
}

non_root_is_told_which_capability() {
	need_root
	need_cmd setpriv
	rc=0
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$ED" --foreground --duration 1 2>&1) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "message" 'needs the CAP_SYS_ADMIN capability' "$err"
}

root_without_cap_sys_admin_is_told_so() {
	need_root
	need_cmd setpriv
	rc=0
	err=$(setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \
		"$ED" --foreground --duration 1 2>&1) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "message" \
		'needs the CAP_SYS_ADMIN capability .*this root process lacks it' "$err"
}

missing_kernel_btf_is_reported_as_ebpf_unavailable() {
	need_daemon_free
	need_cmd unshare
	rc=0
	err=$(unshare -m sh -c "mount -t tmpfs none /sys/kernel/btf &&
		exec '$ED' --foreground --duration 1" 2>&1) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "message" '^entropyd: eBPF unavailable: ' "$err"
}

refused_wakeup_threshold_is_not_fatal() {
	need_daemon_free
	need_cmd unshare
	f=/proc/sys/kernel/random/write_wakeup_threshold
	rc=0
	err=$(unshare -m sh -c "mount -o bind,ro /proc/sys $f 2>/dev/null ||
		mount -t tmpfs -o ro none /proc/sys/kernel/random
		exec '$ED' --foreground --duration 2" 2>&1) || rc=$?
	expect_eq "exit status" 0 "$rc"
	expect_match "warning" \
		"cannot write $f: .*; going on" "$err"
}

credit_ratio_0_feeds_without_credit() {
	need_daemon_free
	"$ED" --foreground --duration 3 --credit-ratio 0 2>"$BUILD/ed.err" &
	pid=$!
	at_exit "kill $pid 2>/dev/null || true"
	sleep 0.5
	disk_interrupts 200
	wait $pid || fail "exit status $?: $(cat "$BUILD/ed.err")"
	expect_eq "ratio" "0.000" "$(state_value credit_ratio)"
	expect_eq "credited" 0 "$(state_value credited_bits)"
	blocks=$(state_value blocks)
	[ "$blocks" -ge 1 ] || fail "no block fed to the pool: $(cat "$STATE")"
}

ten_seconds_cost_under_2_percent_and_credit_stays_within_estimates() {
	need_daemon_free
	need_cmd /usr/bin/time
	/usr/bin/time -f '%U %S' -o "$BUILD/ed.time" \
		"$ED" --foreground --duration 10 2>"$BUILD/ed.err" ||
		fail "exit status $?: $(cat "$BUILD/ed.err")"
	cpu=$(awk '{ print $1 + $2 }' "$BUILD/ed.time")
	echo "CPU over 10 s: $cpu s"
	awk -v c="$cpu" 'BEGIN { exit !(c < 0.2) }' ||
		fail "used $cpu s of CPU in 10 s, 2 % is 0.2 s"
	# Per line: credited <= ratio * estimate * samples, nothing without an
	# estimate; and the lines' shares add up to what the kernel got.
	awk '
		/^credit_ratio / { r = $2 }
		/^credited_bits / { total = $2 }
		/^line / {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			max = v["estimate"] < 0 ? 0 : r * v["estimate"] * v["samples"]
			if (v["credited_bits"] > max + 1e-6) {
				print "irq " v["irq"] " credited " v["credited_bits"] \
				      " > " max; bad = 1
			}
			sum += v["credited_bits"]
		}
		END {
			if (sum < total - 1 || sum > total + 1) {
				print "lines " sum " != total " total; bad = 1
			}
			exit bad
		}' "$STATE" || fail "credit beyond estimates: $(cat "$STATE")"
	if [ "$(head -c 1 /dev/urandom | wc -c)" = 1 ] &&
	   python3 -c 'import os; os.getrandom(1, os.GRND_NONBLOCK)' 2>/dev/null; then
		expect_eq "backoff on a ready kernel" ready "$(state_value backoff)"
		expect_eq "no credit to a ready kernel" 0 "$(state_value credited_bits)"
	fi
}

status_without_daemon_says_not_running() {
	need_daemon_free
	out=$("$ED" status)
	expect_match "generator" '^kernel generator +(ready|not ready)$' "$out"
	expect_match "entropy_avail" '^entropy_avail +[0-9]+$' "$out"
	expect_match "daemon" '^entropyd +not running$' "$out"
	json=$("$ED" status --json)
	printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["entropyd"] == {"running": False}, d
assert isinstance(d["kernel"]["ready"], bool), d
assert isinstance(d["kernel"]["entropy_avail"], int), d
assert "loaded" in d["jitter_rng"], d
' || fail "bad JSON: $json"
}

status_needs_no_privilege() {
	need_root
	need_cmd setpriv
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ED" status)
	expect_match "generator" '^kernel generator ' "$out"
}

status_shows_the_running_daemons_lines() {
	need_daemon_free
	"$ED" --foreground --duration 15 2>"$BUILD/ed.err" &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid || true"
	sleep 0.5
	disk_interrupts 300
	sleep 5.5		# the state file is refreshed every 5 s
	wait_for_state_lines
	out=$("$ED" status)
	expect_match "daemon" "^entropyd +running, pid $pid, " "$out"
	expect_match "age of the state" ", state from [0-9]+ s ago$" "$(printf '%s\n' "$out" | grep '^entropyd ')"
	expect_match "header" '^IRQ +NAME +RATE/S +SAMPLES +ESTIMATE +TESTS +CREDITED$' "$out"
	# The disk's line, named as in /proc/interrupts.
	irq=$(awk '$1 == "line" { sub("irq=", "", $2); print $2; exit }' "$STATE")
	name=$(awk -v i="$irq:" '$1 == i { print $NF }' /proc/interrupts)
	expect_match "line $irq" "^$irq +$name +[0-9.]+ +[0-9]+ " "$out"
	json=$("$ED" status --json)
	printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)["entropyd"]
assert d["running"] and d["pid"] == int(sys.argv[1]), d
assert d["lines"], d
for l in d["lines"]:
    for k in ("irq", "name", "rate", "samples", "estimate", "tests",
              "credited_bits"):
        assert k in l, (k, l)
' "$pid" || fail "bad JSON: $json"
}

second_daemon_is_refused() {
	need_daemon_free
	"$ED" --foreground --duration 5 2>/dev/null &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid || true"
	sleep 1
	rc=0
	err=$("$ED" --foreground --duration 1 2>&1) || rc=$?
	expect_eq "exit status" 2 "$rc"
	expect_match "message" 'another entropyd is running' "$err"
}

daemon_mode_detaches_and_stops_after_its_duration() {
	need_daemon_free
	"$ED" --duration 2 || fail "exit status $?"
	sleep 0.5
	expect_match "running" '^entropyd +running' "$("$ED" status)"
	sleep 3
	expect_match "stopped" '^entropyd +not running' "$("$ED" status)"
}

record_prints_one_line_per_interrupt() {
	need_daemon_free
	"$ED" record --duration 2 >"$BUILD/ed.rec" 2>"$BUILD/ed.err" &
	pid=$!
	sleep 0.5
	disk_interrupts 100
	wait $pid || fail "exit status $?: $(cat "$BUILD/ed.err")"
	n=$(wc -l <"$BUILD/ed.rec")
	[ "$n" -ge 100 ] || fail "$n samples for 100 disk writes"
	bad=$(grep -cvE '^[0-9]+ [0-9]+ [0-9]+$' "$BUILD/ed.rec" || true)
	expect_eq "malformed lines" 0 "$bad"
	expect_match "losses" 'record: 0 samples lost' "$(cat "$BUILD/ed.err")"
}

run_case "--credit-ratio 2, abc, -0.1, nan: error naming the option, exit 2" credit_ratio_2_and_abc_are_refused
run_case "--duration 0, -5, abc, 2.5, too long: error naming the option, exit 2" duration_out_of_range_is_refused
run_case "an unknown option is a usage error" unknown_option_is_a_usage_error
run_case "--help has examples" help_has_examples
run_case "not root: the message names CAP_SYS_ADMIN" non_root_is_told_which_capability
run_case "root without CAP_SYS_ADMIN: the message says so" root_without_cap_sys_admin_is_told_so
run_case "no kernel BTF: 'eBPF unavailable', exit 2" missing_kernel_btf_is_reported_as_ebpf_unavailable
run_case "write_wakeup_threshold refused: a warning, and the daemon goes on" refused_wakeup_threshold_is_not_fatal
run_case "--credit-ratio 0 feeds blocks without credit" credit_ratio_0_feeds_without_credit
run_case "10 s on this host: under 2 % of a core, credit within the estimates" ten_seconds_cost_under_2_percent_and_credit_stays_within_estimates
run_case "status with no daemon running" status_without_daemon_says_not_running
run_case "status needs no privilege" status_needs_no_privilege
run_case "status shows the running daemon's lines" status_shows_the_running_daemons_lines
run_case "a second daemon is refused" second_daemon_is_refused
run_case "without --foreground it detaches and stops after --duration" daemon_mode_detaches_and_stops_after_its_duration
run_case "record prints one line per interrupt" record_prints_one_line_per_interrupt
