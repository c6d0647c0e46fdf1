/* correlate: the state of DNS IPv4, DNS IPv6 and web over time, from the events of every file of
 * a bundle merged by time; incidents (periods in a bad state) with ongoing/recovered/transient
 * semantics; findings from rules, from bundle checks and from relations between findings. */
#include "correlate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The latest change of a component so far, or NULL. */
static const struct state_change *last_change(const struct diagnosis *d, const char *comp)
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

static void build_timeline(struct diagnosis *d, const struct events *ev, const struct correlate_opts *o)
{
	struct point *pts = xcalloc(ev->n * (2 + 2 * EV_KEEP) + 1, sizeof *pts);
	size_t np = 0, i, cap = 0;

	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->v[i];

		/* states carry in from before --since; nothing after --until counts */
		if (e->comp == NULL || e->rule->disabled ||
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
		const struct state_change *last = last_change(d, e->comp);

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
	for (i = 0; i < N_COMPONENTS; i++) {
		const struct state_change *c = last_change(d, component_names[i]);

		d->states[i].comp = component_names[i];
		d->states[i].state = c ? c->state : "unknown";
		if (c) {
			d->states[i].note = c->note;
			d->states[i].since = c->ts;
		}
	}
}

static const char *state_at_end(const struct diagnosis *d, const char *comp)
{
	const struct state_change *c = last_change(d, comp);

	return c ? c->state : "unknown";
}

/* The change that recovers comp from a failure at t, or NULL: the first change to a good state
 * after the last change at or before t -- which is that one when it is good, a recovery written
 * in the same second as the failure and after it. */
static const struct state_change *recovery_after(const struct diagnosis *d, const char *comp, int64_t t)
{
	size_t k, at = d->nchanges;

	for (k = 0; k < d->nchanges && d->changes[k].ts.ms <= t; k++)
		if (strcmp(d->changes[k].comp, comp) == 0)
			at = k;
	if (at < d->nchanges && is_good(d->changes[at].state))
		return &d->changes[at];
	for (k = at < d->nchanges ? at + 1 : 0; k < d->nchanges; k++)
		if (d->changes[k].ts.ms > t && strcmp(d->changes[k].comp, comp) == 0 && is_good(d->changes[k].state))
			return &d->changes[k];
	return NULL;
}

/* ---- findings ---- */

struct tpl_ctx {
	const struct event *e;
	const struct context *ctx;
	const char *extra_name, *extra_value; /* a computed value, e.g. the measured skew */
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

static struct finding *new_finding(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event *e,
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

static void cap_severity(struct finding *f, int max, const char *why)
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
		for (i = 0; i < N_COMPONENTS; i++)
			if ((any || strcmp(component_names[i], l->comp) == 0) &&
			    strcmp(state_at_end(d, component_names[i]), l->state) == 0)
				return 1;
		return 0;
	}
	for (i = 0; i < d->nchanges; i++)
		if ((any || strcmp(d->changes[i].comp, l->comp) == 0) && strcmp(d->changes[i].state, l->state) == 0)
			return 1;
	return 0;
}

/* A rule's limits: a lower severity when its condition holds, and why, in the note (and the why). */
static void apply_limits(const struct diagnosis *d, struct finding *f)
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

/* The times of a run's matches that it kept (its first and last few), in time order. */
static size_t known_times(const struct event *e, int64_t *out)
{
	const struct evidence *tail[EV_KEEP];
	size_t n = 0, i, k, nt = event_tail(e, tail);

	for (i = 0; i < e->nhead; i++)
		if (e->head[i].ts.prov != TP_NONE)
			out[n++] = e->head[i].ts.ms;
	for (i = 0; i < nt; i++) /* the tail repeats the head's last lines in a short run */
		if (tail[i]->ts.prov != TP_NONE && (e->nhead == 0 || tail[i]->line > e->head[e->nhead - 1].line))
			out[n++] = tail[i]->ts.ms;
	for (i = 1; i < n; i++) /* a newest-first export keeps them in reverse */
		for (k = i; k > 0 && out[k - 1] > out[k]; k--) {
			int64_t x = out[k];

			out[k] = out[k - 1];
			out[k - 1] = x;
		}
	return n;
}

static struct incident *open_incident(const struct diagnosis *d, struct finding *f, struct stamp at,
                                      const struct event *e)
{
	const struct state_change *rec = recovery_after(d, f->comp, at.ms);
	struct incident *in;

	f->inc = xgrow(f->inc, &f->capinc, f->ninc + 1, sizeof *f->inc);
	in = &f->inc[f->ninc++];
	memset(in, 0, sizeof *in);
	in->start = at;
	in->last = at;
	in->ongoing = rec == NULL;
	in->end = rec ? rec->ts : e->last;
	return in;
}

/* A bad-state run either extends the incident still open or opens a new one after a recovery.
 * The matcher joins failures a few minutes apart into one run, so a recovery line may fall
 * inside it: the recovery ends that incident and the run's next kept match opens the next one
 * (its matches counted where they fall; those it did not keep, with the part they fell in). */
static void add_to_incidents(const struct diagnosis *d, struct finding *f, const struct event *e)
{
	int64_t t[2 * EV_KEEP];
	size_t nt = known_times(e, t), i = 0;
	struct incident *in = f->ninc ? &f->inc[f->ninc - 1] : NULL;
	struct stamp at = e->first;
	unsigned long placed = 0;
	int gap_placed = nt >= e->count;

	for (;;) {
		size_t from = i;

		if (in == NULL || (!in->ongoing && at.ms > in->end.ms))
			in = open_incident(d, f, at, e);
		if (in->ongoing || e->last.ms <= in->end.ms) { /* the rest of the run lies in it */
			if (in->ongoing && e->last.ms > in->end.ms)
				in->end = e->last;
			if (e->last.ms > in->last.ms)
				in->last = e->last;
			in->count += e->count - placed;
			return;
		}
		while (i < nt && t[i] <= in->end.ms)
			i++;
		if (i > from && t[i - 1] > in->last.ms)
			in->last.ms = t[i - 1];
		in->count += i - from;
		placed += i - from;
		if (!gap_placed && i >= e->nhead) { /* the matches not kept came after the head */
			in->count += e->count - nt;
			placed += e->count - nt;
			gap_placed = 1;
		}
		at = e->last;
		if (i < nt)
			at.ms = t[i];
	}
}

/* The first and last record of the whole log that entry is a part of (all its rotated parts). */
static void log_bounds(const struct diagnosis *d, unsigned entry, struct stamp *first, struct stamp *last)
{
	const struct log_span *me;
	size_t k;

	memset(first, 0, sizeof *first);
	memset(last, 0, sizeof *last);
	if (entry >= d->nlogs)
		return;
	me = &d->logs[entry];
	for (k = 0; k < d->nlogs; k++) {
		const struct log_span *p = &d->logs[k];

		if (k != entry && (me->log == NULL || p->log == NULL || strcasecmp(me->log, p->log) != 0))
			continue;
		if (p->first.prov != TP_NONE && (first->prov == TP_NONE || p->first.ms < first->ms))
			*first = p->first;
		if (p->last.prov != TP_NONE && (last->prov == TP_NONE || p->last.ms > last->ms))
			*last = p->last;
	}
	if (last->prov != TP_NONE && d->end.prov != TP_NONE && last->ms > d->end.ms)
		*last = d->end; /* --until: the log ends there */
}

/* How long a log may go on without a failure that repeats every period_s before the failure
 * counts as stopped: a few of its own periods, never under a minute. */
static int64_t stop_after_ms(long period_s)
{
	long s = 3 * period_s;

	return (int64_t)(s > 60 ? s : 60) * 1000;
}

/* Ongoing means failing to the end of the log that carries the failures. A last incident whose
 * failures stopped while that log went on is over, though no recovery line says so: the
 * state machine logs each failed cycle, and its silence is not a failure. */
static void settle_last_incident(const struct diagnosis *d, struct finding *f, const struct event *last_bad)
{
	struct incident *in = &f->inc[f->ninc - 1];
	struct stamp lfirst;

	log_bounds(d, last_bad->entry, &lfirst, &f->log_end);
	if (!in->ongoing || f->log_end.prov == TP_NONE || last_bad->last.prov == TP_NONE)
		return;
	if (f->log_end.ms - last_bad->last.ms <= stop_after_ms(f->period_s))
		return;
	in->ongoing = 0;
	in->stopped = 1;
	in->end = last_bad->last;
	f->stopped = last_bad->last;
}

/* Where the finding's records sit in their logs: its onset at the log's first record (the log
 * cannot see further back), and entries that were cut. */
static void place_in_logs(const struct diagnosis *d, struct finding *f, const struct event **es, size_t n)
{
	const struct event *first = NULL;
	struct stamp lfirst, llast;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned en = es[i]->entry;

		if (es[i]->first.prov != TP_NONE && (first == NULL || es[i]->first.ms < first->first.ms))
			first = es[i];
		if (en < d->nlogs && d->logs[en].cut) {
			f->log_cut = 1;
			if (f->cut_at.prov == TP_NONE || d->logs[en].last.ms > f->cut_at.ms)
				f->cut_at = d->logs[en].last;
		}
	}
	if (first == NULL)
		return;
	log_bounds(d, first->entry, &lfirst, &llast);
	f->started_before_log = lfirst.prov != TP_NONE && lfirst.ms == first->first.ms;
}

