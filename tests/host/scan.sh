#!/bin/sh
# tests/host/scan.sh: `ssltrace scan` against real processes on this host.
#
# Each case starts its own processes (tests/helpers/holdlib) on private
# copies of real Debian OpenSSL builds, changes the files under them the way
# an upgrade would, and checks what the scan says.  Runs as root; nothing
# outside the case's temporary folders is changed, except where a case says
# so (a cgroup it creates and removes, a reinstall of the same libssl3).
. "$(dirname "$0")/../lib.sh"

SSLTRACE=$BUILD/ssltrace
HOLDLIB=$BUILD/tests/holdlib
HOLDLIB_STATIC=$BUILD/tests/holdlib-static
OLD=$BUILD/testdata/openssl/old
NEW=$BUILD/testdata/openssl/new

need_builds() {
	[ -f "$OLD/libcrypto.so.3" ] && [ -f "$NEW/libcrypto.so.3" ] ||
		skip "no OpenSSL builds to map (tests/helpers/fetch-openssl-builds failed)"
	need_cmd jq
}

version_of() {
	grep -a -o -m 1 'OpenSSL 3\.[0-9.]* [0-9]* [A-Z][a-z]* [0-9]*' "$1" | head -n 1
}

private_dir() {
	WORK=$(mktemp -d /tmp/ssltrace-test.XXXXXX)
	at_exit "rm -rf '$WORK'"
}

# start_holder [HOLDLIB OPTIONS] LIBRARY...: sets HOLDER to the pid of a
# process that has loaded the libraries.
start_holder() {
	_ready=$WORK/ready.$$
	rm -f "$_ready"
	# Dependencies by soname (libssl needs libcrypto) come from WORK too.
	LD_LIBRARY_PATH=$WORK "$HOLDLIB" --ready "$_ready" "$@" >"$WORK/holder.log" 2>&1 &
	HOLDER=$!
	at_exit "kill $HOLDER 2>/dev/null; wait $HOLDER 2>/dev/null"
	wait_for_file "$_ready" || fail "holdlib did not start: $(cat "$WORK/holder.log")"
}

# replace SOURCE TARGET: what dpkg does, write a new file and rename it over.
replace() {
	cp "$1" "$(dirname "$2")/.new.tmp"
	mv "$(dirname "$2")/.new.tmp" "$2"
}

# scan_json ARGS...: runs `ssltrace scan --json ARGS`; sets OUT and RC.
scan_json() {
	RC=0
	OUT=$("$SSLTRACE" scan --json "$@" 2>"$WORK/stderr") || RC=$?
	printf '%s\n' "$OUT" | jq -e . >/dev/null || fail "not JSON: $OUT"
}

field() {
	printf '%s\n' "$OUT" | jq -r "$1"
}

case_replaced_by_rename_is_stale_with_both_versions() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	replace "$NEW/libcrypto.so.3" "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "exit status" 1 "$RC"
	expect_eq "status" stale "$(field '.processes[0].status')"
	expect_eq "deleted" true "$(field '.processes[0].libraries[0].deleted')"
	expect_eq "mapped version" "$(version_of "$OLD/libcrypto.so.3")" \
		"$(field '.processes[0].libraries[0].mapped_version')"
	expect_eq "disk version" "$(version_of "$NEW/libcrypto.so.3")" \
		"$(field '.processes[0].libraries[0].disk_version')"
	expect_match "reason" "different build" "$(field '.processes[0].reason')"
	expect_match "action" "^restart process $HOLDER " "$(field '.processes[0].action')"

	table=$("$SSLTRACE" scan --pid "$HOLDER") || true
	expect_match "table" "stale .*OpenSSL 3\.0\.[0-9]+ .*OpenSSL 3\.0\.[0-9]+ " "$table"
}

case_same_build_reinstalled_is_reinstalled_and_exit_0() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	replace "$OLD/libcrypto.so.3" "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "exit status" 0 "$RC"
	expect_eq "status" reinstalled "$(field '.processes[0].status')"
	expect_eq "build ids equal" "$(field '.processes[0].libraries[0].mapped_build_id')" \
		"$(field '.processes[0].libraries[0].disk_build_id')"
	expect_eq "action" "" "$(field '.processes[0].action')"
}

