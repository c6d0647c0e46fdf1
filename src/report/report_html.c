/* report_html: one self-contained HTML5 page for a support case -- per bundle the states, an
 * inline SVG state timeline (report_svg.c), the context and the ranked findings with their
 * evidence. No script, no network: inline CSS only (report_css.c), and a Content-Security-Policy
 * that forbids every load. Everything from a bundle is untrusted: it is made valid UTF-8, stripped
 * of control and bidi characters and escaped for HTML before it is written. The page is
 * deterministic: no current date in it. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_in.h"
#include "report_css.h"
#include "report_svg.h"

struct html_state {
	FILE *out;
	struct report_opts o;
	struct buf b; /* one bundle's markup, written out whole: a batch's page grows bundle by bundle */
	struct report_rows rows;
	FILE *spool;  /* the bundles' sections until the end, when the summary table goes first; a
	                 temporary file, so a case store's page is not held in memory */
	struct buf held; /* the same in memory, when no temporary file could be made */
	char **names;    /* each row's bundle as the page names it (report_bundle_name) */
	size_t capnames;
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

/* ---- small vocabulary -------------------------------------------------------------------- */

static long finding_index(const struct scan_result *res, const struct finding *f)
{
	if (f < res->diag.f || f >= res->diag.f + res->diag.nf)
		return -1;
	return (long)(f - res->diag.f);
}

/* ---- the bundle's sections --------------------------------------------------------------- */

