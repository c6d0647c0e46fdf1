/* bundle: a DART bundle (zip, tar.gz, a zip inside a zip, or an extracted directory) -> a stream
 * of entries and their bytes, in memory, within limits. Nothing is ever written to disk. The
 * bundle owns the names and blocks it hands out; they live until the next call. */
#ifndef DARTSCAN_BUNDLE_H
#define DARTSCAN_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct bundle_limits {
	uint64_t max_total;    /* bytes decompressed in the whole bundle */
	uint64_t max_entry;    /* bytes decompressed from one entry */
	unsigned max_ratio;    /* decompressed/compressed bytes of one entry */
	unsigned long max_entries;
	int max_depth;         /* archives inside archives: 1 = no nesting; at most BUNDLE_MAX_DEPTH */
	/* Not a limit, but what every reader of the bundle is handed with them: the passphrases an
	 * encrypted entry may open with (borrowed; passphrase.c owns them), tried in order. */
	const char *const *passphrases;
	size_t npassphrases;
	/* 1: every entry's data through libarchive, none through ISA-L (tests compare the two) */
	int libarchive_only;
};

#define BUNDLE_MAX_DEPTH 8 /* levels of archives in archives a bundle can be read to */

void bundle_limits_default(struct bundle_limits *l);

struct bundle_entry {
	const char *name;  /* path inside the bundle; nested: "inner.zip/path" */
	const char *base;  /* base name of the path */
	int64_t size;      /* -1 when the archive does not say */
	/* When the writer last changed it, as a wall clock counted like UTC (struct stamp's ms / 1000):
	 * a zip's DOS time is the writer's local time, a tar's epoch is UTC. */
	int64_t mtime;
	int mtime_kind; /* enum bundle_time */
};

/* BT_NONE: no time, or a directory bundle (its file times are when it was extracted). */
enum bundle_time { BT_NONE = 0, BT_LOCAL, BT_UTC };

/* A problem that did not stop the scan: an entry skipped or cut, with why. */
struct bundle_problem {
	char *entry;
	char *msg;
	int locked; /* encrypted, and no passphrase given opened it */
};

struct bundle;

/* Opens a bundle by content (zip, tar, gzip, ...) or as a directory. NULL with err on failure. */
struct bundle *bundle_open(const char *path, const struct bundle_limits *lim, struct ds_error *err);
/* Same on bytes in memory (borrowed; they must outlive the bundle), for tests and fuzzing; name
 * stands for the path in errors. Never a directory. */
struct bundle *bundle_open_memory(const char *name, const void *p, size_t n, const struct bundle_limits *lim,
                                  struct ds_error *err);
/* Moves to the next regular-file entry. Returns 1 with *e filled, 0 at the end, -1 when the
 * archive cannot be read on (err says why; entries before it were good). */
int bundle_next(struct bundle *b, struct bundle_entry *e, struct ds_error *err);
/* Reads the next block of the current entry: >0 bytes at *p, 0 at its end, -1 on an error that
 * ends this entry (err says why; bundle_next may still go on). */
ssize_t bundle_read(struct bundle *b, const void **p, struct ds_error *err);
/* The same, but where the entry is inflated by ISA-L the block is written into room (cap bytes;
 * BUNDLE_ROOM are enough for any block), *p == room: the caller's buffer, not a copy of one.
 * room may be NULL (cap is then ignored). */
#define BUNDLE_ROOM (128 * 1024)
ssize_t bundle_read_into(struct bundle *b, void *room, size_t cap, const void **p, struct ds_error *err);
/* Opens the current entry as an archive of its own (a case zip holding the DART zip); its
 * entries come next from bundle_next. Returns -1 when it is not one or too deep. */
int bundle_descend(struct bundle *b, struct ds_error *err);
/* Does the name (an entry's or a file's path) say archive (.zip, .tar.gz, .tgz, .tar)? */
int bundle_name_is_archive(const char *name);

/* The current entry's bytes as another reader of the same file decompressed them (the entry read
 * ahead on another thread), so that the bundle's total stays one limit: would they have fitted
 * under it here, and counting them. */
int bundle_fits(const struct bundle *b, uint64_t bytes);
void bundle_account(struct bundle *b, uint64_t bytes);
const struct bundle_problem *bundle_problems(const struct bundle *b, size_t *n);
uint64_t bundle_bytes_read(const struct bundle *b);
unsigned long bundle_entries_seen(const struct bundle *b);
/* Did the current entry's last read fail because it is encrypted and no passphrase given opens it
 * (or its encryption is one libarchive cannot undo)? */
int bundle_entry_locked(const struct bundle *b);
/* Is the current entry's data inflated by ISA-L (zipinflate.c) rather than by libarchive? */
int bundle_entry_isal(const struct bundle *b);
/* Did reading stop before the end (--max-total)? The entries after it were never seen. */
int bundle_stopped(const struct bundle *b);
void bundle_close(struct bundle *b);

#endif
