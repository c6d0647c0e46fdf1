/* report_html: one self-contained HTML5 page for a support case -- per bundle the states, an
 * inline SVG state timeline, the context and the ranked findings with their evidence. No script,
 * no network: inline CSS only, and a Content-Security-Policy that forbids every load. Everything
 * from a bundle is untrusted: it is made valid UTF-8, stripped of control and bidi characters and
 * escaped for HTML before it is written. The page is deterministic: no current date in it. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"

struct html_state {
	FILE *out;
	struct report_opts o;
	struct buf b; /* one bundle's markup, written out whole: a batch's page grows bundle by bundle */
	struct report_rows rows;
	FILE *spool;  /* the bundles' sections until the end, when the summary table goes first; a
	                 temporary file, so a case store's page is not held in memory */
	struct buf held; /* the same in memory, when no temporary file could be made */
};

/* ---- escaping ---------------------------------------------------------------------------- */

/* Appends n bytes of untrusted text, escaped (escape.h's ESC_HTML). */
static void esc_n(struct buf *b, const char *s, size_t n)
{
	escape_append(b, s, n, ESC_HTML);
}

static void esc(struct buf *b, const char *s)
{
	if (s)
		esc_n(b, s, strlen(s));
}

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

/* ---- small vocabulary -------------------------------------------------------------------- */

/* A CSS class for a state word. States come from rule files, so unknown words get "other"
 * rather than being written into a class attribute. */
static const char *state_class(const char *st)
{
	if (st == NULL || strcmp(st, "unknown") == 0)
		return "unknown";
	if (strcmp(st, "protected") == 0)
		return "protected";
	if (strcmp(st, "unprotected") == 0)
		return "unprotected";
	if (strcmp(st, "unavailable") == 0)
		return "unavailable";
	return "other";
}


static long finding_index(const struct scan_result *res, const struct finding *f)
{
	if (f < res->diag.f || f >= res->diag.f + res->diag.nf)
		return -1;
	return (long)(f - res->diag.f);
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
	           state_class(state), x, lane_y(lane), w, LANE_H);
	buf_printf(b, "%s: ", comp);
	esc(b, state ? state : "unknown");
	if (note) {
		buf_adds(b, " (");
		esc(b, note);
		buf_adds(b, ")");
	}
	buf_printf(b, "\n%s \xe2\x86\x92 %s (", t0, t1);
	add_dur(b, (to - from) / 1000);
	buf_adds(b, ")</title></rect>\n");
}

/* One lane per component, coloured by state: "unknown" from the start until the first change,
 * then each change until the next one or the end. */
static void svg_state_lane(struct buf *b, const struct axis *a, const struct diagnosis *d, int ci)
{
	const char *comp = component_names[ci], *state = "unknown", *note = NULL;
	int64_t from = a->t0;
	size_t k;

	for (k = 0; k < d->nchanges; k++) {
		const struct state_change *c = &d->changes[k];
		int64_t t;

		if (c->ts.prov == TP_NONE || strcmp(c->comp, comp) != 0)
			continue;
		t = c->ts.ms < a->t0 ? a->t0 : c->ts.ms > a->t1 ? a->t1 : c->ts.ms;
		if (t > from) {
			seg_rect(b, a, (size_t)ci, comp, state, note, from, t);
			from = t;
		}
		state = c->state;
		note = c->note;
	}
	if (a->t1 > from || from == a->t0)
		seg_rect(b, a, (size_t)ci, comp, state, note, from, a->t1);
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
		esc(b, full);
		buf_adds(b, "</title>");
	}
	if (n > LABEL_MAX) { /* long rule ids: keep the end, which names the symptom */
		buf_adds(b, "\xe2\x80\xa6");
		esc(b, text + n - (LABEL_MAX - 1));
	} else {
		esc(b, text);
	}
	buf_adds(b, "</text>\n");
}

