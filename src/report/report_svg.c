/* report_svg: the state timeline of report_html's page, drawn as inline SVG. Built for a page that
 * runs nothing and loads nothing: the tooltips are <title> elements, not script; the colours are
 * report_css's classes, not attributes, so one stylesheet says what a state looks like in the cards
 * and in the lanes; the markers are plain links to the evidence tables. The drawing is in a fixed
 * viewBox (SVG_W wide) that the stylesheet scales to the page: no coordinate depends on the reader's
 * window. Rule ids, notes and titles come from rule files and bundles: escaped like the rest. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "report_css.h"
#include "report_svg.h"

/* ---- times ------------------------------------------------------------------------------- */

static void add_time(struct buf *b, const struct stamp *st)
{
	char t[40];

	timefmt_format_human(st, t, sizeof t);
	buf_adds(b, t);
}

/* A stamp at a wall-clock time, for formatting axis ticks. */
static void fmt_ms(int64_t ms, char *out, size_t n)
{
	struct stamp st;

	memset(&st, 0, sizeof st);
	st.ms = ms;
	st.prov = TP_LOCAL;
	timefmt_format(&st, out, n); /* 2024-08-27T03:07:43[.123] */
}

/* "25 min", "2 h 5 min", "3 d 4 h": the two largest units are enough to read a span. */
static void add_dur(struct buf *b, int64_t secs)
{
	static const struct {
		const char *u;
		int64_t s;
	} units[] = {{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}};
	size_t i, shown = 0;

	if (secs <= 0) {
		buf_adds(b, "0 s");
		return;
	}
	for (i = 0; i < 4 && shown < 2; i++) {
		int64_t v = secs / units[i].s;

		if (v == 0 && shown == 0)
			continue;
		if (v)
			buf_printf(b, "%s%lld %s", shown ? " " : "", (long long)v, units[i].u);
		secs %= units[i].s;
		shown++;
	}
}

/* The end of a finding's incident: its recovery, the bundle's end while ongoing, else the last
 * match. */
static int64_t incident_end(const struct scan_result *res, const struct finding *f)
{
	if (f->recovered.prov != TP_NONE)
		return f->recovered.ms;
	if (f->ongoing && res->diag.end.prov != TP_NONE)
		return res->diag.end.ms;
	return f->last.prov != TP_NONE ? f->last.ms : f->first.ms;
}

/* ---- the SVG timeline -------------------------------------------------------------------- */

#define SVG_W 1000.0
#define SVG_LEFT 150.0
#define SVG_RIGHT 26.0
#define SVG_TOP 14.0
#define LANE_H 22.0
#define LANE_GAP 16.0
#define AXIS_H 40.0
#define LABEL_MAX 22

struct axis {
	int64_t t0, t1; /* ms, t1 > t0 */
	double x0, x1;
};

static double xpos(const struct axis *a, int64_t ms)
{
	if (ms < a->t0)
		ms = a->t0;
	if (ms > a->t1)
		ms = a->t1;
	return a->x0 + (a->x1 - a->x0) * (double)(ms - a->t0) / (double)(a->t1 - a->t0);
}

static double lane_y(size_t lane)
{
	return SVG_TOP + (double)lane * (LANE_H + LANE_GAP);
}

/* Tick spacing: the smallest "round" step that gives at most 8 ticks over the span, so one axis
 * reads well for a bundle of minutes and one of weeks. */
static int64_t tick_step(int64_t span_ms)
{
	static const int64_t steps[] = {1,     2,     5,     10,    15,     30,     60,     120,    300,
	                                600,   900,   1800,  3600,  7200,   10800,  21600,  43200,  86400,
	                                172800, 432000, 604800, 1209600, 2592000, 7776000, 31536000};
	size_t i;

	for (i = 0; i < sizeof steps / sizeof *steps; i++)
		if (span_ms / (steps[i] * 1000) <= 8)
			return steps[i] * 1000;
	return steps[sizeof steps / sizeof *steps - 1] * 1000;
}

