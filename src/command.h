/* command: the subcommands other than a scan -- `rules check|test|list|export|try|draft` and `diff`
 * -- each given its arguments by main.c and giving back the exit status, its errors said once. */
#ifndef DARTSCAN_COMMAND_H
#define DARTSCAN_COMMAND_H

#include "cli.h"

/* dartscan rules ...: argv[0] is "rules". */
int command_rules(int argc, char **argv);
/* dartscan diff OLD NEW, op parsed: 1 when NEW has a finding at or above --fail-on that OLD did not
 * have or that got worse, 0 otherwise, 2 when either bundle could not be read. */
int command_diff(struct options *op, char **paths);

#endif
