/* wiredump: writes the bytes a worker would send its parent for each bundle named, one file per
 * bundle in DIR (its base name plus .wire), so the fuzz_wire corpus starts from real records of
 * every fixture. A test tool, never installed. usage: wiredump DIR BUNDLE... */
#include <stdio.h>
#include <string.h>

#include "wire.h"

static int dump(const char *dir, const char *path, const struct scan_opts *o, struct matcher *m)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct scan_result res;
	struct buf b;
	char out[4096];
	FILE *f;
	int bad;

	scan_read(path, o, m, &res);
	buf_init(&b);
	wire_encode(&res, o->rs, &b);
	scan_result_reset(&res);
	snprintf(out, sizeof out, "%s/%s.wire", dir, base);
	f = fopen(out, "wb");
	bad = f == NULL || fwrite(b.p, 1, b.len, f) != b.len;
	if (f != NULL && fclose(f) != 0)
		bad = 1;
	if (bad)
		perror(out);
	buf_reset(&b);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct ruleset *rs = ruleset_new();
	struct match_limits ml;
	struct matcher *m;
	struct scan_opts o;
	struct ds_error err;
	int i, status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: wiredump DIR BUNDLE...\n");
		return 2;
	}
	if (rules_load_dir(rs, "rules", &err) != 0) {
		fprintf(stderr, "wiredump: rules: %s\n", err.msg);
		return 2;
	}
	match_limits_default(&ml);
	m = matcher_new(rs, &ml);
	scan_opts_default(&o, rs);
	for (i = 2; i < argc; i++)
		if (dump(argv[1], argv[i], &o, m) != 0)
			status = 1;
	matcher_free(m);
	ruleset_free(rs);
	return status;
}
