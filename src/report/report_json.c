/* report_json: the JSON contract (README "JSON output"): one document with every bundle, or one
 * bundle object per line (ndjson). Built with Jansson; every string from a bundle is made valid
 * UTF-8 first, since logs are not. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_columns.h"
#include "report_in.h"
#include "verdict.h"

static json_t *evidence_json(const struct scan_result *res, const struct evidence *ev)
{
	json_t *o = json_object();

	json_object_set_new(o, "entry", report_jstr(scan_entry_name(res, ev->entry)));
	json_object_set_new(o, "line", json_integer((json_int_t)ev->line));
	json_object_set_new(o, "time", report_jtime(&ev->ts));
	json_object_set_new(o, "text", report_jstr(ev->text));
	return o;
}

static json_t *finding_json(const struct scan_result *res, const struct finding *f)
{
	json_t *o = json_object(), *ev = json_array(), *refs = json_array();
	size_t i;

	json_object_set_new(o, "id", json_string(f->rule->id));
	json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
	json_object_set_new(o, "title", report_jstr(f->title));
	json_object_set_new(o, "component", report_jstr(f->rule->component));
	json_object_set_new(o, "state_component", report_jstr(f->comp));
	json_object_set_new(o, "first_seen", report_jtime(&f->first));
	json_object_set_new(o, "last_seen", report_jtime(&f->last));
	json_object_set_new(o, "count", json_integer((json_int_t)f->count));
	json_object_set_new(o, "ongoing", json_boolean(f->ongoing));
	json_object_set_new(o, "recovered_at", report_jtime(&f->recovered));
	json_object_set_new(o, "stopped_at", report_jtime(&f->stopped));
	json_object_set_new(o, "started_before_log", json_boolean(f->started_before_log));
	json_object_set_new(o, "history", json_boolean(f->history));
	json_object_set_new(o, "log_cut", json_boolean(f->log_cut));
	json_object_set_new(o, "incidents", json_integer((json_int_t)f->ninc));
	{
		const struct incident *in = finding_current(f);

		/* the current (or last) incident's length, the time failing in all, first..last apart */
		json_object_set_new(o, "lasted_seconds",
		                    in ? json_integer((json_int_t)(incident_ms(in) / 1000)) : json_null());
		json_object_set_new(o, "failing_seconds",
		                    in ? json_integer((json_int_t)(finding_failing_ms(f) / 1000)) : json_null());
		json_object_set_new(o, "span_seconds", f->first.prov != TP_NONE && f->last.prov != TP_NONE
		                                           ? json_integer((json_int_t)((f->last.ms - f->first.ms) / 1000))
		                                           : json_null());
	}
	{
		json_t *il = json_array();

		for (i = 0; i < f->ninc; i++) {
			json_t *x = json_object();

			json_object_set_new(x, "start", report_jtime(&f->inc[i].start));
			json_object_set_new(x, "end", report_jtime(&f->inc[i].end));
			json_object_set_new(x, "ongoing", json_boolean(f->inc[i].ongoing));
			json_object_set_new(x, "stopped", json_boolean(f->inc[i].stopped));
			json_object_set_new(x, "count", json_integer((json_int_t)f->inc[i].count));
			json_array_append_new(il, x);
		}
		json_object_set_new(o, "incident_list", il);
	}
	json_object_set_new(o, "period_seconds", f->period_s ? json_integer(f->period_s) : json_null());
	for (i = 0; i < f->nev; i++)
		json_array_append_new(ev, evidence_json(res, f->ev[i]));
	json_object_set_new(o, "evidence", ev);
	json_object_set_new(o, "evidence_omitted", json_integer((json_int_t)f->ev_omitted));
	json_object_set_new(o, "why", report_jstr(f->why));
	json_object_set_new(o, "remediation", report_jstr(f->remediation));
	for (i = 0; i < f->rule->nrefs; i++)
		json_array_append_new(refs, report_jstr(f->rule->refs[i]));
	json_object_set_new(o, "references", refs);
	{
		json_t *nx = json_array();

		for (i = 0; i < f->nnext; i++)
			json_array_append_new(nx, report_jstr(f->next[i]));
		json_object_set_new(o, "next_steps", nx);
	}
	json_object_set_new(o, "caused_by", report_jstr(finding_cause_id(f)));
	json_object_set_new(o, "severity_note", report_jstr(f->severity_note));
	json_object_set_new(o, "capture", report_jstr(f->capture_note));
	return o;
}

