/* correlate: the state of DNS IPv4, DNS IPv6 and web over time, from the events of every file of
 * a bundle merged by time; incidents (periods in a bad state) with ongoing/recovered/transient
 * semantics; findings from rules, from bundle checks and from relations between findings. */
#include "correlate.h"

#include <stdlib.h>
#include <string.h>

const char *const component_names[N_COMPONENTS] = {"dns_ipv4", "dns_ipv6", "web"};

void correlate_opts_default(struct correlate_opts *o)
{
	memset(o, 0, sizeof *o);
	o->transient_s = 60;
	o->evidence = 6;
}

static int is_good(const char *state)
{
	return state != NULL && strcmp(state, "protected") == 0;
}

static int cmp_events(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->first.ms != y->first.ms)
		return x->first.ms < y->first.ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- state timeline ---- */

struct point {
	const struct event *e;
	struct stamp ts;
	int end; /* the run's last match */
};

static int cmp_points(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	if (x->ts.ms != y->ts.ms)
		return x->ts.ms < y->ts.ms ? -1 : 1;
	if (x->e->seq != y->e->seq)
		return x->e->seq < y->e->seq ? -1 : 1;
	return x->end - y->end;
}

static int in_window(const struct correlate_opts *o, const struct stamp *a, const struct stamp *b)
{
	if (o->since.prov != TP_NONE && b->prov != TP_NONE && b->ms < o->since.ms)
		return 0;
	if (o->until.prov != TP_NONE && a->prov != TP_NONE && a->ms > o->until.ms)
		return 0;
	return 1;
}

static void build_timeline(struct diagnosis *d, const struct events *ev, const struct correlate_opts *o)
{
	struct point *pts = xcalloc(ev->n * 2 + 1, sizeof *pts);
	size_t np = 0, i, cap = 0;

	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->v[i];

		if (e->comp == NULL || e->rule->disabled || !in_window(o, &e->first, &e->last))
			continue;
		pts[np].e = e;
		pts[np++].ts = e->first;
		if (e->last.ms != e->first.ms) {
			pts[np].e = e;
			pts[np].ts = e->last;
			pts[np++].end = 1;
		}
	}
	qsort(pts, np, sizeof *pts, cmp_points);
	for (i = 0; i < np; i++) {
		const struct event *e = pts[i].e;
		struct comp_state *cur = NULL;
		size_t k;

		for (k = 0; k < d->nchanges; k++) /* the latest change of this component */
			if (strcmp(d->changes[d->nchanges - 1 - k].comp, e->comp) == 0) {
				const struct state_change *c = &d->changes[d->nchanges - 1 - k];

				if (strcmp(c->state, e->state) == 0)
					cur = (struct comp_state *)1;
				break;
			}
		if (cur != NULL)
			continue;
		d->changes = xgrow(d->changes, &cap, d->nchanges + 1, sizeof *d->changes);
		d->changes[d->nchanges].comp = e->comp;
		d->changes[d->nchanges].state = e->state;
		d->changes[d->nchanges].note = e->note;
		d->changes[d->nchanges].ts = pts[i].ts;
		d->changes[d->nchanges].cause = e;
		d->nchanges++;
	}
	free(pts);
	for (i = 0; i < N_COMPONENTS; i++) {
		size_t k;

		d->states[i].comp = component_names[i];
		d->states[i].state = "unknown";
		for (k = d->nchanges; k-- > 0;)
			if (strcmp(d->changes[k].comp, component_names[i]) == 0) {
				d->states[i].state = d->changes[k].state;
				d->states[i].note = d->changes[k].note;
				d->states[i].since = d->changes[k].ts;
				break;
			}
	}
}

static const char *state_at_end(const struct diagnosis *d, const char *comp)
{
	size_t k;

	for (k = d->nchanges; k-- > 0;)
		if (strcmp(d->changes[k].comp, comp) == 0)
			return d->changes[k].state;
	return "unknown";
}

/* The first change of comp to a good state strictly after t, or NULL. */
static const struct state_change *recovery_after(const struct diagnosis *d, const char *comp, int64_t t)
{
	size_t k;

	for (k = 0; k < d->nchanges; k++)
		if (d->changes[k].ts.ms > t && strcmp(d->changes[k].comp, comp) == 0 && is_good(d->changes[k].state))
			return &d->changes[k];
	return NULL;
}

/* ---- findings ---- */

struct tpl_ctx {
	const struct event *e;
	const struct context *ctx;
	char tmp[64];
};

static const char *lookup_value(void *vp, const char *name, size_t len)
{
	struct tpl_ctx *t = vp;
	char nm[64];

	if (len >= sizeof nm)
		return NULL;
	memcpy(nm, name, len);
	nm[len] = '\0';
	if (strncmp(nm, "ctx.", 4) == 0)
		return t->ctx ? context_value(t->ctx, nm + 4) : NULL;
	return t->e ? event_capture(t->e, nm) : NULL;
}

