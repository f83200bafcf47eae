# jitter_rng_crng_init: on a machine without RDRAND or virtio-rng the
# generator is not ready; loading the module makes the kernel log
# "random: crng init done" and getrandom() stops blocking.
# vm-qemu: -cpu qemu64
. /lib/vmlib.sh

kmsg_has 'random: crng init done' && skip "the generator was ready before insmod"
rc=0
vmprobe getrandom --nonblock >/dev/null || rc=$?
[ "$rc" -eq 3 ] || skip "getrandom(GRND_NONBLOCK) did not say EAGAIN before insmod (rc $rc)"

jrng_load
wait_for 30 "kmsg_has 'random: crng init done'" || fail "no 'crng init done' 30 s after insmod; credited $(jrng_attr credited_bits)"
expect_eq "getrandom(GRND_NONBLOCK) after crng init" ready "$(vmprobe getrandom --nonblock)"
expect_eq "blocking getrandom()" ready "$(vmprobe getrandom --wait)"
c=$(jrng_attr credited_bits)
[ "$c" -ge 256 ] || fail "crng init done with only $c bits credited by the module"
rmmod jitter_rng || fail "rmmod"