/* A context list ("a, b c") as an array; its items may hold blanks. */
static json_t *list_json(const char *v)
{
	json_t *a = json_array();
	const char *p = v, *comma;

	while (p && *p) {
		comma = strstr(p, ", ");
		json_array_append_new(a, json_stringn(p, comma ? (size_t)(comma - p) : strlen(p)));
		p = comma ? comma + 2 : NULL;
	}
	return a;
}

static json_t *strings_json(const struct net_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, report_jstr(l->v[i]));
	return a;
}

/* context.network: null without ipconfig output, else where it was read and its adapters. */
static json_t *network_json(const struct netinfo *ni)
{
	json_t *o, *as;
	size_t i;

	if (ni->entry == NULL)
		return json_null();
	o = json_object();
	as = json_array();
	json_object_set_new(o, "entry", report_jstr(ni->entry));
	for (i = 0; i < ni->n; i++) {
		const struct net_adapter *a = &ni->a[i];
		json_t *x = json_object();

		json_object_set_new(x, "name", report_jstr(a->name));
		json_object_set_new(x, "description", report_jstr(a->description));
		json_object_set_new(x, "addresses", strings_json(&a->addrs));
		json_object_set_new(x, "gateways", strings_json(&a->gateways));
		json_object_set_new(x, "dns_servers", strings_json(&a->dns));
		json_object_set_new(x, "line", json_integer((json_int_t)a->line));
		json_object_set_new(x, "dns_line", a->dns_line ? json_integer((json_int_t)a->dns_line) : json_null());
		json_array_append_new(as, x);
	}
	json_object_set_new(o, "adapters", as);
	json_object_set_new(o, "adapters_dropped", json_integer((json_int_t)ni->dropped));
	return o;
}

static json_t *context_json(const struct context *c)
{
	json_t *o = json_object(), *files = json_array();
	size_t i;

	json_object_set_new(o, "organization_id", report_jstr(c->org_id));
	json_object_set_new(o, "product", report_jstr(c->product));
	json_object_set_new(o, "client_version", report_jstr(context_get(c, CTX_CLIENT_VERSION)));
	json_object_set_new(o, "os", report_jstr(context_get(c, CTX_OS)));
	json_object_set_new(o, "host", report_jstr(context_get(c, CTX_HOST)));
	json_object_set_new(o, "timezone", report_jstr(context_get(c, CTX_TIMEZONE)));
	json_object_set_new(o, "collected_at", report_jstr(context_get(c, CTX_COLLECTED_AT)));
	json_object_set_new(o, "collected_at_source", report_jstr(context_get(c, CTX_COLLECTED_AT_SOURCE)));
	json_object_set_new(o, "network", network_json(&c->net));
	json_object_set_new(o, "swg_fail_open", report_jstr(c->fail_open));
	json_object_set_new(o, "swg_domain", report_jstr(c->swg_domain));
	json_object_set_new(o, "swg_anycast", report_jstr(c->swg_anycast));
	json_object_set_new(o, "swg_honor_tnd", report_jstr(c->swg_honor_tnd));
	json_object_set_new(o, "swg_max_debug", c->swg_maxdebug < 0 ? json_null() : json_boolean(c->swg_maxdebug));
	{
		json_t *l = json_array();
		const char *v = context_get(c, CTX_SWG_FAILING_ADDRESSES);
		char *copy = v ? xstrdup(v) : NULL, *p, *save = NULL;

		for (p = copy ? strtok_r(copy, ", ", &save) : NULL; p; p = strtok_r(NULL, ", ", &save))
			json_array_append_new(l, report_jstr(p));
		free(copy);
		json_object_set_new(o, "swg_failing_addresses", l);
	}
	json_object_set_new(o, "vpn_products", list_json(context_get(c, CTX_VPN_PRODUCTS)));
	for (i = 0; i < N_EXPECTED; i++) {
		const struct expected_file *e = &c->expected[i];
		json_t *f = json_object();

		json_object_set_new(f, "name", json_string(e->base));
		json_object_set_new(f, "status", json_string(file_status_name(e->status)));
		json_object_set_new(f, "entry", report_jstr(e->entry));
		json_object_set_new(f, "bytes", json_integer((json_int_t)e->bytes));
		if (e->why)
			json_object_set_new(f, "why", report_jstr(e->why));
		if (e->nparts > 1) {
			json_t *parts = json_array();
			size_t k;

			for (k = 0; k < e->nparts; k++)
				json_array_append_new(parts, report_jstr(e->parts[k]));
			json_object_set_new(f, "parts", parts);
		}
		json_array_append_new(files, f);
	}
	json_object_set_new(o, "files", files);
	return o;
}

