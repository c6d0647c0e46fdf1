/* unexplained_rank: the templates mined from a bundle's unexplained records, marked by what
 * correlation found (in an incident, a burst) and what the baseline knows (new), scored and ordered;
 * those gathered only for being near failures that fall in no incident are dropped. */
#include "unexplained.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "correlate/correlate.h"
#include "rules/rules.h"
#include "util.h"

#define PRE_MS UX_PRE_MS
#define SPAN_GAP_MS UX_SPAN_GAP_MS

/* Incidents of findings at warning or above: an info finding (a transient blip that recovered) is
 * not trouble, and the lines around it are not its context. */
static int in_window(const struct ux_template *t, const struct diagnosis *d)
{
	size_t i, k, s;

	for (i = 0; i < d->nf; i++)
		for (k = 0; d->f[i].severity >= SEV_WARNING && k < d->f[i].ninc; k++) {
			const struct incident *in = &d->f[i].inc[k];
			int64_t a, b;

			if (in->start.prov == TP_NONE)
				continue;
			a = in->start.ms - PRE_MS;
			b = in->end.prov != TP_NONE ? in->end.ms : in->last.ms;
			if (in->ongoing && d->end.prov != TP_NONE && d->end.ms > b)
				b = d->end.ms;
			for (s = 0; s < t->nspan; s++)
				if (t->span[s].b.ms >= a && t->span[s].a.ms <= b)
					return 1;
		}
	return 0;
}

static int clustered(const struct ux_template *t, const struct diagnosis *d)
{
	int64_t whole = d->end.prov != TP_NONE && d->start.prov != TP_NONE ? d->end.ms - d->start.ms : 0;
	int64_t narrow = whole / 10 > SPAN_GAP_MS ? whole / 10 : SPAN_GAP_MS;
	size_t s;

	if (t->count < 3)
		return 0;
	for (s = 0; s < t->nspan; s++)
		if (t->span[s].n * 10 >= t->count * 8 && t->span[s].b.ms - t->span[s].a.ms <= narrow)
			return 1;
	return 0;
}

static int by_score(const void *a, const void *b)
{
	const struct ux_template *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->first.ms != y->first.ms)
		return x->first.ms < y->first.ms ? -1 : 1;
	return strcmp(x->text, y->text);
}

size_t unexplained_new(const struct unexplained *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->n; i++)
		n += u->t[i].is_new != 0;
	return n;
}

size_t unexplained_near(const struct unexplained *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->n; i++)
		n += u->t[i].near_only != 0;
	return n;
}

void unexplained_rank(struct unexplained *u, const struct diagnosis *d, const struct baseline *bl)
{
	size_t i, kept = 0;

	for (i = 0; i < u->n; i++) {
		struct ux_template *t = &u->t[i];

		t->in_incident = in_window(t, d);
		if (t->near_only && !t->in_incident) {
			free(t->text);
			free(t->ex_text);
			continue;
		}
		t->burst = clustered(t, d);
		t->is_new = bl != NULL && !baseline_knows(bl, t->text);
		/* in an incident, then new, then burst, then level, then rarity: each outweighs all after it
		 * (a burst is trouble that began and ended in the log; a steady shape is its weather) */
		t->score = t->in_incident * 20000L + t->is_new * 10000L + t->burst * 5000L + t->level * 1000L +
		           (long)(499 / t->count);
		u->t[kept++] = *t;
	}
	u->n = kept;
	sort_array(u->t, u->n, sizeof *u->t, by_score);
}
