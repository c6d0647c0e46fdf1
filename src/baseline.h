/* baseline: the message shapes a team's healthy bundles show, as a plain versioned text file, so
 * that an unexplained template no healthy bundle had is marked new and ranked first. */
#ifndef DARTSCAN_BASELINE_H
#define DARTSCAN_BASELINE_H

#include <stdio.h>

#include "unexplained.h"
#include "util.h"

struct baseline;

struct baseline *baseline_new(void);
void baseline_free(struct baseline *b);
/* Reads FILE. NULL with err (naming the file, and the line when one is wrong) when it is not a
 * dartscan baseline. */
struct baseline *baseline_load(const char *path, struct ds_error *err);
/* Counts one healthy bundle and each of its templates once. */
void baseline_add_bundle(struct baseline *b, const struct unexplained *u);
/* Writes the file: a version line, the bundle count, one "bundles TAB level TAB template" line per
 * shape, sorted by template (diffs stay small as a team adds bundles). */
void baseline_write(const struct baseline *b, FILE *out);
unsigned long baseline_bundles(const struct baseline *b);
/* Does the baseline hold a shape like text: as many tokens, each equal or <*> on either side. */
int baseline_knows(const struct baseline *b, const char *text);

#endif