case_deleted_library_is_stale_and_says_the_file_is_gone() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	rm "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "exit status" 1 "$RC"
	expect_eq "status" stale "$(field '.processes[0].status')"
	expect_match "reason" "deleted; nothing is at $WORK/libcrypto.so.3" \
		"$(field '.processes[0].libraries[0].reason')"
	expect_eq "mapped version read from the deleted image" \
		"$(version_of "$OLD/libcrypto.so.3")" \
		"$(field '.processes[0].libraries[0].mapped_version')"
}

case_path_now_another_inode_old_one_linked_aside_is_stale() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	ln "$WORK/libcrypto.so.3" "$WORK/kept-aside.so"
	replace "$NEW/libcrypto.so.3" "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "exit status" 1 "$RC"
	expect_eq "status" stale "$(field '.processes[0].status')"
	expect_eq "mapped inode is the one kept aside" \
		"$(stat -c %i "$WORK/kept-aside.so")" \
		"$(field '.processes[0].libraries[0].mapped_inode')"
}

case_library_replaced_by_a_non_elf_file_is_stale() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	printf 'INPUT(-lcrypto)\n' > "$WORK/.new"
	mv "$WORK/.new" "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "exit status" 1 "$RC"
	expect_eq "status" stale "$(field '.processes[0].status')"
	expect_match "reason" "build ids cannot be compared \\(the file on disk: Exec format error\\)" \
		"$(field '.processes[0].reason')"
}

case_unchanged_library_is_current_and_listed_only_with_all() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$OLD/libssl.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "exit status" 0 "$RC"
	expect_eq "listed without --all" 0 "$(field '.processes | length')"
	scan_json --all --pid "$HOLDER"
	expect_eq "status with --all" current "$(field '.processes[0].status')"
}

case_library_on_overlayfs_is_current_until_replaced() {
	need_builds
	need_root
	private_dir
	mkdir "$WORK/lower" "$WORK/upper" "$WORK/work" "$WORK/merged"
	cp "$OLD/libcrypto.so.3" "$WORK/lower/"
	mount -t overlay overlay -o "lowerdir=$WORK/lower,upperdir=$WORK/upper,workdir=$WORK/work" \
		"$WORK/merged" 2>"$WORK/mount.log" || skip "cannot mount overlayfs: $(cat "$WORK/mount.log")"
	at_exit "umount '$WORK/merged'"
	start_holder "$WORK/merged/libcrypto.so.3"

	scan_json --all --pid "$HOLDER"
	expect_eq "status" current "$(field '.processes[0].status')"
	replace "$NEW/libcrypto.so.3" "$WORK/merged/libcrypto.so.3"
	scan_json --pid "$HOLDER"
	expect_eq "status after a copy-up replace" stale "$(field '.processes[0].status')"
}

case_chrooted_process_is_judged_inside_its_root() {
	need_builds
	private_dir
	jail=$WORK/jail
	mkdir -p "$jail/opt/ssltrace-jail-only"
	cp "$OLD/libcrypto.so.3" "$jail/opt/ssltrace-jail-only/"
	cp "$HOLDLIB_STATIC" "$jail/holdlib"
	chroot "$jail" /holdlib --mmap --ready /ready \
		/opt/ssltrace-jail-only/libcrypto.so.3 >"$WORK/holder.log" 2>&1 &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	wait_for_file "$jail/ready" || fail "holder in chroot did not start"

	scan_json --all --pid "$pid"
	expect_eq "status" current "$(field '.processes[0].status')"
	expect_eq "root" "$jail" "$(field '.processes[0].root')"

	replace "$NEW/libcrypto.so.3" "$jail/opt/ssltrace-jail-only/libcrypto.so.3"
	scan_json --pid "$pid"
	expect_eq "status after replacing inside the jail" stale \
		"$(field '.processes[0].status')"
}

case_chrooted_process_in_another_mount_namespace_is_judged_in_its_chroot() {
	need_builds
	need_cmd unshare
	private_dir
	jail=$WORK/jail
	mkdir -p "$jail/opt/ssltrace-jail-only"
	cp "$OLD/libcrypto.so.3" "$jail/opt/ssltrace-jail-only/"
	cp "$HOLDLIB_STATIC" "$jail/holdlib"
	unshare -m --propagation private chroot "$jail" /holdlib --mmap --ready /ready \
		/opt/ssltrace-jail-only/libcrypto.so.3 >"$WORK/holder.log" 2>&1 &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	wait_for_file "$jail/ready" || fail "holder did not start: $(cat "$WORK/holder.log")"

	scan_json --all --pid "$pid"
	expect_eq "status" current "$(field '.processes[0].status')"
	replace "$NEW/libcrypto.so.3" "$jail/opt/ssltrace-jail-only/libcrypto.so.3"
	scan_json --pid "$pid"
	expect_eq "status after replacing inside the jail" stale \
		"$(field '.processes[0].status')"
}

