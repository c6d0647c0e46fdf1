/* instant: the stage between reading and correlation that gives every record a point on one line of
 * time. A Windows log writes local wall time with no zone: the zone systeminfo names gives its
 * offsets (zone.c), the order of each log's records settles which pass of a repeated hour a record
 * was in and undoes a clock stepped back; where the zone is unknown the order alone settles both. */
#include <stdlib.h>
#include <string.h>

#include "instant.h"
#include "util.h"
#include "zone.h"

#define SEC_MS 1000LL
#define STEP_MAX_MS (10 * 60 * SEC_MS)

void instants_init(struct instants *in, const char *zone_name, size_t nlogs)
{
	char tz[ZONE_NAME_MAX];

	memset(in, 0, sizeof *in);
	in->logs = xcalloc(nlogs + 1, sizeof *in->logs);
	in->nlogs = nlogs;
	if (zone_name && zone_tz_for_windows(zone_name, tz, sizeof tz) == 0) {
		in->zone = zone_load(tz, NULL);
		if (in->zone)
			in->frame.tz = xstrdup(tz);
	}
}

void instants_reset(struct instants *in)
{
	zone_free(in->zone);
	free(in->logs);
	free(in->jumps);
	clock_frame_reset(&in->frame);
	memset(in, 0, sizeof *in);
}

