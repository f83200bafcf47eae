# tests/vm.mk: the virtual-machine tests (tests/vm/run, see tests/vm/README.md).
#
# Other parts put their statically linked tools into the guest by appending
# to VM_BINARIES in their own fragment, e.g.
#   VM_BINARIES += $(O)/static/entropyd
# and their cases into tests/vm/cases/<part>_*.sh.  `make check` builds
# every file named in VM_BINARIES before the runner starts.

VM_BINARIES += $(O)/static/vmprobe
VM_TESTS += tests/vm/run

# The runner reads these from its environment.
export VM_BINARIES
export JRNG_KO := $(abspath $(O)/jitter_rng.ko)

$(O)/static:
	$(Q)mkdir -p $@

$(O)/static/vmprobe: tests/vm/tools/vmprobe.c | $(O)/static
	$(call msg,CCLD,$@)
	$(Q)$(CC) -static -O2 -Wall -Wextra -D_GNU_SOURCE $< -o $@

# VM_BINARIES may grow in fragments read after this one: expand it when
# the recipe runs, not now.
.PHONY: vm-inputs
tests: vm-inputs
vm-inputs: $(O)/jitter_rng.ko
	$(Q)$(MAKE) --no-print-directory -s $(VM_BINARIES)
