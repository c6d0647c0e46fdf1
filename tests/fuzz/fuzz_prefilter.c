/* fuzz_prefilter: the matcher's multi-literal pass against memmem, on literals and a record both
 * taken from the input. Any disagreement aborts: the prefilter decides which lines PCRE2 sees, so
 * a literal it misses is a finding silently lost. Input: a byte giving the number of literals,
 * a byte per literal giving its length, the literals, then the record. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LITS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *lit[MAX_LITS];
	size_t len[MAX_LITS], nlits, i, at, found, want = 0;
	struct prefilter *pf;

	if (size < 1)
		return 0;
	nlits = (size_t)data[0] % MAX_LITS + 1;
	if (size < 1 + nlits)
		return 0;
	at = 1 + nlits;
	for (i = 0; i < nlits; i++) {
		len[i] = (size_t)data[1 + i] % 12 + 1;
		if (at + len[i] > size)
			return 0;
		lit[i] = (const char *)data + at;
		at += len[i];
	}
	pf = prefilter_new();
	for (i = 0; i < nlits; i++)
		prefilter_add(pf, lit[i], len[i], (unsigned)i);
	found = prefilter_scan(pf, (const char *)data + at, size - at);
	for (i = 0; i < nlits; i++) {
		int in = memmem(data + at, size - at, lit[i], len[i]) != NULL;

		want += (size_t)in;
		if (in != prefilter_has(pf, (unsigned)i))
			abort();
	}
	if (found != want)
		abort();
	prefilter_free(pf);
	return 0;
}