case_newline_in_a_directory_name_is_read_back() {
	need_builds
	private_dir
	dir="$WORK/new
line"
	mkdir "$dir"
	cp "$OLD/libcrypto.so.3" "$dir/"
	start_holder "$dir/libcrypto.so.3"
	scan_json --all --pid "$HOLDER"
	expect_eq "status" current "$(field '.processes[0].status')"
	expect_eq "path" "$dir/libcrypto.so.3" "$(field '.processes[0].libraries[0].path')"
}

case_a_file_named_deleted_is_not_taken_for_a_deleted_one() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/libcrypto.so.3 (deleted)"
	start_holder "$WORK/libcrypto.so.3 (deleted)"
	scan_json --all --pid "$HOLDER"
	expect_eq "exit status" 0 "$RC"
	expect_eq "status" current "$(field '.processes[0].status')"
	expect_eq "deleted" false "$(field '.processes[0].libraries[0].deleted')"
	expect_eq "path" "$WORK/libcrypto.so.3 (deleted)" "$(field '.processes[0].libraries[0].path')"
}

case_hard_links_on_neighbouring_maps_lines_are_both_matched() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	ln "$WORK/libcrypto.so.3" "$WORK/other-name.bin"
	start_holder --mmap "$WORK/libcrypto.so.3" "$WORK/other-name.bin"
	scan_json --all --pid "$HOLDER"
	expect_eq "libraries" "$WORK/libcrypto.so.3" "$(field '.processes[0].libraries[].path')"
	"$SSLTRACE" scan --json --all --lib 'other-name*' --pid "$HOLDER" > "$WORK/out.json" || true
	expect_eq "the other name, asked for" "$WORK/other-name.bin" \
		"$(jq -r '.processes[0].libraries[].path' "$WORK/out.json")"
}

case_a_path_longer_than_path_max_is_listed_as_unknown() {
	need_builds
	private_dir
	# rm -rf cannot remove what is deeper than PATH_MAX in one path.
	at_exit "cd '$WORK' && find . -depth -delete"
	cp "$OLD/libcrypto.so.3" "$WORK/lib.copy"
	# 20 levels of 240-character names, made one chdir at a time (a whole
	# path that long is refused by mkdir, and by the shell's cd), then
	# mapped relative to there.
	python3 -c '
import os, sys
work, holdlib = sys.argv[1], sys.argv[2]
os.chdir(work)
for i in range(20):
    name = "%0240d" % i
    os.mkdir(name)
    os.chdir(name)
os.rename(os.path.join(work, "lib.copy"), "libcrypto.so.3")
os.execv(holdlib, [holdlib, "--mmap", "--ready", work + "/ready.deep", "libcrypto.so.3"])
' "$WORK" "$HOLDLIB" >"$WORK/holder.log" 2>&1 &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	wait_for_file "$WORK/ready.deep" || fail "holder did not start: $(cat "$WORK/holder.log")"
	scan_json --all --pid "$pid"
	expect_eq "status" unknown "$(field '.processes[0].status')"
	expect_match "reason" "too long to look up" "$(field '.processes[0].reason')"
}

case_mount_namespace_process_is_judged_inside_its_own_root() {
	need_builds
	need_cmd unshare nsenter
	private_dir
	hidden=$WORK/hidden
	mkdir "$hidden"
	# Inside the namespace a tmpfs over $hidden holds the library; from the
	# host, $hidden stays empty.
	unshare -m --propagation private sh -c "
		mount -t tmpfs tmpfs '$hidden' &&
		cp '$OLD/libcrypto.so.3' '$hidden/' &&
		exec '$HOLDLIB_STATIC' --mmap --ready '$WORK/ready' '$hidden/libcrypto.so.3'
	" >"$WORK/holder.log" 2>&1 &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	wait_for_file "$WORK/ready" || fail "holder did not start: $(cat "$WORK/holder.log")"
	[ ! -e "$hidden/libcrypto.so.3" ] || fail "the library is visible from the host"

	scan_json --all --pid "$pid"
	expect_eq "exit status" 0 "$RC"
	expect_eq "status" current "$(field '.processes[0].status')"
	expect_eq "other namespace" true "$(field '.processes[0].foreign_namespace')"

	nsenter -t "$pid" -m sh -c "cp '$NEW/libcrypto.so.3' '$hidden/.new' && mv '$hidden/.new' '$hidden/libcrypto.so.3'"
	scan_json --pid "$pid"
	expect_eq "status after replacing inside the namespace" stale \
		"$(field '.processes[0].status')"
}