static json_t *timeline_json(const struct scan_result *res)
{
	static const char *const kinds[] = {"state", "finding", "recovered", "end"};
	size_t n, i;
	struct timeline_item *it = diagnosis_timeline(&res->diag, &n);
	json_t *a = json_array();

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "time", report_jtime(&it[i].ts));
		json_object_set_new(o, "kind", json_string(it[i].inc && it[i].inc->stopped && it[i].kind == TL_RECOVERED
		                                               ? "stopped" : kinds[it[i].kind]));
		if (it[i].change) {
			json_object_set_new(o, "component", report_jstr(it[i].change->comp));
			json_object_set_new(o, "state", report_jstr(it[i].change->state));
		}
		if (it[i].f) {
			json_object_set_new(o, "id", json_string(it[i].f->rule->id));
			json_object_set_new(o, "component", report_jstr(it[i].f->comp));
			json_object_set_new(o, "count", json_integer((json_int_t)it[i].f->count));
		}
		if (it[i].ev) {
			json_object_set_new(o, "entry", report_jstr(scan_entry_name(res, it[i].ev->entry)));
			json_object_set_new(o, "line", json_integer((json_int_t)it[i].ev->line));
			json_object_set_new(o, "text", report_jstr(it[i].ev->text));
		}
		json_array_append_new(a, o);
	}
	free(it);
	return a;
}

static json_t *capture_json(const struct scan_result *res)
{
	const struct capture *c = res->capture;
	json_t *o = json_object(), *v = json_array();
	struct stamp a, b;
	int i;

	timefmt_from_epoch(c->first_ms / 1000, &a);
	timefmt_from_epoch(c->last_ms / 1000, &b);
	json_object_set_new(o, "path", report_jstr(c->path));
	json_object_set_new(o, "frames", json_integer((json_int_t)c->frames));
	json_object_set_new(o, "link_type", json_integer(c->linktype));
	json_object_set_new(o, "first_utc", c->frames > c->untimed ? report_jtime(&a) : json_null());
	json_object_set_new(o, "last_utc", c->frames > c->untimed ? report_jtime(&b) : json_null());
	json_object_set_new(o, "aligned", json_boolean(res->diag.capture.aligned));
	json_object_set_new(o, "utc_offset_minutes",
	                    res->diag.capture.aligned ? json_integer(res->diag.capture.offset_min) : json_null());
	json_object_set_new(o, "offset_source", report_jstr(res->diag.capture.source));
	for (i = 0; i < CV_COUNT; i++)
		if (c->holds[i]) {
			json_t *x = json_object();

			json_object_set_new(x, "verdict", json_string(cap_verdict_name(i)));
			json_object_set_new(x, "summary", report_jstr(c->summary[i]));
			json_array_append_new(v, x);
		}
	json_object_set_new(o, "verdicts", v);
	return o;
}

