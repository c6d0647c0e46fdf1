/* finding: making one finding -- its title, fix, why and next steps from the rule's templates, the
 * severity lowered with a reason, the limits -- and the finding of one rule's runs about one lane:
 * counts, incidents and course (course.c), severity by its history, the evidence shown. The room every
 * other one builds its findings with; it calls only course.c and timeline.c. */
#include "correlate_in.h"

#include <stdlib.h>
#include <string.h>

const char *lookup_value(void *vp, const char *name, size_t len)
{
	struct tpl_ctx *t = vp;
	char nm[64];

	if (len >= sizeof nm)
		return NULL;
	memcpy(nm, name, len);
	nm[len] = '\0';
	if (strncmp(nm, "ctx.", 4) == 0)
		return t->ctx ? context_value(t->ctx, nm + 4) : NULL;
	if (t->extra_name && strcmp(nm, t->extra_name) == 0)
		return t->extra_value;
	return t->e ? event_capture(t->e, nm) : NULL;
}

/* A fix whose variants are joined by blanks ("${v6:+...} ${v4:+...}") must not start with one. */
static char *expand_trimmed(const char *tpl, struct tpl_ctx *t)
{
	char *s = template_expand(tpl, lookup_value, t), *b = trim(s);

	memmove(s, b, strlen(b) + 1);
	return s;
}

struct finding *new_finding(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event *e,
                                   const struct context *ctx)
{
	struct finding *f;
	struct tpl_ctx t = {e, ctx, NULL, NULL};

	d->f = xgrow(d->f, cap, d->nf + 1, sizeof *d->f);
	f = &d->f[d->nf++];
	memset(f, 0, sizeof *f);
	f->rule = r;
	f->severity = r->severity;
	f->title = template_expand(r->title, lookup_value, &t);
	f->remediation = r->fix ? expand_trimmed(r->fix, &t) : NULL;
	if (r->why && e != NULL) {
		f->why = expand_trimmed(r->why, &t);
		if (f->why[0] == '\0') { /* nothing to say (the seed's cut lines name no port) */
			free(f->why);
			f->why = NULL;
		}
	}
	if (r->nnext) {
		size_t i;

		f->next = xcalloc(r->nnext, sizeof *f->next);
		for (i = 0; i < r->nnext; i++)
			f->next[i] = template_expand(r->next[i], lookup_value, &t);
		f->nnext = r->nnext;
	}
	return f;
}

int evidence_cmp(const void *a, const void *b)
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
	sort_array(all, na, sizeof *all, evidence_cmp);
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

void cap_severity(struct finding *f, int max, const char *why)
{
	if (f->severity > max) {
		f->severity = max;
		free(f->severity_note);
		f->severity_note = xstrdup(why);
	}
}

/* Does a limit's condition hold: the component (or any) in the state at the end, or ever? */
static int limit_holds(const struct diagnosis *d, const struct limit *l)
{
	size_t i;
	int any = strcmp(l->comp, "any") == 0;

	if (!l->ever) {
		for (i = 0; i < component_n; i++)
			if ((any || strcmp(component_table[i].name, l->comp) == 0) &&
			    strcmp(timeline_state_at_end(d, component_table[i].name), l->state) == 0)
				return 1;
		return 0;
	}
	for (i = 0; i < d->nchanges; i++)
		if ((any || strcmp(d->changes[i].comp, l->comp) == 0) && strcmp(d->changes[i].state, l->state) == 0)
			return 1;
	return 0;
}

/* A rule's limits: a lower severity when its condition holds, and why, in the note (and the why). */
void finding_apply_limits(const struct diagnosis *d, struct finding *f)
{
	size_t i;

	for (i = 0; i < f->rule->nlimits; i++) {
		const struct limit *l = &f->rule->limits[i];
		char why[160];

		if (!limit_holds(d, l) || f->severity <= l->sev)
			continue;
		snprintf(why, sizeof why, "%s %s %s%s", l->comp, l->ever ? "was" : "is", l->state,
		         l->ever ? " during the logs" : "");
		cap_severity(f, l->sev, l->why ? l->why : why);
		if (l->why && f->why) {
			char *w = xasprintf("%s; %s", f->why, l->why);

			free(f->why);
			f->why = w;
		}
	}
}

/* One finding from the events of one rule about one component (or about none). */
void finding_from_events(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event **es,
                                size_t n, const struct context *ctx, const struct correlate_opts *o)
{
	struct finding *f = new_finding(d, cap, r, es[0], ctx);
	const struct event *last_bad = NULL;
	size_t i;
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
		if (f->comp == NULL || component_good(e->comp, e->state))
			continue;
		f->stateful = 1;
		course_add_to_incidents(d, f, e);
		if (last_bad == NULL || e->last.ms > last_bad->last.ms)
			last_bad = e;
	}
	f->period_s = course_cadence(f, es, n);
	course_settle(d, f, es, n, last_bad);
	for (i = 0; i < f->ninc; i++) {
		long len = (long)((f->inc[i].end.ms - f->inc[i].start.ms) / 1000);

		if (f->inc[i].ongoing || len >= o->transient_s)
			all_short = 0;
	}
	if (f->stateful) {
		f->ongoing = f->inc[f->ninc - 1].ongoing;
		if (!f->ongoing && !f->inc[f->ninc - 1].stopped)
			f->recovered = f->inc[f->ninc - 1].end;
		if (!f->ongoing && all_short)
			cap_severity(f, SEV_INFO, f->stopped.prov != TP_NONE
			                              ? "every incident ended within the transient window"
			                              : "every incident recovered within the transient window");
		else if (f->stopped.prov != TP_NONE)
			cap_severity(f, SEV_WARNING, "the failures stopped before the end of their log");
		else if (!f->ongoing)
			cap_severity(f, SEV_WARNING, "recovered before the end of the bundle");
	}
	finding_apply_limits(d, f);
	pick_evidence(f, es, n, o->evidence);
}

void diagnosis_note_stop(struct diagnosis *d, const struct rule_stop *s)
{
	if (diagnosis_stop(d, s->rule) != NULL) { /* the first condition that stopped it says why */
		free(s->why);
		return;
	}
	d->stops = xrealloc(d->stops, (d->nstops + 1) * sizeof *d->stops);
	d->stops[d->nstops++] = *s;
}

const struct rule_stop *diagnosis_stop(const struct diagnosis *d, const struct rule *r)
{
	size_t i;

	for (i = 0; i < d->nstops; i++)
		if (d->stops[i].rule == r)
			return &d->stops[i];
	return NULL;
}
