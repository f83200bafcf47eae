/* fixture_lib.c - a tiny shared library with a known build id, soname and
 * OpenSSL-style version string, built for test_elfinfo (see
 * userspace/ssltrace.mk for the link flags that set them). */
#ifndef NO_VERSION
__attribute__((used)) const char fixture_version[] = "OpenSSL 9.8.7 1 Jan 2030";
#endif

int fixture_function(int x)
{
	return x + 1;
}