static json_t *template_json(const struct scan_result *res, const struct ux_template *t)
{
	json_t *o = json_object(), *ents = json_array(), *ex = json_object();
	size_t i;

	json_object_set_new(o, "template", report_jstr(t->text));
	json_object_set_new(o, "count", json_integer((json_int_t)t->count));
	json_object_set_new(o, "level", json_string(ux_level_name(t->level)));
	json_object_set_new(o, "first_seen", report_jtime(&t->first));
	json_object_set_new(o, "last_seen", report_jtime(&t->last));
	for (i = 0; i < t->nentries; i++)
		json_array_append_new(ents, report_jstr(scan_entry_name(res, t->entries[i])));
	json_object_set_new(o, "entries", ents);
	json_object_set_new(ex, "entry", report_jstr(scan_entry_name(res, t->ex_entry)));
	json_object_set_new(ex, "line", json_integer((json_int_t)t->ex_line));
	json_object_set_new(ex, "time", report_jtime(&t->ex_ts));
	json_object_set_new(ex, "text", report_jstr(t->ex_text));
	json_object_set_new(o, "example", ex);
	json_object_set_new(o, "in_incident", json_boolean(t->in_incident));
	json_object_set_new(o, "burst", json_boolean(t->burst));
	json_object_set_new(o, "new", json_boolean(t->is_new));
	json_object_set_new(o, "score", json_integer(t->score));
	return o;
}

/* Every template, ranked (ndjson and the renderers for people show the first n). */
static json_t *unexplained_json(const struct scan_result *res, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < res->unx.n && i < n; i++)
		json_array_append_new(a, template_json(res, &res->unx.t[i]));
	return a;
}

/* What stands between the bundle and healthy: [{"code", "subject", "text"}]. */
static json_t *reasons_json(const struct scan_result *res)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < res->nreasons; i++) {
		json_t *r = json_object();

		json_object_set_new(r, "code", json_string(verdict_reason_name(res->reasons[i].code)));
		json_object_set_new(r, "subject", report_jstr(res->reasons[i].subject));
		json_object_set_new(r, "text", report_jstr(res->reasons[i].text));
		json_array_append_new(a, r);
	}
	return a;
}

