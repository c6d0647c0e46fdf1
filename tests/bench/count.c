/* count: how many records each bundle's logs matched, through the same scan as dartscan (rules,
 * bundle, text, match). The bench prints it beside grep's and ugrep's line counts so a reader can
 * see that every tool did the same work; the report itself shows only findings.
 * usage: count RULES_DIR BUNDLE... */
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"

int main(int argc, char **argv)
{
	struct ruleset *rs = ruleset_new();
	struct ds_error err;
	struct scan_opts o;
	struct matcher *m;
	unsigned long total = 0;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: count RULES_DIR BUNDLE...\n");
		return 2;
	}
	if (rules_load_dir(rs, argv[1], &err) != 0) {
		char msg[1100];

		ds_error_format(&err, msg, sizeof msg);
		fprintf(stderr, "count: %s\n", msg);
		return 2;
	}
	scan_opts_default(&o, rs);
	m = matcher_new(rs, &o.mlim);
	for (i = 2; i < argc; i++) {
		struct scan_result res;
		size_t k;

		scan_bundle(argv[i], &o, m, &res);
		for (k = 0; k < res.events.n; k++)
			total += res.events.v[k].count;
		scan_result_reset(&res);
	}
	printf("%lu\n", total);
	matcher_free(m);
	ruleset_free(rs);
	return 0;
}
