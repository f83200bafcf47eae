# jitter_rng_raw: records raw samples of the noise source in the starved
# machine and sends them out through the second serial port (ttyS1, which
# the runner writes to @OUT@).  JRNG_RAW_COUNT lines, 1 000 000 by default.
# vm-qemu: -cpu qemu64 -serial file:@OUT@
# vm-timeout: 900
. /lib/vmlib.sh

count=$(sed -n 's/.*jrng_raw_count=\([0-9]*\).*/\1/p' /proc/cmdline)
jrng_load
stty -F /dev/ttyS1 raw -echo 115200 || fail "stty ttyS1"
head -n "${count:-1000000}" "$JRNG_DBG/raw" >/dev/ttyS1 || fail "reading $JRNG_DBG/raw"
echo "recorded ${count:-1000000} raw samples"
rmmod jitter_rng || fail "rmmod"
