/* report: the format table and what several renderers share. */
#include "report.h"
#include "verdict.h"

#include "escape.h"

#include <jansson.h>
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

const struct comp_state *report_comp_state(const struct scan_result *res, const struct finding *f)
{
	int i = component_index(f->comp);

	return i >= 0 ? &res->diag.states[i] : NULL;
}

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
	if (!finding_has_course(f))
		return;
	if (f->history) {
		add_stamp(b, ", history: its log ended ", &f->log_end, human);
		return;
	}
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

int report_next_repeats(const struct finding *const *g, size_t k, size_t i)
{
	size_t m;

	for (m = 0; m < k; m++)
		if (g[m]->nnext > i && strcmp(g[m]->next[i], g[k]->next[i]) == 0)
			return 1;
	return 0;
}

void report_add_since(struct buf *b, const struct finding *f)
{
	const struct incident *in = finding_current(f);
	/* the incident going on (or the last): a week of short outages is not one of six days */
	const struct stamp *since = in ? &in->start : &f->first;
	int before_log = f->started_before_log && (in == NULL || in == &f->inc[0]);

	if (since->prov == TP_NONE)
		return;
	add_stamp(b, before_log ? "since at least " : "since ", since, 1);
	if (before_log)
		buf_adds(b, " (the log starts failing)");
	if (in && in->end.prov != TP_NONE) {
		char d[32];

		timefmt_duration(incident_ms(in), d, sizeof d);
		buf_printf(b, " for %s", d);
		if (f->ninc > 1)
			buf_printf(b, " (the %s of %zu incidents)", in->ongoing ? "current" : "last", f->ninc);
	}
}

char *report_window(const struct scan_result *res)
{
	struct buf b;

	if (res->since.prov == TP_NONE && res->until.prov == TP_NONE)
		return NULL;
	buf_init(&b);
	if (res->since.prov != TP_NONE && res->until.prov != TP_NONE) {
		add_stamp(&b, "", &res->since, 1);
		add_stamp(&b, " .. ", &res->until, 1);
	} else if (res->since.prov != TP_NONE) {
		add_stamp(&b, "from ", &res->since, 1);
	} else {
		add_stamp(&b, "until ", &res->until, 1);
	}
	return buf_steal(&b);
}

char *report_incidents(const struct finding *f)
{
	const struct incident *in = finding_current(f);
	char d[32];
	struct buf b;

	if (in == NULL || in->end.prov == TP_NONE)
		return NULL;
	buf_init(&b);
	if (f->ninc == 1) {
		timefmt_duration(incident_ms(in), d, sizeof d);
		buf_adds(&b, d);
		return buf_steal(&b);
	}
	timefmt_duration(finding_failing_ms(f), d, sizeof d);
	buf_printf(&b, "%zu, failing %s in all; the %s ", f->ninc, d, in->ongoing ? "current" : "last");
	add_stamp(&b, "since ", &in->start, 1);
	timefmt_duration(incident_ms(in), d, sizeof d);
	buf_printf(&b, " for %s", d);
	return buf_steal(&b);
}

/* The components the findings of f's rule speak about, in component order: "dns_ipv4, dns_ipv6". */
static size_t add_rule_comps(struct buf *b, const struct diagnosis *d, const struct finding *f)
{
	size_t i, k, n = 0;

	for (i = 0; i < component_n; i++)
		for (k = 0; k < d->nf; k++)
			if (d->f[k].rule == f->rule && d->f[k].comp && strcmp(d->f[k].comp, component_table[i].name) == 0) {
				buf_adds(b, n++ ? ", " : " [");
				buf_adds(b, component_table[i].name);
				break;
			}
	if (n)
		buf_addc(b, ']');
	return n;
}

/* " dns_ipv4 protected, dns_ipv6 ..." at the end of the bundle; unknown: the word for a lane no line spoke of. */
static void add_states(struct buf *b, const struct diagnosis *d, const char *unknown)
{
	size_t i;

	for (i = 0; i < component_n; i++) {
		const char *st = d->states[i].state;

		buf_printf(b, "%s %s %s", i ? "," : "", component_table[i].name,
		           st && strcmp(st, "unknown") != 0 ? st : unknown);
	}
}

/* At most this many reasons in a review's one line; the JSON has them all. */
#define VERDICT_REASONS_SAID 3

/* "needs review: REASON; REASON (and 2 more)" or "healthy: dns_ipv4 protected, ...". */
static void add_verdict_class(struct buf *b, const struct scan_result *res)
{
	size_t i;

	if (res->verdict == VERDICT_REVIEW) {
		buf_adds(b, "needs review: ");
		for (i = 0; i < res->nreasons && i < VERDICT_REASONS_SAID; i++)
			buf_printf(b, "%s%s", i ? "; " : "", res->reasons[i].text);
		if (res->nreasons > VERDICT_REASONS_SAID)
			buf_printf(b, " (and %zu more)", res->nreasons - VERDICT_REASONS_SAID);
		return;
	}
	buf_adds(b, "healthy:");
	add_states(b, &res->diag, "not in this bundle"); /* a lane it has is proven, or not healthy */
}

