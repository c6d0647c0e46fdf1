/* cli: the command line -- one table of options (long name, short letter, argument, range, one
 * line of help) that gives getopt_long's array, the usage synopsis, --help and parse_args. */
#ifndef DARTSCAN_CLI_H
#define DARTSCAN_CLI_H

#include <stdio.h>

#include "sandbox.h"
#include "scan.h"

#define RULE_LAYERS 16

struct options {
	const char *format;
	const char *rules_dir;  /* the first -R */
	const char *rules_dirs[RULE_LAYERS]; /* every -R, in order: layers */
	size_t nrules_dirs;
	const char *config;
	const char *output;
	int fail_on;
	int min_severity; /* findings below it are left out of the report (not of the exit status) */
	int group_by;     /* --group-by: group.h's GROUP_* */
	int utc;          /* --utc: times in UTC where the bundle gives the client's offset */
	int color; /* -1 auto */
	int timeline;
	int recursive;
	int quiet;
	int jobs;
	const char *expect;
	const char *explain;
	const char *redact_map;
	const char *passphrase_file; /* --passphrase-file: read once by main, before any worker */
	int redact;
	int update_expect;
	struct scan_opts scan;
	struct sandbox_opts sandbox;
	const char *baseline;   /* --baseline FILE (or $DARTSCAN_BASELINE) */
	int build_baseline;     /* dartscan baseline: -o FILE gets the healthy bundles' shapes */
};

/* "dartscan: " and the message, on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error a stage returned, with its context (file, line), said once by whoever stops on it. */
void cli_error(const struct ds_error *e);
void cli_usage(FILE *f);
/* Reads the options into op (its defaults already set); -h and --version print and exit 0.
 * Returns -1 after saying what was wrong; optind is then where the arguments begin. */
int parse_args(int argc, char **argv, struct options *op);
/* The combinations of a scan's options that cannot work (nargs bundles given; build: dartscan
 * baseline, which then gathers every unmatched record), said before anything is loaded: 0 or -1. */
int cli_check_scan(struct options *op, int nargs, int build);

#endif
