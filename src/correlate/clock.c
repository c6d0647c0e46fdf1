/* clock: the bundle's clocks -- a record that gives both local time and UTC (the EPOC anchor), a
 * capture's UTC frames moved onto the logs' time, the time the bundle was collected against the end
 * of its logs, and the logs that are history. The lowest room: it calls none of the others. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate_in.h"

/* The collection time against the logs: their end, the last failure, and a note when they run past it. */
void clock_read_collection(struct diagnosis *d, const struct collected *collected)
{
	struct collection *c = &d->collected;
	size_t k;

	for (k = 0; k < d->nlogs; k++)
		if (d->logs[k].last.prov != TP_NONE && (c->logs_end.prov == TP_NONE || d->logs[k].last.ms > c->logs_end.ms))
			c->logs_end = d->logs[k].last;
	if (collected == NULL || collected->source == COLLECTED_NONE || collected->at.prov == TP_NONE)
		return;
	c->at = collected->at;
	c->kind = collected->source;
	c->source = timefmt_collected_source_name(c->kind);
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

#define HISTORY_GAP_MS (24 * 3600 * 1000LL)

void clock_mark_history(struct diagnosis *d)
{
	int64_t begin = 0;
	int have = 0;
	size_t i;

	d->history = xcalloc(d->nlogs + 1, 1);
	if (d->end.prov == TP_NONE)
		return;
	/* the current logs: those still written in the bundle's last day; they begin at the first of them */
	for (i = 0; i < d->nlogs; i++) {
		const struct log_span *l = &d->logs[i];

		if (l->last.prov != TP_NONE && l->first.prov != TP_NONE && l->last.ms >= d->end.ms - HISTORY_GAP_MS &&
		    (!have || l->first.ms < begin)) {
			begin = l->first.ms;
			have = 1;
		}
	}
	for (i = 0; have && i < d->nlogs; i++) {
		const struct log_span *l = &d->logs[i];

		if (l->last.prov != TP_NONE && !l->dates_in_doubt && l->last.ms < begin &&
		    l->last.ms < d->end.ms - HISTORY_GAP_MS) {
			d->history[i] = 1;
			d->nhistory++;
		}
	}
}

int clock_is_history(const struct diagnosis *d, const struct event *e)
{
	return d->history && e->entry < d->nlogs && d->history[e->entry];
}

/* The last failure of the bundle, for "collected N after the last failure". */
void clock_note_last_failure(struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->nf; i++) {
		const struct finding *f = &d->f[i];

		if (f->last.prov != TP_NONE && f->severity >= SEV_WARNING &&
		    (d->collected.last_failure.prov == TP_NONE || f->last.ms > d->collected.last_failure.ms))
			d->collected.last_failure = f->last;
	}
}

/* The local time of a record that also says UTC ("utc_epoch" capture) gives the client's offset. */
void clock_find_anchor(struct diagnosis *d, const struct events *ev)
{
	size_t i;

	for (i = 0; i < ev->n; i++) {
		const char *v = event_capture(&ev->v[i], "utc_epoch");
		char *end;
		long long secs;

		if (v == NULL || ev->v[i].first.prov == TP_NONE || ev->v[i].nhead == 0)
			continue;
		long off;

		secs = strtoll(v, &end, 10);
		if (*end != '\0' || secs <= 0)
			continue;
		/* offsets are whole quarter hours: round away the seconds between log and anchor */
		off = (long)((ev->v[i].first.ms / 1000 - secs) / 60);
		off = (off + (off >= 0 ? 7 : -7)) / 15 * 15;
		/* no zone lies beyond UTC-12:00 or UTC+14:00: such an anchor says the local time is misread
		 * (an export's day and month taken the wrong way round), not where the client is */
		if (off < -12 * 60 || off > 14 * 60)
			continue;
		d->clock.found = 1;
		d->clock.offset_min = off;
		d->clock.ev = &ev->v[i].head[0];
		return;
	}
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
void clock_align_capture(struct diagnosis *d, struct events *ev, const struct context *ctx)
{
	size_t i, k;
	long off = 0;

	if (d->clock.found) {
		off = d->clock.offset_min;
		d->capture.source = "EPOC anchor";
	} else if (d->frame && d->frame->off_known) {
		off = d->frame->off_min;
		d->capture.source = clock_source_name(d->frame->source);
	} else if (ctx && timefmt_parse_zone(context_get(ctx, CTX_TIMEZONE), &off) == 0) {
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