static struct finding *new_finding(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event *e,
                                   const struct context *ctx)
{
	struct finding *f;
	struct tpl_ctx t = {e, ctx, {0}};

	d->f = xgrow(d->f, cap, d->nf + 1, sizeof *d->f);
	f = &d->f[d->nf++];
	memset(f, 0, sizeof *f);
	f->rule = r;
	f->severity = r->severity;
	f->title = template_expand(r->title, lookup_value, &t);
	f->remediation = r->fix ? template_expand(r->fix, lookup_value, &t) : NULL;
	return f;
}

static int cmp_evidence(const void *a, const void *b)
{
	const struct evidence *x = *(const struct evidence *const *)a, *y = *(const struct evidence *const *)b;

	if (x->ts.ms != y->ts.ms)
		return x->ts.ms < y->ts.ms ? -1 : 1;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Gathers the kept evidence of the finding's events, then keeps the first and last few. */
static void pick_evidence(struct finding *f, const struct event **es, size_t n, int keep)
{
	const struct evidence **all;
	size_t na = 0, i, k, w = 0;

	all = xcalloc(n * 2 * EV_KEEP + 1, sizeof *all);
	for (i = 0; i < n; i++) {
		const struct evidence *tail[EV_KEEP];
		size_t nt = event_tail(es[i], tail);

		for (k = 0; k < es[i]->nhead; k++)
			all[na++] = &es[i]->head[k];
		for (k = 0; k < nt; k++)
			all[na++] = tail[k];
	}
	qsort(all, na, sizeof *all, cmp_evidence);
	for (i = 0; i < na; i++) /* the same line can sit in a head and a tail */
		if (w == 0 || all[w - 1]->entry != all[i]->entry || all[w - 1]->line != all[i]->line)
			all[w++] = all[i];
	na = w;
	if (keep < 1)
		keep = 1;
	if (na > (size_t)keep) {
		size_t first = ((size_t)keep + 1) / 2, last = (size_t)keep - first;

		memmove(all + first, all + na - last, last * sizeof *all);
		na = (size_t)keep;
	}
	f->ev = all;
	f->nev = na;
	f->ev_omitted = f->count > na ? f->count - na : 0;
}

static void cap_severity(struct finding *f, int max, const char *why)
{
	if (f->severity > max) {
		f->severity = max;
		free(f->severity_note);
		f->severity_note = xstrdup(why);
	}
}

/* One finding from the events of one rule about one component (or about none). */
static void finding_from_events(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event **es,
                                size_t n, const struct context *ctx, const struct correlate_opts *o)
{
	struct finding *f = new_finding(d, cap, r, es[0], ctx);
	size_t i;
	int64_t open_until = INT64_MIN; /* recovery time of the incident open now; INT64_MAX: none */
	int64_t inc_first = 0;
	int all_short = 1;

	f->comp = es[0]->comp;
	f->first = es[0]->first;
	f->last = es[0]->last;
	for (i = 0; i < n; i++) {
		const struct event *e = es[i];

		f->count += e->count;
		if (e->first.ms < f->first.ms)
			f->first = e->first;
		if (e->last.ms > f->last.ms)
			f->last = e->last;
		if (f->comp == NULL || is_good(e->state))
			continue;
		f->stateful = 1;
		if (e->first.ms > open_until || open_until == INT64_MIN) {
			const struct state_change *rec = recovery_after(d, f->comp, e->first.ms);

			f->incidents++;
			inc_first = e->first.ms;
			open_until = rec ? rec->ts.ms : INT64_MAX;
			f->recovered = rec ? rec->ts : (struct stamp){0, 0, TP_NONE, 0};
			if (rec == NULL || rec->ts.ms - inc_first >= o->transient_s * 1000)
				all_short = 0;
			if ((rec ? rec->ts.ms : f->last.ms) - inc_first > f->longest_s * 1000)
				f->longest_s = (long)(((rec ? rec->ts.ms : e->last.ms) - inc_first) / 1000);
		} else if (open_until == INT64_MAX && (e->last.ms - inc_first) / 1000 > f->longest_s) {
			f->longest_s = (long)((e->last.ms - inc_first) / 1000);
		}
	}
	if (f->count > 1 && f->last.ms > f->first.ms)
		f->period_s = (long)((f->last.ms - f->first.ms) / 1000 / (long long)(f->count - 1));
	if (f->stateful) {
		f->ongoing = open_until == INT64_MAX;
		if (!f->ongoing && all_short)
			cap_severity(f, SEV_INFO, "every incident recovered within the transient window");
		else if (!f->ongoing)
			cap_severity(f, SEV_WARNING, "recovered before the end of the bundle");
	}
	for (i = 0; i < r->nlimits; i++)
		if (strcmp(state_at_end(d, r->limits[i].comp), r->limits[i].state) == 0) {
			char why[160];

			snprintf(why, sizeof why, "%s is %s", r->limits[i].comp, r->limits[i].state);
			cap_severity(f, r->limits[i].sev, why);
		}
	pick_evidence(f, es, n, o->evidence);
}

static void findings_from_rules(struct diagnosis *d, size_t *cap, const struct events *ev, const struct ruleset *rs,
                                const struct context *ctx, const struct correlate_opts *o)
{
	const struct event **es = xcalloc(ev->n + 1, sizeof *es);
	char **comps = xcalloc(ev->n + 1, sizeof *comps);
	size_t i, j, k;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		size_t nc = 0;

		if (r->disabled || r->severity == SEV_NONE || r->npats == 0)
			continue;
		/* one finding per component the rule spoke about (IPv4 and IPv6 apart) */
		for (j = 0; j < ev->n; j++) {
			const struct event *e = &ev->v[j];
			int seen = 0;

			if (e->rule != r || !in_window(o, &e->first, &e->last))
				continue;
			for (k = 0; k < nc; k++)
				if ((comps[k] == NULL && e->comp == NULL) ||
				    (comps[k] && e->comp && strcmp(comps[k], e->comp) == 0))
					seen = 1;
			if (!seen)
				comps[nc++] = e->comp;
		}
		for (k = 0; k < nc; k++) {
			size_t n = 0;

			for (j = 0; j < ev->n; j++) {
				const struct event *e = &ev->v[j];

				if (e->rule == r && in_window(o, &e->first, &e->last) &&
				    ((comps[k] == NULL && e->comp == NULL) ||
				     (comps[k] && e->comp && strcmp(comps[k], e->comp) == 0)))
					es[n++] = e;
			}
			finding_from_events(d, cap, r, es, n, ctx, o);
		}
	}
	free(es);
	free(comps);
}

