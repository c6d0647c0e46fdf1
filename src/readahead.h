/* readahead: a second thread that reads a large zip bundle's last large log entries, with a reader
 * and a matcher of its own, while scan reads the first ones (and, once there, the helper's later
 * ones it has not begun). The report stays the same: scan takes a result only when it is what
 * reading the entry in place would have given. */
#ifndef DARTSCAN_READAHEAD_H
#define DARTSCAN_READAHEAD_H

#include "scan.h"

/* Reads one entry into part as scan does in place; returns 0 when every byte of it was read. */
typedef int (*readahead_fn)(struct scan_result *part, struct bundle *b, const struct bundle_entry *e,
                            const struct scan_opts *o, struct matcher *m);

struct readahead;

/* Starts the helper when the bundle may be worth it (a zip large enough); NULL otherwise, and
 * then every entry is read in place. The helper first plans, while the scan opens the bundle:
 * it takes entries only when the bundle has scan_opts.read_ahead bytes of logs, its large log
 * entries splitting so that neither side reads more than 7/8 of them. */
struct readahead *readahead_start(const char *path, const struct scan_opts *o, readahead_fn read);
/* The helper's reading of the current entry (ordinal: bundle_entries_seen()), waiting for it and
 * meanwhile reading the helper's later entries it has not begun; NULL when the entry is not one of
 * the helper's, the helper had not begun it, or it was not read whole and undamaged. The result
 * stays owned by ra; the caller may move things out of it. */
struct scan_result *readahead_take(struct readahead *ra, unsigned long ordinal);
/* How many of the helper's entries the scan read while waiting (tests look). */
unsigned long readahead_stolen(const struct readahead *ra);
/* Stops the helper after its current entry, joins it, frees everything. NULL is allowed. */
void readahead_free(struct readahead *ra);

#endif