case_unreadable_process_is_unknown_and_scan_says_incomplete() {
	need_cmd jq
	cat /proc/1/maps >/dev/null 2>&1 &&
		skip "every process's maps is readable here (PID 1 is not EACCES)"
	private_dir
	scan_json --pid 1
	expect_eq "exit status" 0 "$RC"
	expect_eq "status" unknown "$(field '.processes[0].status')"
	expect_match "reason" "cannot read /proc/1/maps: Permission denied" \
		"$(field '.processes[0].reason')"
	expect_eq "incomplete" true "$(field '.incomplete')"
	expect_match "stderr" "scan incomplete: 1 process could not be inspected" \
		"$(cat "$WORK/stderr")"

	# A whole scan goes on past it.
	scan_json --all
	expect_match "whole scan still lists pid 1 as unknown" "^unknown$" \
		"$(field '.processes[] | select(.pid == 1) | .status')"
}

case_processes_exiting_during_the_scan_cause_no_error_and_no_entry() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	# 40 short-lived processes at a time map the library and exit while
	# the scans run.
	(
		i=0
		while [ $i -lt 400 ] && [ ! -e "$WORK/stop" ]; do
			timeout 0.05 "$HOLDLIB" "$WORK/libcrypto.so.3" 2>/dev/null &
			i=$((i + 1))
			[ $((i % 40)) -ne 0 ] || wait
		done
		wait
	) &
	churn=$!
	at_exit "touch '$WORK/stop'; wait $churn 2>/dev/null"
	n=0
	while [ $n -lt 20 ]; do
		scan_json --all
		[ "$RC" -le 1 ] || fail "scan failed with status $RC: $(cat "$WORK/stderr")"
		bad=$(grep -v 'scan incomplete' "$WORK/stderr" || true)
		expect_eq "stderr" "" "$bad"
		expect_eq "entries for exited processes" "" \
			"$(field '.processes[] | select(.reason | test("no such process|No such file")) | .pid')"
		n=$((n + 1))
	done
}

case_library_dlopened_after_start_is_found() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder --on-signal "$WORK/libcrypto.so.3"
	scan_json --all --pid "$HOLDER"
	expect_eq "listed before the dlopen" 0 "$(field '.processes | length')"

	rm -f "$WORK/ready.$$"
	kill -USR1 "$HOLDER"
	wait_for_file "$WORK/ready.$$" || fail "dlopen did not happen"
	scan_json --all --pid "$HOLDER"
	expect_eq "status after the dlopen" current "$(field '.processes[0].status')"
	expect_eq "library" "$WORK/libcrypto.so.3" "$(field '.processes[0].libraries[0].path')"
}

# The v2 hierarchy: /sys/fs/cgroup itself, or "unified" in the hybrid layout.
cgroup_v2_root() {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo /sys/fs/cgroup
	elif [ -d /sys/fs/cgroup/unified ]; then
		echo /sys/fs/cgroup/unified
	else
		skip "no cgroup v2 hierarchy mounted"
	fi
}

case_process_in_a_service_cgroup_is_named_by_its_unit() {
	need_builds
	need_root
	private_dir
	cg=$(cgroup_v2_root)
	made_slice=
	[ -d "$cg/system.slice" ] || made_slice=1
	mkdir -p "$cg/system.slice/ssltrace-demo.service"
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	at_exit "rmdir '$cg/system.slice/ssltrace-demo.service' ${made_slice:+"'$cg/system.slice'"}"
	echo "$HOLDER" > "$cg/system.slice/ssltrace-demo.service/cgroup.procs"
	grep -q '^0::/system.slice/ssltrace-demo.service$' "/proc/$HOLDER/cgroup" ||
		fail "holder not in the cgroup: $(cat "/proc/$HOLDER/cgroup")"
	replace "$NEW/libcrypto.so.3" "$WORK/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "unit" ssltrace-demo.service "$(field '.processes[0].unit')"
	expect_eq "action" "systemctl restart ssltrace-demo.service" \
		"$(field '.processes[0].action')"
	kill "$HOLDER"
	wait "$HOLDER" 2>/dev/null || true
}

