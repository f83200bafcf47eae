# userspace/entropyd.mk: entropyd, the entropy-estimate tool, their unit
# tests and the static entropyd for the test VM.

ENTROPY_ESTIMATE_OBJS := $(O)/obj/entropy_estimate.o $(O)/obj/sp80090b.o

PROGRAMS += $(O)/entropy-estimate
UNIT_TESTS += $(O)/tests/test_sp80090b

$(O)/entropy-estimate: $(ENTROPY_ESTIMATE_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lm -o $@

$(O)/tests/test_sp80090b: $(O)/tests/test_sp80090b.o $(O)/obj/sp80090b.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lm -o $@
