/* output: where a report goes -- standard output, or -o FILE written to a temporary file of a
 * random name beside FILE and renamed over it only once the report is complete -- with every
 * write checked, so a full disk is an error, never a silent loss, and a reader that went away
 * (EPIPE) ends the run as it would end any filter. The output owns its FILE. */
#ifndef DARTSCAN_OUTPUT_H
#define DARTSCAN_OUTPUT_H

#include <stdio.h>

#include "util.h"

struct output;

/* path NULL, "-" or the file standard output already is: standard output. private: the file is
 * made 0600 whatever it was (the redact map); else a replaced file keeps its mode without setuid
 * or setgid. NULL with err when the temporary file cannot be made. */
struct output *output_open(const char *path, int private, struct ds_error *err);
FILE *output_file(const struct output *o);
/* Whether path is "-" or names where standard output goes. */
int output_is_stdout(const char *path);
/* Standard output failed because its reader closed the pipe. */
int output_reader_gone(const struct output *o);
/* Ends the process as SIGPIPE ends a filter: no message, killed by the signal. */
void output_die_quietly(void) __attribute__((noreturn));
/* Flushes and closes, checking both; renames the temporary file over FILE. Frees o. Returns 0,
 * or -1 with err (the temporary file is removed, FILE is left as it was). Standard output whose
 * reader is gone ends the process (output_die_quietly). */
int output_commit(struct output *o, struct ds_error *err);
/* Gives up: the temporary file is removed and FILE left as it was. Frees o; accepts NULL. */
void output_abort(struct output *o);

#endif
