/* report: the format table and the dispatch to the renderer it names; what the renderers share is
 * report_common.c's and report_rows.c's, so the table calls the renderers and nothing calls back. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* The renderers, a row each: a new format is its report_*.c (a _new/_bundle/_end/_free set), its
 * declaration here and its row. */
extern const struct report_ops report_text_ops, report_json_ops, report_ndjson_ops, report_junit_ops,
    report_sarif_ops, report_html_ops, report_note_ops, report_csv_ops;
static const struct report_ops *const formats[] = {
    &report_text_ops, &report_json_ops, &report_ndjson_ops, &report_junit_ops, &report_sarif_ops, &report_html_ops,
    &report_note_ops, &report_csv_ops, NULL};

struct reporter {
	const struct report_ops *ops;
	void *st;
};

struct reporter *report_new(const char *format, FILE *out, const struct report_opts *o)
{
	size_t i;

	for (i = 0; formats[i]; i++)
		if (strcmp(formats[i]->name, format) == 0) {
			struct reporter *r = xcalloc(1, sizeof *r);

			r->ops = formats[i];
			r->st = r->ops->new(out, o);
			return r;
		}
	return NULL;
}

void report_bundle(struct reporter *r, const struct scan_result *res)
{
	r->ops->bundle(r->st, res);
}

void report_end(struct reporter *r)
{
	r->ops->end(r->st);
}

void report_free(struct reporter *r)
{
	if (r == NULL)
		return;
	r->ops->free(r->st);
	free(r);
}

int report_format_known(const char *format)
{
	size_t i;

	for (i = 0; formats[i]; i++)
		if (strcmp(formats[i]->name, format) == 0)
			return 1;
	return 0;
}

int report_format_digest(const char *format)
{
	size_t i;

	for (i = 0; formats[i]; i++)
		if (strcmp(formats[i]->name, format) == 0)
			return formats[i]->digest;
	return 1; /* a name no renderer has: take it rather than miss it */
}

const char *report_formats(void)
{
	static char names[128];
	size_t i;

	names[0] = '\0';
	for (i = 0; formats[i]; i++) {
		if (i)
			strncat(names, "|", sizeof names - strlen(names) - 1);
		strncat(names, formats[i]->name, sizeof names - strlen(names) - 1);
	}
	return names;
}
