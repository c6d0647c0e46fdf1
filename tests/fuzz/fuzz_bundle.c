/* fuzz_bundle: the archive reader on bytes in memory -- every entry read to its end, nested
 * archives descended into -- under small limits so a bomb ends in milliseconds, not minutes. */
#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_limits lim;
	struct bundle_entry e;
	struct ds_error err;
	struct bundle *b;
	const void *p;
	size_t np;

	bundle_limits_default(&lim);
	lim.max_total = 64u << 20;
	lim.max_entry = 16u << 20;
	lim.max_entries = 10000;
	lim.max_depth = 3;
	b = bundle_open_memory("fuzz.zip", data, size, &lim, &err);
	if (b == NULL)
		return 0;
	while (bundle_next(b, &e, &err) == 1) {
		if (bundle_name_is_archive(e.base) && bundle_descend(b, &err) == 0)
			continue;
		while (bundle_read(b, &p, &err) > 0)
			;
	}
	bundle_problems(b, &np);
	bundle_close(b);
	return 0;
}
