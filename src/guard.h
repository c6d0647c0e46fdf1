/* guard: outputs never replace an input. A run's outputs (-o, --redact-map, the expectations file
 * --update-expect rewrites) are compared, before any bundle is read, with every file the run
 * reads -- by device and inode when both exist, by resolved path when one does not yet -- and
 * with each other. The guard owns copies of the names it is given. */
#ifndef DARTSCAN_GUARD_H
#define DARTSCAN_GUARD_H

#include <stddef.h>

#include "util.h"

struct guard_file {
	char *path;
	const char *role; /* "bundle", "--pcap capture", ...: a static string */
};

struct guard {
	struct guard_file *in, *out;
	size_t nin, capin, nout, capout;
};

void guard_init(struct guard *g);
void guard_reset(struct guard *g);
/* A file the run reads; a directory (a rule layer) stands for the regular files in it. */
void guard_input(struct guard *g, const char *path, const char *role);
/* A file the run writes. */
void guard_output(struct guard *g, const char *path, const char *role);
/* 0, or -1 with err naming the output and what it would replace: an empty name, an input, another
 * output, or an existing file that is not a regular one (a device, a FIFO) and not this process's
 * standard output. An output whose role equals an input's role is the same file rewritten
 * (--update-expect): not refused. */
int guard_check(const struct guard *g, struct ds_error *err);

#endif
