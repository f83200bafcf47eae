# jitter_rng_ready: one measurement of the starved machine (no RDRAND, no
# virtio-rng): the time from starting a seeding method to the kernel's
# "random: crng init done".  The method comes from jrng_bench= on the kernel
# command line:
#   module     insmod jitter_rng.ko
#   getrandom  a process blocks in getrandom() (the kernel's own fallback)
#   rngd       jitterentropy-rngd started in the foreground
#   none       nothing
# Both ends are kernel log timestamps: a marker written to /dev/kmsg right
# before the start, and the crng line.  Prints "jrng-bench: METHOD MS".
# vm-qemu: -cpu qemu64
# vm-timeout: 90
. /lib/vmlib.sh

method=$(sed -n 's/.*jrng_bench=\([a-z]*\).*/\1/p' /proc/cmdline)
kmsg_has 'random: crng init done' && fail "the generator was ready before the start"

echo "jrng-bench: start $method" >/dev/kmsg
case $method in
module) insmod /lib/jitter_rng.ko || fail "insmod" ;;
getrandom) vmprobe getrandom --wait >/dev/null & ;;
rngd) jitterentropy-rngd -v >/tmp/rngd.log 2>&1 & ;;
none) ;;
*) fail "unknown jrng_bench=$method" ;;
esac

# ts REGEX: the kernel log timestamp, in microseconds, of the first match.
ts() {
	dmesg | grep -E -m 1 -- "$1" | sed 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2/'
}

if wait_for 30 "kmsg_has 'random: crng init done'"; then
	t0=$(ts 'jrng-bench: start')
	t1=$(ts 'random: crng init done')
	echo "jrng-bench: $method $(((t1 - t0) / 1000))"
else
	echo "jrng-bench: $method none"
fi
