# jitter_rng_stuck_source: the source gets stuck (every sample the same value)
# while crediting; the repetition count test stops crediting at once, health
# says rct_failure, and not one more bit is credited until the fault is gone
# and a fresh start-up test has passed.
# vm-qemu: -cpu qemu64
# vm-timeout: 200
. /lib/vmlib.sh

jrng_load
wait_for 30 'test "$(jrng_attr credited_bits)" -ge 256' || fail "credited_bits $(jrng_attr credited_bits) after 30 s"
expect_eq "health before the fault" ok "$(jrng_attr health)"

echo stuck >"$JRNG_DBG/fault" || fail "cannot inject the fault"
wait_for 90 jrng_health_is rct_failure || fail "health $(jrng_attr health) 90 s after the fault"
c1=$(jrng_attr credited_bits)
n1=$(jrng_attr rct_failures)
[ "$n1" -ge 1 ] || fail "rct_failures is $n1"
# The thread retries a start-up test every second; each one fails again.
wait_for 10 'test "$(jrng_attr rct_failures)" -gt "$n1"' || fail "no retry in 10 s"
expect_eq "credited_bits after the failure" "$c1" "$(jrng_attr credited_bits)"
expect_eq "health while stuck" rct_failure "$(jrng_attr health)"
expect_eq "apt_failures" 0 "$(jrng_attr apt_failures)"
kmsg_has 'jitter_rng: repetition count test failed' || fail "no failure in the kernel log"

echo none >"$JRNG_DBG/fault"
wait_for 20 jrng_health_is ok || fail "health $(jrng_attr health) 20 s after the fault ended"
kmsg_has 'jitter_rng: start-up test passed again' || fail "no recovery in the kernel log"
rmmod jitter_rng || fail "rmmod"
