# jitter_rng_rmmod_prompt: rmmod returns promptly both while the kthread
# sleeps (the generator is ready, the thread backs off for 30 s or more)
# and while it is in the middle of sampling (the start-up test right after
# insmod).  "Promptly" is a generous 5 s bound, far under the back-off: this
# checks that the thread is woken, not how fast the machine is.
# vm-qemu: -cpu max
. /lib/vmlib.sh

now_cs() {
	cut -d' ' -f1 /proc/uptime | tr -d .
}

# rmmod_within LIMIT_CS WHAT
rmmod_within() {
	t0=$(now_cs)
	rmmod jitter_rng || fail "$2: rmmod failed"
	t1=$(now_cs)
	echo "$2: rmmod took $(((t1 - t0) * 10)) ms"
	[ $((t1 - t0)) -le "$1" ] || fail "$2: rmmod took $(((t1 - t0) * 10)) ms"
}

# 1. Asleep: the generator is ready (RDRAND), so after its first block the
# thread sleeps; samples stop moving.
vmprobe getrandom --nonblock >/dev/null || skip "the generator is not ready; needs -cpu max"
jrng_load
wait_for 30 'test "$(jrng_attr credited_bits)" -gt 0' || fail "nothing credited in 30 s"
s1=$(jrng_attr samples)
sleep 1
s2=$(jrng_attr samples)
expect_eq "samples while the thread backs off" "$s1" "$s2"
rmmod_within 500 "asleep"

# 2. Mid-sample: a new osr makes the thread start over with a start-up test
# (1024 samples) and a block (64 * osr samples) before it sleeps again;
# vmprobe unloads the module right after the write, in the same process.
# The module logs how many samples it took in all: more than before but
# fewer than the whole cycle proves the thread was stopped while sampling.
mid=0
i=0
while [ "$i" -lt 20 ]; do
	jrng_load
	wait_for 30 jrng_health_is ok || fail "round $i: health $(jrng_attr health)"
	wait_for 30 'test "$(jrng_attr credited_bits)" -gt 0' || fail "round $i: nothing credited"
	before=$(jrng_attr samples)
	out=$(vmprobe write-unload "$JRNG_SYS/osr" 15 jitter_rng) || fail "round $i: $out"
	us=$(echo "$out" | sed -n 's/^unloaded in \([0-9]*\) us$/\1/p')
	[ -n "$us" ] || fail "round $i: $out"
	after=$(dmesg | sed -n 's/.*jitter_rng: unloaded: .* from \([0-9]*\) samples.*/\1/p' | tail -n 1)
	echo "round $i: rmmod took $us us, $((after - before)) samples after the write"
	[ "$us" -le 5000000 ] || fail "round $i: rmmod took $us us"
	if [ "$after" -gt "$before" ] && [ $((after - before)) -lt $((1024 + 64 * 15)) ]; then
		mid=$((mid + 1))
	fi
	i=$((i + 1))
done
echo "the thread was stopped while sampling $mid times in 20"
[ "$mid" -gt 0 ] || fail "never stopped the thread while sampling; the case proved nothing"
