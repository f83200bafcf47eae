# userspace/entropyd.mk: entropyd, the entropy-estimate tool, their unit
# tests, and the statically linked entropyd for the test VM.

ENTROPYD_OBJS := $(O)/obj/entropyd.o $(O)/obj/entropyd_core.o \
		 $(O)/obj/entropyd_state.o $(O)/obj/entropyd_status.o \
		 $(O)/obj/sp80090b.o $(O)/obj/cli.o $(O)/obj/patterns.o
ENTROPYD_LIBS := -lbpf -lelf -lz -lzstd -lcrypto -lm

PROGRAMS += $(O)/entropyd $(O)/entropy-estimate
UNIT_TESTS += $(O)/tests/test_sp80090b $(O)/tests/test_entropyd_core
VM_BINARIES += $(O)/static/entropyd

# entropyd.o includes the skeleton, generated from bpf/irqtime.bpf.c.
$(O)/obj/entropyd.o: $(O)/irqtime.skel.h
.SECONDARY: $(O)/irqtime.bpf.o

$(O)/entropyd: $(ENTROPYD_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(ENTROPYD_LIBS) -o $@

# Static, for the VM's initramfs: no shared libraries there.  (The folder
# is made here, not by a rule of its own, which tests/vm.mk also has.)
$(O)/static/entropyd: $(ENTROPYD_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -static $(LDFLAGS) $^ -lbpf -lelf -lz -lzstd -lcrypto \
		-lm -lpthread -o $@

$(O)/entropy-estimate: $(O)/obj/entropy_estimate.o $(O)/obj/sp80090b.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lm -o $@

$(O)/tests/test_sp80090b: $(O)/tests/test_sp80090b.o $(O)/obj/sp80090b.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lm -o $@

$(O)/tests/test_entropyd_core: $(O)/tests/test_entropyd_core.o \
		$(O)/obj/entropyd_core.o $(O)/obj/entropyd_state.o \
		$(O)/obj/sp80090b.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lcrypto -lm -o $@

FUZZERS += $(O)/fuzz/fuzz_sp80090b

$(O)/fuzz/fuzz_sp80090b: tests/fuzz/fuzz_sp80090b.c userspace/sp80090b.c \
		userspace/sp80090b.h | $(O)/fuzz
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) tests/fuzz/fuzz_sp80090b.c \
		userspace/sp80090b.c -lm -o $@
