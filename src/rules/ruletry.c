/* ruletry: the pattern becomes a one-rule rule set reading every entry (files: *), so what it
 * matches is exactly what a rule with that pattern would match, through the same decoder. */
#include "ruletry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "report/report.h"

#define SHOWN 3 /* records shown per entry */

struct tried {
	FILE *out;
	const pcre2_code *code; /* the pattern, to show a shown record's captures */
	unsigned long matched, errors, bundles;
	unsigned long long bytes;
};

/* A shown record's captures, "name=value" each, on a line below it: what a rule's ${name} would
 * say, checked before the rule is written. Nothing when the pattern names none, or when the
 * record kept as evidence was cut before the match. */
static void print_captures(FILE *out, const pcre2_code *code, const char *text)
{
	pcre2_match_data *md;
	PCRE2_SPTR table;
	uint32_t count = 0, size = 0, groups = 0, i, num;
	int rc, any = 0;

	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
	if (count == 0)
		return;
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
	/* in the pattern's order (the name table is in the names' order) */
	for (num = 1; rc >= 0 && num <= groups; num++) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		PCRE2_SPTR e = table;
		char *v;

		for (i = 0; i < count && ((unsigned)e[0] << 8 | e[1]) != num; i++)
			e += size;
		if (i == count || ov[2 * num] == PCRE2_UNSET)
			continue;
		v = xstrndup(text + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
		fputs(any++ ? " " : "      ", out);
		escape_put_term(out, (const char *)e + 2);
		fputc('=', out);
		escape_put_term(out, v);
		free(v);
	}
	if (any)
		fputc('\n', out);
	pcre2_match_data_free(md);
}

/* One entry's matches: their count, then the first SHOWN from its runs' first lines. */
static unsigned long print_entry(FILE *out, const pcre2_code *code, const struct scan_result *res, unsigned entry)
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
			print_captures(out, code, e->head[k].text);
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
		n += print_entry(t->out, t->code, res, (unsigned)i);
	fprintf(t->out, "  %lu record%s matched in %llu bytes read\n", n, n == 1 ? "" : "s",
	        (unsigned long long)res->bytes);
	t->matched += n;
	t->bundles += n > 0;
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
	struct tried t = {out, NULL, 0, 0, 0, 0};
	double t0, el;
	int i;

	if (rs == NULL) {
		char msg[1200];

		ds_error_format(&err, msg, sizeof msg);
		fprintf(stderr, "dartscan: %s\n", msg);
		return 2;
	}
	t.code = rs->rules[0].pats[0].code;
	scan_opts_default(&so, rs);
	so.unexplained = 0;
	bundle_list_init(&l);
	for (i = 0; i < n; i++)
		bundle_list_add(&l, paths[i]);
	t0 = mono_seconds();
	batch_run(&l, &so, bo, on_tried, &t);
	el = mono_seconds() - t0;
	/* the time a rule author weighs a pattern by; it includes inflating, as a scan does */
	/* the bundles counted are those it matched in: "in 2 bundles" of one matching bundle and one
	 * healthy one read as if the wording were in both */
	fprintf(out, "%lu record%s matched in %lu bundle%s of %d read; %.3f s, %.2f ms per MiB read\n", t.matched,
	        t.matched == 1 ? "" : "s", t.bundles, t.bundles == 1 ? "" : "s", n, el,
	        t.bytes ? el * 1000.0 / ((double)t.bytes / 1048576.0) : 0.0);
	bundle_list_reset(&l);
	ruleset_free(rs);
	return t.errors ? 2 : t.matched ? 1 : 0;
}