static void svg_ticks(struct buf *b, const struct axis *a, double bottom)
{
	int64_t step = tick_step(a->t1 - a->t0), t;
	char prev_day[16] = "";

	t = a->t0 / step * step;
	if (t < a->t0)
		t += step;
	buf_printf(b, "<g class=\"axis\"><line class=\"base\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", a->x0,
	           bottom, a->x1, bottom);
	for (; t <= a->t1; t += step) {
		char iso[40], day[16];
		double x = xpos(a, t);

		fmt_ms(t, iso, sizeof iso);
		memcpy(day, iso, 10);
		day[10] = '\0';
		buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, SVG_TOP - 6, x,
		           bottom + 5);
		buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", x, bottom + 17);
		if (step >= 86400000) {
			buf_add(b, iso, 10);
		} else {
			buf_add(b, iso + 11, step < 60000 ? 8 : 5);
			/* the date under the first tick and wherever the day changes */
			if (strcmp(day, prev_day) != 0)
				buf_printf(b, "<tspan class=\"day\" x=\"%.1f\" dy=\"14\">%s</tspan>", x, day);
		}
		buf_adds(b, "</text>\n");
		memcpy(prev_day, day, sizeof day);
	}
	buf_adds(b, "</g>\n");
}

static void seg_rect(struct buf *b, const struct axis *a, size_t lane, const char *comp, const char *state,
                     const char *note, int64_t from, int64_t to)
{
	double x = xpos(a, from), w = xpos(a, to) - x;
	char t0[40], t1[40];

	if (w < 0.5) /* a blip still shows */
		w = 0.5;
	fmt_ms(from, t0, sizeof t0);
	fmt_ms(to, t1, sizeof t1);
	buf_printf(b, "<rect class=\"seg %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
	           report_css_state_class(state), x, lane_y(lane), w, LANE_H);
	buf_printf(b, "%s: ", comp);
	escape_adds(b, state ? state : "unknown", ESC_HTML);
	if (note) {
		buf_adds(b, " (");
		escape_adds(b, note, ESC_HTML);
		buf_adds(b, ")");
	}
	buf_printf(b, "\n%s \xe2\x86\x92 %s (", t0, t1);
	add_dur(b, (to - from) / 1000);
	buf_adds(b, ")</title></rect>\n");
}

/* One lane per component, coloured by state: "unknown" from the start until the first change,
 * then each change until the next one or the end. */
static void svg_state_lane(struct buf *b, const struct axis *a, const struct diagnosis *d, size_t ci)
{
	const char *comp = component_table[ci].name, *state = "unknown", *note = NULL;
	int64_t from = a->t0;
	size_t k;

	for (k = 0; k < d->nchanges; k++) {
		const struct state_change *c = &d->changes[k];
		int64_t t;

		if (c->ts.prov == TP_NONE || strcmp(c->comp, comp) != 0)
			continue;
		t = c->ts.ms < a->t0 ? a->t0 : c->ts.ms > a->t1 ? a->t1 : c->ts.ms;
		if (t > from) {
			seg_rect(b, a, ci, comp, state, note, from, t);
			from = t;
		}
		state = c->state;
		note = c->note;
	}
	if (a->t1 > from || from == a->t0)
		seg_rect(b, a, ci, comp, state, note, from, a->t1);
}

static int has_time(const struct finding *f)
{
	return f->first.prov != TP_NONE;
}

static void svg_label(struct buf *b, size_t lane, const char *text, const char *full)
{
	size_t n = strlen(text);

	buf_printf(b, "<text class=\"lane\" x=\"%.1f\" y=\"%.1f\">", SVG_LEFT - 8, lane_y(lane) + LANE_H / 2 + 4);
	if (full) {
		buf_adds(b, "<title>");
		escape_adds(b, full, ESC_HTML);
		buf_adds(b, "</title>");
	}
	if (n > LABEL_MAX) { /* long rule ids: keep the end, which names the symptom */
		buf_adds(b, "\xe2\x80\xa6");
		escape_adds(b, text + n - (LABEL_MAX - 1), ESC_HTML);
	} else {
		escape_adds(b, text, ESC_HTML);
	}
	buf_adds(b, "</text>\n");
}

