/* floor: the benchmark's floors on exactly the entries dartscan reads (those a rule or the context
 * reader takes), one core, no decoding or matching. usage:
 *   floor list RULES_DIR BUNDLE    the names, one a line (for bsdtar -T: the zlib floor)
 *   floor isal RULES_DIR BUNDLE    their data inflated as dartscan does (ISA-L for deflated entries)
 *   floor zlib RULES_DIR BUNDLE    the same through libarchive alone (zlib)
 * Prints the MiB of log text read on stderr with isal/zlib. */
#include <stdio.h>
#include <string.h>

#include "scan.h"

int main(int argc, char **argv)
{
	struct ruleset *rs = ruleset_new();
	struct bundle_limits lim;
	struct bundle_entry e;
	struct ds_error err;
	struct bundle *b;
	unsigned long long bytes = 0;
	int list;

	if (argc != 4 || (strcmp(argv[1], "list") && strcmp(argv[1], "isal") && strcmp(argv[1], "zlib"))) {
		fprintf(stderr, "usage: floor list|isal|zlib RULES_DIR BUNDLE\n");
		return 2;
	}
	if (rules_load_dir(rs, argv[2], &err) != 0) {
		fprintf(stderr, "floor: %s\n", err.msg);
		return 2;
	}
	list = strcmp(argv[1], "list") == 0;
	bundle_limits_default(&lim);
	lim.libarchive_only = strcmp(argv[1], "zlib") == 0;
	if ((b = bundle_open(argv[3], &lim, &err)) == NULL) {
		fprintf(stderr, "floor: %s\n", err.msg);
		return 2;
	}
	while (bundle_next(b, &e, &err) == 1) {
		const void *p;
		ssize_t n;

		if (!context_wants(rs, e.base) && rules_reading(rs, e.base) == 0)
			continue;
		if (list) {
			printf("%s\n", e.name);
			continue;
		}
		while ((n = bundle_read(b, &p, &err)) > 0)
			bytes += (unsigned long long)n;
	}
	if (!list)
		fprintf(stderr, "%.1f\n", bytes / 1048576.0);
	bundle_close(b);
	ruleset_free(rs);
	return 0;
}
