/* ruledraft: "dartscan rules draft BUNDLE ENTRY:LINE": a rule stanza for the record at a line --
 * its template as a PCRE2 pattern, test lines from the bundle -- that passes its own tests. */
#ifndef DARTSCAN_RULEDRAFT_H
#define DARTSCAN_RULEDRAFT_H

#include <stdio.h>

#include "batch.h"

/* Reads the bundle twice in the worker (the record and its template, then what the drafted
 * pattern matches), prints the stanza on out and a summary on stderr. Returns 0 when a stanza
 * was printed, 2 on an error (printed). */
int ruledraft_run(const char *bundle, const char *where, const struct batch_opts *bo, FILE *out);

#endif
