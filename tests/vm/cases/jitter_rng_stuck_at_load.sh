# jitter_rng_stuck_at_load: a source stuck from the start never passes the
# start-up test, so not one bit is ever credited.
# vm-qemu: -cpu qemu64
. /lib/vmlib.sh

jrng_load fault=stuck
wait_for 20 'test "$(jrng_attr rct_failures)" -ge 2' || fail "rct_failures $(jrng_attr rct_failures) after 20 s"
expect_eq "health" rct_failure "$(jrng_attr health)"
expect_eq "credited_bits" 0 "$(jrng_attr credited_bits)"
vmprobe getrandom --nonblock >/dev/null && kmsg_has 'jitter_rng' &&
	! kmsg_has 'random: crng init done' && fail "getrandom ready without crng init"
rmmod jitter_rng || fail "rmmod"