json_t *report_bundle_json(const struct scan_result *res, const struct report_opts *o)
{
	json_t *b = json_object(), *errs = json_array(), *states = json_object(), *details = json_object();
	json_t *fs = json_array(), *ents = json_array();
	size_t i;

	json_object_set_new(b, "path", report_jstr(res->path));
	json_object_set_new(b, "status", json_string(scan_status_name(res->status)));
	json_object_set_new(b, "sha256", report_jstr(res->sha256));
	json_object_set_new(b, "duplicate_of", report_jstr(res->duplicate_of));
	{
		char *v = report_verdict(res);

		json_object_set_new(b, "verdict", report_jstr(v));
		free(v);
	}
	json_object_set_new(b, "verdict_class", json_string(verdict_class_name(res->verdict)));
	json_object_set_new(b, "reasons", reasons_json(res));
	if (res->since.prov != TP_NONE || res->until.prov != TP_NONE) {
		json_t *w = json_object();

		json_object_set_new(w, "since", report_jtime(&res->since));
		json_object_set_new(w, "until", report_jtime(&res->until));
		json_object_set_new(b, "window", w);
	} else {
		json_object_set_new(b, "window", json_null());
	}
	for (i = 0; i < res->nproblems; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "entry", report_jstr(res->problems[i].entry));
		json_object_set_new(e, "message", report_jstr(res->problems[i].msg));
		json_array_append_new(errs, e);
	}
	json_object_set_new(b, "errors", errs);
	json_object_set_new(b, "context", context_json(&res->ctx));
	for (i = 0; i < component_n; i++) {
		const struct comp_state *cs = &res->diag.states[i];
		json_t *d = json_object();

		json_object_set_new(states, component_table[i].name, json_string(cs->state ? cs->state : "unknown"));
		json_object_set_new(d, "state", json_string(cs->state ? cs->state : "unknown"));
		json_object_set_new(d, "since", report_jtime(&cs->since));
		json_object_set_new(d, "since_before_log", json_boolean(cs->since_before_log));
		json_object_set_new(d, "note", report_jstr(cs->note));
		json_object_set_new(details, component_table[i].name, d);
	}
	json_object_set_new(b, "states", states);
	json_object_set_new(b, "state_details", details);
	json_object_set_new(b, "start", report_jtime(&res->diag.start));
	json_object_set_new(b, "end", report_jtime(&res->diag.end));
	for (i = 0; i < res->diag.nf; i++)
		json_array_append_new(fs, finding_json(res, &res->diag.f[i]));
	json_object_set_new(b, "findings", fs);
	if (o->unexplained > 0) {
		json_object_set_new(b, "unexplained", unexplained_json(res, o->unexplained_all ? res->unx.n : (size_t)o->unexplained));
		if (res->unx.dropped)
			json_object_set_new(b, "unexplained_dropped", json_integer((json_int_t)res->unx.dropped));
	}
	for (i = 0; i < res->nentries; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "name", report_jstr(res->entries[i].name));
		json_object_set_new(e, "bytes", json_integer((json_int_t)res->entries[i].bytes));
		json_object_set_new(e, "records", json_integer((json_int_t)res->entries[i].records));
		json_object_set_new(e, "encoding", json_string(text_encoding_name(res->entries[i].encoding)));
		if (report_date_order_key(res->entries[i].date_order))
			json_object_set_new(e, "date_order", json_string(report_date_order_key(res->entries[i].date_order)));
		if (res->entries[i].log && strcasecmp(res->entries[i].log, base_name(res->entries[i].name)) != 0)
			json_object_set_new(e, "part_of", report_jstr(res->entries[i].log));
		json_object_set_new(e, "first", report_jtime(&res->entries[i].first));
		json_object_set_new(e, "last", report_jtime(&res->entries[i].last));
		if (res->entries[i].cut)
			json_object_set_new(e, "cut", json_true());
		json_array_append_new(ents, e);
	}
	json_object_set_new(b, "entries_read", ents);
	{
		const struct collection *cl = &res->diag.collected;
		json_t *c = json_object();

		json_object_set_new(c, "logs_end", report_jtime(&cl->logs_end));
		json_object_set_new(c, "last_failure", report_jtime(&cl->last_failure));
		json_object_set_new(c, "last_failure_before_s",
		                    cl->at.prov != TP_NONE && cl->last_failure.prov != TP_NONE
		                        ? json_integer((json_int_t)((cl->at.ms - cl->last_failure.ms) / 1000))
		                        : json_null());
		json_object_set_new(c, "logs_end_before_s",
		                    cl->at.prov != TP_NONE && cl->logs_end.prov != TP_NONE
		                        ? json_integer((json_int_t)((cl->at.ms - cl->logs_end.ms) / 1000))
		                        : json_null());
		json_object_set_new(c, "note", report_jstr(cl->note));
		json_object_set_new(b, "collection", c);
	}
	if (res->diag.clock.found) {
		json_t *c = json_object();

		json_object_set_new(c, "utc_offset_minutes", json_integer(res->diag.clock.offset_min));
		json_object_set_new(c, "entry", report_jstr(scan_entry_name(res, res->diag.clock.ev->entry)));
		json_object_set_new(c, "line", json_integer((json_int_t)res->diag.clock.ev->line));
		json_object_set_new(b, "clock", c);
	}
	if (o->timeline)
		json_object_set_new(b, "timeline", timeline_json(res));
	if (res->capture)
		json_object_set_new(b, "capture", capture_json(res));
	json_object_set_new(b, "entries_seen", json_integer((json_int_t)res->entries_seen));
	if (o->utc) { /* --utc: whether this bundle's times were moved, and by what */
		json_t *t = json_object();

		json_object_set_new(t, "utc", json_boolean(res->utc));
		json_object_set_new(t, "offset_minutes", res->utc ? json_integer(res->diag.capture.offset_min) : json_null());
		json_object_set_new(t, "source", report_jstr(res->utc ? res->diag.capture.source : NULL));
		json_object_set_new(b, "times", t);
	}
	return b;
}

struct json_state {
	FILE *out;
	struct report_opts o;
	json_t *bundles;
	struct report_rows rows;
};

/* One value as its column's type says. */
static json_t *cell_json(const struct report_column *c, const char *v)
{
	if (v == NULL)
		return json_null();
	if (c->type == RCT_INT)
		return json_integer((json_int_t)strtoll(v, NULL, 10));
	if (c->type == RCT_BOOL)
		return json_boolean(v[0] == 't');
	return report_jstr(v);
}

