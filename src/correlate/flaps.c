/* flaps: correlation's "flaps LANES N" check -- a lane that went bad and came back again and again,
 * whatever the spacing. It takes the diagnosis' state changes and gives the bad periods' count, their
 * time in all, the longest one and the cadence, for a finding of its own. */
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "correlate_in.h"
#include "timefmt.h"

static int cmp_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Closes the bad period that began at from, at at. */
static void close_period(struct flaps *fl, int64_t from, struct stamp at)
{
	fl->bad_ms += at.ms - from;
	if (at.ms - from > fl->longest_ms)
		fl->longest_ms = at.ms - from;
	fl->last = at;
}

/* The bad periods of one lane into fl (their count, span, bad time, longest, opening lines) and their
 * starts into starts[] (the first max). A period still open at the end lasts to the end of the logs. */
static void bad_periods(const struct diagnosis *d, const char *lane, int64_t *starts, size_t max, struct flaps *fl)
{
	size_t i;
	int bad = 0;
	int64_t from = 0;

	for (i = 0; i < d->nchanges; i++) {
		const struct state_change *c = &d->changes[i];
		int now;

		/* --since: what went bad before the window opened is not a flap of it */
		if (strcmp(c->comp, lane) != 0 || c->ts.prov == TP_NONE ||
		    (d->since.prov != TP_NONE && c->ts.ms < d->since.ms))
			continue;
		now = component_kind(lane, c->state) == COMP_BAD;
		if (now && !bad) {
			from = c->ts.ms;
			if (fl->periods < max)
				starts[fl->periods] = from;
			if (fl->periods++ == 0)
				fl->first = c->ts;
			if (c->cause && fl->nev < FLAPS_EV)
				fl->ev[fl->nev++] = &c->cause->head[0];
		} else if (!now && bad) {
			close_period(fl, from, c->ts);
		}
		bad = now;
	}
	if (bad && d->end.prov != TP_NONE && d->end.ms >= from) {
		close_period(fl, from, d->end);
		fl->ongoing = 1;
	}
}

/* The median gap between the starts of bad periods (n >= 2). */
static int64_t cadence(const int64_t *starts, size_t n)
{
	int64_t *gaps = xcalloc(n, sizeof *gaps), mid;
	size_t i;

	for (i = 1; i < n; i++)
		gaps[i - 1] = starts[i] - starts[i - 1];
	sort_array(gaps, n - 1, sizeof *gaps, cmp_ms);
	mid = gaps[(n - 1) / 2];
	free(gaps);
	return mid;
}

static char *say_flaps(const struct component *lane, const struct flaps *fl, int64_t every)
{
	char a[40], b[40], t[32], l[32], e[32];

	timefmt_format_human(&fl->first, a, sizeof a);
	timefmt_format_human(&fl->last, b, sizeof b);
	timefmt_duration(fl->bad_ms, t, sizeof t);
	timefmt_duration(fl->longest_ms, l, sizeof l);
	timefmt_cadence((long)(every / 1000), e, sizeof e);
	return xasprintf("%s went %s and back %lu times from %s to %s%s: %s bad in all, the longest %s, every ~%s",
	                 lane->name, lane->bad[0], fl->periods, a, b, fl->ongoing ? " (still bad)" : "", t, l, e);
}

int flaps_check(const struct diagnosis *d, const struct check *ck, size_t *lane_from, struct flaps *fl, char **why)
{
	size_t i;

	for (i = *lane_from; i < component_n; i++) {
		const struct component *lane = &component_table[i];
		int64_t starts[FLAPS_MAX];

		memset(fl, 0, sizeof *fl);
		if (!glob_match_ci(ck->file, lane->name))
			continue;
		bad_periods(d, lane->name, starts, FLAPS_MAX, fl);
		if (fl->periods < (unsigned long)ck->times)
			continue;
		fl->lane = lane->name;
		*why = say_flaps(lane, fl, cadence(starts, fl->periods < FLAPS_MAX ? fl->periods : FLAPS_MAX));
		*lane_from = i + 1;
		return 1;
	}
	memset(fl, 0, sizeof *fl);
	*lane_from = component_n;
	return 0;
}

void flaps_apply(struct finding *f, const struct flaps *fl)
{
	size_t i;

	f->comp = fl->lane;
	f->first = fl->first;
	f->last = fl->last;
	f->count = fl->periods;
	f->ongoing = fl->ongoing;
	f->ev = xcalloc(fl->nev + 1, sizeof *f->ev);
	for (i = 0; i < fl->nev; i++)
		f->ev[i] = fl->ev[i];
	f->nev = fl->nev;
}
