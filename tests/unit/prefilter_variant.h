/* prefilter_variant.h: prefilter.c compiled again under other names, for a unit program that takes
 * a path this machine would not take (it defines the path's switch, VARIANT, the names' prefix,
 * and WHAT, LABEL, SEED and MAXLEN for its check), then checked against memmem on random
 * literals and records (agree_on_random). */
#define VARIANT_PASTE2(a, b) a##_##b
#define VARIANT_PASTE(a, b) VARIANT_PASTE2(a, b)
#define prefilter_new VARIANT_PASTE(VARIANT, prefilter_new)
#define prefilter_free VARIANT_PASTE(VARIANT, prefilter_free)
#define prefilter_reset VARIANT_PASTE(VARIANT, prefilter_reset)
#define prefilter_add VARIANT_PASTE(VARIANT, prefilter_add)
#define prefilter_scan VARIANT_PASTE(VARIANT, prefilter_scan)
#define prefilter_has VARIANT_PASTE(VARIANT, prefilter_has)
#define prefilter_found VARIANT_PASTE(VARIANT, prefilter_found)
#define prefilter_checks VARIANT_PASTE(VARIANT, prefilter_checks)
#include "../../src/prefilter.c"

#include "check.h"
#include "prefilter_agree.h"

int main(void)
{
	struct prefilter *pf = prefilter_new();
	unsigned bad = 0, hits = agree_on_random(pf, SEED, MAXLEN, &bad);

	CHECK("prefilter " LABEL " agrees with memmem on 20000 random records", bad == 0);
	CHECK("prefilter " LABEL ": the records do hit literals", hits > 1000);
	prefilter_free(pf);
	return check_failed != 0;
}