/* One finding from the events of one rule about one component (or about none). */
static void finding_from_events(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event **es,
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
		if (f->comp == NULL || is_good(e->state))
			continue;
		f->stateful = 1;
		add_to_incidents(d, f, e);
		if (last_bad == NULL || e->last.ms > last_bad->last.ms)
			last_bad = e;
	}
	/* the cycle period inside runs: pauses between incidents must not stretch it */
	{
		int64_t span = 0;
		unsigned long gaps = 0;

		for (i = 0; i < n; i++)
			if (es[i]->count > 1) {
				span += es[i]->last.ms - es[i]->first.ms;
				gaps += es[i]->count - 1;
			}
		if (gaps > 0 && span > 0)
			f->period_s = (long)(span / 1000 / (int64_t)gaps);
	}
	place_in_logs(d, f, es, n);
	if (f->stateful)
		settle_last_incident(d, f, last_bad);
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
	apply_limits(d, f);
	pick_evidence(f, es, n, o->evidence);
}

static int64_t span_gap_ms(const struct event *a, const struct event *b)
{
	if (a->last.ms < b->first.ms)
		return b->first.ms - a->last.ms;
	if (b->last.ms < a->first.ms)
		return a->first.ms - b->last.ms;
	return 0;
}

/* "unless: A within N" (after a pattern: that pattern's runs only): a run of this rule does not
 * count where a run of rule A lies within N seconds of it -- "port 443 rejected, and port 53 not
 * rejected too". Returns 1 when e does not count; notes the rule for --explain. */