/* One dashed band from start to end, with a tooltip. */
static void svg_band(struct buf *b, const char *sev, const char *id, double x0, double x1, double y,
                     const struct stamp *start, const struct stamp *recovered, int ongoing, const struct stamp *last)
{
	buf_printf(b, "<rect class=\"incident sev-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", sev,
	           x0, y - 2, x1 - x0 < 1 ? 1 : x1 - x0, LANE_H + 4);
	escape_adds(b, id, ESC_HTML);
	buf_adds(b, ": incident ");
	add_time(b, start);
	buf_adds(b, recovered ? " \xe2\x86\x92 recovered " : ongoing ? ", ongoing" : " \xe2\x86\x92 ");
	if (recovered)
		add_time(b, recovered);
	else if (!ongoing && last)
		add_time(b, last);
	buf_adds(b, "</title></rect>\n");
}

/* A flapping finding: one band per incident, each from its start to its recovery. */
static void svg_incidents(struct buf *b, const struct axis *a, const struct scan_result *res, const struct finding *f,
                          double y)
{
	size_t i;

	for (i = 0; i < f->ninc; i++) {
		const struct incident *in = &f->inc[i];
		int64_t end = in->ongoing && res->diag.end.prov != TP_NONE ? res->diag.end.ms : in->end.ms;

		svg_band(b, severity_name(f->severity), f->rule->id, xpos(a, in->start.ms), xpos(a, end), y, &in->start,
		         in->ongoing ? NULL : &in->end, in->ongoing, NULL);
	}
}

/* lane: its component's, or one of its own below the lanes of the table (then labelled with its id). */
static void svg_finding(struct buf *b, const struct axis *a, const struct scan_result *res, size_t fi, size_t lane,
                        unsigned long bid)
{
	const struct finding *f = &res->diag.f[fi];
	const char *sev = severity_name(f->severity);
	double y = lane_y(lane), x0 = xpos(a, f->first.ms), x1 = xpos(a, incident_end(res, f));

	if (lane >= component_n) {
		svg_label(b, lane, f->rule->id, f->rule->id);
		buf_printf(b, "<rect class=\"lane-bg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", a->x0, y,
		           a->x1 - a->x0, LANE_H);
	}
	if (f->ninc > 0)
		svg_incidents(b, a, res, f, y);
	else
		svg_band(b, sev, f->rule->id, x0, x1, y, &f->first, f->recovered.prov != TP_NONE ? &f->recovered : NULL,
		         f->ongoing, f->ongoing ? NULL : &f->last);
	/* a triangle above the lane pointing at the first match, linking to the evidence */
	buf_printf(b, "<a class=\"marker sev-%s\" href=\"#ev-%lu-%zu\"><title>%s ", sev, bid, fi + 1, sev);
	escape_adds(b, f->rule->id, ESC_HTML);
	buf_adds(b, " \xe2\x80\x94 ");
	escape_adds(b, f->title, ESC_HTML);
	buf_adds(b, "\nfirst seen ");
	add_time(b, &f->first);
	buf_printf(b, ", %lu time%s</title>", f->count, f->count == 1 ? "" : "s");
	buf_printf(b, "<path d=\"M%.1f %.1fl-6 -10h12z\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></a>\n", x0,
	           y - 1, x0, y, x0, y + LANE_H);
}