static void findings_from_checks(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct context *ctx)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		struct buf why;
		int holds = r->nchecks > 0;

		if (r->disabled || r->nchecks == 0 || r->severity == SEV_NONE)
			continue;
		buf_init(&why);
		for (k = 0; k < r->nchecks && holds; k++) {
			char *w = NULL;

			holds = context_check(ctx, &r->checks[k], &w);
			if (holds && w) {
				if (why.len)
					buf_adds(&why, "; ");
				buf_adds(&why, w);
			}
			free(w);
		}
		if (holds) {
			struct finding *f = new_finding(d, cap, r, NULL, ctx);

			f->why = buf_steal(&why);
			f->count = 1;
		}
		buf_reset(&why);
	}
}

static const struct finding *find_by_id(const struct diagnosis *d, const char *id, size_t skip_from)
{
	size_t i;

	for (i = skip_from; i < d->nf; i++)
		if (strcmp(d->f[i].rule->id, id) == 0)
			return &d->f[i];
	return NULL;
}

static int overlaps(const struct finding *a, const struct finding *b, long window_s)
{
	int64_t w = (int64_t)window_s * 1000;

	if (a->first.prov == TP_NONE || b->first.prov == TP_NONE)
		return 1; /* bundle facts hold for the whole bundle */
	return a->first.ms <= b->last.ms + w && b->first.ms <= a->last.ms + w;
}

/* Relations: "when A overlaps B" adds this rule's finding as their cause; "caused-by A" marks
 * this rule's findings as consequences of A. Indices are used because d->f may move. */
static void apply_relations(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct context *ctx)
{
	size_t i, j, k, n0 = d->nf;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (j = 0; j < r->nrels && !r->disabled; j++) {
			const struct relation *rel = &r->rels[j];

			if (rel->caused_by) {
				for (k = 0; k < n0; k++) {
					struct finding *f = &d->f[k];
					const struct finding *a;

					if (f->rule != r || f->caused_by_id)
						continue;
					a = find_by_id(d, rel->a, 0);
					if (a && a != f && overlaps(a, f, rel->window))
						f->caused_by_id = xstrdup(a->rule->id);
				}
			} else {
				size_t ia, ib;
				struct finding *c;

				for (ia = 0; ia < n0 && strcmp(d->f[ia].rule->id, rel->a) != 0; ia++)
					;
				for (ib = 0; ib < n0 && strcmp(d->f[ib].rule->id, rel->b) != 0; ib++)
					;
				if (ia == n0 || ib == n0 || !overlaps(&d->f[ia], &d->f[ib], rel->window) ||
				    find_by_id(d, r->id, 0))
					continue;
				c = new_finding(d, cap, r, NULL, ctx);
				{
					struct finding *a = &d->f[ia], *b = &d->f[ib];
					const struct evidence **ev = xcalloc(a->nev + b->nev + 1, sizeof *ev);

					c->first = a->first.ms < b->first.ms ? a->first : b->first;
					c->last = a->last.ms > b->last.ms ? a->last : b->last;
					c->count = a->count + b->count;
					c->ongoing = a->ongoing && b->ongoing;
					c->stateful = 1;
					/* a cause is shown with one line of each consequence */
					c->nev = 0;
					if (a->nev)
						ev[c->nev++] = a->ev[a->nev - 1];
					if (b->nev)
						ev[c->nev++] = b->ev[b->nev - 1];
					c->ev = ev;
					if (!c->ongoing)
						cap_severity(c, a->severity > b->severity ? a->severity : b->severity,
						             "its consequences recovered");
					free(a->caused_by_id);
					a->caused_by_id = xstrdup(r->id);
					free(b->caused_by_id);
					b->caused_by_id = xstrdup(r->id);
				}
			}
		}
	}
}

