/* zipdir: a zip's central directory read on its own, before libarchive inflates the entries it
 * lists, to refuse what libarchive would read trustingly (entries whose bytes overlap), and to
 * tell the deflate reader outside libarchive (zipinflate.c) where each entry's data is. */
#ifndef DARTSCAN_ZIPDIR_H
#define DARTSCAN_ZIPDIR_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Checks the zip file open at fd (size bytes). Returns -1 with err ("overlapping entries: a zip
 * bomb ...") when two entries share bytes; 0 when they do not, or when the directory cannot be
 * found or read (libarchive then says what is wrong with it). */
int zipdir_check(int fd, uint64_t size, const char *path, struct ds_error *err);

/* Where a zip's bytes are: a file open at fd (mem NULL), or memory (borrowed); size bytes. */
struct zipsrc {
	int fd;
	const unsigned char *mem;
	uint64_t size;
};

/* Reads n bytes at off; 0, or -1 when they are not all there. */
int zipsrc_read(const struct zipsrc *s, uint64_t off, void *p, size_t n);

/* One entry of the central directory, as written there. */
struct zipdir_entry {
	uint64_t header;      /* its local header's offset (from the file's start, or the zip's) */
	uint64_t csize, usize;
	uint32_t crc;
	unsigned method, flags;
	int zip64;            /* a size or the offset was read from the zip64 field */
};

/* The directory's entries sorted by local header offset, into *out (the caller frees it);
 * 0 when there is none to be found (libarchive then says what is wrong). */
size_t zipdir_list(const struct zipsrc *s, struct zipdir_entry **out);

#endif
