/* ruletry: "dartscan rules try PATTERN BUNDLE...": one PCRE2 pattern over every log of the bundles,
 * read as a scan reads them (the worker, its limits), to show a rule author what it would match. */
#ifndef DARTSCAN_RULETRY_H
#define DARTSCAN_RULETRY_H

#include <stdio.h>

#include "batch.h"

/* Prints, per bundle, the records the pattern matches per entry, the first few of them, and the
 * time per MiB read. Returns 1 when it matched, 0 when not, 2 on an error (printed). */
int ruletry_run(const char *pattern, char **paths, int n, const struct batch_opts *bo, FILE *out);

#endif
