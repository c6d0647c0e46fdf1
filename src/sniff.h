/* sniff: an entry no rule reads, looked through for the lines the lane rules know, so that a log of
 * the roaming module under a name or in a format dartscan does not read is named, never skipped. */
#ifndef DARTSCAN_SNIFF_H
#define DARTSCAN_SNIFF_H

#include "bundle.h"
#include "match.h"

#define SNIFF_SAMPLE 160 /* bytes of the first such record quoted */

struct sniff {
	unsigned long records; /* records read */
	unsigned long hits;    /* records holding a line a lane rule knows */
	unsigned long line;    /* the first such record's line */
	char sample[SNIFF_SAMPLE + 4];
};

/* Is an entry of this base name worth a look (a text file by its name, not an archive)? */
int sniff_wanted(const char *base);
/* Reads the rest of the entry b is at, after the plen bytes of it already read (prefix), through
 * the text decoder and m's lane rules (m is then at no entry: its caller begins the next). Returns
 * -1 when the entry could not be read (err set). */
int sniff_entry(struct sniff *s, struct bundle *b, struct matcher *m, size_t max_record, const char *prefix,
                size_t plen, struct ds_error *err);

#endif
