/* report: the format table and what several renderers share. */
#include "report.h"

#include "escape.h"

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

int report_format_known(const char *format)
{
	size_t i;

	for (i = 0; formats[i]; i++)
		if (strcmp(formats[i]->name, format) == 0)
			return 1;
	return 0;
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
	escape_append(&b, s, strlen(s), ESC_TEXT);
	j = json_stringn(b.p ? b.p : "", b.len);
	buf_reset(&b);
	return j;
}

json_t *report_jtime(const struct stamp *st)
{
	char t[40];

	return st->prov == TP_NONE ? json_null() : json_string(report_time(st, t, sizeof t));
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
	r->verdict = report_verdict(res);
	if (res->status != SCAN_ERROR && res->diag.collected.at.prov != TP_NONE) {
		const struct collection *c = &res->diag.collected;
		char t[40];

		timefmt_format_human(&c->at, t, sizeof t);
		/* to the minute; a tar's UTC time that no zone could move says so */
		snprintf(r->collected, sizeof r->collected, "%.16s%s", t, c->at.prov == TP_UTC ? " UTC" : "");
		if (c->last_failure.prov != TP_NONE && c->last_failure.ms <= c->at.ms) {
			timefmt_duration(c->at.ms - c->last_failure.ms, t, sizeof t);
			snprintf(r->before, sizeof r->before, "%s before", t);
		}
	}
}

void report_rows_reset(struct report_rows *rows)
{
	size_t i, k;

	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].path);
		free(rows->v[i].top);
		free(rows->v[i].verdict);
		for (k = 0; k < N_COMPONENTS; k++)
			free(rows->v[i].states[k]);
	}
	free(rows->v);
	memset(rows, 0, sizeof *rows);
}

static void add_stamp(struct buf *b, const char *label, const struct stamp *st, int human)
{
	char t[40];

	if (st->prov == TP_NONE)
		return;
	if (human)
		timefmt_format_human(st, t, sizeof t);
	else
		timefmt_format(st, t, sizeof t);
	buf_printf(b, "%s%s", label, t);
}

void report_add_course(struct buf *b, const struct finding *f, int human)
{
	if (!f->stateful)
		return;
	if (f->ongoing && f->log_cut && f->cut_at.prov != TP_NONE) {
		add_stamp(b, ", ongoing as of the cut (", &f->cut_at, human);
		buf_addc(b, ')');
	} else if (f->ongoing && f->log_cut) {
		buf_adds(b, ", ongoing as of the cut");
	} else if (f->ongoing) {
		buf_adds(b, ", ongoing");
	} else if (f->stopped.prov != TP_NONE) {
		char d[32];

		timefmt_duration(f->log_end.ms - f->stopped.ms, d, sizeof d);
		add_stamp(b, ", failing until ", &f->stopped, human);
		buf_printf(b, ", nothing since for %s", d);
	} else {
		add_stamp(b, ", recovered ", &f->recovered, human);
	}
}

void report_add_since(struct buf *b, const struct finding *f)
{
	if (f->first.prov == TP_NONE)
		return;
	add_stamp(b, f->started_before_log ? "since at least " : "since ", &f->first, 1);
	if (f->started_before_log)
		buf_adds(b, " (the log starts failing)");
}

/* The components the findings of f's rule speak about, in component order: "dns_ipv4, dns_ipv6". */
static size_t add_rule_comps(struct buf *b, const struct diagnosis *d, const struct finding *f)
{
	size_t i, k, n = 0;

	for (i = 0; i < N_COMPONENTS; i++)
		for (k = 0; k < d->nf; k++)
			if (d->f[k].rule == f->rule && d->f[k].comp && strcmp(d->f[k].comp, component_names[i]) == 0) {
				buf_adds(b, n++ ? ", " : " [");
				buf_adds(b, component_names[i]);
				break;
			}
	if (n)
		buf_addc(b, ']');
	return n;
}

char *report_verdict(const struct scan_result *res)
{
	const struct diagnosis *d = &res->diag;
	const struct finding *f = d->nf ? &d->f[0] : NULL;
	struct buf b;
	size_t i, n = 0;
	int titled;

	buf_init(&b);
	if (res->status == SCAN_ERROR) {
		buf_printf(&b, "not read: %s", res->nproblems ? res->problems[0].msg : "unknown error");
		return buf_steal(&b);
	}
	if (f == NULL || f->severity < SEV_WARNING) {
		buf_adds(&b, "nothing at or above warning; states seen:");
		for (i = 0; i < N_COMPONENTS; i++)
			buf_printf(&b, "%s %s %s", i ? "," : "", component_names[i], d->states[i].state ? d->states[i].state : "unknown");
		return buf_steal(&b);
	}
	buf_printf(&b, "%s %s", severity_name(f->severity), f->rule->id);
	titled = add_rule_comps(&b, d, f) < 2; /* a title names one component ("over IPv4") */
	if (titled) {
		buf_adds(&b, ": ");
		buf_adds(&b, f->title);
	}
	if (f->first.prov != TP_NONE) {
		buf_adds(&b, titled ? "; " : " ");
		report_add_since(&b, f);
		report_add_course(&b, f, 1);
	}
	for (i = 1; i < d->nf; i++)
		if (d->f[i].caused_by == f && (i == 1 || d->f[i].rule != d->f[i - 1].rule)) {
			buf_adds(&b, n++ ? ", " : "; explains ");
			buf_adds(&b, d->f[i].rule->id);
		}
	return buf_steal(&b);
}

size_t report_group_len(const struct diagnosis *d, size_t i)
{
	size_t n = 1;

	while (d->f[i].comp && i + n < d->nf && d->f[i + n].rule == d->f[i].rule && d->f[i + n].comp &&
	       d->f[i + n].caused_by == d->f[i].caused_by)
		n++;
	return n;
}

void report_print_problems(FILE *out, const struct scan_result *res, const char *label)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++) {
		fputs(label, out);
		if (res->problems[i].entry) {
			escape_put_term(out, res->problems[i].entry);
			fputs(": ", out);
		}
		escape_put_term(out, res->problems[i].msg);
		fputc('\n', out);
	}
}
