# userspace/ssltrace.mk: the ssltrace command, its unit tests and fuzzers,
# and the helper programs its host tests run.  Included by the Makefile.

SSLTRACE_OBJS := $(addprefix $(O)/obj/,ssltrace.o scan_cmd.o scan.o maps.o \
	elfinfo.o patterns.o procinfo.o report.o cli.o \
	watch_cmd.o watch_bpf.o watch_files.o)

PROGRAMS += $(O)/ssltrace
$(O)/ssltrace: $(SSLTRACE_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lbpf -lelf -lz -o $@

# A process that maps libraries and waits, for the host tests; the static
# build runs inside chroots and other mount namespaces.
TEST_PROGRAMS += $(O)/tests/holdlib $(O)/tests/holdlib-static
$(O)/tests/holdlib: tests/helpers/holdlib.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -ldl
$(O)/tests/holdlib-static: tests/helpers/holdlib.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -DHOLDLIB_STATIC -static $< -o $@

# Two real OpenSSL builds for the host tests; tests that need them skip when
# they cannot be downloaded.
.PHONY: testdata-openssl
tests: testdata-openssl
testdata-openssl:
	$(Q)tests/helpers/fetch-openssl-builds $(O)/testdata/openssl || \
		echo "testdata: no OpenSSL builds; the tests that need them will skip" >&2

# Unit tests; each links only the modules it tests.
SSLTRACE_UNIT_TESTS := $(O)/tests/test_maps $(O)/tests/test_cgroup \
	$(O)/tests/test_elfinfo $(O)/tests/test_output
UNIT_TESTS += $(SSLTRACE_UNIT_TESTS)

$(O)/tests/test_maps: $(O)/tests/test_maps.o $(O)/obj/maps.o $(O)/obj/patterns.o
$(O)/tests/test_cgroup: $(O)/tests/test_cgroup.o $(O)/obj/procinfo.o
$(O)/tests/test_elfinfo: $(O)/tests/test_elfinfo.o $(O)/obj/elfinfo.o \
	$(O)/tests/fixture.so $(O)/tests/fixture-nover.so
$(O)/tests/test_output: $(O)/tests/test_output.o $(O)/obj/report.o \
	$(O)/obj/cli.o $(O)/obj/scan.o $(O)/obj/maps.o $(O)/obj/elfinfo.o \
	$(O)/obj/patterns.o $(O)/obj/procinfo.o

$(SSLTRACE_UNIT_TESTS): %: %.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o,$^) -lelf -lz -o $@

$(O)/tests/test_elfinfo.o: override CFLAGS += -DFIXTURE_DIR='"$(abspath $(O))/tests"'

# The ELF fixtures: a known build id, soname and version string.
$(O)/tests/fixture.so: tests/unit/fixture_lib.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -shared -fPIC -O1 -Wl,--build-id=0x0123456789abcdef \
		-Wl,-soname,libfixture.so.7 $< -o $@
$(O)/tests/fixture-nover.so: tests/unit/fixture_lib.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -shared -fPIC -O1 -DNO_VERSION -Wl,-soname,libfixture.so.7 \
		$< -o $@

# libFuzzer targets, built with AddressSanitizer and UBSan; `make fuzz` runs
# them longer, tests/host/fuzz.sh briefly in `make check`.
FUZZERS += $(O)/fuzz/fuzz_maps_line $(O)/fuzz/fuzz_elf_notes
$(O)/fuzz/fuzz_maps_line: tests/fuzz/fuzz_maps_line.c userspace/maps.c \
		userspace/patterns.c | $(O)/fuzz
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $^ -o $@
$(O)/fuzz/fuzz_elf_notes: tests/fuzz/fuzz_elf_notes.c userspace/elfinfo.c \
		| $(O)/fuzz $(O)/tests/fixture.so
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c,$^) -lelf -lz -o $@
	$(Q)mkdir -p $(O)/fuzz/seeds/fuzz_elf_notes
	$(Q)cp $(O)/tests/fixture.so $(O)/tests/fixture-nover.so $(O)/fuzz/seeds/fuzz_elf_notes/
