# jitter_rng_coarse_timer: with a timer too coarse to see the loop's jitter
# (emulated by fault=coarse) the module stays loaded, health says
# coarse_timer, the kernel log says why, and nothing is ever credited.
# vm-qemu: -cpu qemu64
. /lib/vmlib.sh

jrng_load fault=coarse
expect_eq "health" coarse_timer "$(jrng_attr health)"
kmsg_has 'jitter_rng: timer too coarse' || fail "the kernel log does not say why"
grep -q '^jitter_rng ' /proc/modules || fail "the module is not loaded"
sleep 2
expect_eq "samples" 0 "$(jrng_attr samples)"
expect_eq "credited_bits" 0 "$(jrng_attr credited_bits)"
expect_eq "health later" coarse_timer "$(jrng_attr health)"
kmsg_has 'random: crng init done' && fail "the generator became ready"
rmmod jitter_rng || fail "rmmod"
