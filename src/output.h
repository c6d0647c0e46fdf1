/* output: where a report goes -- standard output, or -o FILE written to a temporary file beside
 * FILE and renamed over it only once the report is complete -- with every write checked, so a
 * full disk or a closed pipe is an error, never a silent loss. The output owns its FILE. */
#ifndef DARTSCAN_OUTPUT_H
#define DARTSCAN_OUTPUT_H

#include <stdio.h>

#include "util.h"

struct output;

/* path NULL: standard output. NULL with err when the temporary file cannot be made. */
struct output *output_open(const char *path, struct ds_error *err);
FILE *output_file(const struct output *o);
/* Flushes and closes, checking both; renames the temporary file over FILE. Frees o. Returns 0,
 * or -1 with err (the temporary file is removed, FILE is left as it was). */
int output_commit(struct output *o, struct ds_error *err);
/* Gives up: the temporary file is removed and FILE left as it was. Frees o; accepts NULL. */
void output_abort(struct output *o);

#endif
