/* context_in: what context.c shares with context_check.c, the rule checks read against the same kept
 * files: finding a file, and JSON read the one way both use. */
#ifndef DARTSCAN_CONTEXT_IN_H
#define DARTSCAN_CONTEXT_IN_H

#include <jansson.h>

#include "context.h"

/* The kept file whose base name the glob takes, or NULL. */
const struct ctx_file *context_find_file(const struct context *c, const char *glob);
/* One reading of JSON for the context and the checks alike: a duplicate key is not valid JSON
 * (which of the two would a client use?). */
json_t *context_parse_json(const struct ctx_file *f, json_error_t *je);
/* Follows a dotted path ("orgConfig.failOpen") through objects. */
json_t *context_json_path(json_t *root, const char *path);
/* A scalar as text (caller frees): strings as they are, numbers and booleans as JSON writes them. */
char *context_json_text(json_t *v);

#endif