static void html_states(struct buf *b, const struct scan_result *res)
{
	size_t i;

	buf_adds(b, "<div class=\"states\">\n");
	for (i = 0; i < component_n; i++) {
		const struct comp_state *cs = &res->diag.states[i];
		const char *st = cs->state ? cs->state : "unknown";

		buf_printf(b, "<div class=\"state %s\" data-comp=\"%s\"><div class=\"label\">%s</div><div class=\"value\">",
		           report_css_state_class(st), component_table[i].name, component_table[i].label);
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
	kv(b, "Client version", context_get(c, CTX_CLIENT_VERSION));
	kv(b, "OS", context_get(c, CTX_OS));
	kv(b, "Host", context_get(c, CTX_HOST));
	kv(b, "Time zone", context_get(c, CTX_TIMEZONE));
	kv(b, "SWG domain", c->swg_domain);
	kv(b, "SWG anycast", c->swg_anycast);
	kv(b, "SWG fail-open", c->fail_open);
	kv(b, "SWG honor TND", c->swg_honor_tnd);
	if (c->swg_maxdebug >= 0)
		kv(b, "SWG max-debug", c->swg_maxdebug ? "on" : "off");
	for (i = 0; i < res->nentries; i++)
		if (report_date_order_note(res->entries[i].date_order)) {
			buf_adds(b, "<dt>Date order</dt><dd>");
			esc(b, res->entries[i].name);
			buf_adds(b, ": ");
			esc(b, report_date_order_note(res->entries[i].date_order));
			buf_adds(b, "</dd>\n");
		}
	{
		char *w = report_window(res);

		if (w) {
			buf_adds(b, "<dt>Window</dt><dd>");
			esc(b, w);
			buf_adds(b, " (the logs' local time): records outside it are not counted</dd>\n");
		}
		free(w);
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
	kv(b, "VPN/proxy software", context_get(c, CTX_VPN_PRODUCTS));
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
	if (f->period_s > 0 && f->count > 2) {
		char c[32];

		timefmt_cadence(f->period_s, c, sizeof c);
		buf_printf(b, ", every ~%s", c);
	}
	if (f->ninc > 1)
		buf_printf(b, ", %zu incidents", f->ninc);
	if (finding_has_course(f)) {
		struct buf c;

		buf_init(&c);
		report_add_course(&c, f, 1);
		buf_printf(b, ", <span class=\"%s\">%s</span>",
		           f->ongoing ? "ongoing" : f->stopped.prov != TP_NONE ? "stopped" : "recovered",
		           c.len > 2 ? c.p + 2 : "");
		buf_reset(&c);
	}
	{
		char *inc = report_incidents(f);

		if (inc) {
			buf_printf(b, "</dd><dt>%s</dt><dd>", f->ninc > 1 ? "incidents" : "lasted");
			esc(b, inc);
		}
		free(inc);
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

/* Next steps: the capture to ask for and the quick test, as an ordered list; of a group, every
 * finding's, each distinct one once (the IPv4 capture filter and the IPv6 one), as the text
 * report gives them. */
static void html_next(struct buf *b, const struct finding *const *g, size_t n)
{
	size_t i, k, shown = 0;

	for (k = 0; k < n; k++)
		for (i = 0; i < g[k]->nnext; i++) {
			if (report_next_repeats(g, k, i))
				continue;
			buf_adds(b, shown++ ? "<li>" : "<div class=\"next\"><span class=\"fix-label\">Next steps</span><ol><li>");
			esc(b, g[k]->next[i]);
			buf_adds(b, "</li>");
		}
	if (shown)
		buf_adds(b, "</ol></div>\n");
}

/* The facts of one finding about one component. */
static void html_facts(struct buf *b, const struct scan_result *res, const struct finding *f, unsigned long bid)
{
	if (finding_cause_id(f)) {
		long ci = f->caused_by ? finding_index(res, f->caused_by) : -1;

		buf_adds(b, "<dt>caused by</dt><dd class=\"cause\">");
		if (ci >= 0)
			buf_printf(b, "<a href=\"#f-%lu-%ld\">", bid, ci + 1);
		esc(b, finding_cause_id(f));
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
 * component's facts and evidence in it, in the lanes' order, under one title for all of them, and
 * the fix of the first lane once (IPv4's names both stacks' resolvers). Returns how many findings
 * it showed. */
static size_t html_finding(struct buf *b, const struct scan_result *res, size_t fi, unsigned long bid)
{
	const struct finding *g[COMPONENT_MAX];
	size_t n = report_group_len(&res->diag, fi), k;
	int worst;
	const char *sev;
	char *title;

	if (n > 1 && !report_group_sorted(&res->diag, fi, n, g))
		n = 1; /* not one finding per lane: each its own card */
	if (n == 1)
		g[0] = &res->diag.f[fi];
	worst = g[0]->severity;
	for (k = 1; k < n; k++)
		if (g[k]->severity > worst)
			worst = g[k]->severity;
	sev = severity_name(worst);
	buf_printf(b, "<article class=\"finding sev-%s%s\" id=\"f-%lu-%zu\">\n<header><span class=\"badge sev-%s\">%s</span> ",
	           sev, g[0]->caused_by ? " explained" : "", bid, fi + 1, sev, sev);
	buf_adds(b, "<h4>");
	title = report_group_title(g, n);
	esc(b, title);
	free(title);
	buf_adds(b, "</h4> <code class=\"rule\">");
	esc(b, g[0]->rule->id);
	buf_adds(b, "</code>");
	for (k = 0; k < n; k++)
		if (g[k]->comp) { /* a finding of no lane: an empty pill would draw a stray dash */
			buf_adds(b, " <span class=\"comp\">");
			esc(b, g[k]->comp);
			buf_adds(b, "</span>");
		}
	buf_adds(b, "</header>\n");
	for (k = 0; k < n; k++) {
		size_t gi = (size_t)finding_index(res, g[k]);

		if (gi != fi) /* the anchor a caused-by link or the summary may point at */
			buf_printf(b, "<h5 id=\"f-%lu-%zu\">", bid, gi + 1);
		else if (n > 1)
			buf_adds(b, "<h5>");
		if (n > 1) {
			esc(b, g[k]->comp);
			buf_adds(b, ": ");
			esc(b, g[k]->title);
			buf_adds(b, "</h5>\n");
		}
		buf_adds(b, "<dl class=\"facts\">\n");
		html_facts(b, res, g[k], bid);
		buf_adds(b, "</dl>\n");
		html_evidence(b, res, g[k], bid, gi);
	}
	if (g[0]->remediation) {
		buf_adds(b, "<div class=\"fix\"><span class=\"fix-label\">Fix</span> ");
		esc(b, g[0]->remediation);
		buf_adds(b, "</div>\n");
	}
	html_next(b, g, n);
	html_refs(b, g[0]->rule);
	buf_adds(b, "</article>\n");
	return report_group_len(&res->diag, fi) > n ? n : report_group_len(&res->diag, fi);
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
			buf_printf(b, " <span class=\"st %s\">", report_css_state_class(t->change->state));
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

/* What no rule explains: the first --unexplained templates as a table, titled as what it is. */
static void html_unexplained(struct buf *b, const struct scan_result *res, int shown)
{
	const struct unexplained *u = &res->unx;
	size_t i, n = u->n < (size_t)shown ? u->n : (size_t)shown;

	if (shown <= 0 || u->n == 0)
		return;
	/* a customer may read the page: the table is the engineer's to-do, not a list of faults */
	buf_printf(b, "<h3>Messages no rule explains, for the engineer's review (first %zu; %zu at warning or error, "
	              "%zu near the failures)</h3>\n<p class=\"muted\">"
	              "Log messages of shapes no dartscan rule knows. They are not findings and do not mean "
	              "anything is wrong: the support engineer looks them over in case one matters. Ranked: "
	              "in an incident, new, burst, level, rarity.",
	           n, u->n - unexplained_near(u), unexplained_near(u));
	if (u->dropped)
		buf_printf(b, " %lu record%s not mined (past the caps, or no fixed word): the counts are of those mined.",
		           u->dropped, u->dropped == 1 ? " was" : "s were");
	buf_adds(b, "</p>\n<table class=\"unexplained\">\n"
	            "<tr><th>level</th><th>count</th><th>seen</th><th>template</th><th>first record</th></tr>\n");
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
	report_svg_timeline(b, res, bid);
	html_context(b, res);
	{
		struct buf cards; /* the heading counts the cards below it: a rule on both stacks is one */
		size_t n = 0;

		buf_init(&cards);
		for (i = 0; i < res->diag.nf; n++)
			i += html_finding(&cards, res, i, bid);
		buf_printf(b, "<h3>Findings (%zu)</h3>\n", n);
		if (n == 0)
			buf_adds(b, "<p class=\"muted\">No findings.</p>\n");
		else
			buf_add(b, cards.p, cards.len);
		buf_reset(&cards);
	}
	html_unexplained(b, res, s->o.unexplained);
	html_events(b, res, s->o.timeline);
}

/* ---- the page ---------------------------------------------------------------------------- */

/* No network and no script: the page is opened from a case attachment, maybe offline, and must
 * not be able to run anything a log line slipped in. */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
                          "base-uri 'none'; form-action 'none'";

static void *html_new(FILE *out, const struct report_opts *o)
{
	struct html_state *s = xcalloc(1, sizeof *s);
	struct buf css;

	s->out = out;
	s->o = *o;
	buf_init(&s->b);
	buf_init(&css);
	report_css_add(&css);
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"dartscan %s\">\n<title>dartscan report</title>\n"
	        "<style>\n%s</style>\n</head>\n<body>\n<main>\n<header class=\"page\"><h1>dartscan report</h1>"
	        "<div class=\"meta\">Cisco Secure Client DART bundle diagnosis, dartscan %s</div></header>\n",
	        csp, DS_VERSION, css.p, DS_VERSION);
	buf_reset(&css);
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
	/* a page is shown to customers: the name given, never the engineer's own folders */
	s->names = xgrow(s->names, &s->capnames, s->rows.n, sizeof *s->names);
	s->names[s->rows.n - 1] = report_bundle_name(res, s->o.redact, s->rows.n);
	buf_printf(b, "<section class=\"bundle\" id=\"b-%lu\">\n<div class=\"bundle-head\"><h2>", bid);
	esc(b, s->names[s->rows.n - 1]);
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
		esc(b, s->names[s->rows.v[s->rows.n - 1].original]);
		buf_adds(b, "</a>");
		if (res->sha256)
			buf_printf(b, " (sha256 <code>%s</code>)", res->sha256);
		buf_adds(b, ": not scanned again.</p>\n");
	} else {
		html_problems(b, res);
		if (!scan_read_nothing(res))
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

static void html_end(void *vp)
{
	struct html_state *s = vp;

	report_html_summary_emit(s->out, &s->rows, s->names, s->o.group_by);
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
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->rows.n; i++)
		free(s->names[i]);
	free(s->names);
	report_rows_reset(&s->rows);
	buf_reset(&s->b);
	buf_reset(&s->held);
	if (s->spool)
		fclose(s->spool);
	free(s);
}

const struct report_ops report_html_ops = {"html", html_new, html_bundle, html_end, html_free, 0};
