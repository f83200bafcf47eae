# bench/jitter_rng.mk: `make bench-jitter-rng` runs bench/jitter_rng_bench.sh
# (time to crng init in the starved VM, and min-entropy of the raw samples).
.PHONY: bench-jitter-rng
bench-jitter-rng: $(O)/jitter_rng.ko $(O)/static/vmprobe $(O)/entropy-estimate
	$(Q)BUILD=$(abspath $(O)) bench/jitter_rng_bench.sh