static int run_excluded(struct diagnosis *d, const struct event *e, const struct events *ev)
{
	const struct rule *r = e->rule;
	size_t j, k;

	for (j = 0; j < r->nrels; j++) {
		const struct relation *rel = &r->rels[j];

		if (!rel->unless || (rel->pattern >= 0 && rel->pattern != e->pat))
			continue;
		for (k = 0; k < ev->n; k++) {
			const struct event *a = &ev->v[k];

			if (a->rule->disabled || strcmp(a->rule->id, rel->a) != 0 || a->first.prov == TP_NONE ||
			    e->first.prov == TP_NONE || span_gap_ms(a, e) > (int64_t)rel->window * 1000)
				continue;
			if (!diagnosis_dropped(d, r)) {
				d->dropped = xrealloc(d->dropped, (d->ndropped + 1) * sizeof *d->dropped);
				d->dropped[d->ndropped++] = r;
			}
			return 1;
		}
	}
	return 0;
}

/* "repeats: N": one run (matches less than the run gap apart) of at least N matches -- DNS
 * redirection deactivated three times in a few minutes is flapping, once is a network change. */
static int repeats_enough(const struct event *const *es, size_t n, unsigned long repeats)
{
	size_t i;

	if (repeats == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (es[i]->count >= repeats)
			return 1;
	return 0;
}

static int same_comp(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void findings_from_rules(struct diagnosis *d, size_t *cap, const struct events *ev, const struct ruleset *rs,
                                const struct context *ctx, const struct correlate_opts *o)
{
	const struct event **mine = xcalloc(ev->n + 1, sizeof *mine), **es = xcalloc(ev->n + 1, sizeof *es);
	char **comps = xcalloc(ev->n + 1, sizeof *comps);
	size_t i, j, k;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		size_t nc = 0, nm = 0;

		if (r->disabled || r->severity == SEV_NONE || r->npats == 0)
			continue;
		/* the rule's runs that count: in the window, not set aside by an unless (tested once) */
		for (j = 0; j < ev->n; j++)
			if (ev->v[j].rule == r && in_window(o, &ev->v[j].first, &ev->v[j].last) &&
			    !run_excluded(d, &ev->v[j], ev))
				mine[nm++] = &ev->v[j];
		if (nm > 0 && !repeats_enough(mine, nm, r->repeats))
			nm = 0;
		/* one finding per component the rule spoke about (IPv4 and IPv6 apart) */
		for (j = 0; j < nm; j++) {
			for (k = 0; k < nc && !same_comp(comps[k], mine[j]->comp); k++)
				;
			if (k == nc)
				comps[nc++] = mine[j]->comp;
		}
		for (k = 0; k < nc; k++) {
			size_t n = 0;

			for (j = 0; j < nm; j++)
				if (same_comp(comps[k], mine[j]->comp))
					es[n++] = mine[j];
			finding_from_events(d, cap, r, es, n, ctx, o);
		}
	}
	free(mine);
	free(es);
	free(comps);
}

/* A check that holds because a file is absent says nothing when the file may lie in the part of
 * the bundle that could not be read: at most info, saying so. */
static void not_from_unread(struct finding *f, const struct context *ctx)
{
	size_t k;

	for (k = 0; k < f->rule->nchecks; k++) {
		const char *w = context_unread_why(ctx, f->rule->checks[k].file);

		if (w == NULL)
			continue;
		free(f->why);
		f->why = xasprintf("%s could not be read: %s", f->rule->checks[k].file, w);
		cap_severity(f, SEV_INFO, "the file may lie in the part of the bundle that could not be read");
		return;
	}
}

/* A tar's UTC time with no zone to move it by may be up to 14 h off the logs' local clock. */
static int64_t zone_doubt_ms(const struct collection *c)
{
	return c->source && strcmp(c->source, "entry times, UTC") == 0 ? (int64_t)14 * 3600000 : 0;
}

/* "N h" from a day on (the "55 h"), else timefmt's words. */
static void format_gap(int64_t ms, char *out, size_t n)
{
	if (ms >= (int64_t)24 * 3600000)
		snprintf(out, n, "%lld h", (long long)(ms / 3600000));
	else
		timefmt_duration(ms, out, n);
}

/* "stale GLOBS HOURS": the newest record of the logs the globs take is more than HOURS before the
 * bundle was collected. gap gets the span for the title's ${gap}. */
static int check_stale(const struct diagnosis *d, const struct check *ck, char **why, char *gap, size_t gn)
{
	struct stamp newest;
	const char *log = NULL;
	char *globs = xstrdup(ck->file), *g, *save = NULL, t1[40], t2[40];
	size_t k;

	memset(&newest, 0, sizeof newest);
	for (g = strtok_r(globs, ",", &save); g; g = strtok_r(NULL, ",", &save))
		for (k = 0; k < d->nlogs; k++) {
			const struct log_span *p = &d->logs[k];

			if (p->log && p->last.prov != TP_NONE && glob_match_ci(g, p->log) &&
			    (newest.prov == TP_NONE || p->last.ms > newest.ms)) {
				newest = p->last;
				log = p->log;
			}
		}
	free(globs);
	if (d->collected.at.prov == TP_NONE || newest.prov == TP_NONE ||
	    d->collected.at.ms - newest.ms <= (int64_t)ck->hours * 3600000 + zone_doubt_ms(&d->collected))
		return 0;
	format_gap(d->collected.at.ms - newest.ms, gap, gn);
	timefmt_format_human(&newest, t1, sizeof t1);
	timefmt_format_human(&d->collected.at, t2, sizeof t2);
	*why = xasprintf("the newest record (%s, %s) is %s older than the bundle (collected %s, from %s)", t1, log, gap,
	                 t2, d->collected.source);
	return 1;
}

static void findings_from_checks(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct context *ctx)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		struct buf why;
		int holds = r->nchecks > 0;
		char gap[40] = "";

		if (r->disabled || r->nchecks == 0 || r->severity == SEV_NONE)
			continue;
		buf_init(&why);
		for (k = 0; k < r->nchecks && holds; k++) {
			char *w = NULL;

			holds = r->checks[k].kind == CHECK_STALE ? check_stale(d, &r->checks[k], &w, gap, sizeof gap)
			                                         : context_check(ctx, &r->checks[k], &w);
			if (holds && w) {
				if (why.len)
					buf_adds(&why, "; ");
				buf_adds(&why, w);
			}
			free(w);
		}
		if (holds) {
			struct finding *f = new_finding(d, cap, r, NULL, ctx);

			if (gap[0]) {
				struct tpl_ctx t = {NULL, ctx, "gap", gap};

				free(f->title);
				f->title = template_expand(r->title, lookup_value, &t);
			}
			f->why = buf_steal(&why);
			f->count = 1;
			not_from_unread(f, ctx);
			apply_limits(d, f);
		}
		buf_reset(&why);
	}
}

