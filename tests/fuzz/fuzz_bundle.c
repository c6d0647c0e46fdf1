/* fuzz_bundle: the archive reader on bytes in memory -- every entry read to its end, nested
 * archives descended into -- under small limits so a bomb ends in milliseconds, not minutes.
 * Every other entry is read into a room of the caller's (bundle_read_into, as scan.c reads once
 * a log decodes on a thread), so ISA-L's writes into a buffer not its own are fuzzed too. */
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
	static char room[BUNDLE_ROOM];
	const void *p;
	size_t np;
	unsigned k = 0;

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
		while ((k % 2 ? bundle_read_into(b, room, sizeof room, &p, &err) : bundle_read(b, &p, &err)) > 0)
			;
		k++;
	}
	bundle_problems(b, &np);
	bundle_close(b);
	return 0;
}
