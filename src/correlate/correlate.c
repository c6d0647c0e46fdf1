/* correlate: which runs of each rule count (window, unless, repeats, history) and the findings
 * of bundle checks, and correlate() itself, which runs the steps of its rooms in order: the
 * clocks (clock.c), the state timeline (timeline.c), each finding's course (finding.c, course.c),
 * captures, relations and ranking (relations.c); the diagnosis' UTC move, filtering and freeing. */
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

/* A condition weighed on a rule's runs: keeps those that count (in order), returns how many; when
 * none is left, s holds what --explain says of it. */
typedef size_t run_weigher(struct diagnosis *d, const struct rule *r, const struct event **runs, size_t n,
                           const struct events *ev, const struct correlate_opts *o, struct rule_stop *s);

static size_t keep_in_window(struct diagnosis *d, const struct rule *r, const struct event **runs, size_t n,
                             const struct events *ev, const struct correlate_opts *o, struct rule_stop *s)
{
	size_t i, k = 0;

	(void)d, (void)r, (void)ev, (void)s;
	for (i = 0; i < n; i++)
		if (in_window(o, &runs[i]->first, &runs[i]->last))
			runs[k++] = runs[i];
	return k;
}

static size_t keep_not_excluded(struct diagnosis *d, const struct rule *r, const struct event **runs, size_t n,
                                const struct events *ev, const struct correlate_opts *o, struct rule_stop *s)
{
	size_t i, k = 0;

	(void)r, (void)o, (void)s;
	for (i = 0; i < n; i++)
		if (!run_excluded(d, runs[i], ev))
			runs[k++] = runs[i];
	return k;
}

static size_t keep_if_repeats(struct diagnosis *d, const struct rule *r, const struct event **runs, size_t n,
                              const struct events *ev, const struct correlate_opts *o, struct rule_stop *s)
{
	size_t i;

	(void)d, (void)ev, (void)o;
	if (repeats_enough(runs, n, r->repeats))
		return n;
	s->need = r->repeats;
	for (i = 0; i < n; i++)
		if (runs[i]->count > s->got)
			s->got = runs[i]->count;
	return 0;
}

/* The weigher of each condition condition.c's table weighs on the runs, taken in its order. */
static run_weigher *const run_weighers[COND_N] = {
    [COND_WINDOW] = keep_in_window,
    [COND_UNLESS] = keep_not_excluded,
    [COND_REPEATS] = keep_if_repeats,
};

/* The rule's runs that count; when a condition leaves none, it is noted for --explain. */
static size_t weigh_runs(struct diagnosis *d, const struct rule *r, const struct event **runs, size_t n,
                         const struct events *ev, const struct correlate_opts *o)
{
	size_t c;

	for (c = 0; c < COND_N && n > 0; c++) {
		struct rule_stop s = {r, (int)c, NULL, 0, 0, NULL};

		if (rule_conditions[c].weighed != WEIGHED_RUNS)
			continue;
		assert(run_weighers[c] != NULL); /* a run condition of the table has its weigher here */
		n = run_weighers[c](d, r, runs, n, ev, o, &s);
		if (n == 0)
			diagnosis_note_stop(d, &s);
	}
	return n;
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
		for (j = 0; j < ev->n; j++)
			if (ev->v[j].rule == r)
				mine[nm++] = &ev->v[j];
		nm = weigh_runs(d, r, mine, nm, ev, o);
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
		finding_apply_limits(d, f);
	} else {
		struct rule_stop s = {r, COND_CHECK, NULL, 0, 0, NULL};

		diagnosis_note_stop(d, &s);
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
	relations_confirm_captures(d, &cap, rs, ev, ctx, o);
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

void stamp_to_utc(struct stamp *s, long off_min)
{
	if (s->prov == TP_LOCAL)
		s->ms -= (int64_t)off_min * 60000;
	else if (s->prov == TP_OFFSET) /* its own offset, written with its wall clock */
		s->ms += s->shift_ms - (int64_t)s->off_min * 60000;
	else
		return;
	s->prov = TP_UTC;
	s->off_min = 0;
	s->shift_ms = 0;
	s->flags &= (uint8_t)~TF_OTHER_OFFSET;
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
	for (i = 0; i < component_n; i++) {
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
	for (i = 0; i < COMPONENT_MAX; i++)
		free(d->notes[i]);
	free(d->dropped);
	for (i = 0; i < d->nstops; i++)
		free(d->stops[i].why);
	free(d->stops);
	free(d->collected.note);
	free(d->history);
	memset(d, 0, sizeof *d);
}
