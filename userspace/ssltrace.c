/* ssltrace.c - the ssltrace command: finds processes that still run an old
 * OpenSSL (or any watched library) after an upgrade.
 *
 * This file only dispatches to the subcommands (commands.h).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static void usage(FILE *out)
{
	fputs(
"Usage: ssltrace scan [OPTION]...    list processes that run replaced libraries\n"
"       ssltrace [watch] [OPTION]... follow them live (eBPF), the default\n"
"       ssltrace --help | COMMAND --help\n"
"\n"
"ssltrace compares the libssl/libcrypto each process has mapped with the\n"
"file now on disk, and says per process, systemd unit and container which\n"
"version runs, which is on disk, and what to restart.\n"
"\n"
"Examples:\n"
"  ssltrace scan\n"
"  ssltrace scan --json\n"
"  ssltrace                  watch until Ctrl-C\n"
"  ssltrace watch --json --duration 60\n",
	      out);
}

int main(int argc, char **argv)
{
	/* No command, or options only: watch. */
	if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "--help") != 0 &&
			 strcmp(argv[1], "-h") != 0))
		return cmd_watch(argc, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "watch") == 0)
		return cmd_watch(argc - 1, argv + 1);

	fprintf(stderr, PROG ": unknown command '%s'\nTry 'ssltrace --help'.\n",
		argv[1]);
	return EXIT_ERROR;
}
