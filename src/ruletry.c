/* ruletry: the pattern becomes a one-rule rule set reading every entry (files: *), so what it
 * matches is exactly what a rule with that pattern would match, through the same decoder. */
#include "ruletry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "report.h"

#define SHOWN 3 /* records shown per entry */

struct tried {
	FILE *out;
	unsigned long matched, errors;
	unsigned long long bytes;
};

/* One entry's matches: their count, then the first SHOWN from its runs' first lines. */
static unsigned long print_entry(FILE *out, const struct scan_result *res, unsigned entry)
{
	unsigned long n = 0;
	size_t i, k, shown = 0;

	for (i = 0; i < res->events.n; i++)
		if (res->events.v[i].entry == entry)
			n += res->events.v[i].count;
	if (n == 0)
		return 0;
	fputs("  ", out);
	escape_put_term(out, scan_entry_name(res, entry));
	fprintf(out, ": %lu record%s\n", n, n == 1 ? "" : "s");
	for (i = 0; i < res->events.n && shown < SHOWN; i++) {
		const struct event *e = &res->events.v[i];

		for (k = 0; e->entry == entry && k < e->nhead && shown < SHOWN; k++, shown++) {
			char t[40];

			fprintf(out, "    %s:%lu  ", base_name(scan_entry_name(res, entry)), e->head[k].line);
			if (report_time(&e->head[k].ts, t, sizeof t))
				fprintf(out, "%s  ", t);
			escape_put_term(out, e->head[k].text);
			fputc('\n', out);
		}
	}
	return n;
}

static void on_tried(void *ctx, struct scan_result *res)
{
	struct tried *t = ctx;
	unsigned long n = 0;
	size_t i;

	escape_put_term(t->out, res->path);
	fputs(":\n", t->out);
	report_print_problems(t->out, res, "  problem: ");
	if (res->status == SCAN_ERROR)
		t->errors++;
	for (i = 0; i < res->nentries; i++)
		n += print_entry(t->out, res, (unsigned)i);
	fprintf(t->out, "  %lu record%s matched in %llu bytes read\n", n, n == 1 ? "" : "s",
	        (unsigned long long)res->bytes);
	t->matched += n;
	t->bytes += res->bytes;
}

static struct ruleset *one_rule(const char *pattern, struct ds_error *err)
{
	struct ruleset *rs = ruleset_new();
	char *text;
	int rc;

	if (strchr(pattern, '\n')) {
		ds_error_set(err, "rules try", 0, "the pattern holds a newline");
		ruleset_free(rs);
		return NULL;
	}
	rs->untested_ok = 1;
	text = xasprintf("rule: try.pattern\ntitle: the pattern tried\nseverity: info\ncomponent: try\nfiles: *\n"
	                 "pattern: %s\n",
	                 pattern);
	rc = rules_parse(rs, "PATTERN", text, strlen(text), err);
	if (rc == 0)
		rc = ruleset_link(rs, err);
	free(text);
	if (rc != 0) {
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

int ruletry_run(const char *pattern, char **paths, int n, const struct batch_opts *bo, FILE *out)
{
	struct ds_error err;
	struct ruleset *rs = one_rule(pattern, &err);
	struct bundle_list l;
	struct scan_opts so;
	struct tried t = {out, 0, 0, 0};
	double t0, el;
	int i;

	if (rs == NULL) {
		char msg[1200];

		ds_error_format(&err, msg, sizeof msg);
		fprintf(stderr, "dartscan: %s\n", msg);
		return 2;
	}
	scan_opts_default(&so, rs);
	so.unexplained = 0;
	bundle_list_init(&l);
	for (i = 0; i < n; i++)
		bundle_list_add(&l, paths[i]);
	t0 = mono_seconds();
	batch_run(&l, &so, bo, on_tried, &t);
	el = mono_seconds() - t0;
	/* the time a rule author weighs a pattern by; it includes inflating, as a scan does */
	fprintf(out, "%lu record%s matched in %d bundle%s; %.3f s, %.2f ms per MiB read\n", t.matched,
	        t.matched == 1 ? "" : "s", n, n == 1 ? "" : "s", el,
	        t.bytes ? el * 1000.0 / ((double)t.bytes / 1048576.0) : 0.0);
	bundle_list_reset(&l);
	ruleset_free(rs);
	return t.errors ? 2 : t.matched ? 1 : 0;
}
