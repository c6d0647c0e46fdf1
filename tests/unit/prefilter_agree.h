/* prefilter_agree.h: the prefilter tests' one check, shared by the build that takes the SSSE3
 * pass and the one compiled for the portable path (include it after prefilter.h or the renames). */
#ifndef DARTSCAN_PREFILTER_AGREE_H
#define DARTSCAN_PREFILTER_AGREE_H

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

#endif