/* A component whose failures stopped without a recovery line is no longer known to be failing: it
 * is unknown, unless a line in a bad state (of any rule) comes after they stopped. */
/* The note of a state that became unknown when f's failures stopped without a recovery line. */
static char *stopped_note(const struct finding *f)
{
	char t[40], gap[32];

	timefmt_format_human(&f->stopped, t, sizeof t);
	timefmt_duration(f->log_end.ms - f->stopped.ms, gap, sizeof gap);
	return xasprintf("%s failing until %s, nothing since for %s; no line says whether it recovered", f->rule->id, t, gap);
}

static void settle_states(struct diagnosis *d, const struct events *ev)
{
	size_t i, k;

	for (i = 0; i < N_COMPONENTS; i++) {
		struct comp_state *cs = &d->states[i];
		const struct finding *f = NULL;
		int claimed = 0;

		if (is_good(cs->state) || strcmp(cs->state, "unknown") == 0)
			continue;
		for (k = 0; k < d->nf; k++)
			if (d->f[k].comp && strcmp(d->f[k].comp, cs->comp) == 0 && d->f[k].stopped.prov != TP_NONE &&
			    (f == NULL || d->f[k].stopped.ms > f->stopped.ms))
				f = &d->f[k];
		if (f == NULL || cs->since.ms > f->stopped.ms)
			continue;
		for (k = 0; k < ev->n && !claimed; k++)
			claimed = ev->v[k].comp && !ev->v[k].rule->disabled && strcmp(ev->v[k].comp, cs->comp) == 0 &&
			          !is_good(ev->v[k].state) && ev->v[k].last.ms > f->stopped.ms;
		if (claimed)
			continue;
		free(d->notes[i]);
		d->notes[i] = stopped_note(f);
		cs->state = "unknown";
		cs->note = d->notes[i];
		cs->since = f->stopped;
		cs->since_before_log = 0;
	}
}

