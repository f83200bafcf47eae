# Makefile: builds the ssltrace tools, their eBPF programs and the jitter_rng
# kernel module into one output folder, and runs them.
#
#   make            build everything this machine can build, into build/
#   make run        install what is missing (apt-get), build, run `ssltrace scan`
#   make check      install what is missing, build, run the whole test suite
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS (default 60)
#   make install    ssltrace, entropyd, entropy-estimate into PREFIX/sbin
#   make V=1        show the commands
#
# Each part adds its own rules in a fragment next to its sources
# (userspace/*.mk, bpf/*.mk, kmod/*.mk, tests/*.mk, bench/*.mk); this file
# holds what they share: flags, the output folder, and the eBPF pipeline
# (vmlinux.h -> NAME.bpf.o -> NAME.skel.h).

O := build
V ?= 0
FUZZ_SECONDS ?= 60

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-9s %s\n' '$(1)' '$(2)'
endif

CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
# CFLAGS from the command line (make CFLAGS=...) replace -O2 -g only: what
# the build needs is added with override.
CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -D_GNU_SOURCE \
	  -MMD -MP -Iuserspace -Ibpf -I$(O)
LDFLAGS ?=
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -Iuserspace -Ibpf -I$(O) \
	       -fsanitize=fuzzer,address,undefined

# Fragments append to these.
PROGRAMS :=		# installed tools, built by `make`
TEST_PROGRAMS :=	# helpers the tests need, built by `make check`
UNIT_TESTS :=		# C unit tests, each prints TAP
FUZZERS :=		# libFuzzer targets
VM_TESTS :=		# virtual-machine test runners, each prints TAP
HOST_TESTS = $(sort $(wildcard tests/host/*.sh))

.DELETE_ON_ERROR:
.PHONY: all run check deps deps-base tests fuzz install clean

all:

include $(sort $(wildcard userspace/*.mk bpf/*.mk kmod/*.mk tests/*.mk bench/*.mk))

all: $(PROGRAMS)

tests: $(PROGRAMS) $(TEST_PROGRAMS) $(UNIT_TESTS) $(FUZZERS)

$(O) $(O)/obj $(O)/tests $(O)/fuzz:
	$(Q)mkdir -p $@

# Userspace objects; the .d files keep header dependencies exact.
$(O)/obj/%.o: userspace/%.c | $(O)/obj
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(O)/tests/%.o: tests/unit/%.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -c $< -o $@

# eBPF: CO-RE objects against the BTF of the kernel we build on; libbpf
# relocates field offsets when loading on another kernel (the 6.1 test VM).
$(O)/vmlinux.h: | $(O)
	$(call msg,BTF,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(O)/%.bpf.o: bpf/%.bpf.c $(O)/vmlinux.h $(wildcard bpf/*.h) | $(O)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall \
		-I$(O) -Ibpf -c $< -o $@

$(O)/%.skel.h: $(O)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# `make run` installs only what the tools need (deps/base.list); `make
# check` installs every list, the kernel and qemu for the module's VM tests.
deps:
	$(Q)scripts/install-deps

deps-base:
	$(Q)scripts/install-deps base

run: deps-base
	$(Q)$(MAKE) --no-print-directory all
	@# Exit status 1 means "a stale process was found": a result, not a
	@# failed run.  2 is a real error.
	$(Q)$(O)/ssltrace scan; rc=$$?; [ $$rc -le 1 ]

check: deps
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)tests/run $(UNIT_TESTS) $(HOST_TESTS) $(VM_TESTS)

# Seeds are tests/fuzz/seeds/NAME, or $(O)/fuzz/seeds/NAME when they are
# built (ELF images); what each run finds is kept in $(O)/corpus/NAME.
fuzz: $(FUZZERS)
	$(Q)set -e; for f in $(FUZZERS); do \
		name=$$(basename $$f); \
		seeds=tests/fuzz/seeds/$$name; \
		[ -d $$seeds ] || seeds=$(O)/fuzz/seeds/$$name; \
		echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
		mkdir -p $(O)/corpus/$$name; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(O)/corpus/$$name $$seeds; \
	done

# The tools, for use outside the checkout (the module: see README, DKMS).
PREFIX ?= /usr/local
INSTALLED := ssltrace entropyd entropy-estimate
install: $(addprefix $(O)/,$(INSTALLED))
	$(Q)install -d $(DESTDIR)$(PREFIX)/sbin
	$(Q)for t in $(INSTALLED); do \
		install -m 0755 $(O)/$$t $(DESTDIR)$(PREFIX)/sbin/$$t; \
		echo "  INSTALL   $(DESTDIR)$(PREFIX)/sbin/$$t"; \
	done

clean:
	$(Q)rm -rf $(O)

-include $(wildcard $(O)/obj/*.d $(O)/tests/*.d)
