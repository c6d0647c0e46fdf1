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
#define prefilter_found portable_prefilter_found
#include "../../src/prefilter.c"

#include "check.h"
#include "prefilter_agree.h"

int main(void)
{
	struct prefilter *pf = prefilter_new();
	unsigned bad = 0, hits = agree_on_random(pf, 5, 90, &bad);

	CHECK("prefilter portable path agrees with memmem on 20000 random records", bad == 0);
	CHECK("prefilter portable path: the records do hit literals", hits > 1000);
	prefilter_free(pf);
	return check_failed != 0;
}
