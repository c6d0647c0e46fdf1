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

/* The stanza for one record alone (no template, no other records; entry names the log): 0 and
 * *stanza, 1 and *why when the record cannot be drafted (control characters, no constant word),
 * -1 and *why when the draft fails its own tests -- a bug (the fuzz target looks for it). */
int ruledraft_record(const char *entry, unsigned long line, const char *text, size_t msg_off, char **stanza,
                     char **why);

#endif
