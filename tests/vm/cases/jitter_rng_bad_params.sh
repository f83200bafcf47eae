# jitter_rng_bad_params: insmod refuses an osr out of 1..15 or an unknown
# fault name, says why in the kernel log, and leaves nothing behind.
. /lib/vmlib.sh

for p in osr=0 osr=16 fault=bogus; do
	insmod /lib/jitter_rng.ko "$p" 2>/dev/null && fail "insmod accepted $p"
	[ ! -d /sys/kernel/jitter_rng ] || fail "$p left /sys/kernel/jitter_rng"
done
kmsg_has 'jitter_rng: osr=0 is out of range: it accepts 1 to 15' || fail "no message for osr=0"
kmsg_has 'jitter_rng: fault=bogus is not one of' || fail "no message for fault=bogus"
jrng_load osr=15
expect_eq "osr" 15 "$(jrng_attr osr)"
rmmod jitter_rng || fail "rmmod"
