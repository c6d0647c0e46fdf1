/* timeline: the states of component_table's lanes over time, from every file's events merged
 * by time -- the changes, the state a component ends in, the recovery after a failure -- and the
 * merged view the reports print. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate_in.h"

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

/* The latest change of a component so far, or NULL. */
const struct state_change *timeline_last_change(const struct diagnosis *d, const char *comp)
{
	size_t k;

	for (k = d->nchanges; k-- > 0;)
		if (strcmp(d->changes[k].comp, comp) == 0)
			return &d->changes[k];
	return NULL;
}

/* A run's matches between its first and last that it kept: where a run the matcher joined across
 * another state's line resumes (the state changes back there, not at the run's last match). */
static size_t add_kept_points(struct point *pts, const struct event *e, const struct correlate_opts *o)
{
	const struct evidence *tail[EV_KEEP];
	size_t n = 0, i, nt = event_tail(e, tail);

	for (i = 0; i < e->nhead + nt; i++) {
		const struct evidence *k = i < e->nhead ? &e->head[i] : tail[i - e->nhead];

		if (k->ts.prov == TP_NONE || k->ts.ms == e->first.ms || k->ts.ms == e->last.ms ||
		    (o->until.prov != TP_NONE && k->ts.ms > o->until.ms))
			continue;
		pts[n].e = e;
		pts[n].ts = k->ts;
		pts[n++].end = 1;
	}
	return n;
}

void timeline_build(struct diagnosis *d, const struct events *ev, const struct correlate_opts *o)
{
	struct point *pts = xcalloc(ev->n * (2 + 2 * EV_KEEP) + 1, sizeof *pts);
	size_t np = 0, i, cap = 0;

	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->v[i];

		/* states carry in from before --since; nothing after --until counts */
		/* a log that is history says nothing of the states now */
		if (e->comp == NULL || e->rule->disabled || clock_is_history(d, e) ||
		    (o->until.prov != TP_NONE && e->first.prov != TP_NONE && e->first.ms > o->until.ms))
			continue;
		pts[np].e = e;
		pts[np++].ts = e->first;
		np += add_kept_points(pts + np, e, o);
		if (e->last.ms != e->first.ms && (o->until.prov == TP_NONE || e->last.ms <= o->until.ms)) {
			pts[np].e = e;
			pts[np].ts = e->last;
			pts[np++].end = 1;
		}
	}
	sort_array(pts, np, sizeof *pts, cmp_points);
	for (i = 0; i < np; i++) {
		const struct event *e = pts[i].e;
		const struct state_change *last = timeline_last_change(d, e->comp);

		if (last != NULL && strcmp(last->state, e->state) == 0)
			continue; /* the same state again: not a change */
		d->changes = xgrow(d->changes, &cap, d->nchanges + 1, sizeof *d->changes);
		d->changes[d->nchanges].comp = e->comp;
		d->changes[d->nchanges].state = e->state;
		d->changes[d->nchanges].note = e->note;
		d->changes[d->nchanges].ts = pts[i].ts;
		d->changes[d->nchanges].cause = e;
		d->nchanges++;
	}
	free(pts);
	for (i = 0; i < component_n; i++) {
		const struct state_change *c = timeline_last_change(d, component_table[i].name);

		d->states[i].comp = component_table[i].name;
		d->states[i].state = c ? c->state : "unknown";
		if (c) {
			d->states[i].note = c->note;
			d->states[i].since = c->ts;
		}
	}
}

const char *timeline_state_at_end(const struct diagnosis *d, const char *comp)
{
	const struct state_change *c = timeline_last_change(d, comp);

	return c ? c->state : "unknown";
}

/* The change that recovers comp from a failure at t, or NULL: the first change to a good state
 * after the last change at or before t -- which is that one when it is good, a recovery written
 * in the same second as the failure and after it. */
const struct state_change *timeline_recovery_after(const struct diagnosis *d, const char *comp, int64_t t)
{
	size_t k, at = d->nchanges;

	for (k = 0; k < d->nchanges && d->changes[k].ts.ms <= t; k++)
		if (strcmp(d->changes[k].comp, comp) == 0)
			at = k;
	if (at < d->nchanges && component_good(comp, d->changes[at].state))
		return &d->changes[at];
	for (k = at < d->nchanges ? at + 1 : 0; k < d->nchanges; k++)
		if (d->changes[k].ts.ms > t && strcmp(d->changes[k].comp, comp) == 0 &&
		    component_good(comp, d->changes[k].state))
			return &d->changes[k];
	return NULL;
}

static const struct evidence *change_evidence(const struct state_change *c)
{
	const struct event *e = c->cause;
	const struct evidence *tail[EV_KEEP];
	size_t nt;

	if (e->nhead && (c->ts.ms == e->first.ms || e->ntail == 0))
		return &e->head[0];
	nt = event_tail(e, tail);
	return nt ? tail[nt - 1] : e->nhead ? &e->head[e->nhead - 1] : NULL;
}

static int cmp_items(const void *a, const void *b)
{
	const struct timeline_item *x = a, *y = b;

	if (x->ts.ms != y->ts.ms)
		return x->ts.ms < y->ts.ms ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return (x->ev && y->ev) ? (x->ev->line < y->ev->line ? -1 : x->ev->line > y->ev->line) : 0;
}

struct timeline_item *diagnosis_timeline(const struct diagnosis *d, size_t *n)
{
	struct timeline_item *it;
	size_t k = 0, i, total = d->nchanges + 1;

	for (i = 0; i < d->nf; i++)
		total += d->f[i].ninc ? 2 * d->f[i].ninc : 1;
	it = xcalloc(total, sizeof *it);

	for (i = 0; i < d->nchanges; i++) {
		it[k].ts = d->changes[i].ts;
		it[k].kind = TL_STATE;
		it[k].change = &d->changes[i];
		it[k++].ev = change_evidence(&d->changes[i]);
	}
	for (i = 0; i < d->nf; i++) {
		const struct finding *f = &d->f[i];
		size_t j;

		if (f->first.prov == TP_NONE)
			continue;
		if (f->ninc == 0) {
			it[k].ts = f->first;
			it[k].kind = TL_FINDING;
			it[k].f = f;
			it[k++].ev = f->nev ? f->ev[0] : NULL;
			continue;
		}
		for (j = 0; j < f->ninc; j++) { /* each incident opens and (unless ongoing) closes */
			it[k].ts = f->inc[j].start;
			it[k].kind = TL_FINDING;
			it[k].f = f;
			it[k].inc = &f->inc[j];
			it[k++].ev = j == 0 && f->nev ? f->ev[0] : NULL;
			if (!f->inc[j].ongoing) {
				it[k].ts = f->inc[j].end;
				it[k].kind = TL_RECOVERED;
				it[k].f = f;
				it[k++].inc = &f->inc[j];
			}
		}
	}
	sort_array(it, k, sizeof *it, cmp_items);
	if (d->end.prov != TP_NONE) {
		it[k].ts = d->end;
		it[k++].kind = TL_END;
	}
	*n = k;
	return it;
}
