/* wire_check: the second half of decoding a worker's result. wire.c checks the bytes' shape
 * (lengths, indexes, enums); this checks what the values mean before any stage sees them: every
 * time within the years a log or a capture can give (so a difference of two never overflows),
 * an event's component with its state, counts within the limits the worker itself keeps.
 * Correlation, the timeline and the template ranking then trust the values as their own. */
#include <string.h>

#include "probe.h"
#include "wire.h"

/* Years 0..9999, as timefmt clamps a capture's seconds and as a log's dates are parsed. */
#define MS_MIN (-62167219200000LL)
#define MS_MAX 253402300799999LL
#define OFF_MIN_MAX (14 * 60 + 59) /* timefmt takes zone offsets up to 14:59 */
/* More matches than a bundle (or a capture) could hold lines: a count past it is a lie, and
 * sums of counts stay far from overflowing. */
#define COUNT_MAX (1ull << 40)
/* the matcher's runs, and one event per capture verdict */
#define EVENTS_MAX (2 * MATCH_EVENTS_MAX + CV_COUNT)

#define TZ_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/"
/* a wall clock apart from its instant: a zone's offset change or a clock stepped back, never days */
#define SHIFT_MS_MAX (2 * 86400 * 1000)

static int ms_ok(int64_t ms)
{
	return ms >= MS_MIN && ms <= MS_MAX;
}

static int stamp_ok(const struct stamp *s)
{
	return ms_ok(s->ms) && s->shift_ms >= -SHIFT_MS_MAX && s->shift_ms <= SHIFT_MS_MAX &&
	       ms_ok(s->ms + s->shift_ms) && s->prov <= TP_UTC && s->off_min >= -OFF_MIN_MAX && s->off_min <= OFF_MIN_MAX &&
	       (s->flags & ~(TF_DM_AMBIG | TF_DAY_FIRST | TF_MD_PROVEN | TF_OTHER_OFFSET)) == 0;
}

static const char *check_event(const struct event *e)
{
	size_t k;

	if ((e->comp == NULL) != (e->state == NULL))
		return "an event with a component and no state, or a state and no component";
	if (e->note && e->comp == NULL)
		return "an event with a note and no state";
	if (e->count > COUNT_MAX)
		return "an event's count";
	if (!stamp_ok(&e->first) || !stamp_ok(&e->last))
		return "an event's times";
	for (k = 0; k < e->nhead; k++)
		if (!stamp_ok(&e->head[k].ts))
			return "an evidence line's time";
	for (k = 0; k < e->ntail; k++)
		if (!stamp_ok(&e->tail[k].ts))
			return "an evidence line's time";
	return NULL;
}

static const char *check_template(const struct ux_template *t)
{
	size_t k;

	if (t->count > COUNT_MAX)
		return "a template's count";
	if (!stamp_ok(&t->first) || !stamp_ok(&t->last) || !stamp_ok(&t->ex_ts))
		return "a template's times";
	for (k = 0; k < t->nspan; k++)
		if (!stamp_ok(&t->span[k].a) || !stamp_ok(&t->span[k].b) || t->span[k].n > COUNT_MAX)
			return "a template's cluster";
	return NULL;
}

static const char *check_capture(const struct capture *c)
{
	size_t i, k;

	if (!ms_ok(c->first_ms) || !ms_ok(c->last_ms))
		return "the capture's times";
	for (i = 0; i < CV_COUNT; i++)
		for (k = 0; k < c->nev[i]; k++)
			if (!ms_ok(c->ev[i][k].utc_ms))
				return "a capture frame's time";
	return NULL;
}

static const char *check_entries(const struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nentries; i++)
		if (!stamp_ok(&res->entries[i].first) || !stamp_ok(&res->entries[i].last))
			return "an entry's times";
	if (!stamp_ok(&res->start) || !stamp_ok(&res->end))
		return "the bundle's times";
	return NULL;
}

const char *wire_check(const struct scan_result *res)
{
	const char *why;
	size_t i;

	if (res->events.n > EVENTS_MAX)
		return "too many events";
	if ((why = check_entries(res)) != NULL)
		return why;
	for (i = 0; i < res->events.n; i++)
		if ((why = check_event(&res->events.v[i])) != NULL)
			return why;
	for (i = 0; i < res->unx.n; i++)
		if ((why = check_template(&res->unx.t[i])) != NULL)
			return why;
	if (res->capture && (why = check_capture(res->capture)) != NULL)
		return why;
	for (i = 0; res->probe && i < res->probe->n; i++)
		if (!stamp_ok(&res->probe->v[i].ts))
			return "a probed record's time";
	if (res->frame.tz && res->frame.tz[strspn(res->frame.tz, TZ_NAME_CHARS)] != '\0')
		return "the frame's zone name";
	if (res->frame.off_min < -OFF_MIN_MAX || res->frame.off_min > OFF_MIN_MAX)
		return "the frame's UTC offset";
	return NULL;
}
