#!/bin/sh
# tests/host/kmod_vm_runner.sh: tests/vm/run turns what happens in the guest
# into the right TAP line: exit 0 passes, 77 skips with its reason, another
# status fails, and a kernel WARNING or a panic fails even a case that
# "passed".  Each scenario boots the VM once with a case made here.
. "$(dirname "$0")/../lib.sh"

# runner_says CASE_BODY: runs one made-up case, prints the runner's output.
runner_says() {
	need_root
	need_cmd qemu-system-x86_64 cpio
	[ -f "$BUILD/jitter_rng.ko" ] || skip "needs $BUILD/jitter_rng.ko (make tests)"
	ls /boot/vmlinuz-6.1.0-*-amd64 >/dev/null 2>&1 || skip "needs linux-image-amd64 (6.1)"
	dir=$(mktemp -d)
	at_exit rm -rf "$dir"
	mkdir -p "$dir/cases"
	printf '# runner_probe: a case made by kmod_vm_runner.sh\n%s\n' "$1" \
		>"$dir/cases/runner_probe.sh"
	ko=$BUILD/jitter_rng.ko
	VM_CASES_DIR=$dir/cases VM_LOGS=$dir/logs BUILD=$dir/build \
		JRNG_KO=$ko VM_BINARIES= "$TOP/tests/vm/run" runner_probe
}

exit_0_passes() {
	out=$(runner_says 'exit 0')
	expect_eq "runner output" "ok - runner_probe" "$(echo "$out" | head -n 1)"
}

exit_77_skips_with_reason() {
	out=$(runner_says '. /lib/vmlib.sh; skip "no frobnicator here"')
	expect_eq "runner output" "ok - runner_probe # SKIP no frobnicator here" \
		"$(echo "$out" | head -n 1)"
}

exit_3_fails() {
	out=$(runner_says 'echo "the reason"; exit 3')
	expect_eq "first line" "not ok - runner_probe" "$(echo "$out" | head -n 1)"
	expect_match "diagnostics" '^# the reason' "$out"
}

kernel_warning_fails_a_passing_case() {
	out=$(runner_says 'echo "WARNING: made up by the test" >/dev/kmsg; exit 0')
	expect_eq "first line" "not ok - runner_probe" "$(echo "$out" | head -n 1)"
	expect_match "diagnostics" 'kernel log shows: .*WARNING: made up' "$out"
}

panic_fails() {
	out=$(runner_says 'echo c >/proc/sysrq-trigger; exit 0')
	expect_eq "first line" "not ok - runner_probe" "$(echo "$out" | head -n 1)"
}

run_case "a case that exits 0 passes" exit_0_passes
run_case "a case that exits 77 is skipped, with its reason" exit_77_skips_with_reason
run_case "a case that exits 3 fails, showing its output" exit_3_fails
run_case "a kernel WARNING fails a case that exited 0" kernel_warning_fails_a_passing_case
run_case "a kernel panic fails the case" panic_fails
