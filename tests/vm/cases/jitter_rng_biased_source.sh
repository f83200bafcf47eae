# jitter_rng_biased_source: the source becomes biased (31 of every 32 samples
# the same value, in runs too short for the repetition count test); the
# adaptive proportion test stops crediting, health says apt_failure, and no
# bit is credited after the failure.
# vm-qemu: -cpu qemu64
# vm-timeout: 200
. /lib/vmlib.sh

jrng_load
wait_for 30 'test "$(jrng_attr credited_bits)" -ge 256' || fail "credited_bits $(jrng_attr credited_bits) after 30 s"
expect_eq "health before the fault" ok "$(jrng_attr health)"

echo biased >"$JRNG_DBG/fault" || fail "cannot inject the fault"
wait_for 90 jrng_health_is apt_failure || fail "health $(jrng_attr health) 90 s after the fault"
c1=$(jrng_attr credited_bits)
n1=$(jrng_attr apt_failures)
[ "$n1" -ge 1 ] || fail "apt_failures is $n1"
wait_for 10 'test "$(jrng_attr apt_failures)" -gt "$n1"' || fail "no retry in 10 s"
expect_eq "credited_bits after the failure" "$c1" "$(jrng_attr credited_bits)"
expect_eq "health while biased" apt_failure "$(jrng_attr health)"
expect_eq "rct_failures" 0 "$(jrng_attr rct_failures)"

echo none >"$JRNG_DBG/fault"
wait_for 20 jrng_health_is ok || fail "health $(jrng_attr health) 20 s after the fault ended"
rmmod jitter_rng || fail "rmmod"
