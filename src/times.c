/* times: the stage between reading and correlation that puts a scan result's times on one line:
 * each stamp read goes to its instant (instant.c: the client's zone, each log's order), the bundle's
 * span and the time DART wrote it follow; --utc moves them all by the frame's offset. */
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "times.h"

void times_widen(struct scan_result *res, const struct stamp *first, const struct stamp *last)
{
	if (first->prov != TP_NONE && (res->start.prov == TP_NONE || first->ms < res->start.ms))
		res->start = *first;
	if (last->prov != TP_NONE && (res->end.prov == TP_NONE || last->ms > res->end.ms))
		res->end = *last;
}

/* A stamp as read settled by its entry's date order, then placed on the line of time. */
static void place(const struct instants *in, const struct scan_result *res, unsigned entry, struct stamp *st)
{
	timefmt_settle(st, entry < res->nentries ? res->entries[entry].date_order : DATES_AS_WRITTEN);
	instants_place(in, entry, st);
}

static void place_evidence(const struct instants *in, const struct scan_result *res, struct evidence *ev,
                           size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		place(in, res, ev[k].entry, &ev[k].ts);
}

/* An entry's own stamps (its span, first and last as written, its clock jumps) in its settled date
 * order, before its log is told to instants.c. */
static void settle_entry(struct entry_info *ei)
{
	unsigned k;

	timefmt_settle(&ei->first, ei->date_order);
	timefmt_settle(&ei->last, ei->date_order);
	timefmt_settle(&ei->head, ei->date_order);
	timefmt_settle(&ei->tail, ei->date_order);
	for (k = 0; k < ei->njumps; k++) {
		timefmt_settle(&ei->jumps[k].before, ei->date_order);
		timefmt_settle(&ei->jumps[k].after, ei->date_order);
	}
}

/* An entry's span on the line of time: its earliest and latest records by wall clock or as written,
 * whichever lie further out once placed (after the clocks go back, the latest wall clock is not
 * the last record; in a newest-first export, the last record written is the oldest). */
static void place_entry(const struct instants *in, size_t i, struct entry_info *ei)
{
	instants_place(in, i, &ei->first);
	instants_place(in, i, &ei->last);
	instants_place(in, i, &ei->head);
	instants_place(in, i, &ei->tail);
	if (ei->head.prov != TP_NONE && ei->head.ms < ei->first.ms)
		ei->first = ei->head;
	if (ei->tail.prov != TP_NONE && ei->tail.ms > ei->last.ms)
		ei->last = ei->tail;
}

/* Every stamp read is settled by its entry's date order (the one place a month-first reading is
 * corrected: an entry's order is known only at its end, after its records were matched) and goes
 * to its instant on one line of time (instant.c), by the zone systeminfo names and the order of
 * each log's records; the bundle's span follows. Before the unexplained
 * records are mined, so that their templates keep the same times. */
void times_place(struct scan_result *res)
{
	struct instants in;
	struct stamp *ends = xcalloc(2 * res->nentries + 1, sizeof *ends);
	size_t *end_logs = xcalloc(2 * res->nentries + 1, sizeof *end_logs);
	size_t i;

	instants_init(&in, context_get(&res->ctx, CTX_TIMEZONE), res->nentries);
	for (i = 0; i < res->nentries; i++) {
		struct entry_info *ei = &res->entries[i];

		settle_entry(ei);
		instants_add_log(&in, i, ei->jumps, ei->njumps, ei->clock_disordered, ei->last.prov == TP_OFFSET);
		ends[2 * i] = ei->last;
		ends[2 * i + 1] = ei->tail;
		end_logs[2 * i] = end_logs[2 * i + 1] = i;
	}
	instants_settle(&in, ends, end_logs, 2 * res->nentries);
	free(ends);
	free(end_logs);
	memset(&res->start, 0, sizeof res->start);
	memset(&res->end, 0, sizeof res->end);
	for (i = 0; i < res->nentries; i++)
		place_entry(&in, i, &res->entries[i]);
	for (i = 0; i < res->nentries; i++)
		times_widen(res, &res->entries[i].first, &res->entries[i].last);
	for (i = 0; i < res->events.n; i++) {
		struct event *e = &res->events.v[i];

		place(&in, res, e->entry, &e->first);
		place(&in, res, e->entry, &e->last);
		place_evidence(&in, res, e->head, e->nhead);
		place_evidence(&in, res, e->tail, e->ntail);
	}
	for (i = 0; i < res->unx.nparts; i++) {
		struct ux_part *pt = &res->unx.parts[i];
		size_t k;

		for (k = 0; k < pt->n; k++)
			place(&in, res, pt->v[k].entry, &pt->v[k].ts);
	}
	clock_frame_move(&res->frame, &in.frame);
	instants_reset(&in);
}