/* A summary row in the JSON layout (report_columns.c): the lanes' states as one object. */
static json_t *row_json(const struct report_row *r)
{
	struct report_cell_ref refs[RC_N + COMPONENT_MAX];
	size_t i, n = report_layout_spread(&report_layout_json, refs);
	json_t *o = json_object(), *lanes = NULL;
	char tmp[REPORT_CELL_MAX];

	for (i = 0; i < n; i++) {
		json_t *v = cell_json(refs[i].c, report_cell_value(&refs[i], r, report_layout_json.iso, tmp));

		if (!refs[i].c->per_lane) {
			json_object_set_new(o, refs[i].c->name, v);
			continue;
		}
		if (refs[i].lane == 0)
			json_object_set_new(o, refs[i].c->name, lanes = json_object());
		json_object_set_new(lanes, report_cell_name(&refs[i]), v);
	}
	return o;
}

static void *json_new(FILE *out, const struct report_opts *o)
{
	struct json_state *s = xcalloc(1, sizeof *s);

	s->out = out;
	s->o = *o;
	s->o.unexplained_all = 1; /* the document is the contract: every template */
	s->bundles = json_array();
	return s;
}

static void *ndjson_new(FILE *out, const struct report_opts *o)
{
	struct json_state *s = json_new(out, o);

	s->o.unexplained_all = 0; /* a stream a person may read: the top N, as text shows */
	return s;
}

static void json_bundle(void *vp, const struct scan_result *res)
{
	struct json_state *s = vp;

	json_array_append_new(s->bundles, report_bundle_json(res, &s->o));
	report_rows_add(&s->rows, res);
}

static void json_end(void *vp)
{
	struct json_state *s = vp;
	json_t *doc = json_object();

	json_object_set_new(doc, "dartscan", json_string(DS_VERSION));
	json_object_set(doc, "bundles", s->bundles);
	if (s->rows.n > 1) { /* a batch: one row per bundle, as text and HTML lead with */
		json_t *sum = json_array();
		size_t i;

		for (i = 0; i < s->rows.n; i++)
			json_array_append_new(sum, row_json(&s->rows.v[i]));
		json_object_set_new(doc, "summary", sum);
	}
	if (s->o.group_by) {
		struct groups g;
		json_t *ga = json_array();
		size_t i, k;

		report_groups(&g, &s->rows, s->o.group_by);
		for (i = 0; i < g.n; i++) {
			json_t *o = json_object(), *paths = json_array();

			json_object_set_new(o, "key", report_jstr(g.v[i].key));
			json_object_set_new(o, "count", json_integer((json_int_t)g.v[i].n));
			for (k = 0; k < g.v[i].n; k++)
				json_array_append_new(paths, report_jstr(s->rows.v[g.v[i].items[k]].shown));
			json_object_set_new(o, "bundles", paths);
			json_array_append_new(ga, o);
		}
		groups_reset(&g);
		json_object_set_new(doc, "group_by", json_string(group_by_name(s->o.group_by)));
		json_object_set_new(doc, "groups", ga);
	}
	json_dumpf(doc, s->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', s->out);
	json_decref(doc);
}

static void json_free(void *vp)
{
	struct json_state *s = vp;

	if (s == NULL)
		return;
	json_decref(s->bundles);
	report_rows_reset(&s->rows);
	free(s);
}

const struct report_ops report_json_ops = {"json", json_new, json_bundle, json_end, json_free, 1};

/* ndjson: one line per bundle as it is reported, so a consumer can stream a batch. */
static void ndjson_bundle(void *vp, const struct scan_result *res)
{
	struct json_state *s = vp;
	json_t *b = report_bundle_json(res, &s->o);

	json_object_set_new(b, "dartscan", json_string(DS_VERSION));
	json_dumpf(b, s->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', s->out);
	fflush(s->out);
	json_decref(b);
}

static void ndjson_end(void *vp)
{
	(void)vp;
}

const struct report_ops report_ndjson_ops = {"ndjson", ndjson_new, ndjson_bundle, ndjson_end, json_free, 1};