case_file_names_with_spaces_are_kept_whole() {
	need_builds
	private_dir
	dir="$WORK/dir with  spaces"
	mkdir "$dir"
	cp "$OLD/libcrypto.so.3" "$dir/"
	start_holder "$dir/libcrypto.so.3"
	replace "$NEW/libcrypto.so.3" "$dir/libcrypto.so.3"

	scan_json --pid "$HOLDER"
	expect_eq "path" "$dir/libcrypto.so.3" "$(field '.processes[0].libraries[0].path')"
	expect_eq "status" stale "$(field '.processes[0].status')"
	table=$("$SSLTRACE" scan --pid "$HOLDER") || true
	expect_match "table" "$dir/libcrypto.so.3 \(deleted\)" "$table"
}

case_lib_option_replaces_the_default_patterns() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$OLD/libssl.so.3" "$WORK/"
	start_holder "$WORK/libssl.so.3"

	scan_json --all --pid "$HOLDER"
	expect_eq "default: libssl and libcrypto" 2 "$(field '.processes[0].libraries | length')"
	scan_json --all --lib 'libcrypto.so*' --pid "$HOLDER"
	expect_eq "--lib libcrypto.so*" "$WORK/libcrypto.so.3" \
		"$(field '.processes[0].libraries[].path')"
	scan_json --all --lib "$WORK/libssl*" --pid "$HOLDER"
	expect_eq "--lib with a path" "$WORK/libssl.so.3" \
		"$(field '.processes[0].libraries[].path')"
}

case_missing_pid_is_unknown_not_an_error() {
	need_cmd jq
	private_dir
	sh -c 'exit 0' &
	gone=$!
	wait $gone
	scan_json --pid "$gone"
	expect_eq "exit status" 0 "$RC"
	expect_eq "status" unknown "$(field '.processes[0].status')"
	expect_eq "reason" "no such process" "$(field '.processes[0].reason')"
}

case_control_characters_in_names_never_reach_the_terminal() {
	need_builds
	private_dir
	dir=$(printf '%s/esc\033[31mRED\033[0m\rFAKE' "$WORK")
	mkdir "$dir"
	cp "$OLD/libcrypto.so.3" "$dir/"
	start_holder "$dir/libcrypto.so.3"
	rm "$dir/libcrypto.so.3"
	table=$("$SSLTRACE" scan --pid "$HOLDER") || true
	if printf '%s' "$table" | grep -q "$(printf '\033')"; then
		fail "an escape character reached the table"
	fi
	printf '%s' "$table" | grep -q "$(printf '\r')" && fail "a carriage return reached the table"
	expect_match "name shown with ?" 'esc\?\[31mRED\?\[0m\?FAKE/libcrypto.so.3 \(deleted\)' "$table"
}

case_openmetrics_stays_utf8_with_any_file_name() {
	need_builds
	need_cmd iconv
	private_dir
	dir=$(printf '%s/bad\377\376' "$WORK")
	mkdir "$dir"
	cp "$OLD/libcrypto.so.3" "$dir/"
	start_holder "$dir/libcrypto.so.3"
	"$SSLTRACE" scan --all --format openmetrics --pid "$HOLDER" > "$WORK/metrics" || true
	iconv -f UTF-8 -t UTF-8 "$WORK/metrics" >/dev/null || fail "not UTF-8: $(cat -v "$WORK/metrics")"
	expect_match "replacement characters" "bad$(printf '\357\277\275\357\277\275')/libcrypto" "$(cat "$WORK/metrics")"
}

case_a_failed_write_of_the_results_is_an_error() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	for format in table json openmetrics; do
		rc=0
		"$SSLTRACE" scan --all --format "$format" --pid "$HOLDER" >/dev/full 2>"$WORK/err" || rc=$?
		expect_eq "exit status writing $format to /dev/full" 2 "$rc"
		expect_match "message" "cannot write the results" "$(cat "$WORK/err")"
	done
}

