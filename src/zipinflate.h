/* zipinflate: a zip entry's deflate data inflated with ISA-L (Intel's igzip), outside libarchive,
 * with the checks libarchive's zip reader makes at the entry's end, in its words. The caller owns
 * the source; the inflater owns its buffers, and the block it hands out lives until the next call. */
#ifndef DARTSCAN_ZIPINFLATE_H
#define DARTSCAN_ZIPINFLATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "zipdir.h"

/* Bytes handed out at most per block. Every entry's text pipe touches four slots of this size
 * afresh (and this block once): at libarchive's 256 KiB that was ~540 more page faults on the 200
 * MiB bench bundle, at ~12 us each on a virtual machine; 64 KiB gave the same time for four times
 * the hand-offs between the threads (context switches 630 -> 2,560). */
#define ZIPINFLATE_BLOCK (128 * 1024)

struct zipinflate;

struct zipinflate *zipinflate_new(void);
void zipinflate_free(struct zipinflate *z);

/* Does this reader take the entry: deflated, not encrypted, its local header at e->header agreeing
 * with the directory, its data (from data_off) inside the source? Else libarchive reads it. */
int zipinflate_takes(const struct zipsrc *s, const struct zipdir_entry *e, uint64_t data_off);
/* Starts reading entry e, whose data starts at data_off of s (borrowed until the entry ends). */
void zipinflate_begin(struct zipinflate *z, const struct zipsrc *s, const struct zipdir_entry *e, uint64_t data_off);

enum { ZIPINFLATE_OK, ZIPINFLATE_END, ZIPINFLATE_BACK };
/* The next block: ZIPINFLATE_OK with *size bytes at *p (the last block too, once the entry has
 * proven whole and sound), ZIPINFLATE_END after it, ZIPINFLATE_BACK when libarchive must read
 * the entry instead (damaged, truncated, or not what the directory says), *size 0. With room
 * (cap bytes, at most ZIPINFLATE_BLOCK used) the block is inflated there, *p == room; else into
 * the inflater's own buffer. */
int zipinflate_read(struct zipinflate *z, void *room, size_t cap, const void **p, size_t *size);
/* Compressed bytes used, and bytes handed out, since the entry started. */
uint64_t zipinflate_used(const struct zipinflate *z);
uint64_t zipinflate_given(const struct zipinflate *z);

#endif