/* One dashed band from start to end, with a tooltip. */
static void svg_band(struct buf *b, const char *sev, const char *id, double x0, double x1, double y,
                     const struct stamp *start, const struct stamp *recovered, int ongoing, const struct stamp *last)
{
	buf_printf(b, "<rect class=\"incident sev-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", sev,
	           x0, y - 2, x1 - x0 < 1 ? 1 : x1 - x0, LANE_H + 4);
	esc(b, id);
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

/* lane: its component's, or one of its own below the three (then labelled with its id). */
static void svg_finding(struct buf *b, const struct axis *a, const struct scan_result *res, size_t fi, size_t lane,
                        unsigned long bid)
{
	const struct finding *f = &res->diag.f[fi];
	const char *sev = severity_name(f->severity);
	double y = lane_y(lane), x0 = xpos(a, f->first.ms), x1 = xpos(a, incident_end(res, f));

	if (lane >= N_COMPONENTS) {
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
	esc(b, f->rule->id);
	buf_adds(b, " \xe2\x80\x94 ");
	esc(b, f->title);
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
	size_t lanes = N_COMPONENTS, i, *lane = xcalloc(d->nf ? d->nf : 1, sizeof *lane);
	double bottom;
	int ci;

	a.t0 = d->start.ms;
	a.t1 = d->end.ms;
	if (a.t1 - a.t0 < 60000) /* a bundle of one moment still gets a readable minute */
		a.t1 = a.t0 + 60000;
	a.x0 = SVG_LEFT;
	a.x1 = SVG_W - SVG_RIGHT;
	for (i = 0; i < d->nf; i++) {
		ci = report_comp_index(d->f[i].comp);
		if (has_time(&d->f[i]))
			lane[i] = ci >= 0 ? (size_t)ci : lanes++;
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
	for (ci = 0; ci < N_COMPONENTS; ci++) {
		svg_label(b, (size_t)ci, component_names[ci], report_comp_labels[ci]);
		svg_state_lane(b, &a, d, ci);
	}
	for (i = 0; i < d->nf; i++)
		if (has_time(&d->f[i]))
			svg_finding(b, &a, res, i, lane[i], bid);
	buf_adds(b, "</svg>\n");
	free(lane);
}

static void timeline_figure(struct buf *b, const struct scan_result *res, unsigned long bid)
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
	buf_adds(b, "<figcaption><span class=\"key protected\"></span>protected <span class=\"key unprotected\"></span>"
	            "unprotected / unavailable <span class=\"key unknown\"></span>unknown <span class=\"key other\"></span>"
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
			esc(b, d->f[i].rule->id);
			buf_adds(b, "</a>");
		}
	buf_adds(b, "</figcaption>\n</figure>\n");
}

/* ---- the bundle's sections --------------------------------------------------------------- */

static void html_states(struct buf *b, const struct scan_result *res)
{
	int i;

	buf_adds(b, "<div class=\"states\">\n");
	for (i = 0; i < N_COMPONENTS; i++) {
		const struct comp_state *cs = &res->diag.states[i];
		const char *st = cs->state ? cs->state : "unknown";

		buf_printf(b, "<div class=\"state %s\" data-comp=\"%s\"><div class=\"label\">%s</div><div class=\"value\">",
		           state_class(st), component_names[i], report_comp_labels[i]);
		esc(b, st);
		if (cs->note) {
			buf_adds(b, " <span class=\"note\">(");
			esc(b, cs->note);
			buf_adds(b, ")</span>");
		}
		buf_adds(b, "</div><div class=\"since\">");
		if (cs->since.prov != TP_NONE) {
			buf_adds(b, "since ");
			add_time(b, &cs->since);
		} else {
			buf_adds(b, "no state change seen");
		}
		buf_adds(b, "</div></div>\n");
	}
	buf_adds(b, "</div>\n");
}

static void kv(struct buf *b, const char *k, const char *v)
{
	if (v == NULL)
		return;
	buf_printf(b, "<dt>%s</dt><dd>", k);
	esc(b, v);
	buf_adds(b, "</dd>\n");
}

static void html_context(struct buf *b, const struct scan_result *res)
{
	const struct context *c = &res->ctx;
	size_t i;

	buf_adds(b, "<h3>Context</h3>\n<dl class=\"context\">\n");
	kv(b, "Organization ID", c->org_id ? c->org_id : "unknown");
	kv(b, "Product", c->product);
	kv(b, "Client version", context_value(c, "client_version"));
	kv(b, "OS", context_value(c, "os"));
	kv(b, "Host", context_value(c, "host"));
	kv(b, "Time zone", context_value(c, "timezone"));
	kv(b, "SWG domain", c->swg_domain);
	kv(b, "SWG anycast", c->swg_anycast);
	kv(b, "SWG fail-open", c->fail_open);
	kv(b, "SWG honor TND", c->swg_honor_tnd);
	if (c->swg_maxdebug >= 0)
		kv(b, "SWG max-debug", c->swg_maxdebug ? "on" : "off");
	for (i = 0; i < res->nentries; i++)
		if (res->entries[i].day_first) {
			buf_adds(b, "<dt>Date order</dt><dd>");
			esc(b, res->entries[i].name);
			buf_adds(b, ": dates read as day/month (a first field above 12)</dd>\n");
		}
	if (res->diag.collected.at.prov != TP_NONE) {
		const struct collection *cl = &res->diag.collected;

		buf_adds(b, "<dt>Collected</dt><dd>");
		add_time(b, &cl->at);
		buf_adds(b, " (");
		esc(b, cl->source);
		buf_adds(b, ")");
		if (cl->note) {
			buf_adds(b, "; ");
			esc(b, cl->note);
		}
		buf_adds(b, "</dd>\n");
	}
	for (i = 0; i < c->net.n; i++) {
		const struct net_adapter *a = &c->net.a[i];
		size_t k;

		buf_adds(b, "<dt>Adapter</dt><dd>");
		esc(b, a->description ? a->description : a->name);
		for (k = 0; k < a->addrs.n; k++) {
			buf_adds(b, " ");
			esc(b, a->addrs.v[k]);
		}
		for (k = 0; k < a->dns.n; k++) {
			buf_adds(b, k ? ", " : "; DNS ");
			esc(b, a->dns.v[k]);
		}
		buf_adds(b, "</dd>\n");
	}
	kv(b, "VPN/proxy software", context_value(c, "vpn_products"));
	if (res->diag.clock.found) {
		long o = res->diag.clock.offset_min;

		buf_printf(b, "<dt>Client clock</dt><dd>UTC%c%02ld:%02ld (from ", o < 0 ? '-' : '+', labs(o) / 60, labs(o) % 60);
		esc(b, base_name(scan_entry_name(res, res->diag.clock.ev->entry)));
		buf_printf(b, ":%lu)</dd>\n", res->diag.clock.ev->line);
	}
	buf_adds(b, "</dl>\n<table class=\"files\">\n<thead><tr><th>expected file</th><th>status</th><th>entry</th>"
	            "<th class=\"num\">bytes</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < N_EXPECTED; i++) {
		const struct expected_file *e = &c->expected[i];

		buf_printf(b, "<tr><td><code>%s</code></td><td><span class=\"fs fs-%s\">%s</span>", e->base,
		           file_status_name(e->status), file_status_name(e->status));
		if (e->why) {
			buf_adds(b, " ");
			esc(b, e->why);
		}
		buf_adds(b, "</td><td class=\"path\">");
		esc(b, e->entry ? e->entry : "");
		if (e->status == FS_MISSING)
			buf_adds(b, "</td><td class=\"num\"></td></tr>\n");
		else
			buf_printf(b, "</td><td class=\"num\">%llu</td></tr>\n", e->bytes);
	}
	buf_adds(b, "</tbody>\n</table>\n");
}

static void html_evidence(struct buf *b, const struct scan_result *res, const struct finding *f, unsigned long bid,
                          size_t fi)
{
	size_t i;

	if (f->nev == 0 && f->first.prov == TP_NONE) /* a bundle fact: "why" says it all */
		return;
	buf_printf(b, "<table class=\"evidence\" id=\"ev-%lu-%zu\">\n", bid, fi + 1);
	if (f->nev == 0)
		buf_adds(b, "<tr><td class=\"muted\">no evidence lines (a fact about the bundle)</td></tr>\n");
	for (i = 0; i < f->nev; i++) {
		const struct evidence *e = f->ev[i];
		const char *name = scan_entry_name(res, e->entry);

		buf_printf(b, "<tr id=\"ev-%lu-%zu-%zu\"><td class=\"loc\" title=\"", bid, fi + 1, i + 1);
		esc(b, name);
		buf_adds(b, "\">");
		esc(b, base_name(name));
		buf_printf(b, ":%lu</td><td class=\"time\">", e->line);
		if (e->ts.prov != TP_NONE)
			add_time(b, &e->ts);
		buf_adds(b, "</td><td class=\"text\">");
		esc(b, e->text);
		buf_adds(b, "</td></tr>\n");
		/* the omitted middle sits between the first and the last lines shown */
		if (f->ev_omitted && i + 1 == (f->nev + 1) / 2 && (i + 1 < f->nev || f->nev == 1))
			buf_printf(b, "<tr class=\"omitted\"><td colspan=\"3\">\xe2\x80\xa6 %lu more</td></tr>\n", f->ev_omitted);
	}
	buf_adds(b, "</table>\n");
}

static void html_seen(struct buf *b, const struct finding *f)
{
	buf_adds(b, "<dt>seen</dt><dd>");
	if (f->started_before_log)
		buf_adds(b, "since at least ");
	add_time(b, &f->first);
	if (f->started_before_log)
		buf_adds(b, " (the log starts failing)");
	if (f->last.ms != f->first.ms) {
		buf_adds(b, " \xe2\x80\x93 ");
		add_time(b, &f->last);
	}
	buf_printf(b, ", %lu time%s", f->count, f->count == 1 ? "" : "s");
	if (f->period_s > 0 && f->count > 2)
		buf_printf(b, ", every ~%ld s", f->period_s);
	if (f->ninc > 1)
		buf_printf(b, ", %zu incidents", f->ninc);
	if (f->stateful) {
		struct buf c;

		buf_init(&c);
		report_add_course(&c, f, 1);
		buf_printf(b, ", <span class=\"%s\">%s</span>",
		           f->ongoing ? "ongoing" : f->stopped.prov != TP_NONE ? "stopped" : "recovered",
		           c.len > 2 ? c.p + 2 : "");
		buf_reset(&c);
	}
	buf_adds(b, "</dd>\n");
}

static void html_refs(struct buf *b, const struct rule *r)
{
	size_t i;

	if (r->nrefs == 0)
		return;
	buf_adds(b, "<ul class=\"refs\">\n");
	for (i = 0; i < r->nrefs; i++) {
		const char *u = r->refs[i];

		/* only web links become links: a ref cannot smuggle in a javascript: or data: URL */
		if (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0) {
			buf_adds(b, "<li><a rel=\"noreferrer noopener\" href=\"");
			esc(b, u);
			buf_adds(b, "\">");
			esc(b, u);
			buf_adds(b, "</a></li>\n");
		} else {
			buf_adds(b, "<li>");
			esc(b, u);
			buf_adds(b, "</li>\n");
		}
	}
	buf_adds(b, "</ul>\n");
}

/* Next steps: the capture to ask for and the quick test, as an ordered list. */
static void html_next(struct buf *b, const struct finding *f)
{
	size_t i;

	if (f->nnext == 0)
		return;
	buf_adds(b, "<div class=\"next\"><span class=\"fix-label\">Next steps</span><ol>");
	for (i = 0; i < f->nnext; i++) {
		buf_adds(b, "<li>");
		esc(b, f->next[i]);
		buf_adds(b, "</li>");
	}
	buf_adds(b, "</ol></div>\n");
}

/* The facts of one finding about one component. */
static void html_facts(struct buf *b, const struct scan_result *res, const struct finding *f, unsigned long bid)
{
	if (f->caused_by_id) {
		long ci = f->caused_by ? finding_index(res, f->caused_by) : -1;

		buf_adds(b, "<dt>caused by</dt><dd class=\"cause\">");
		if (ci >= 0)
			buf_printf(b, "<a href=\"#f-%lu-%ld\">", bid, ci + 1);
		esc(b, f->caused_by_id);
		buf_adds(b, ci >= 0 ? "</a></dd>\n" : "</dd>\n");
	}
	if (f->first.prov != TP_NONE)
		html_seen(b, f);
	if (f->severity_note) {
		buf_adds(b, "<dt>note</dt><dd>severity lowered: ");
		esc(b, f->severity_note);
		buf_adds(b, "</dd>\n");
	}
	kv(b, "why", f->why);
	kv(b, "capture", f->capture_note);
}

/* One article per rule: a rule firing on several state components (IPv4 and IPv6) gives each
 * component's facts and evidence in it, and the fix of the first once. Returns how many
 * findings it showed. */
static size_t html_finding(struct buf *b, const struct scan_result *res, size_t fi, unsigned long bid)
{
	const struct finding *f = &res->diag.f[fi];
	size_t n = report_group_len(&res->diag, fi), k;
	int worst = f->severity;
	const char *sev;

	for (k = 1; k < n; k++)
		if (res->diag.f[fi + k].severity > worst)
			worst = res->diag.f[fi + k].severity;
	sev = severity_name(worst);
	buf_printf(b, "<article class=\"finding sev-%s%s\" id=\"f-%lu-%zu\">\n<header><span class=\"badge sev-%s\">%s</span> ",
	           sev, f->caused_by ? " explained" : "", bid, fi + 1, sev, sev);
	buf_adds(b, "<h4>");
	esc(b, f->title);
	buf_adds(b, "</h4> <code class=\"rule\">");
	esc(b, f->rule->id);
	buf_adds(b, "</code>");
	for (k = 0; k < n; k++) {
		buf_adds(b, " <span class=\"comp\">");
		esc(b, res->diag.f[fi + k].comp);
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</header>\n");
	for (k = 0; k < n; k++) {
		const struct finding *g = &res->diag.f[fi + k];

		if (k > 0) /* the anchor a caused-by link or the summary may point at */
			buf_printf(b, "<h5 id=\"f-%lu-%zu\">", bid, fi + k + 1);
		else if (n > 1)
			buf_adds(b, "<h5>");
		if (n > 1) {
			esc(b, g->comp);
			buf_adds(b, ": ");
			esc(b, g->title);
			buf_adds(b, "</h5>\n");
		}
		buf_adds(b, "<dl class=\"facts\">\n");
		html_facts(b, res, g, bid);
		buf_adds(b, "</dl>\n");
		html_evidence(b, res, g, bid, fi + k);
	}
	if (f->remediation) {
		buf_adds(b, "<div class=\"fix\"><span class=\"fix-label\">Fix</span> ");
		esc(b, f->remediation);
		buf_adds(b, "</div>\n");
	}
	html_next(b, f);
	html_refs(b, f->rule);
	buf_adds(b, "</article>\n");
	return n;
}

static const char *const tl_kinds[] = {"state", "finding", "recovered", "end"};

/* The merged event list (--timeline in the other formats), folded away unless asked for. */
static void html_events(struct buf *b, const struct scan_result *res, int open)
{
	size_t n, i;
	struct timeline_item *it = diagnosis_timeline(&res->diag, &n);

	buf_printf(b, "<details class=\"events\"%s><summary>Timeline events (%zu)</summary>\n<table>\n", open ? " open" : "",
	           n);
	for (i = 0; i < n; i++) {
		const struct timeline_item *t = &it[i];

		buf_printf(b, "<tr class=\"%s\"><td class=\"time\">", tl_kinds[t->kind]);
		add_time(b, &t->ts);
		buf_adds(b, "</td><td>");
		if (t->kind == TL_STATE) {
			esc(b, t->change->comp);
			buf_printf(b, " <span class=\"st %s\">", state_class(t->change->state));
			esc(b, t->change->state);
			buf_adds(b, "</span>");
		} else if (t->kind == TL_END) {
			buf_adds(b, "end of bundle");
		} else {
			esc(b, t->f->rule->id);
			buf_adds(b, t->kind == TL_FINDING                ? " begins"
			            : t->inc && t->inc->stopped ? " failures stop (no recovery line)"
			                                        : " recovered");
		}
		buf_adds(b, "</td><td class=\"loc\">");
		if (t->ev) {
			esc(b, base_name(scan_entry_name(res, t->ev->entry)));
			buf_printf(b, ":%lu</td><td class=\"text\">", t->ev->line);
			esc(b, t->ev->text);
		} else {
			buf_adds(b, "</td><td>");
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n</details>\n");
	free(it);
}

static void html_problems(struct buf *b, const struct scan_result *res)
{
	size_t i;

	if (res->nproblems == 0)
		return;
	buf_adds(b, "<ul class=\"problems\">\n");
	for (i = 0; i < res->nproblems; i++) {
		buf_adds(b, "<li>");
		if (res->problems[i].entry) {
			buf_adds(b, "<code>");
			esc(b, res->problems[i].entry);
			buf_adds(b, "</code>: ");
		}
		esc(b, res->problems[i].msg);
		buf_adds(b, "</li>\n");
	}
	buf_adds(b, "</ul>\n");
}

/* What no rule explains: the first --unexplained templates as a table. */
static void html_unexplained(struct buf *b, const struct scan_result *res, int shown)
{
	const struct unexplained *u = &res->unx;
	size_t i, n = u->n < (size_t)shown ? u->n : (size_t)shown;

	if (shown <= 0 || u->n == 0)
		return;
	buf_printf(b, "<h3>Unexplained (%zu of %zu)</h3>\n<p class=\"muted\">Message shapes no rule matched, ranked: "
	              "in an incident, level, burst, rarity.</p>\n<table class=\"unexplained\">\n"
	              "<tr><th>level</th><th>count</th><th>seen</th><th>template</th><th>first record</th></tr>\n",
	           n, u->n);
	for (i = 0; i < n; i++) {
		const struct ux_template *t = &u->t[i];

		buf_printf(b, "<tr><td>%s</td><td>%lu</td><td>%s%s</td><td class=\"text\">", ux_level_name(t->level), t->count,
		           t->in_incident ? "in an incident" : "outside the incidents", t->burst ? ", burst" : "");
		esc(b, t->text);
		buf_adds(b, "</td><td class=\"loc\">");
		esc(b, base_name(scan_entry_name(res, t->ex_entry)));
		buf_printf(b, ":%lu ", t->ex_line);
		esc(b, t->ex_text);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n");
}

static void html_bundle_body(struct html_state *s, const struct scan_result *res, unsigned long bid)
{
	struct buf *b = &s->b;
	size_t i;

	html_states(b, res);
	timeline_figure(b, res, bid);
	html_context(b, res);
	buf_printf(b, "<h3>Findings (%zu)</h3>\n", res->diag.nf);
	if (res->diag.nf == 0)
		buf_adds(b, "<p class=\"muted\">No findings.</p>\n");
	for (i = 0; i < res->diag.nf;)
		i += html_finding(b, res, i, bid);
	html_unexplained(b, res, s->o.unexplained);
	html_events(b, res, s->o.timeline);
}

/* ---- the page ---------------------------------------------------------------------------- */

/* No network and no script: the page is opened from a case attachment, maybe offline, and must
 * not be able to run anything a log line slipped in. */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
                          "base-uri 'none'; form-action 'none'";

static const char css[] =
    ":root{--ok:#2e9e5b;--bad:#d64545;--unk:#c5cad3;--other:#e39b2d;--crit:#7b2cbf;--err:#c62828;"
    "--warn:#d98200;--info:#1f6fb2;--none:#7a7f87;--ink:#1d2330;--muted:#5d6470;--line:#dde1e7}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,"
    "Arial,sans-serif;color:var(--ink);background:#fff}\n"
    "main{max-width:1240px;margin:0 auto}\n"
    "code,.text,.loc,.path{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,\"Liberation Mono\","
    "monospace;font-size:12.5px}\n"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:0;word-break:break-all}"
    "h3{font-size:15px;margin:22px 0 8px;padding-bottom:3px;border-bottom:1px solid var(--line)}\n"
    ".muted,.meta{color:var(--muted)}\n"
    "section.bundle{border-top:3px solid var(--ink);padding-top:14px;margin-top:26px}\n"
    ".bundle-head{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}\n"
    ".status{font-size:12px;font-weight:600;text-transform:uppercase;padding:1px 8px;border-radius:3px;"
    "background:#e7f4ec;color:#1d6b3d}.status.partial{background:#fff2d9;color:#8a5a00}"
    ".status.error{background:#fbe3e3;color:#9b1c1c}\n"
    ".problems{color:#8a5a00;margin:6px 0}\n"
    ".states{display:grid;grid-template-columns:repeat(3,1fr);gap:10px;margin:14px 0 4px}\n"
    ".state{border:1px solid var(--line);border-left:6px solid var(--unk);border-radius:4px;padding:6px 10px}\n"
    ".state.protected{border-left-color:var(--ok)}.state.unprotected,.state.unavailable{border-left-color:var(--bad)}"
    ".state.other{border-left-color:var(--other)}\n"
    ".state .label{font-size:12px;color:var(--muted)}.state .value{font-weight:700;text-transform:uppercase}"
    ".state.unprotected .value,.state.unavailable .value{color:var(--bad)}.state.protected .value{color:#1d6b3d}"
    ".state .note{text-transform:none;font-weight:400}.state .since{font-size:12px;color:var(--muted)}\n"
    "figure.timeline{margin:0}svg.timeline{display:block;width:100%;height:auto;font-size:12px;font-family:inherit}\n"
    "svg.timeline .seg{stroke:#fff;stroke-width:.5}svg.timeline .seg.protected{fill:var(--ok)}"
    "svg.timeline .seg.unprotected,svg.timeline .seg.unavailable{fill:var(--bad)}"
    "svg.timeline .seg.unknown{fill:var(--unk)}svg.timeline .seg.other{fill:var(--other)}\n"
    "svg.timeline .lane-bg{fill:#f3f4f6}svg.timeline text.lane{text-anchor:end;fill:var(--ink)}\n"
    "svg.timeline .grid{stroke:#e6e8ec}svg.timeline .base{stroke:#8a9099}"
    "svg.timeline text.tick{text-anchor:middle;fill:var(--muted);font-size:11px}"
    "svg.timeline .day{font-weight:600;fill:var(--ink)}\n"
    "svg.timeline .incident{fill:none;stroke-width:1.5;stroke-dasharray:4 2}"
    "svg.timeline .lane-bg+.incident{fill-opacity:.18}\n"
    "svg.timeline .marker path{stroke:#fff;stroke-width:1}svg.timeline .marker line{stroke:#1d2330;"
    "stroke-width:1.5}svg.timeline .marker:hover path{stroke:#000}\n"
    ".sev-critical{--sev:var(--crit)}.sev-error{--sev:var(--err)}.sev-warning{--sev:var(--warn)}"
    ".sev-info{--sev:var(--info)}.sev-none{--sev:var(--none)}\n"
    "svg.timeline .incident{stroke:var(--sev);fill:var(--sev);fill-opacity:0}svg.timeline .marker path{fill:var(--sev)}\n"
    "figcaption{font-size:12px;color:var(--muted);margin-top:4px}\n"
    ".key{display:inline-block;width:12px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}"
    ".key:first-child{margin-left:0}.key.protected{background:var(--ok)}.key.unprotected{background:var(--bad)}"
    ".key.unknown{background:var(--unk)}.key.other{background:var(--other)}"
    ".key.incident{border:1.5px dashed var(--err)}.key-marker{color:var(--err);margin:0 4px 0 10px}\n"
    "dl.context{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 14px;margin:0 0 10px}\n"
    "dl.context dt,dl.facts dt{color:var(--muted)}dl.context dd,dl.facts dd{margin:0;word-break:break-word}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:3px 8px;"
    "border-bottom:1px solid var(--line)}th{font-size:12px;color:var(--muted);font-weight:600}"
    ".num{text-align:right}\n"
    ".fs{font-size:12px;font-weight:600}.fs-present{color:#1d6b3d}.fs-missing,.fs-unreadable{color:var(--bad)}"
    ".fs-empty,.fs-too-big{color:#8a5a00}\n"
    "article.finding{border:1px solid var(--line);border-left:5px solid var(--sev);border-radius:4px;"
    "padding:10px 14px;margin:12px 0;break-inside:avoid}article.finding.explained{margin-left:28px}\n"
    "article.finding header{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}"
    "article.finding h4{margin:0;font-size:15px}\n"
    ".badge{font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;background:var(--sev);"
    "padding:1px 7px;border-radius:3px}.rule{color:var(--muted)}.comp{font-size:12px;border:1px solid var(--line);"
    "border-radius:10px;padding:0 8px}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}\n"
    ".ongoing{color:var(--bad);font-weight:600}.recovered{color:#1d6b3d;font-weight:600}\n"
    "table.evidence{margin:6px 0;background:#f7f8fa}table.evidence td{border-bottom:1px solid #eceef2}"
    "table.evidence .loc,table.evidence .time{white-space:nowrap;color:var(--muted);width:1%}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere}table.evidence tr:target{background:#fff6c9}"
    "table.evidence:target{outline:2px solid var(--sev)}tr.omitted td{color:var(--muted);font-style:italic}\n"
    ".fix,.next{margin:8px 0 2px}.next ol{margin:2px 0 0;padding-left:22px}.fix-label{font-weight:700;margin-right:4px}ul.refs{margin:4px 0 0;padding-left:20px;"
    "font-size:13px}\n"
    "details.events{margin:16px 0}details.events summary{cursor:pointer;font-weight:600}"
    "details.events .time{white-space:nowrap}.st.protected{color:#1d6b3d}.st.unprotected,.st.unavailable"
    "{color:var(--bad)}\n"
    "table.summary th,table.summary td.path,table.summary .st{white-space:nowrap}table.summary tr.verdict td{white-space:normal;color:var(--muted);font-size:12.5px;padding-top:0}"
    "table.summary tr:not(.verdict) td{border-bottom:0}"
    "section.summary{overflow-x:auto;margin-top:18px}section.summary h2{margin-bottom:8px}\n"
    "a{color:#1f5fa8}footer{margin-top:30px;font-size:12px;color:var(--muted)}\n"
    "@media print{body{padding:0;font-size:11px}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "section.bundle{break-before:page}section.bundle:first-of-type{break-before:auto}a{color:inherit}}\n";

static void *html_new(FILE *out, const struct report_opts *o)
{
	struct html_state *s = xcalloc(1, sizeof *s);

	s->out = out;
	s->o = *o;
	buf_init(&s->b);
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"dartscan %s\">\n<title>dartscan report</title>\n"
	        "<style>\n%s</style>\n</head>\n<body>\n<main>\n<header class=\"page\"><h1>dartscan report</h1>"
	        "<div class=\"meta\">Cisco Secure Client DART bundle diagnosis, dartscan %s</div></header>\n",
	        csp, DS_VERSION, css, DS_VERSION);
	return s;
}

static void html_bundle(void *vp, const struct scan_result *res)
{
	struct html_state *s = vp;
	struct buf *b = &s->b;
	unsigned long bid;
	const char *st = scan_status_name(res->status);

	report_rows_add(&s->rows, res);
	bid = (unsigned long)s->rows.n; /* numbered from 1, as the summary's links are */
	buf_printf(b, "<section class=\"bundle\" id=\"b-%lu\">\n<div class=\"bundle-head\"><h2>", bid);
	esc(b, res->path);
	/* what the badge says is how much was read, never a word that reads as "healthy" */
	buf_printf(b, "</h2><span class=\"status %s\">%s</span>", st,
	           res->status == SCAN_OK ? "read in full" : res->status == SCAN_PARTIAL ? "partly read" : "not read");
	if (res->nproblems)
		buf_printf(b, "<span class=\"meta\">%zu problem%s</span>", res->nproblems, res->nproblems == 1 ? "" : "s");
	buf_adds(b, "</div>\n<p class=\"verdict\">");
	esc(b, s->rows.v[s->rows.n - 1].verdict);
	buf_adds(b, "</p>\n");
	if (res->duplicate_of) { /* scanned once: the section of the bundle it repeats is the report */
		buf_printf(b, "<p class=\"meta\">The same bytes as <a href=\"#b-%zu\">", s->rows.v[s->rows.n - 1].original + 1);
		esc(b, res->duplicate_of);
		buf_adds(b, "</a>");
		if (res->sha256)
			buf_printf(b, " (sha256 <code>%s</code>)", res->sha256);
		buf_adds(b, ": not scanned again.</p>\n");
	} else {
		html_problems(b, res);
		if (res->status != SCAN_ERROR)
			html_bundle_body(s, res, bid);
	}
	buf_adds(b, "</section>\n");
	if (s->spool == NULL && s->held.len == 0)
		s->spool = tmpfile();
	if (s->spool)
		fwrite(b->p, 1, b->len, s->spool);
	else
		buf_add(&s->held, b->p, b->len);
	buf_reset(b);
}

/* The sections, after the summary. A temporary file that could not be written is said on the
 * page, in the place of what is missing. */
static void html_sections(struct html_state *s)
{
	char chunk[65536];
	size_t n;

	if (s->spool == NULL) {
		fwrite(s->held.p ? s->held.p : "", 1, s->held.len, s->out);
		return;
	}
	if (fflush(s->spool) == 0 && !ferror(s->spool))
		rewind(s->spool);
	while (!ferror(s->spool) && (n = fread(chunk, 1, sizeof chunk, s->spool)) > 0)
		fwrite(chunk, 1, n, s->out);
	if (ferror(s->spool))
		fputs("<p class=\"problems\">The rest of this page is missing: its temporary file could not be "
		      "written or read.</p>\n", s->out);
}

/* A cell of untrusted text, "-" when unknown. */
static void cell(struct buf *b, const char *v)
{
	buf_adds(b, "<td>");
	esc(b, v ? v : "-");
	buf_adds(b, "</td>");
}

/* The table a batch's page opens with: one row per bundle, linking to its section. */
static void html_summary(struct html_state *s)
{
	size_t i;
	int c;

	fprintf(s->out, "<section class=\"summary\" id=\"summary\">\n<h2>Summary of %zu bundles</h2>\n"
	                "<table class=\"summary\">\n<thead><tr><th>bundle</th><th>host</th><th>organisation</th>"
	                "<th>client</th><th>collected</th><th>dns_ipv4</th><th>dns_ipv6</th><th>web</th><th>status</th>"
	                "<th>since</th><th>top finding</th></tr></thead>\n"
	                "<tbody>\n",
	        s->rows.n);
	for (i = 0; i < s->rows.n; i++) {
		const struct report_row *r = &s->rows.v[i];
		const char *cls;
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "<tr><td class=\"path\"><a href=\"#b-%zu\">", i + 1); /* bundles are numbered from 1 */
		esc(&b, r->shown);
		buf_adds(&b, "</a></td>");
		cell(&b, r->host);
		cell(&b, r->org);
		cell(&b, r->client);
		cell(&b, r->collected);
		for (c = 0; c < N_COMPONENTS; c++) {
			cls = r->states[c] ? state_class(r->states[c]) : "";
			buf_printf(&b, "<td><span class=\"st %s\">%s</span></td>", cls, r->states[c] ? cls : "-");
		}
		buf_printf(&b, "<td>%s</td><td>", scan_status_name(r->status));
		esc(&b, r->since ? r->since : "-");
		if (r->lasted) {
			buf_adds(&b, " for ");
			esc(&b, r->lasted);
			buf_adds(&b, r->ongoing == 1 ? ", <span class=\"ongoing\">ongoing</span>" : r->ongoing == 0 ? ", ended" : "");
		}
		buf_adds(&b, "</td><td>");
		if (r->top)
			buf_printf(&b, "<span class=\"badge sev-%s\">%s</span> ", severity_name(r->sev), severity_name(r->sev));
		esc(&b, r->top ? r->top : "-");
		/* the verdict under the row, across it: a sentence, where a column would make the table too
		 * wide to read */
		buf_adds(&b, "</td></tr>\n<tr class=\"verdict\"><td></td><td colspan=\"10\">");
		esc(&b, r->verdict);
		buf_adds(&b, "</td></tr>\n");
		fwrite(b.p, 1, b.len, s->out);
		buf_reset(&b);
	}
	fputs("</tbody>\n</table>\n</section>\n", s->out);
}

/* --group-by: one line per group, largest first, each bundle linking to its section. */
static void html_groups(struct html_state *s)
{
	struct groups g;
	struct buf b;
	size_t i, k;

	report_groups(&g, &s->rows, s->o.group_by);
	buf_init(&b);
	buf_printf(&b, "<section class=\"groups\" id=\"groups\">\n<h2>Groups by %s</h2>\n<ul class=\"groups\">\n",
	           group_by_name(s->o.group_by));
	for (i = 0; i < g.n; i++) {
		buf_printf(&b, "<li><span class=\"num\">%zu</span> <code>", g.v[i].n);
		esc(&b, report_group_key(&g.v[i]));
		buf_adds(&b, "</code>:");
		for (k = 0; k < g.v[i].n; k++) {
			buf_printf(&b, "%s<a href=\"#b-%zu\">", k ? ", " : " ", g.v[i].items[k] + 1);
			esc(&b, s->rows.v[g.v[i].items[k]].shown);
			buf_adds(&b, "</a>");
		}
		buf_adds(&b, "</li>\n");
	}
	buf_adds(&b, "</ul>\n</section>\n");
	fwrite(b.p, 1, b.len, s->out);
	buf_reset(&b);
	groups_reset(&g);
}

static void html_end(void *vp)
{
	struct html_state *s = vp;

	if (s->rows.n > 1)
		html_summary(s);
	if (s->o.group_by)
		html_groups(s);
	html_sections(s);
	fprintf(s->out, "<footer>dartscan %s. %s</footer>\n",
	        DS_VERSION, s->o.utc ? "Times are UTC (marked UTC) where the bundle gives the client's offset; else "
	                               "the client's wall clock as written in the logs."
	                             : "Times are the client's wall clock as written in the logs.");
	fputs("</main>\n</body>\n</html>\n", s->out);
}

static void html_free(void *vp)
{
	struct html_state *s = vp;

	if (s == NULL)
		return;
	report_rows_reset(&s->rows);
	buf_reset(&s->b);
	buf_reset(&s->held);
	if (s->spool)
		fclose(s->spool);
	free(s);
}

const struct report_ops report_html_ops = {"html", html_new, html_bundle, html_end, html_free};
