/* prefilter_agree.h: the prefilter tests' one check, shared by the build that takes the SSSE3
 * pass and the one compiled for the portable path (include it after prefilter.h or the renames). */
#ifndef DARTSCAN_PREFILTER_AGREE_H
#define DARTSCAN_PREFILTER_AGREE_H

#include <stdlib.h>
#include <string.h>

/* Scans the record and adds to *bad each literal (id k * stride) where the prefilter and memmem
 * disagree, and one more for a wrong count. Returns 1 when the record holds any literal. */
static int agree_with_memmem(struct prefilter *pf, const char *rec, size_t n, const char *const *lits,
                             size_t nlits, unsigned stride, unsigned *bad)
{
	size_t found = prefilter_scan(pf, rec, n), want = 0, k;

	for (k = 0; k < nlits; k++) {
		int in = memmem(rec, n, lits[k], strlen(lits[k])) != NULL;

		want += (size_t)in;
		*bad += in != prefilter_has(pf, (unsigned)k * stride);
	}
	*bad += found != want;
	return want > 0;
}

/* Random literals of 1 to 5 bytes from a small alphabet (control and high bytes among them) and
 * random records of every length up to cap, so that each record length around a scan step and
 * each literal at a record's last byte are seen. Returns how many records held a literal. */
static inline unsigned agree_on_random(struct prefilter *pf, unsigned seed, size_t cap, unsigned *bad)
{
	char text[12][7] = {{0}}, rec[320];
	const char *lits[12];
	unsigned i, k, hits = 0;

	if (cap > sizeof rec)
		cap = sizeof rec;
	for (k = 0; k < 12; k++) {
		size_t len = 1 + (size_t)rand_r(&seed) % (k < 2 ? 1 : 5);

		for (i = 0; i < len; i++)
			text[k][i] = (char)("ab\x01\xff:N>"[rand_r(&seed) % 7]);
		lits[k] = text[k];
		prefilter_add(pf, lits[k], len, k);
	}
	for (i = 0; i < 20000; i++) {
		size_t n = (size_t)rand_r(&seed) % cap, j;

		for (j = 0; j < n; j++)
			rec[j] = (char)("ab\x01\xff:N> x"[rand_r(&seed) % 9]);
		hits += (unsigned)agree_with_memmem(pf, rec, n, lits, 12, 1, bad);
	}
	return hits;
}

#endif