/* collected_at against the logs: their end, the last failure, and a note when they run past it. */
static void read_collection(struct diagnosis *d, const struct context *ctx)
{
	struct collection *c = &d->collected;
	const char *at = ctx ? context_value(ctx, "collected_at") : NULL;
	size_t k;

	for (k = 0; k < d->nlogs; k++)
		if (d->logs[k].last.prov != TP_NONE && (c->logs_end.prov == TP_NONE || d->logs[k].last.ms > c->logs_end.ms))
			c->logs_end = d->logs[k].last;
	if (at == NULL || timefmt_parse_iso(at, strlen(at), &c->at) == 0) {
		memset(&c->at, 0, sizeof c->at);
		return;
	}
	c->source = context_value(ctx, "collected_at_source");
	if (c->source == NULL)
		c->source = "?";
	/* a minute of slack: a name gives hours and minutes only */
	if (c->logs_end.prov != TP_NONE && c->logs_end.ms > c->at.ms + 60000 + zone_doubt_ms(c)) {
		char t1[40], t2[40], gap[40];

		timefmt_format_human(&c->logs_end, t1, sizeof t1);
		timefmt_format_human(&c->at, t2, sizeof t2);
		format_gap(c->logs_end.ms - c->at.ms, gap, sizeof gap);
		c->note = xasprintf("the logs run to %s, %s after the bundle was collected (%s, from %s): their clock "
		                    "or zone is not the collection time's", t1, gap, t2, c->source);
	}
}

/* The last failure of the bundle, for "collected N after the last failure". */
static void note_last_failure(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->nf; i++) {
		const struct finding *f = &d->f[i];

		if (f->last.prov != TP_NONE && f->severity >= SEV_WARNING &&
		    (d->collected.last_failure.prov == TP_NONE || f->last.ms > d->collected.last_failure.ms))
			d->collected.last_failure = f->last;
	}
}

/* A state whose change is its log's first record began before the log: "since at least". */
static void mark_states_before_log(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < N_COMPONENTS; i++) {
		const struct state_change *c = last_change(d, component_names[i]);
		struct stamp first, last;

		if (c == NULL || c->ts.prov == TP_NONE)
			continue;
		log_bounds(d, c->cause->entry, &first, &last);
		d->states[i].since_before_log = first.prov != TP_NONE && first.ms == c->ts.ms;
	}
}

static const struct finding *find_by_id(const struct diagnosis *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
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

/* The first finding of rule id, other than f, that overlaps f within the window, or NULL. */
static const struct finding *overlapping(const struct diagnosis *d, size_t n, const char *id, const struct finding *f,
                                         long window_s)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (&d->f[k] != f && strcmp(d->f[k].rule->id, id) == 0 && overlaps(&d->f[k], f, window_s))
			return &d->f[k];
	return NULL;
}

/* skew: A and B mark the same moments in two files (the agent's restart in both logs, say). The
 * closest pair tells how far apart the two clocks are; beyond the window, a finding says so
 * rather than letting the merged timeline interleave wrongly. */
static void apply_skew(struct diagnosis *d, size_t *cap, const struct rule *r, const struct relation *rel,
                       const struct events *ev, const struct context *ctx)
{
	const struct event *ba = NULL, *bb = NULL;
	int64_t best = INT64_MAX;
	size_t i, j;

	for (i = 0; i < ev->n; i++) {
		if (strcmp(ev->v[i].rule->id, rel->a) != 0 || ev->v[i].first.prov == TP_NONE)
			continue;
		for (j = 0; j < ev->n; j++) {
			int64_t dt;

			if (strcmp(ev->v[j].rule->id, rel->b) != 0 || ev->v[j].entry == ev->v[i].entry ||
			    ev->v[j].first.prov == TP_NONE)
				continue;
			dt = ev->v[j].first.ms - ev->v[i].first.ms;
			if ((dt < 0 ? -dt : dt) < (best < 0 ? -best : best)) {
				best = dt;
				ba = &ev->v[i];
				bb = &ev->v[j];
			}
		}
	}
	if (ba == NULL || (best < 0 ? -best : best) <= (int64_t)rel->window * 1000)
		return;
	{
		char secs[32];
		struct tpl_ctx t = {ba, ctx, "skew", secs};
		struct finding *f;
		const struct evidence **e2 = xcalloc(2, sizeof *e2);

		snprintf(secs, sizeof secs, "%+lld", (long long)(best / 1000));
		f = new_finding(d, cap, r, NULL, ctx);
		free(f->title);
		f->title = template_expand(r->title, lookup_value, &t);
		f->first = ba->first.ms < bb->first.ms ? ba->first : bb->first;
		f->last = ba->first.ms < bb->first.ms ? bb->first : ba->first;
		f->count = 1;
		e2[0] = &ba->head[0];
		e2[1] = &bb->head[0];
		f->ev = e2;
		f->nev = 2;
	}
}

/* Every finding of the rules a root cause names is its consequence, each state component of
 * them (IPv4 and IPv6 alike), not only the pair that revealed the cause. */
static void mark_caused_by(struct diagnosis *d, size_t n, const struct relation *rel, const char *cause)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (strcmp(d->f[k].rule->id, rel->a) == 0 || strcmp(d->f[k].rule->id, rel->b) == 0) {
			free(d->f[k].caused_by_id);
			d->f[k].caused_by_id = xstrdup(cause);
		}
}

static int64_t ended_ms(const struct finding *f)
{
	return f->recovered.prov != TP_NONE ? f->recovered.ms : f->stopped.ms;
}

/* A cause ends as the last of its two consequences did, starts as the later one, and lies in a
 * cut log when either does. */
