/* course: where a finding stands in its logs -- its incidents (periods in a bad state), whether
 * it began before its log, whether it goes on, stopped or recovered -- and the lanes' states by it. */
#include "correlate_in.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The intervals between a run's consecutive matches that it kept (its first and last ones). */
static size_t run_intervals(const struct event *e, int64_t *out)
{
	const struct evidence *tail[EV_KEEP];
	size_t n = 0, i, nt = event_tail(e, tail);

	int64_t d;

	/* lines of one moment are the parts of one cycle, not the cycle */
	for (i = 1; i < e->nhead; i++)
		if (e->head[i].ts.prov != TP_NONE && e->head[i - 1].ts.prov != TP_NONE &&
		    (d = llabs(e->head[i].ts.ms - e->head[i - 1].ts.ms)) >= 500)
			out[n++] = d;
	for (i = 1; i < nt; i++) /* the tail repeats the head's last lines in a short run */
		if (tail[i]->ts.prov != TP_NONE && tail[i - 1]->ts.prov != TP_NONE &&
		    (e->nhead == 0 || tail[i - 1]->line >= e->head[e->nhead - 1].line) &&
		    (d = llabs(tail[i]->ts.ms - tail[i - 1]->ts.ms)) >= 500)
			out[n++] = d;
	return n;
}

long course_cadence(const struct finding *f, const struct event *const *es, size_t n)
{
	const struct incident *in = finding_current(f);
	int64_t *v = xcalloc(2 * EV_KEEP * n + 1, sizeof *v);
	size_t i, nv = 0;
	long period = 0;

	/* the current incident's runs: an earlier one may have cycled otherwise */
	for (i = 0; i < n; i++)
		if (in == NULL || es[i]->last.ms >= in->start.ms)
			nv += run_intervals(es[i], v + nv);
	if (nv == 0) /* its runs keep no two matches: all of them */
		for (i = 0; i < n; i++)
			nv += run_intervals(es[i], v + nv);
	if (nv > 0) {
		sort_array(v, nv, sizeof *v, cmp_i64);
		/* to the nearest second: a 4.99 s cycle is "every ~5 s", not 4 */
		period = (long)((v[nv / 2] + 500) / 1000);
	}
	free(v);
	return period;
}

static struct incident *open_incident(const struct diagnosis *d, struct finding *f, struct stamp at,
                                      const struct event *e)
{
	const struct state_change *rec = timeline_recovery_after(d, f->comp, at.ms);
	struct incident *in;

	f->inc = xgrow(f->inc, &f->capinc, f->ninc + 1, sizeof *f->inc);
	in = &f->inc[f->ninc++];
	memset(in, 0, sizeof *in);
	in->start = at;
	in->last = at;
	in->ongoing = rec == NULL;
	in->end = rec ? rec->ts : e->last;
	/* a lane the timeline has good at the failure's own time (runs it left out: history, a
	 * worker's bytes that do not add up) ends no earlier than the failure: every pass of the
	 * caller's loop then takes at least one match, and the loop ends */
	if (in->end.ms < at.ms)
		in->end = at;
	return in;
}

/* A bad-state run either extends the incident still open or opens a new one after a recovery.
 * The matcher joins failures a few minutes apart into one run, so a recovery line may fall
 * inside it: the recovery ends that incident and the run's next kept match opens the next one
 * (its matches counted where they fall; those it did not keep, with the part they fell in). */
void course_add_to_incidents(const struct diagnosis *d, struct finding *f, const struct event *e)
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

		if (k != entry && (me->log == NULL || p->log == NULL || strcasecmp(me->log, p->log) != 0 ||
		                   (d->history && d->history[k] != d->history[entry])))
			continue; /* another log, or the same one's part from another era */
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

/* Did the log, before t, say that the failure of f began inside it: a line about the agent
 * itself (its start: a "bundle" rule) or a state line of f's lane? Other failures' lines do not:
 * a log cut mid-failure starts with the cycle's own steps. */
static int log_began_before(const struct diagnosis *d, const struct finding *f, unsigned entry, int64_t t)
{
	size_t i;

	for (i = 0; d->ev && i < d->ev->n && d->ev->v[i].first.ms < t; i++) {
		const struct event *e = &d->ev->v[i];

		if (e->entry != entry || e->rule == f->rule || e->first.prov == TP_NONE)
			continue;
		if ((e->comp && f->comp && strcmp(e->comp, f->comp) == 0) ||
		    (e->rule->component && strcmp(e->rule->component, "bundle") == 0))
			return 1;
	}
	return 0;
}

/* The log cannot see further back than its first record: a failure there, or one that repeats
 * every period_s and lies less than a period after it (so its cycle before fell outside the log),
 * was failing when the log began. A full period after it, that cycle was inside and did not fail. */
static int starts_the_log(const struct diagnosis *d, const struct finding *f, const struct event *first,
                          struct stamp lfirst)
{
	int64_t gap = first->first.ms - lfirst.ms;