static void svg_timeline(struct buf *b, const struct scan_result *res, unsigned long bid)
{
	const struct diagnosis *d = &res->diag;
	struct axis a;
	size_t lanes = component_n, i, ci, *lane = xcalloc(d->nf ? d->nf : 1, sizeof *lane);
	double bottom;

	a.t0 = d->start.ms;
	a.t1 = d->end.ms;
	if (a.t1 - a.t0 < 60000) /* a bundle of one moment still gets a readable minute */
		a.t1 = a.t0 + 60000;
	a.x0 = SVG_LEFT;
	a.x1 = SVG_W - SVG_RIGHT;
	for (i = 0; i < d->nf; i++) {
		int at = component_index(d->f[i].comp);

		if (has_time(&d->f[i]))
			lane[i] = at >= 0 ? (size_t)at : lanes++;
	}
	bottom = lane_y(lanes) - LANE_GAP / 2;
	buf_printf(b,
	           "<svg class=\"timeline\" id=\"tl-%lu\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	           "aria-labelledby=\"tl-%lu-t\">\n<title id=\"tl-%lu-t\">State "
	           "timeline ",
	           bid, SVG_W, bottom + AXIS_H, bid, bid);
	add_time(b, &d->start);
	buf_adds(b, " \xe2\x80\x93 ");
	add_time(b, &d->end);
	buf_adds(b, "</title>\n");
	svg_ticks(b, &a, bottom);
	for (ci = 0; ci < component_n; ci++) {
		svg_label(b, ci, component_table[ci].name, component_table[ci].label);
		svg_state_lane(b, &a, d, ci);
	}
	for (i = 0; i < d->nf; i++)
		if (has_time(&d->f[i]))
			svg_finding(b, &a, res, i, lane[i], bid);
	buf_adds(b, "</svg>\n");
	free(lane);
}

/* The key's swatch of the good (good set) or bad states, in the colour of the first such word of
 * component_table, and their words: "protected", "unprotected / unavailable". */
static void svg_key(struct buf *b, int good)
{
	const char *words[COMPONENT_MAX * COMPONENT_WORDS];
	size_t i, n = component_words(good, words, sizeof words / sizeof *words);

	if (n == 0)
		return;
	buf_printf(b, "<span class=\"key %s\"></span>", words[0]);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? " / " : "", words[i]);
	buf_addc(b, ' ');
}

void report_svg_timeline(struct buf *b, const struct scan_result *res, unsigned long bid)
{
	const struct diagnosis *d = &res->diag;
	size_t i, untimed = 0;

	buf_adds(b, "<h3>State timeline</h3>\n");
	if (d->start.prov == TP_NONE || d->end.prov == TP_NONE) {
		buf_adds(b, "<p class=\"muted\">No timed records: nothing to draw.</p>\n");
		return;
	}
	buf_adds(b, "<figure class=\"timeline\">\n");
	svg_timeline(b, res, bid);
	buf_adds(b, "<figcaption>");
	svg_key(b, 1);
	svg_key(b, 0);
	buf_adds(b, "<span class=\"key unknown\"></span>unknown <span class=\"key other\"></span>"
	            "other <span class=\"key-marker\">\xe2\x96\xbc</span>finding (links to its evidence) "
	            "<span class=\"key incident\"></span>incident<br>");
	add_time(b, &d->start);
	buf_adds(b, " \xe2\x80\x93 ");
	add_time(b, &d->end);
	buf_adds(b, " (");
	add_dur(b, (d->end.ms - d->start.ms) / 1000);
	buf_adds(b, "), times as written in the logs");
	if (d->clock.found) {
		long o = d->clock.offset_min;

		buf_printf(b, " (client clock UTC%c%02ld:%02ld)", o < 0 ? '-' : '+', labs(o) / 60, labs(o) % 60);
	}
	for (i = 0; i < d->nf; i++)
		if (!has_time(&d->f[i])) {
			buf_adds(b, untimed++ ? ", " : ". Not on the timeline (bundle facts): ");
			buf_printf(b, "<a href=\"#f-%lu-%zu\">", bid, i + 1);
			escape_adds(b, d->f[i].rule->id, ESC_HTML);
			buf_adds(b, "</a>");
		}
	buf_adds(b, "</figcaption>\n</figure>\n");
}