case_a_pid_given_twice_is_reported_once() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	scan_json --all --pid "$HOLDER" --pid "$HOLDER"
	expect_eq "processes" 1 "$(field '.processes | length')"
	expect_eq "scanned" 1 "$(field '.scanned')"
}

# bad_usage EXPECTED_MESSAGE ARGS...: the scan refuses ARGS with exit 2.
bad_usage() {
	_want=$1
	shift
	_rc=0
	_err=$("$SSLTRACE" scan "$@" 2>&1 >/dev/null) || _rc=$?
	expect_eq "exit status of scan $*" 2 "$_rc"
	expect_match "message of scan $*" "$_want" "$_err"
}

case_bad_values_are_refused_with_exit_2() {
	bad_usage "--pid: 'abc' is not a whole number from 1 to 4194304" --pid abc
	bad_usage "--pid: '0' is not" --pid 0
	bad_usage "--pid: '-5' is not" --pid -5
	bad_usage "--pid: '4194305' is not" --pid 4194305
	bad_usage "--pid: '99999999999999999999' is not" --pid 99999999999999999999
	bad_usage "--pid: '12x' is not" --pid 12x
	bad_usage "--lib: '' is not a file name pattern" --lib ''
	bad_usage "--lib: 'lib/x' is not a file name pattern" --lib lib/x
	bad_usage "--format: 'xml' is not one of table, json, openmetrics" --format xml
	bad_usage "^ssltrace scan: unrecognized option" --frobnicate
	bad_usage "unexpected argument 'extra'" extra
	bad_usage "--json and --format choose different formats" --json --format openmetrics
	_rc=0
	"$SSLTRACE" frob >/dev/null 2>&1 || _rc=$?
	expect_eq "exit status of an unknown command" 2 "$_rc"
}

case_openmetrics_lists_stale_libraries() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$WORK/"
	start_holder "$WORK/libcrypto.so.3"
	replace "$NEW/libcrypto.so.3" "$WORK/libcrypto.so.3"
	out=$("$SSLTRACE" scan --format openmetrics --pid "$HOLDER") || true
	expect_match "stale count" '^ssltrace_processes\{status="stale"\} 1$' "$out"
	expect_match "library line" "^ssltrace_library\\{pid=\"$HOLDER\",.*status=\"stale\",path=\"$WORK/libcrypto.so.3\"" "$out"
	expect_eq "last line" "# EOF" "$(printf '%s\n' "$out" | tail -n 1)"
}

# The issue's acceptance checks, with a real TLS server.
start_s_server() {
	need_cmd openssl
	openssl req -x509 -newkey ed25519 -nodes -subj /CN=localhost -days 1 \
		-keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	env ${1:+LD_LIBRARY_PATH="$1"} openssl s_server -quiet -accept "127.0.0.1:$port" \
		-cert "$WORK/cert.pem" -key "$WORK/key.pem" </dev/null >"$WORK/server.log" 2>&1 &
	SERVER=$!
	at_exit "kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null"
	n=0
	until grep -q libssl "/proc/$SERVER/maps" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 200 ] || fail "s_server did not start: $(cat "$WORK/server.log")"
		sleep 0.05
	done
}

case_s_server_on_a_private_build_swapped_for_a_newer_one_is_stale() {
	need_builds
	private_dir
	cp "$OLD/libcrypto.so.3" "$OLD/libssl.so.3" "$WORK/"
	start_s_server "$WORK"
	replace "$NEW/libssl.so.3" "$WORK/libssl.so.3"
	replace "$NEW/libcrypto.so.3" "$WORK/libcrypto.so.3"

	scan_json --pid "$SERVER"
	expect_eq "exit status" 1 "$RC"
	expect_eq "status" stale "$(field '.processes[0].status')"
	expect_eq "comm" openssl "$(field '.processes[0].comm')"
	expect_eq "mapped libcrypto version" "$(version_of "$OLD/libcrypto.so.3")" \
		"$(field ".processes[0].libraries[] | select(.path == \"$WORK/libcrypto.so.3\") | .mapped_version")"
	expect_eq "disk libcrypto version" "$(version_of "$NEW/libcrypto.so.3")" \
		"$(field ".processes[0].libraries[] | select(.path == \"$WORK/libcrypto.so.3\") | .disk_version")"
	expect_eq "libssl status" stale \
		"$(field ".processes[0].libraries[] | select(.path == \"$WORK/libssl.so.3\") | .status")"
}

