/* report: the format table and what several renderers share. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const struct report_ops *const formats[] = {
    &report_text_ops, &report_json_ops, &report_ndjson_ops, &report_html_ops, NULL};

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

const char *report_time(const struct stamp *st, char *buf, size_t n)
{
	if (st->prov == TP_NONE)
		return NULL;
	timefmt_format(st, buf, n);
	return buf;
}