	if (lfirst.prov == TP_NONE || gap < 0)
		return 0;
	if (gap == 0)
		return 1;
	if (f->count < 2 || f->period_s <= 0 || gap >= (int64_t)f->period_s * 1000)
		return 0;
	return !log_began_before(d, f, first->entry, first->first.ms);
}

/* Where the finding's records sit in their logs: whether they start the log, and entries that
 * were cut. */
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
	f->started_before_log = starts_the_log(d, f, first, lfirst);
}

/* A failure with no lane that repeats (a cadence to judge by) is ongoing as a state is: it goes on
 * to within a few of its own periods of the end of its log; else it stopped at its last line. One
 * line has no cadence, and an info finding (a back-off on purpose) is not a failure. */
static void settle_run(const struct diagnosis *d, struct finding *f, const struct event **es, size_t n)
{
	const struct event *last = NULL;
	struct stamp lfirst;
	size_t i;

	for (i = 0; i < n; i++)
		if (es[i]->last.prov != TP_NONE && (last == NULL || es[i]->last.ms > last->last.ms))
			last = es[i];
	if (last == NULL || f->period_s <= 0 || f->rule->severity < SEV_WARNING)
		return;
	log_bounds(d, last->entry, &lfirst, &f->log_end);
	if (f->log_end.prov == TP_NONE)
		return;
	f->ongoing = f->log_end.ms - last->last.ms <= stop_after_ms(f->period_s);
	if (!f->ongoing)
		f->stopped = last->last;
}

/* The note of a state that became unknown when f's failures stopped without a recovery line. */
char *stopped_note(const struct finding *f)
{
	char t[40], gap[32];

	timefmt_format_human(&f->stopped, t, sizeof t);
	timefmt_duration(f->log_end.ms - f->stopped.ms, gap, sizeof gap);
	return xasprintf("%s failing until %s, nothing since for %s; no line says whether it recovered", f->rule->id, t, gap);
}

/* A component whose failures stopped without a recovery line is no longer known to be failing: it
 * is unknown, unless a line in a bad state (of any rule) comes after they stopped. */
void course_settle_states(struct diagnosis *d, const struct events *ev)
{
	size_t i, k;

	for (i = 0; i < component_n; i++) {
		struct comp_state *cs = &d->states[i];
		const struct finding *f = NULL;
		int claimed = 0;

		if (component_good(cs->comp, cs->state) || strcmp(cs->state, "unknown") == 0)
			continue;
		for (k = 0; k < d->nf; k++)
			if (d->f[k].comp && strcmp(d->f[k].comp, cs->comp) == 0 && d->f[k].stopped.prov != TP_NONE &&
			    (f == NULL || d->f[k].stopped.ms > f->stopped.ms))
				f = &d->f[k];
		if (f == NULL || cs->since.ms > f->stopped.ms)
			continue;
		for (k = 0; k < ev->n && !claimed; k++)
			claimed = ev->v[k].comp && !ev->v[k].rule->disabled && strcmp(ev->v[k].comp, cs->comp) == 0 &&
			          !component_good(cs->comp, ev->v[k].state) && ev->v[k].last.ms > f->stopped.ms;
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

/* A state whose change is its log's first record, or the onset of a finding that started before
 * its log (starts_the_log), began before the log: "since at least". */
void course_mark_states_before_log(struct diagnosis *d)
{
	size_t i, k;

	for (i = 0; i < component_n; i++) {
		const struct state_change *c = timeline_last_change(d, component_table[i].name);
		struct stamp first, last;

		if (c == NULL || c->ts.prov == TP_NONE)
			continue;
		log_bounds(d, c->cause->entry, &first, &last);
		d->states[i].since_before_log = first.prov != TP_NONE && first.ms == c->ts.ms;
		for (k = 0; k < d->nf; k++)
			if (d->f[k].started_before_log && d->f[k].comp && strcmp(d->f[k].comp, c->comp) == 0 &&
			    d->f[k].first.ms == c->ts.ms)
				d->states[i].since_before_log = 1;
	}
}

int finding_has_course(const struct finding *f)
{
	return f->stateful || (f->first.prov != TP_NONE && f->log_end.prov != TP_NONE);
}

const struct incident *finding_current(const struct finding *f)
{
	return f->ninc ? &f->inc[f->ninc - 1] : NULL;
}

int64_t incident_ms(const struct incident *in)
{
	return in->end.ms > in->start.ms ? in->end.ms - in->start.ms : 0;
}

int64_t finding_failing_ms(const struct finding *f)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < f->ninc; i++)
		sum += incident_ms(&f->inc[i]);
	return sum;
}

void course_settle(const struct diagnosis *d, struct finding *f, const struct event **es, size_t n,
                   const struct event *last_bad)
{
	place_in_logs(d, f, es, n);
	if (f->stateful)
		settle_last_incident(d, f, last_bad);
	else
		settle_run(d, f, es, n);
}
