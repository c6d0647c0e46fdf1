/* report: the format table and what several renderers share. */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const struct report_ops *const formats[] = {
    &report_text_ops, &report_json_ops, &report_ndjson_ops, &report_junit_ops, &report_sarif_ops, &report_html_ops,
    NULL};

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

void report_add_time(struct buf *b, const char *label, const struct stamp *st)
{
	char t[40];

	if (report_time(st, t, sizeof t))
		buf_printf(b, "%s%s", label, t);
}

json_t *report_jstr(const char *s)
{
	struct buf b;
	json_t *j;

	if (s == NULL)
		return json_null();
	buf_init(&b);
	buf_add_utf8_clean(&b, s, strlen(s));
	j = json_stringn(b.p ? b.p : "", b.len);
	buf_reset(&b);
	return j;
}

json_t *report_jtime(const struct stamp *st)
{
	char t[40];

	return st->prov == TP_NONE ? json_null() : json_string(report_time(st, t, sizeof t));
}

void report_xml_clean(struct buf *b, const char *s)
{
	struct buf u;
	size_t i;

	buf_init(&u);
	buf_add_utf8_clean(&u, s, strlen(s));
	for (i = 0; i < u.len; i++) {
		unsigned char c = (unsigned char)u.p[i];

		/* XML 1.0 has no way to write these, not even as &#N;: show them instead. */
		if (c < 0x20 && c != '\t' && c != '\n') {
			buf_add(b, "\xe2\x90", 2);
			buf_addc(b, (char)(0x80 + c));
		} else if (c == 0xef && i + 2 < u.len && (unsigned char)u.p[i + 1] == 0xbf &&
		           (unsigned char)u.p[i + 2] >= 0xbe) {
			buf_adds(b, "\xef\xbf\xbd");
			i += 2;
		} else
			buf_addc(b, (char)c);
	}
	buf_reset(&u);
}

const char *const report_comp_labels[N_COMPONENTS] = {"DNS protection IPv4", "DNS protection IPv6",
                                                       "Web protection"};

int report_comp_index(const char *comp)
{
	int i;

	for (i = 0; comp && i < N_COMPONENTS; i++)
		if (strcmp(comp, component_names[i]) == 0)
			return i;
	return -1;
}

const struct comp_state *report_comp_state(const struct scan_result *res, const struct finding *f)
{
	int i = report_comp_index(f->comp);

	return i >= 0 ? &res->diag.states[i] : NULL;
}

void report_rows_add(struct report_rows *rows, const struct scan_result *res)
{
	struct report_row *r;
	size_t i;

	rows->v = xgrow(rows->v, &rows->cap, rows->n + 1, sizeof *rows->v);
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof *r);
	r->path = xstrdup(res->path);
	r->status = res->status;
	r->problems = res->nproblems;
	for (i = 0; i < N_COMPONENTS && res->status != SCAN_ERROR; i++)
		r->states[i] = xstrdup(res->diag.states[i].state ? res->diag.states[i].state : "unknown");
	if (res->diag.nf) {
		r->top = xstrdup(res->diag.f[0].rule->id);
		r->sev = res->diag.f[0].severity;
	}
}

void report_rows_reset(struct report_rows *rows)
{
	size_t i, k;

	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].path);
		free(rows->v[i].top);
		for (k = 0; k < N_COMPONENTS; k++)
			free(rows->v[i].states[k]);
	}
	free(rows->v);
	memset(rows, 0, sizeof *rows);
}
