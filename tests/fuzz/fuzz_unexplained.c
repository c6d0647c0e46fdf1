/* fuzz_unexplained: the template stage on any lines: the first byte says which lines a rule
 * "matched" (a failure, to open the near window), the rest are records one second apart. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "correlate/correlate.h"
#include "rules/rules.h"
#include "unexplained.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unexplained u;
	struct ux_collect c;
	struct diagnosis d;
	const char *p, *end;
	unsigned mask;
	long sec = 0;

	if (size < 1)
		return 0;
	mask = data[0];
	p = (const char *)data + 1;
	end = (const char *)data + size;
	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct record r;

		memset(&r, 0, sizeof r);
		r.text = r.msg = p;
		r.len = r.msg_len = n;
		r.line = (unsigned long)sec + 1;
		r.ts.prov = (sec % 7) ? TP_LOCAL : TP_NONE;
		r.ts.ms = sec * 1000;
		ux_collect_record(&c, &r, (mask >> (sec % 8)) & 1 ? SEV_ERROR : -1);
		sec++;
		p += n + 1;
	}
	unexplained_take(&u, &c, 0);
	unexplained_mine(&u);
	memset(&d, 0, sizeof d);
	unexplained_rank(&u, &d, NULL);
	unexplained_reset(&u);
	ux_collect_reset(&c);
	return 0;
}