static int cmp_rank(const struct finding *x, const struct finding *y)
{
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->first.prov != y->first.prov && (x->first.prov == TP_NONE || y->first.prov == TP_NONE))
		return x->first.prov == TP_NONE ? 1 : -1;
	if (x->first.ms != y->first.ms)
		return x->first.ms < y->first.ms ? -1 : 1;
	{
		int c = strcmp(x->rule->id, y->rule->id);

		if (c)
			return c;
	}
	return strcmp(x->comp ? x->comp : "", y->comp ? y->comp : "");
}

static int cmp_rank_q(const void *a, const void *b)
{
	return cmp_rank(a, b);
}

/* Roots by rank, each followed by the findings it explains. */
static void rank(struct diagnosis *d)
{
	struct finding *out = xcalloc(d->nf + 1, sizeof *out);
	size_t n = 0, i, k;

	if (d->nf > 1)
		qsort(d->f, d->nf, sizeof *d->f, cmp_rank_q);
	for (i = 0; i < d->nf; i++) { /* a cause of a cause: attach to the root */
		int hops = 0;
		const struct finding *c;

		while (d->f[i].caused_by_id && (c = find_by_id(d, d->f[i].caused_by_id, 0)) != NULL &&
		       c->caused_by_id && hops++ < 8) {
			free(d->f[i].caused_by_id);
			d->f[i].caused_by_id = xstrdup(c->caused_by_id);
		}
		if (hops >= 8) { /* a loop: break it */
			free(d->f[i].caused_by_id);
			d->f[i].caused_by_id = NULL;
		}
	}
	for (i = 0; i < d->nf; i++) {
		if (d->f[i].caused_by_id && find_by_id(d, d->f[i].caused_by_id, 0))
			continue;
		free(d->f[i].caused_by_id);
		d->f[i].caused_by_id = NULL;
		out[n++] = d->f[i];
		for (k = 0; k < d->nf; k++)
			if (d->f[k].caused_by_id && strcmp(d->f[k].caused_by_id, d->f[i].rule->id) == 0 &&
			    find_by_id(d, d->f[i].rule->id, 0) == &d->f[i])
				out[n++] = d->f[k];
	}
	free(d->f);
	d->f = out;
	d->nf = n;
	for (i = 0; i < n; i++)
		if (d->f[i].caused_by_id)
			d->f[i].caused_by = find_by_id(d, d->f[i].caused_by_id, 0);
}

void correlate(struct diagnosis *d, struct events *ev, const struct ruleset *rs, const struct context *ctx,
               struct stamp start, struct stamp end, const struct correlate_opts *o)
{
	size_t cap = 0;

	memset(d, 0, sizeof *d);
	d->start = start;
	d->end = end;
	if (o->until.prov != TP_NONE && end.prov != TP_NONE && o->until.ms < end.ms)
		d->end = o->until;
	if (ev->n > 1) /* qsort with a NULL base is undefined, even for 0 elements */
		qsort(ev->v, ev->n, sizeof *ev->v, cmp_events);
	build_timeline(d, ev, o);
	findings_from_rules(d, &cap, ev, rs, ctx, o);
	findings_from_checks(d, &cap, rs, ctx);
	apply_relations(d, &cap, rs, ctx);
	rank(d);
}

int diagnosis_worst(const struct diagnosis *d)
{
	size_t i;
	int w = SEV_NONE;

	for (i = 0; i < d->nf; i++)
		if (d->f[i].severity > w)
			w = d->f[i].severity;
	return w;
}

void diagnosis_reset(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->nf; i++) {
		free(d->f[i].title);
		free(d->f[i].remediation);
		free(d->f[i].why);
		free(d->f[i].ev);
		free(d->f[i].caused_by_id);
		free(d->f[i].severity_note);
	}
	free(d->f);
	free(d->changes);
	memset(d, 0, sizeof *d);
}