case_s_server_after_apt_reinstall_of_libssl3_is_reinstalled() {
	need_root
	need_cmd jq apt-get
	private_dir
	start_s_server ""
	lib=$(awk '/libssl\.so/ { print $6; exit }' "/proc/$SERVER/maps")
	apt-get install -y -q --reinstall libssl3 >"$WORK/apt.log" 2>&1 ||
		skip "apt-get could not reinstall libssl3: $(tail -n 1 "$WORK/apt.log")"

	scan_json --pid "$SERVER"
	expect_eq "exit status" 0 "$RC"
	expect_eq "status" reinstalled "$(field '.processes[0].status')"
	expect_eq "libssl path" "$lib" \
		"$(field ".processes[0].libraries[] | select(.path | test(\"libssl\")) | .path")"
}

run_case "a library replaced by rename is stale, with both versions" case_replaced_by_rename_is_stale_with_both_versions
run_case "the same build reinstalled is reinstalled, exit 0" case_same_build_reinstalled_is_reinstalled_and_exit_0
run_case "a deleted library is stale and the reason says it is gone" case_deleted_library_is_stale_and_says_the_file_is_gone
run_case "a new inode at the path, the old one linked aside, is stale" case_path_now_another_inode_old_one_linked_aside_is_stale
run_case "a library replaced by a file that is not ELF is stale" case_library_replaced_by_a_non_elf_file_is_stale
run_case "an unchanged library is current, listed only with --all" case_unchanged_library_is_current_and_listed_only_with_all
run_case "a library on overlayfs is current until replaced" case_library_on_overlayfs_is_current_until_replaced
run_case "a chrooted process is judged inside its root" case_chrooted_process_is_judged_inside_its_root
run_case "a chrooted process in another mount namespace is judged in its chroot" case_chrooted_process_in_another_mount_namespace_is_judged_in_its_chroot
run_case "a newline in a directory name is read back" case_newline_in_a_directory_name_is_read_back
run_case "a file named 'NAME (deleted)' is not taken for a deleted one" case_a_file_named_deleted_is_not_taken_for_a_deleted_one
run_case "hard links on neighbouring maps lines are matched by name" case_hard_links_on_neighbouring_maps_lines_are_both_matched
run_case "a path longer than PATH_MAX is listed as unknown" case_a_path_longer_than_path_max_is_listed_as_unknown
run_case "a process in another mount namespace is judged inside its root" case_mount_namespace_process_is_judged_inside_its_own_root
run_case "an unreadable process is unknown and the scan says incomplete" case_unreadable_process_is_unknown_and_scan_says_incomplete
run_case "processes exiting during the scan cause no error and no entry" case_processes_exiting_during_the_scan_cause_no_error_and_no_entry
run_case "a library dlopened after start is found" case_library_dlopened_after_start_is_found
run_case "a process in system.slice/NAME.service is named by its unit" case_process_in_a_service_cgroup_is_named_by_its_unit
run_case "file names with spaces are kept whole" case_file_names_with_spaces_are_kept_whole
run_case "--lib replaces the default patterns" case_lib_option_replaces_the_default_patterns
run_case "a --pid that does not exist is unknown, not an error" case_missing_pid_is_unknown_not_an_error
run_case "control characters in file names never reach the terminal" case_control_characters_in_names_never_reach_the_terminal
run_case "--format openmetrics stays UTF-8 with any file name" case_openmetrics_stays_utf8_with_any_file_name
run_case "a failed write of the results is an error, exit 2" case_a_failed_write_of_the_results_is_an_error
run_case "a --pid given twice is reported once" case_a_pid_given_twice_is_reported_once
run_case "bad option values are refused with exit 2" case_bad_values_are_refused_with_exit_2
run_case "--format openmetrics lists stale libraries" case_openmetrics_lists_stale_libraries
run_case "s_server on a private 3.0.20 swapped for 3.0.22 is stale" case_s_server_on_a_private_build_swapped_for_a_newer_one_is_stale
run_case "s_server after apt-get --reinstall libssl3 is reinstalled" case_s_server_after_apt_reinstall_of_libssl3_is_reinstalled
