/* correlate: findings from the events of every file of a bundle merged by time -- limits,
 * findings from bundle checks -- and correlate() itself, which runs the steps of its rooms in
 * order: the state timeline (timeline.c), each finding's course (course.c: incidents, ongoing,
 * stopped, recovered), the clocks (clock.c), relations and ranking (relations.c). */
#include "correlate_in.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void correlate_opts_default(struct correlate_opts *o)
{
	memset(o, 0, sizeof *o);
	o->transient_s = 60;
	o->evidence = 6;
}

static int cmp_events(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->first.ms != y->first.ms)
		return x->first.ms < y->first.ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int in_window(const struct correlate_opts *o, const struct stamp *a, const struct stamp *b)
{
	if (o->since.prov != TP_NONE && b->prov != TP_NONE && b->ms < o->since.ms)
		return 0;
	if (o->until.prov != TP_NONE && a->prov != TP_NONE && a->ms > o->until.ms)
		return 0;
	return 1;
}

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

			if (a->rule->disabled || a->rule != rel->ra || a->first.prov == TP_NONE ||
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

/* A finding of logs that are history: at most info, never going on, saying when its log ended. */
static void mark_history(const struct diagnosis *d, struct finding *f)
{
	char gap[40];
	char *why;

	size_t i;

	f->history = 1;
	f->ongoing = 0;
	/* no recovery the current logs write ends an incident of the past: it ends with its failures */
	for (i = 0; i < f->ninc; i++)
		if (f->inc[i].ongoing || f->inc[i].end.ms > f->log_end.ms) {
			f->inc[i].ongoing = 0;
			f->inc[i].end = f->inc[i].last;
		}
	if (f->recovered.prov != TP_NONE && f->recovered.ms > f->log_end.ms)
		memset(&f->recovered, 0, sizeof f->recovered);
	timefmt_duration(d->end.ms - f->log_end.ms, gap, sizeof gap);
	why = xasprintf("history: its log ended %s before the current logs' end", gap);
	if (f->severity > SEV_INFO)
		f->severity = SEV_INFO;
	free(f->severity_note);
	f->severity_note = why;
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
			int past;

			/* the current logs' runs, then apart those of logs that are history */
			for (past = 0; past < 2; past++) {
				size_t n = 0;

				for (j = 0; j < nm; j++)
					if (same_comp(comps[k], mine[j]->comp) && clock_is_history(d, mine[j]) == past)
						es[n++] = mine[j];
				if (n > 0)
					finding_from_events(d, cap, r, es, n, ctx, o);
				if (n > 0 && past)
					mark_history(d, &d->f[d->nf - 1]);
			}
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
int64_t zone_doubt_ms(const struct collection *c)
{
	return c->kind == COLLECTED_ENTRY_UTC ? (int64_t)14 * 3600000 : 0;
}

/* "N h" from a day on (the "55 h"), else timefmt's words. */
void format_gap(int64_t ms, char *out, size_t n)
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
	char t1[40], t2[40];
	size_t k;

	memset(&newest, 0, sizeof newest);
	for (k = 0; k < d->nlogs; k++) {
		const struct log_span *p = &d->logs[k];

		if (p->last.prov != TP_NONE && glob_list_match_ci(ck->file, p->log) &&
		    (newest.prov == TP_NONE || p->last.ms > newest.ms)) {
			newest = p->last;
			log = p->log;
		}
	}
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

/* The finding of rule r when its checks hold. A flaps check looks at the lanes from *lane on and
 * leaves *lane after the one it found, so that each flapping lane gets a finding of its own; any
 * other rule leaves it at component_n. */
static void finding_from_checks(struct diagnosis *d, size_t *cap, const struct rule *r, const struct context *ctx,
                                size_t *lane)
{
	size_t k, from = *lane;
	struct buf why;
	int holds = 1;
	char gap[40] = "";
	struct flaps fl = {0};

	*lane = component_n;
	buf_init(&why);
	for (k = 0; k < r->nchecks && holds; k++) {
		char *w = NULL;

		if (r->checks[k].kind == CHECK_FLAPS) {
			*lane = from;
			holds = flaps_check(d, &r->checks[k], lane, &fl, &w);
		} else {
			holds = r->checks[k].kind == CHECK_STALE ? check_stale(d, &r->checks[k], &w, gap, sizeof gap)
			                                         : context_check(ctx, &r->checks[k], &w);
		}
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
		if (fl.lane)
			flaps_apply(f, &fl);
		not_from_unread(f, ctx);
		apply_limits(d, f);
	}
	buf_reset(&why);
}

static void findings_from_checks(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct context *ctx)
{
	size_t i, lane;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->disabled || r->nchecks == 0 || r->severity == SEV_NONE)
			continue;
		lane = 0;
		do
			finding_from_checks(d, cap, r, ctx, &lane);
		while (lane < component_n);
	}
}

static void finding_reset(struct finding *f)
{
	size_t k;

	free(f->title);
	free(f->remediation);
	free(f->why);
	free(f->ev);
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
               const struct clock_frame *frame, const struct collected *collected, const struct correlate_opts *o)
{
	size_t cap = 0;

	assert(rs->linked); /* relations compare the rules ruleset_link resolved */

	memset(d, 0, sizeof *d);
	d->logs = logs;
	d->nlogs = nlogs;
	d->frame = frame;
	d->ev = ev;
	d->start = start;
	d->end = end;
	if (o->until.prov != TP_NONE && end.prov != TP_NONE && o->until.ms < end.ms)
		d->end = o->until;
	d->since = o->since;
	sort_array(ev->v, ev->n, sizeof *ev->v, cmp_events);
	clock_mark_history(d);
	timeline_build(d, ev, o);
	clock_find_anchor(d, ev);
	clock_align_capture(d, ev, ctx);
	clock_read_collection(d, collected);
	findings_from_rules(d, &cap, ev, rs, ctx, o);
	course_mark_states_before_log(d);
	course_settle_states(d, ev);
	findings_from_checks(d, &cap, rs, ctx);
	clock_apply_captures(d, &cap, ev, ctx, o);
	relations_apply(d, &cap, rs, ev, ctx);
	relations_rank(d);
	clock_note_last_failure(d);
	d->logs = NULL;
	d->nlogs = 0;
	d->ev = NULL;
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
	 * (the finding keeps caused_by_rule, which stays true) */
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

void diagnosis_reset(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		finding_reset(&d->f[i]);
	free(d->f);
	free(d->changes);
	for (i = 0; i < COMPONENT_MAX; i++)
		free(d->notes[i]);
	free(d->dropped);
	free(d->collected.note);
	free(d->history);
	memset(d, 0, sizeof *d);
}