static void end_like_consequences(struct finding *c, const struct finding *a, const struct finding *b)
{
	const struct finding *later = a->first.ms > b->first.ms ? a : b;
	const struct finding *last = ended_ms(a) > ended_ms(b) ? a : b;

	c->started_before_log = later->started_before_log;
	c->log_cut = a->log_cut || b->log_cut;
	c->cut_at = a->log_cut ? a->cut_at : b->cut_at;
	if (c->ongoing)
		return;
	c->recovered = last->recovered;
	c->stopped = last->stopped;
	c->log_end = last->log_end;
}

/* Relations: "when A overlaps B" adds this rule's finding as their cause; "caused-by A" marks
 * this rule's findings as consequences of A. Indices are used because d->f may move. */
static void apply_relations(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct events *ev,
                            const struct context *ctx)
{
	size_t i, j, k, n0 = d->nf;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (j = 0; j < r->nrels && !r->disabled; j++) {
			const struct relation *rel = &r->rels[j];

			if (rel->unless) {
				continue; /* settled before: apply_unless */
			} else if (rel->skew) {
				apply_skew(d, cap, r, rel, ev, ctx);
			} else if (rel->caused_by) {
				for (k = 0; k < n0; k++) {
					struct finding *f = &d->f[k];
					const struct finding *a;

					if (f->rule != r || f->caused_by_id)
						continue;
					/* any finding of the cause (its IPv6 one as well as its IPv4 one) */
					a = overlapping(d, n0, rel->a, f, rel->window);
					if (a)
						f->caused_by_id = xstrdup(a->rule->id);
				}
			} else {
				size_t ia, ib;
				struct finding *c;

				/* the first pair of findings (any component) that overlaps */
				for (ia = 0; ia < n0; ia++) {
					if (strcmp(d->f[ia].rule->id, rel->a) != 0)
						continue;
					for (ib = 0; ib < n0; ib++)
						if (ib != ia && strcmp(d->f[ib].rule->id, rel->b) == 0 &&
						    overlaps(&d->f[ia], &d->f[ib], rel->window))
							break;
					if (ib < n0)
						break;
				}
				if (ia == n0 || find_by_id(d, r->id))
					continue;
				c = new_finding(d, cap, r, NULL, ctx);
				c->root = 1;
				{
					struct finding *a = &d->f[ia], *b = &d->f[ib];
					const struct evidence **both = xcalloc(a->nev + b->nev + 1, sizeof *both);

					/* the cause holds while both symptoms do: from the later start */
					c->first = a->first.ms > b->first.ms ? a->first : b->first;
					c->last = a->last.ms > b->last.ms ? a->last : b->last;
					c->count = a->count + b->count;
					c->ongoing = a->ongoing && b->ongoing;
					c->stateful = 1;
					/* a cause is shown with one line of each consequence */
					c->nev = 0;
					if (a->nev)
						both[c->nev++] = a->ev[a->nev - 1];
					if (b->nev)
						both[c->nev++] = b->ev[b->nev - 1];
					c->ev = both;
					/* a consequence from a bundle check has no line to show: its why says where */
					if (a->first.prov == TP_NONE && a->why)
						c->why = xstrdup(a->why);
					else if (b->first.prov == TP_NONE && b->why)
						c->why = xstrdup(b->why);
					end_like_consequences(c, a, b);
					/* only a state can recover: a bundle fact and a run of events cannot */
					if (!c->ongoing && (a->stateful || b->stateful))
						cap_severity(c, a->severity > b->severity ? a->severity : b->severity,
						             "its consequences recovered");
					mark_caused_by(d, n0, rel, r->id);
				}
			}
		}
	}
}

