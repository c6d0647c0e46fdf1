/* report_common: what several renderers say alike -- times, a finding's course and incidents,
 * the verdict line, a group of findings on several lanes, a bundle's name for customers. */
#include "report_in.h"
#include "verdict.h"

#include "escape.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
