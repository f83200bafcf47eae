/* commands.h - the subcommands of ssltrace, each in its own file. */
#ifndef SSLTRACE_COMMANDS_H
#define SSLTRACE_COMMANDS_H

#define PROG "ssltrace"

/* Exit statuses shared by every subcommand (SPEC.md). */
#define EXIT_NO_STALE 0
#define EXIT_STALE 1
#define EXIT_ERROR 2

int cmd_scan(int argc, char **argv);
int cmd_watch(int argc, char **argv);

#endif
