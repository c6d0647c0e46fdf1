/* passphrase: the passphrases a password-protected upload may open with -- the lines of
 * --passphrase-file and $DARTSCAN_PASSPHRASE -- read once, in the parent, before any worker starts.
 * They are the run's one secret: kept in memory only (this module owns them), handed to libarchive
 * through struct bundle_limits, never part of any message or output, wiped at exit. */
#ifndef DARTSCAN_PASSPHRASE_H
#define DARTSCAN_PASSPHRASE_H

#include <stddef.h>

#include "util.h"

#define PASSPHRASE_FILE_MAX (64u * 1024) /* bytes of a passphrase file, at most */
#define PASSPHRASE_LINES_MAX 64          /* lines of a passphrase file, at most */

struct passphrases {
	char *buf;          /* every passphrase, each ended by a NUL */
	size_t len, cap;
	const char **v;     /* into buf */
	size_t n, capv;
};

/* Reads file, when not NULL (a regular file or a pipe: --passphrase-file <(...)): one passphrase a
 * line, CR and LF stripped, empty lines skipped; then the environment variable env, when set and not
 * empty (CR and LF at its end stripped), which is wiped from the environment (/proc/PID/environ no
 * longer shows it). NULL with err (naming the file and a line, never its text) when the file cannot be
 * read, is over PASSPHRASE_FILE_MAX bytes or PASSPHRASE_LINES_MAX lines, holds a NUL byte or no
 * passphrase at all, or the variable is longer than PASSPHRASE_FILE_MAX.
 * Gathered once a run, into this module's own store, which is wiped (explicit_bzero) and freed at
 * exit, however the run ends: the result is borrowed. */
const struct passphrases *passphrases_gather(const char *file, const char *env, struct ds_error *err);

#endif
