/* The prefilter's portable path (one memchr pass per anchor byte), which an x86 machine with
 * SSSE3 never takes: prefilter.c compiled again without the one-pass scan, under other names, and
 * checked against memmem on random literals (all byte values) and records of every short length. */
#define PREFILTER_PORTABLE_ONLY 1
#define prefilter_new portable_prefilter_new
#define prefilter_free portable_prefilter_free
#define prefilter_reset portable_prefilter_reset
#define prefilter_add portable_prefilter_add
#define prefilter_scan portable_prefilter_scan
#define prefilter_has portable_prefilter_has
#include "../../src/prefilter.c"

#include "check.h"
#include "prefilter_agree.h"

#define NLITS 12

int main(void)
{
	struct prefilter *pf = prefilter_new();
	unsigned seed = 5, i, k, bad = 0, hits = 0;
	char text[NLITS][7] = {{0}}, rec[90];
	const char *lits[NLITS];

	for (k = 0; k < NLITS; k++) {
		size_t len = 1 + (size_t)rand_r(&seed) % (k < 2 ? 1 : 5);

		for (i = 0; i < len; i++) /* a small alphabet, so that records hold them */
			text[k][i] = (char)("ab\x01\xff:N>"[rand_r(&seed) % 7]);
		lits[k] = text[k];
		prefilter_add(pf, lits[k], len, k);
	}
	for (i = 0; i < 20000; i++) {
		size_t n = (size_t)rand_r(&seed) % sizeof rec, j;

		for (j = 0; j < n; j++)
			rec[j] = (char)("ab\x01\xff:N> x"[rand_r(&seed) % 9]);
		hits += (unsigned)agree_with_memmem(pf, rec, n, lits, NLITS, 1, &bad);
	}
	CHECK("prefilter portable path agrees with memmem on 20000 random records", bad == 0);
	CHECK("prefilter portable path: the records do hit literals", hits > 1000);
	prefilter_free(pf);
	return check_failed != 0;
}