/* context.collected_at, when DART wrote the bundle: the newest entry time (a tar's UTC moved to
 * the client's clock by the systeminfo time zone when there is one), else the time in the
 * bundle's name (DARTBundle_MMDD_HHMM, the year taken from the logs' end). */
void times_collect(struct scan_result *res)
{
	struct stamp st;
	char iso[40];
	int src;
	long off;

	memset(&st, 0, sizeof st);
	if (res->newest_kind == BT_LOCAL) {
		timefmt_from_epoch(res->newest_mtime, &st);
		st.prov = TP_LOCAL;
		src = COLLECTED_ENTRY_TIMES;
	} else if (res->newest_kind == BT_UTC) {
		timefmt_from_epoch(res->newest_mtime, &st);
		src = COLLECTED_ENTRY_UTC;
		if (res->frame.off_known && res->frame.tz)
			off = res->frame.off_min;
		if ((res->frame.off_known && res->frame.tz) ||
		    timefmt_parse_zone(context_get(&res->ctx, CTX_TIMEZONE), &off) == 0) {
			st.ms += (int64_t)off * 60000;
			st.prov = TP_LOCAL;
			src = COLLECTED_ENTRY_UTC_MOVED;
		}
	} else {
		const char *name = base_name(res->path);
		int year = res->end.prov != TP_NONE ? timefmt_year(&res->end) : 0;

		if (timefmt_parse_bundle_name(name, year, &st) != 0)
			name = res->named;
		if (name == NULL || timefmt_parse_bundle_name(name, year, &st) != 0 || st.ms < 0)
			return; /* no name with a time, or MMDD with no log to give the year */
		/* a bundle written early in a year about the logs of the one before, or the reverse */
		if (res->end.prov != TP_NONE && st.ms - res->end.ms > (int64_t)183 * 86400000)
			timefmt_parse_bundle_name(name, year - 1, &st);
		else if (res->end.prov != TP_NONE && res->end.ms - st.ms > (int64_t)183 * 86400000)
			timefmt_parse_bundle_name(name, year + 1, &st);
		src = COLLECTED_BUNDLE_NAME;
	}
	res->collected.at = st;
	res->collected.source = src;
	/* the reports' words for it; correlation takes the time itself */
	timefmt_format(&st, iso, sizeof iso);
	context_put(&res->ctx, CTX_COLLECTED_AT, iso);
	context_put(&res->ctx, CTX_COLLECTED_AT_SOURCE, timefmt_collected_source_name(src));
}

static void evidence_to_utc(struct evidence *ev, size_t n, long off)
{
	size_t i;

	for (i = 0; i < n; i++)
		stamp_to_utc(&ev[i].ts, off);
}

/* What each row with utc 1 in result.h holds in local time; scan_result_to_utc moves them all. */
static void move_entries(struct scan_result *res, long off)
{
	size_t i;

	for (i = 0; i < res->nentries; i++) {
		stamp_to_utc(&res->entries[i].first, off);
		stamp_to_utc(&res->entries[i].last, off);
	}
}

/* findings and the timeline borrow the events' evidence: moved once, here */
static void move_events(struct scan_result *res, long off)
{
	size_t i;

	for (i = 0; i < res->events.n; i++) {
		struct event *e = &res->events.v[i];

		stamp_to_utc(&e->first, off);
		stamp_to_utc(&e->last, off);
		evidence_to_utc(e->head, e->nhead, off);
		evidence_to_utc(e->tail, e->ntail, off);
	}
}

static void move_diag(struct scan_result *res, long off)
{
	diagnosis_to_utc(&res->diag, off);
}

static void move_unx(struct scan_result *res, long off)
{
	size_t i, k;

	for (i = 0; i < res->unx.n; i++) {
		struct ux_template *t = &res->unx.t[i];

		stamp_to_utc(&t->first, off);
		stamp_to_utc(&t->last, off);
		stamp_to_utc(&t->ex_ts, off);
		for (k = 0; k < UX_SPANS; k++) {
			stamp_to_utc(&t->span[k].a, off);
			stamp_to_utc(&t->span[k].b, off);
		}
	}
}

static void move_start(struct scan_result *res, long off)
{
	stamp_to_utc(&res->start, off);
}

static void move_end(struct scan_result *res, long off)
{
	stamp_to_utc(&res->end, off);
}

int scan_result_to_utc(struct scan_result *res)
{
	long off = res->diag.capture.offset_min;

	if (!res->diag.capture.aligned || res->utc)
		return res->utc;
#define MOVE_ROW(member, side, owns, utc, redact) RESULT_IF(utc, move_##member(res, off);)
	SCAN_RESULT_FIELDS(MOVE_ROW)
#undef MOVE_ROW
	res->utc = 1;
	return 1;
}
