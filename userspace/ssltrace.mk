# userspace/ssltrace.mk: the ssltrace command, its unit tests and fuzzers,
# and the helper programs its host tests run.  Included by the Makefile.

SSLTRACE_OBJS := $(addprefix $(O)/obj/,ssltrace.o scan_cmd.o scan.o maps.o \
	elfinfo.o patterns.o procinfo.o report.o cli.o \
	watch_cmd.o watch_bpf.o watch_files.o)

PROGRAMS += $(O)/ssltrace
$(O)/ssltrace: $(SSLTRACE_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lbpf -lelf -lz -o $@
