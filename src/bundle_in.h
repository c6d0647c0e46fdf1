/* bundle_in: the bundle reader's state, shared by its rooms -- bundle.c (archives, through
 * libarchive), bundlezip.c (the outer zip's deflated entries, through ISA-L) and bundledir.c
 * (extracted directories) -- and by nothing else. */
#ifndef DARTSCAN_BUNDLE_IN_H
#define DARTSCAN_BUNDLE_IN_H

#include <archive.h>
#include <sys/types.h>

#include "bundle.h"
#include "zipdir.h"

#define READ_BLOCK (64 * 1024)  /* bytes libarchive reads from the file at a time */

struct level {
	struct archive *a;
	char *prefix;       /* "outer/inner.zip/" for nested levels */
	struct buf name;    /* the current entry's full name */
	unsigned long headers; /* entry headers read at this level, of every type */
	int64_t raw_start;  /* compressed bytes consumed when the entry started */
	uint64_t entry_bytes;
	int in_entry;
	int warned;         /* a warning (bad CRC, ...) was reported for the current entry */
	int encrypted;      /* the current entry is, and a passphrase was given to open it */
	int isal;           /* the current entry's data is read by zipinflate.c, not libarchive */
	uint64_t skip;      /* bytes zipinflate.c handed out before giving the entry back to libarchive */
	struct bundle *owner; /* for libarchive's read callback of a nested level */
	int idx;
	/* a nested level whose bytes stopped coming (the entry holding it was cut or damaged) */
	int feed_failed;
	struct ds_error cause;
};

struct bundle {
	char *path;
	struct bundle_limits lim;
	struct level lv[BUNDLE_MAX_DEPTH];
	int depth; /* levels in use; 0 for a directory bundle */

	/* directory bundles */
	int is_dir;
	char **files;
	size_t nfiles, ifile;
	int fd;
	int rootfd;  /* the directory bundle itself: files are opened below it, never beside it */
	char *dirbuf;

	struct buf name;
	uint64_t total;
	uint64_t entry_bytes;
	unsigned long entries;
	int in_entry;
	int dead; /* the total limit was hit: no more bytes from this bundle */
	int locked; /* the current entry's read failed for its encryption */

	struct bundle_problem *probs;
	size_t nprobs, capprobs;

	/* the outer zip's directory, for the entries zipinflate.c reads (none: libarchive reads all) */
	struct zipsrc zsrc;
	struct zipdir_entry *zents;
	size_t nzents;
	struct zipinflate *zi;
	uint64_t zi_raw; /* compressed bytes zipinflate used, counted with libarchive's for the ratio */

	/* hashes of the entry names seen, to report duplicates without keeping every name */
	uint64_t *seen;
	size_t seen_cap, seen_n;
};

/* bundlelimits.c, below the reader's other rooms: what they all record and count */
void bundle_add_problem(struct bundle *b, const char *entry, const char *msg);
/* The same for an entry its encryption kept unread. */
void bundle_add_locked(struct bundle *b, const char *entry, const char *msg);
/* Counts got more bytes of entry name against the limits; -1 with err when one is hit. */
int bundle_check_limits(struct bundle *b, const char *name, uint64_t *entry_bytes, int64_t raw_start, size_t got,
                        struct ds_error *err);

/* bundlename.c */
/* The entry's name as libarchive has it: UTF-8 when it can say, else its bytes; NULL if lost. */
const char *bundle_archive_name(struct archive_entry *ae);
/* Is the name macOS's metadata (under __MACOSX/, or a "._NAME" twin)? NULL is not. */
int bundle_mac_metadata(const char *name);
/* Sets level l's current entry name (and the bundle's) from its header; says a suspicious one. */
void bundle_take_name(struct bundle *b, struct level *l, struct archive_entry *ae);

/* bundlezip.c */
/* Lists the outer zip's directory (a file at path, or mem) unless lim.libarchive_only. */
void bundlezip_list(struct bundle *b, const char *path, const void *mem, uint64_t size);
/* Compressed bytes used so far on the outer file, libarchive's and zipinflate's: the ratio's. */
int64_t bundle_raw_bytes(const struct bundle *b);
/* Starts the current entry of level l through zipinflate when it takes it; 1 then, else 0. */
int bundlezip_take(struct bundle *b, struct level *l);
/* The next block of an entry zipinflate reads: ZIPINFLATE_OK (*size bytes at *p), _END, or _BACK
 * (l is libarchive's again, l->skip the bytes to drop). */
ssize_t bundlezip_read(struct bundle *b, struct level *l, void *room, size_t cap, const void **p, size_t *size);

/* bundledir.c */
int bundledir_open(struct bundle *b, const char *path, struct ds_error *err);
int bundledir_next(struct bundle *b, struct bundle_entry *e);
ssize_t bundledir_read(struct bundle *b, const void **p, struct ds_error *err);

#endif
