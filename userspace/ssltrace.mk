# userspace/ssltrace.mk: the ssltrace command, its unit tests and fuzzers,
# and the helper programs its host tests run.  Included by the Makefile.

SSLTRACE_OBJS := $(addprefix $(O)/obj/,ssltrace.o scan_cmd.o scan.o maps.o \
	elfinfo.o patterns.o procinfo.o report.o cli.o)

PROGRAMS += $(O)/ssltrace
$(O)/ssltrace: $(SSLTRACE_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lelf -lz -o $@

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