static int cmp_rank(const struct finding *x, const struct finding *y)
{
	int rx = x->root, ry = y->root;

	if (rx != ry) /* the cause leads, whatever the severity its symptoms gave it */
		return rx ? -1 : 1;
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

	sort_array(d->f, d->nf, sizeof *d->f, cmp_rank_q);
	for (i = 0; i < d->nf; i++) { /* a cause of a cause: attach to the root */
		int hops = 0;
		const struct finding *c;

		while (d->f[i].caused_by_id && (c = find_by_id(d, d->f[i].caused_by_id)) != NULL &&
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
		if (d->f[i].caused_by_id && find_by_id(d, d->f[i].caused_by_id))
			continue;
		free(d->f[i].caused_by_id);
		d->f[i].caused_by_id = NULL;
		out[n++] = d->f[i];
		for (k = 0; k < d->nf; k++)
			if (d->f[k].caused_by_id && strcmp(d->f[k].caused_by_id, d->f[i].rule->id) == 0 &&
			    find_by_id(d, d->f[i].rule->id) == &d->f[i])
				out[n++] = d->f[k];
	}
	free(d->f);
	d->f = out;
	d->nf = n;
	for (i = 0; i < n; i++)
		if (d->f[i].caused_by_id)
			d->f[i].caused_by = find_by_id(d, d->f[i].caused_by_id);
}

/* The local time of a record that also says UTC ("utc_epoch" capture) gives the client's offset. */
static void find_anchor(struct diagnosis *d, const struct events *ev)
{
	size_t i;

	for (i = 0; i < ev->n; i++) {
		const char *v = event_capture(&ev->v[i], "utc_epoch");
		char *end;
		long long secs;

		if (v == NULL || ev->v[i].first.prov == TP_NONE || ev->v[i].nhead == 0)
			continue;
		secs = strtoll(v, &end, 10);
		if (*end != '\0' || secs <= 0)
			continue;
		d->clock.found = 1;
		/* offsets are whole quarter hours: round away the seconds between log and anchor */
		d->clock.offset_min = (long)((ev->v[i].first.ms / 1000 - secs) / 60);
		d->clock.offset_min = (d->clock.offset_min + (d->clock.offset_min >= 0 ? 7 : -7)) / 15 * 15;
		d->clock.ev = &ev->v[i].head[0];
		return;
	}
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

static void shift_stamp(struct stamp *s, long off_min)
{
	if (s->prov != TP_UTC)
		return;
	s->ms += (int64_t)off_min * 60000;
	s->prov = TP_OFFSET;
	s->off_min = (int16_t)off_min;
}

/* Capture frames carry UTC; the logs local time. With an offset from the bundle (the EPOC anchor,
 * else the Windows time zone) they are moved onto the logs' clock; without one they stay UTC and
 * the report says the two could not be aligned. */
static void align_capture(struct diagnosis *d, struct events *ev, const struct context *ctx)
{
	size_t i, k;
	long off = 0;

	if (d->clock.found) {
		off = d->clock.offset_min;
		d->capture.source = "EPOC anchor";
	} else if (ctx && timefmt_parse_zone(context_value(ctx, "timezone"), &off) == 0) {
		d->capture.source = "time zone in systeminfo";
	} else {
		return;
	}
	d->capture.aligned = 1;
	d->capture.offset_min = off;
	for (i = 0; i < ev->n; i++) {
		struct event *e = &ev->v[i];

		if (e->rule->capture < 0)
			continue;
		shift_stamp(&e->first, off);
		shift_stamp(&e->last, off);
		for (k = 0; k < e->nhead; k++)
			shift_stamp(&e->head[k].ts, off);
	}
}

/* The finding a capture verdict confirms: of several with that id (IPv4 and IPv6), the one of
 * the capture's address family. */
static struct finding *find_confirmed(struct diagnosis *d, const char *id, const struct event *e)
{
	size_t i;
	struct finding *any = NULL;
	int v6 = e->nhead && strchr(e->head[0].text, '[') != NULL;

	for (i = 0; i < d->nf; i++) {
		if (strcmp(d->f[i].rule->id, id) != 0)
			continue;
		if (any == NULL)
			any = &d->f[i];
		if (d->f[i].comp && (strstr(d->f[i].comp, "ipv6") != NULL) == v6)
			return &d->f[i];
	}
	return any;
}

#define CAPTURE_SLACK_MS (300 * 1000) /* a capture taken a few minutes around the incident still counts */

/* A capture verdict becomes evidence on the finding it confirms, or a finding of its own when the
 * logs did not show it. */
static void apply_captures(struct diagnosis *d, size_t *cap, const struct events *ev, const struct context *ctx,
                           const struct correlate_opts *o)
{
	size_t i, k;

	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->v[i];
		struct finding *f = e->rule->confirms ? find_confirmed(d, e->rule->confirms, e) : NULL;
		const char *summary = event_capture(e, "summary");

		if (e->rule->capture < 0 || e->rule->disabled)
			continue;
		if (f == NULL) {
			finding_from_events(d, cap, e->rule, &e, 1, ctx, o);
			f = &d->f[d->nf - 1];
		} else {
			const struct evidence **all = xcalloc(f->nev + e->nhead + 1, sizeof *all);

			memcpy(all, f->ev, f->nev * sizeof *all);
			for (k = 0; k < e->nhead; k++)
				all[f->nev + k] = &e->head[k];
			free(f->ev);
			f->ev = all;
			f->nev += e->nhead;
		}
		free(f->capture_note);
		if (!d->capture.aligned)
			f->capture_note = xasprintf("%s: %s (capture times are UTC: the bundle gives no UTC offset, so they "
			                            "could not be aligned with the logs)", e->rule->id, summary ? summary : "");
		else if (f->rule != e->rule &&
		         (e->last.ms + CAPTURE_SLACK_MS < f->first.ms || e->first.ms > f->last.ms + CAPTURE_SLACK_MS))
			f->capture_note = xasprintf("%s: %s (the capture does not overlap this finding's period)",
			                            e->rule->id, summary ? summary : "");
		else
			f->capture_note = xasprintf("%s: %s", e->rule->id, summary ? summary : "");
	}
}

static void finding_reset(struct finding *f)
{
	size_t k;

	free(f->title);
	free(f->remediation);
	free(f->why);
	free(f->ev);
	free(f->caused_by_id);
	free(f->severity_note);
	free(f->capture_note);
	free(f->inc);
	for (k = 0; k < f->nnext; k++)
		free(f->next[k]);
	free(f->next);
}

int diagnosis_dropped(const struct diagnosis *d, const struct rule *r)
{
	size_t i;

	for (i = 0; i < d->ndropped; i++)
		if (d->dropped[i] == r)
			return 1;
	return 0;
}

void correlate(struct diagnosis *d, struct events *ev, const struct ruleset *rs, const struct context *ctx,
               const struct log_span *logs, size_t nlogs, struct stamp start, struct stamp end,
               const struct correlate_opts *o)
{
	size_t cap = 0;

	memset(d, 0, sizeof *d);
	d->logs = logs;
	d->nlogs = nlogs;
	d->start = start;
	d->end = end;
	if (o->until.prov != TP_NONE && end.prov != TP_NONE && o->until.ms < end.ms)
		d->end = o->until;
	sort_array(ev->v, ev->n, sizeof *ev->v, cmp_events);
	build_timeline(d, ev, o);
	find_anchor(d, ev);
	align_capture(d, ev, ctx);
	mark_states_before_log(d);
	read_collection(d, ctx);
	findings_from_rules(d, &cap, ev, rs, ctx, o);
	settle_states(d, ev);
	findings_from_checks(d, &cap, rs, ctx);
	apply_captures(d, &cap, ev, ctx, o);
	apply_relations(d, &cap, rs, ev, ctx);
	rank(d);
	note_last_failure(d);
	d->logs = NULL;
	d->nlogs = 0;
}

int diagnosis_worst(const struct diagnosis *d, const struct rule *only)
{
	size_t i;
	int w = SEV_NONE;

	for (i = 0; i < d->nf; i++)
		if ((only == NULL || d->f[i].rule == only) && d->f[i].severity > w)
			w = d->f[i].severity;
	return w;
}

void diagnosis_drop_below(struct diagnosis *d, int sev)
{
	long *to = xcalloc(d->nf + 1, sizeof *to); /* old index -> new one, or -1 */
	size_t i, n = 0;

	for (i = 0; i < d->nf; i++) {
		if (d->f[i].severity < sev) {
			finding_reset(&d->f[i]);
			to[i] = -1;
			continue;
		}
		to[i] = (long)n;
		if (n != i)
			d->f[n] = d->f[i];
		n++;
	}
	/* the pointers still hold old positions: each is moved, or cleared when its finding went
	 * (the finding keeps caused_by_id, which stays true) */
	for (i = 0; i < n; i++)
		if (d->f[i].caused_by) {
			long k = to[d->f[i].caused_by - d->f];

			d->f[i].caused_by = k < 0 ? NULL : &d->f[k];
		}
	d->nhidden += d->nf - n;
	d->shown_from = sev;
	d->nf = n;
	free(to);
}

void stamp_to_utc(struct stamp *s, long off_min)
{
	if (s->prov == TP_LOCAL)
		s->ms -= (int64_t)off_min * 60000;
	else if (s->prov == TP_OFFSET)
		s->ms -= (int64_t)s->off_min * 60000;
	else
		return;
	s->prov = TP_UTC;
	s->off_min = 0;
}

void diagnosis_to_utc(struct diagnosis *d, long off_min)
{
	size_t i, k;

	stamp_to_utc(&d->start, off_min);
	stamp_to_utc(&d->end, off_min);
	stamp_to_utc(&d->collected.at, off_min);
	stamp_to_utc(&d->collected.logs_end, off_min);
	stamp_to_utc(&d->collected.last_failure, off_min);
	for (i = 0; i < d->nchanges; i++)
		stamp_to_utc(&d->changes[i].ts, off_min);
	for (i = 0; i < d->nf; i++) {
		struct finding *f = &d->f[i];

		stamp_to_utc(&f->first, off_min);
		stamp_to_utc(&f->last, off_min);
		stamp_to_utc(&f->recovered, off_min);
		stamp_to_utc(&f->stopped, off_min);
		stamp_to_utc(&f->log_end, off_min);
		stamp_to_utc(&f->cut_at, off_min);
		for (k = 0; k < f->ninc; k++) {
			stamp_to_utc(&f->inc[k].start, off_min);
			stamp_to_utc(&f->inc[k].end, off_min);
			stamp_to_utc(&f->inc[k].last, off_min);
		}
	}
	for (i = 0; i < N_COMPONENTS; i++) {
		struct comp_state *cs = &d->states[i];

		stamp_to_utc(&cs->since, off_min);
		/* a note that quotes a time is written again, so that it quotes it as the rest do */
		for (k = 0; d->notes[i] && cs->note == d->notes[i] && k < d->nf; k++)
			if (d->f[k].comp && strcmp(d->f[k].comp, cs->comp) == 0 && d->f[k].stopped.ms == cs->since.ms &&
			    d->f[k].stopped.prov == cs->since.prov) {
				free(d->notes[i]);
				d->notes[i] = stopped_note(&d->f[k]);
				cs->note = d->notes[i];
				break;
			}
	}
}

void diagnosis_reset(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		finding_reset(&d->f[i]);
	free(d->f);
	free(d->changes);
	for (i = 0; i < N_COMPONENTS; i++)
		free(d->notes[i]);
	free(d->dropped);
	free(d->collected.note);
	memset(d, 0, sizeof *d);
}
