/* fuzz_wire: the parent's decoder of a worker's result, on any bytes: a worker taken over by a
 * bundle may send anything. What decodes must also correlate without a fault. Run from the top
 * of the tree (the shipped rules are loaded once). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ruleset *rs;
static struct scan_opts so;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_result res;
	struct ds_error err;

	if (rs == NULL) {
		rs = ruleset_new();
		if (rules_load_dir(rs, "rules", &err) != 0)
			abort();
		scan_opts_default(&so, rs);
		so.explain = rules_find(rs, "dns.resolvers-unreachable");
	}
	if (wire_decode(data, size, "fuzz", &so, &res, &err) == 0) {
		scan_diagnose(&res, &so);
		scan_result_reset(&res);
	}
	return 0;
}
