/* The prefilter's 16-positions-a-step pass, which a machine with AVX2 never takes whole (it scans
 * 32 at a time and leaves only the end to it): prefilter.c compiled again without the AVX2 steps,
 * under other names, and checked against memmem on random literals and records. */
#define PREFILTER_NO_AVX2 1
#define prefilter_new ssse3_prefilter_new
#define prefilter_free ssse3_prefilter_free
#define prefilter_reset ssse3_prefilter_reset
#define prefilter_add ssse3_prefilter_add
#define prefilter_scan ssse3_prefilter_scan
#define prefilter_has ssse3_prefilter_has
#define prefilter_found ssse3_prefilter_found
#include "../../src/prefilter.c"

#include "check.h"
#include "prefilter_agree.h"

int main(void)
{
	struct prefilter *pf = prefilter_new();
	unsigned bad = 0, hits = agree_on_random(pf, 9, 300, &bad);

	CHECK("prefilter SSSE3 steps agree with memmem on 20000 random records", bad == 0);
	CHECK("prefilter SSSE3 steps: the records do hit literals", hits > 1000);
	prefilter_free(pf);
	return check_failed != 0;
}