char *report_verdict(const struct scan_result *res)
{
	const struct diagnosis *d = &res->diag;
	const struct finding *f = d->nf ? &d->f[0] : NULL;
	struct buf b;
	size_t i, n = 0;
	int titled;

	buf_init(&b);
	if (res->duplicate_of) {
		buf_printf(&b, "duplicate of %s (the same bytes, scanned once: see its report)", res->duplicate_of);
		return buf_steal(&b);
	}
	if (res->status == SCAN_EMPTY) {
		buf_adds(&b, "empty: no bundle in this case folder yet");
		return buf_steal(&b);
	}
	if (res->status == SCAN_ERROR || res->verdict == VERDICT_UNREADABLE) {
		buf_printf(&b, "not read: %s", res->nreasons ? res->reasons[0].text : "unknown error");
		return buf_steal(&b);
	}
	if (res->verdict == VERDICT_PROBLEM && (f == NULL || f->severity < SEV_WARNING)) { /* --min-severity */
		buf_printf(&b, "problem: nothing at or above %s; %zu finding%s below it left out; states seen:",
		           severity_name(d->shown_from), d->nhidden, d->nhidden == 1 ? "" : "s");
		add_states(&b, d, "unknown");
		return buf_steal(&b);
	}
	if (res->verdict != VERDICT_PROBLEM) {
		add_verdict_class(&b, res);
		if (d->shown_from > SEV_WARNING && d->nhidden) /* what --min-severity left out was not nothing */
			buf_printf(&b, "; %zu finding%s below %s left out", d->nhidden, d->nhidden == 1 ? "" : "s",
			           severity_name(d->shown_from));
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

int report_group_sorted(const struct diagnosis *d, size_t i, size_t n, const struct finding **g)
{
	size_t k, m, j = 0;

	if (n > component_n)
		return 0;
	for (k = 0; k < component_n; k++)
		for (m = 0; m < n; m++)
			if (d->f[i + m].comp && strcmp(d->f[i + m].comp, component_table[k].name) == 0 && j < n)
				g[j++] = &d->f[i + m];
	return j == n;
}

/* Bytes a and b share at their start, ending on a word's edge (a space or the end of both). */
static size_t shared_head(const char *a, const char *b)
{
	size_t i = 0, edge = 0;

	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == ' ')
			edge = i + 1;
	return a[i] == '\0' && b[i] == '\0' ? i : edge;
}

/* The same at their end, starting on a word's edge (a space, ':' or ','), so that "IPv4: DNS
 * protection off" and "IPv6: DNS protection off" share ": DNS protection off". */
static size_t shared_tail(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, edge = 0;

	while (i < na && i < nb && a[na - 1 - i] == b[nb - 1 - i]) {
		char c = a[na - 1 - i];

		i++;
		if (c == ' ' || c == ':' || c == ',')
			edge = i;
	}
	return i == na && i == nb ? i : edge;
}

char *report_group_title(const struct finding *const *g, size_t n)
{
	const char *t0 = g[0]->title ? g[0]->title : "";
	size_t n0 = strlen(t0), head = n0, tail, k;
	struct buf b;

	for (k = 1; k < n; k++) {
		size_t h = shared_head(t0, g[k]->title ? g[k]->title : "");

		head = h < head ? h : head;
	}
	tail = n0 - head;
	for (k = 1; k < n; k++) {
		const char *t = g[k]->title ? g[k]->title : "";
		size_t tl = shared_tail(t0 + head, n0 - head, t + head, strlen(t) - head);

		tail = tl < tail ? tl : tail;
	}
	buf_init(&b);
	if (n < 2 || head + tail == 0 || head + tail >= n0) { /* nothing shared, or nothing differs */
		buf_adds(&b, t0);
		return buf_steal(&b);
	}
	buf_add(&b, t0, head);
	for (k = 0; k < n; k++) {
		const char *t = g[k]->title ? g[k]->title : "";

		if (k)
			buf_adds(&b, k + 1 == n ? " and " : ", ");
		buf_add(&b, t + head, strlen(t) - head - tail);
	}
	buf_adds(&b, t0 + n0 - tail);
	return buf_steal(&b);
}

char *report_bundle_name(const struct scan_result *res, int redact, size_t n)
{
	const char *p = res->path, *s;
	int climbs = 0;

	if (redact)
		return xasprintf("bundle %zu", n);
	for (s = p; *s; s++) /* a ".." component climbs into the engineer's own folders */
		if (s[0] == '.' && s[1] == '.' && (s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
			climbs = 1;
	if (res->rel_path && res->rel_path[0]) /* found by -r: below the root, as the summary names it */
		return xstrdup(res->rel_path);
	if (p[0] != '/' && p[0] != '~' && !climbs)
		return xstrdup(p);
	{
		size_t len = strlen(p);
		char *c = xstrdup(p), *name;

		while (len > 1 && c[len - 1] == '/') /* an extracted directory given as "DIR/" */
			c[--len] = '\0';
		name = xstrdup(base_name(c));
		free(c);
		return name;
	}
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

/* What each enum date_order says: the note for people, JSON's short form (NULL: nothing to say). */
static const struct {
	const char *note, *key;
} date_orders[] = {
    [DATES_AS_WRITTEN] = {NULL, NULL},
    [DATES_DAY_FIRST] = {"dates read as day/month (a first field above 12)", "day/month"},
    [DATES_UNPROVEN] = {"dates read as month/day, but none proves the order (each reads both ways, as 03/09 "
                        "does): if the client writes the day first, its times are months off",
                        "month/day unproven"},
    [DATES_UNPROVEN_DM] = {"dates read as month/day, but none proves the order, and the time the entry was "
                           "written fits day/month better: check the client's date format (systeminfo.txt's "
                           "System Locale) before trusting its times",
                           "month/day unproven, entry time fits day/month"},
};

const char *report_date_order_note(int order)
{
	return order > 0 && (size_t)order < sizeof date_orders / sizeof *date_orders ? date_orders[order].note : NULL;
}

const char *report_date_order_key(int order)
{
	return order > 0 && (size_t)order < sizeof date_orders / sizeof *date_orders ? date_orders[order].key : NULL;
}