void instants_add_log(struct instants *in, size_t i, const struct clock_jump *j, unsigned n, int disordered,
                      int offsets)
{
	struct instant_log *l = &in->logs[i];

	l->jumps = j;
	l->njumps = n;
	l->disordered = disordered;
	l->offsets = offsets;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* The UTC instant (ms) of a wall clock in the zone; seg picks the pass of a repeated hour. */
static int64_t zone_instant(const struct zone *z, const struct instant_log *l, int64_t wall, unsigned seg)
{
	int64_t s = floor_div(wall, SEC_MS), frac = wall - s * SEC_MS, u[2];
	int n = zone_instants(z, s, u);

	if (n == 1)
		return u[0] * SEC_MS + frac;
	if (n == 2) /* the first pass unless the log went back into the second before this record */
		return (l->fallback && seg >= (unsigned)l->fallback ? u[1] : u[0]) * SEC_MS + frac;
	/* the hour that never happens: read with the offset before the change, as mktime does */
	return (s - zone_offset_at(z, s - 86400)) * SEC_MS + frac;
}

/* The jump into the second pass of a repeated hour: the first that lands on a wall clock of two
 * instants. */
static void find_fallback(const struct zone *z, struct instant_log *l)
{
	unsigned k;

	for (k = 0; k < l->njumps && !l->disordered; k++) {
		int64_t u[2];

		if (l->jumps[k].after.ms < l->jumps[k].before.ms &&
		    zone_instants(z, floor_div(l->jumps[k].after.ms, SEC_MS), u) == 2) {
			l->fallback = (int)k + 1;
			return;
		}
	}
}

/* What a jump means for the records before it (ms to add to them): with the zone known, only the
 * time it does not explain (a clock stepped back); without it, a whole hour at a DST hour, else
 * the step. Records after the jump are the reference: the logs end in the client's clock as now. */
static int64_t jump_correction(const struct instants *in, const struct instant_log *l, unsigned k)
{
	const struct clock_jump *j = &l->jumps[k];
	int64_t d = j->after.ms - j->before.ms;

	if (in->zone && !l->offsets)
		d = zone_instant(in->zone, l, j->after.ms, k + 1) - zone_instant(in->zone, l, j->before.ms, k);
	else if (!l->offsets && d < 0 && -d >= 50 * 60 * SEC_MS && -d <= 3600 * SEC_MS &&
	         timefmt_dst_hour(j->after.ms))
		return -3600 * SEC_MS; /* an autumn DST change: the hour went round again */
	else if (!l->offsets && d > 0)
		return 3600 * SEC_MS; /* a spring DST change (text_note_jump keeps no other forward jump) */
	/* NTP steps a clock by seconds to minutes; a record back by more is out of order, not a clock
	 * (an export that appends, a block of another source) and moves nothing */
	return d < -TEXT_JITTER_MS && d >= -STEP_MAX_MS ? d : 0;
}

#define SAME_JUMP_MS (5 * 60 * SEC_MS)

/* The machine's jump a log's jump is: one already seen in another log near the same wall clock
 * with about the same size, else a new one. */
static int machine_jump_of(struct instants *in, const struct clock_jump *j, int64_t corr)
{
	size_t i;
	struct machine_jump *m;

	for (i = 0; i < in->njumps; i++) {
		m = &in->jumps[i];
		if (llabs(m->before_wall - j->before.ms) <= SAME_JUMP_MS && llabs(m->corr - corr) <= SAME_JUMP_MS)
			return (int)i;
	}
	in->jumps = xgrow(in->jumps, &in->capjumps, in->njumps + 1, sizeof *in->jumps);
	m = &in->jumps[in->njumps];
	m->before_wall = j->before.ms;
	m->after_wall = j->after.ms;
	m->corr = corr;
	in->frame.jumps++;
	return (int)in->njumps++;
}

static void settle_log(struct instants *in, struct instant_log *l)
{
	unsigned k;

	for (k = 0; k < TEXT_JUMPS; k++)
		l->own[k] = -1;
	if (l->disordered)
		return;
	if (in->zone && !l->offsets)
		find_fallback(in->zone, l);
	for (k = 0; k < l->njumps; k++) {
		int64_t c = jump_correction(in, l, k);

		if (c != 0)
			l->own[k] = machine_jump_of(in, &l->jumps[k], c);
	}
}

/* Whether a stamp of log l was written before the machine's jump m: by its place in its log when
 * the log saw the jump, else by its wall clock (a wall clock both sides of the jump could show is
 * taken as before it, as the first pass of a repeated hour is). */
static int before_jump(const struct instant_log *l, size_t m, const struct machine_jump *mj, int64_t wall,
                       unsigned seg)
{
	unsigned k;

	for (k = 0; k < l->njumps; k++)
		if (l->own[k] == (int)m)
			return seg <= k;
	return wall <= mj->before_wall;
}

/* A stamp's instant before the frame is known: UTC where the zone or its offset says, else its
 * wall clock; corrected for the machine's jumps either way. */
static int64_t instant_of(const struct instants *in, size_t i, const struct stamp *st)
{
	const struct instant_log *l = &in->logs[i];
	unsigned seg = st->seg <= l->njumps ? st->seg : l->njumps;
	int64_t ms = st->ms;
	size_t m;

	if (st->prov == TP_OFFSET)
		ms -= (int64_t)st->off_min * 60 * SEC_MS;
	else if (st->prov == TP_LOCAL && in->zone)
		ms = zone_instant(in->zone, l, st->ms, seg);
	for (m = 0; m < in->njumps; m++)
		if (before_jump(l, m, &in->jumps[m], st->ms, seg))
			ms += in->jumps[m].corr;
	return ms;
}

void instants_settle(struct instants *in, const struct stamp *ends, const size_t *end_logs, size_t nends)
{
	const struct stamp *end = NULL;
	int64_t best = 0;
	size_t i;

	for (i = 0; i < in->nlogs; i++)
		settle_log(in, &in->logs[i]);
	for (i = 0; i < nends; i++) {
		int64_t t;

		if (ends[i].prov == TP_NONE || ends[i].prov == TP_UTC || end_logs[i] >= in->nlogs)
			continue;
		t = instant_of(in, end_logs[i], &ends[i]);
		if (end == NULL || t > best) {
			end = &ends[i];
			best = t;
		}
	}
	if (end == NULL)
		return;
	if (in->zone && end->prov == TP_LOCAL) {
		in->frame.off_known = 1;
		in->frame.off_min = zone_offset_at(in->zone, floor_div(best, SEC_MS)) / 60;
		in->frame.source = CS_ZONE;
	} else if (end->prov == TP_OFFSET) {
		in->frame.off_known = 1;
		in->frame.off_min = end->off_min;
		in->frame.source = CS_OFFSETS;
	}
}

void instants_place(const struct instants *in, size_t i, struct stamp *st)
{
	const struct instant_log *l;
	int64_t wall = st->ms, ms;
	unsigned seg;
	size_t m;

	if (i >= in->nlogs || st->prov == TP_NONE || st->prov == TP_UTC || st->shift_ms != 0)
		return;
	l = &in->logs[i];
	seg = st->seg <= l->njumps ? st->seg : l->njumps;
	if (st->prov == TP_OFFSET && in->frame.off_known)
		ms = wall - (int64_t)st->off_min * 60 * SEC_MS + (int64_t)in->frame.off_min * 60 * SEC_MS;
	else if (st->prov == TP_LOCAL && in->zone && in->frame.off_known) {
		int64_t u = zone_instant(in->zone, l, wall, seg);
		long off = zone_offset_at(in->zone, floor_div(u, SEC_MS)) / 60;

		ms = u + (int64_t)in->frame.off_min * 60 * SEC_MS;
		if (off != in->frame.off_min) {
			st->off_min = (int16_t)off;
			st->flags |= TF_OTHER_OFFSET;
		}
	} else
		ms = wall;
	for (m = 0; m < in->njumps; m++)
		if (before_jump(l, m, &in->jumps[m], wall, seg))
			ms += in->jumps[m].corr;
	st->ms = ms;
	st->shift_ms = (int32_t)(wall - ms);
}

const char *clock_source_name(int source)
{
	static const char *const names[CS_COUNT] = {NULL, "time zone in systeminfo", "offsets in the log"};

	return source > CS_NONE && source < CS_COUNT ? names[source] : NULL;
}

void clock_frame_move(struct clock_frame *dst, struct clock_frame *src)
{
	*dst = *src;
	memset(src, 0, sizeof *src);
}

void clock_frame_reset(struct clock_frame *f)
{
	free(f->tz);
	memset(f, 0, sizeof *f);
}
