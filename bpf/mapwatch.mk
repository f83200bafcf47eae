# bpf/mapwatch.mk: the mapwatch eBPF program behind `ssltrace watch`, the
# statically linked ssltrace for the test VM, and the helper programs the
# watch tests run.  Included by the Makefile; the ssltrace link itself is in
# userspace/ssltrace.mk.

# The loader includes the generated skeleton.
$(O)/obj/watch_bpf.o: $(O)/mapwatch.skel.h
.SECONDARY: $(O)/mapwatch.bpf.o

# A static ssltrace for the VM's initramfs, from the same objects (the
# list is complete once userspace/ssltrace.mk is read: expanded at recipe
# time), and a static helper that maps a file there.
$(O)/static/ssltrace: $(O)/ssltrace
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -static $(LDFLAGS) $(SSLTRACE_OBJS) -lbpf -lelf -lz -lzstd -o $@

$(O)/static/watch-helper: tests/watch/watch_helper.c
	$(call msg,CCLD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -static $(CFLAGS) -DWATCH_HELPER_STATIC $< -o $@

VM_BINARIES += $(O)/static/ssltrace $(O)/static/watch-helper
TEST_PROGRAMS += $(O)/static/ssltrace $(O)/static/watch-helper

# Test helpers: map files and wait, dlopen late, storm mmap.
TEST_PROGRAMS += $(O)/tests/watch-helper
$(O)/tests/watch-helper: tests/watch/watch_helper.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -ldl -o $@

# Unit tests of the loader's helpers and the file watcher (no root needed).
UNIT_TESTS += $(O)/tests/test_watch
$(O)/tests/test_watch: $(O)/tests/test_watch.o $(O)/obj/watch_bpf.o \
		$(O)/obj/watch_files.o $(O)/obj/patterns.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lbpf -lelf -lz -o $@
