/* report_rows: a batch's summary rows (report_in.h's struct report_row), copied out of each scan
 * result as it is reported, and their groups for --group-by. */
#include "report_in.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The top finding's since when and how long, as the summary columns show them: its current (or
 * last) incident, else its first failure to its recovery or last one. */
static void row_course(struct report_row *r, const struct finding *f)
{
	char t[40];
	const struct incident *in = finding_current(f);
	const struct stamp *since = in ? &in->start : &f->first;
	const struct stamp *end = f->recovered.prov != TP_NONE ? &f->recovered : &f->last;

	r->ongoing = finding_has_course(f) ? f->ongoing : -1;
	if (since->prov == TP_NONE)
		return;
	r->since = xstrdup(report_time(since, t, sizeof t));
	if (in)
		r->lasted_ms = incident_ms(in);
	else if (end->prov != TP_NONE)
		r->lasted_ms = end->ms - f->first.ms;
	else
		return;
	timefmt_duration(r->lasted_ms, t, sizeof t);
	r->lasted = xstrdup(t);
}

/* A duplicate's row: what the bundle it repeats said, under its own path. */
static void row_copy(struct report_row *r, const struct report_row *o)
{
	size_t i;

	r->host = dup_or_null(o->host);
	r->org = dup_or_null(o->org);
	r->client = dup_or_null(o->client);
	r->collected = dup_or_null(o->collected);
	r->collected_iso = dup_or_null(o->collected_iso);
	r->before = dup_or_null(o->before);
	for (i = 0; i < component_n; i++)
		r->states[i] = dup_or_null(o->states[i]);
	r->top = dup_or_null(o->top);
	r->since = dup_or_null(o->since);
	r->lasted = dup_or_null(o->lasted);
	r->lasted_ms = o->lasted_ms;
	r->error = dup_or_null(o->error);
	r->network = dup_or_null(o->network);
	r->ongoing = o->ongoing;
	r->sev = o->sev;
	r->status = o->status;
	r->verdict = xasprintf("duplicate of %s: %s", o->shown, o->verdict);
	r->verdict_class = o->verdict_class;
}

/* What names the client's site for --group-by network: the default gateways and DNS servers of
 * the adapters ipconfig shows with a gateway (the ones in use), else the failing proxy addresses. */
static char *site_of(const struct context *c)
{
	struct buf b;
	size_t i, k;

	buf_init(&b);
	for (i = 0; i < c->net.n; i++) {
		const struct net_adapter *a = &c->net.a[i];

		if (a->gateways.n == 0)
			continue;
		buf_adds(&b, b.len ? "; gw " : "gw ");
		for (k = 0; k < a->gateways.n; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", a->gateways.v[k]);
		for (k = 0; k < a->dns.n; k++)
			buf_printf(&b, "%s%s", k ? ", " : " dns ", a->dns.v[k]);
	}
	if (b.len)
		return buf_steal(&b);
	return dup_or_null(context_get(c, CTX_SWG_FAILING_ADDRESSES));
}

void report_rows_add(struct report_rows *rows, const struct scan_result *res)
{
	struct report_row *r;
	const struct context *c = &res->ctx;
	size_t i;

	rows->v = xgrow(rows->v, &rows->cap, rows->n + 1, sizeof *rows->v);
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof *r);
	r->path = xstrdup(res->path);
	r->shown = xstrdup(res->rel_path ? res->rel_path : res->path);
	r->sha256 = dup_or_null(res->sha256);
	r->status = res->status;
	r->problems = res->nproblems;
	r->ongoing = -1;
	if (res->duplicate_of) {
		for (i = 0; i + 1 < rows->n; i++)
			if (strcmp(rows->v[i].path, res->duplicate_of) == 0) {
				r->duplicate_of = xstrdup(rows->v[i].shown);
				r->original = i;
				row_copy(r, &rows->v[i]);
				return;
			}
	}
	r->duplicate_of = dup_or_null(res->duplicate_of);
	r->host = dup_or_null(context_get(c, CTX_HOST));
	r->org = dup_or_null(c->org_id);
	r->client = dup_or_null(context_get(c, CTX_CLIENT_VERSION));
	r->error = res->status == SCAN_ERROR && res->nproblems ? xstrdup(res->problems[0].msg) : NULL;
	r->network = site_of(c);
	for (i = 0; i < component_n && !scan_read_nothing(res); i++)
		r->states[i] = xstrdup(res->diag.states[i].state ? res->diag.states[i].state : "unknown");
	/* the top finding is one at warning or above, as the root-cause group's key: a healthy row's cell
	 * is empty, and a sheet sorted by it puts the healthy bundles together, not among an info
	 * finding's (fail-open configured) -- the bundle's own report still lists that */
	if (res->diag.nf && res->diag.f[0].severity >= SEV_WARNING) {
		r->top = xstrdup(res->diag.f[0].rule->id);
		r->sev = res->diag.f[0].severity;
		row_course(r, &res->diag.f[0]);
	}
	r->verdict = report_verdict(res);
	r->verdict_class = res->verdict;
	if (!scan_read_nothing(res) && res->diag.collected.at.prov != TP_NONE) {
		const struct collection *cl = &res->diag.collected;
		char t[40];

		timefmt_format_human(&cl->at, t, sizeof t);
		/* to the minute; a tar's UTC time that no zone could move says so */
		r->collected = xasprintf("%.16s%s", t, cl->at.prov == TP_UTC ? " UTC" : "");
		timefmt_format(&cl->at, t, sizeof t);
		r->collected_iso = xstrdup(t);
		if (cl->last_failure.prov != TP_NONE && cl->last_failure.ms <= cl->at.ms) {
			timefmt_duration(cl->at.ms - cl->last_failure.ms, t, sizeof t);
			r->before = xasprintf("%s before", t);
		}
	}
}

void report_rows_reset(struct report_rows *rows)
{
	size_t i, k;

	for (i = 0; i < rows->n; i++) {
		struct report_row *r = &rows->v[i];

		free(r->path);
		free(r->shown);
		free(r->host);
		free(r->org);
		free(r->client);
		free(r->collected);
		free(r->collected_iso);
		free(r->before);
		free(r->top);
		free(r->verdict);
		free(r->since);
		free(r->lasted);
		free(r->sha256);
		free(r->duplicate_of);
		free(r->error);
		free(r->network);
		for (k = 0; k < component_n; k++)
			free(r->states[k]);
	}
	free(rows->v);
	memset(rows, 0, sizeof *rows);
}

static const char *row_key(const struct report_row *r, int by)
{
	if (r->status == SCAN_ERROR) /* never among the healthy (or the org-less): a group of their own */
		return REPORT_NOT_READ;
	if (r->status == SCAN_EMPTY)
		return "empty";
	switch (by) {
	case GROUP_ROOT_CAUSE: return r->top;
	case GROUP_ORG: return r->org;
	case GROUP_NETWORK: return r->network;
	default: return NULL;
	}
}

void report_groups(struct groups *g, const struct report_rows *rows, int by)
{
	const char **keys = xcalloc(rows->n + 1, sizeof *keys);
	int *skip = xcalloc(rows->n + 1, sizeof *skip);
	size_t i;

	for (i = 0; i < rows->n; i++) {
		keys[i] = row_key(&rows->v[i], by);
		skip[i] = rows->v[i].duplicate_of != NULL;
	}
	groups_build(g, keys, skip, rows->n);
	free(keys);
	free(skip);
}

const char *report_group_key(const struct group *gr)
{
	return gr->key ? gr->key : "-";
}
