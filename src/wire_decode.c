/* wire_decode: a worker's result read back in the parent, one get_<member> for each RF_WIRE row of
 * result.h in its order. Every length, count, index and enum is checked as wire.c's header says. */
#include <string.h>

#include "probe.h"
#include "result.h"
#include "util.h"
#include "wire.h"
#include "wire_in.h"

/* What every row's reader is given. */
struct get {
	struct rd *r;
	const struct scan_opts *o; /* the rules events name, the rule --explain asked for */
};

/* An entry index must name an entry of the result. */
static void get_evidence(struct rd *r, struct evidence *e, size_t nentries)
{
	e->entry = wire_get_u32(r);
	if (e->entry >= nentries)
		wire_fail(r, "evidence names no entry");
	e->line = (unsigned long)wire_get_u64(r);
	wire_get_stamp(r, &e->ts);
	e->text = wire_get_str(r);
}

static void get_event(struct rd *r, struct event *e, const struct ruleset *rs, size_t nentries)
{
	uint32_t idx = wire_get_u32(r), n, k;

	if (idx >= rs->n) {
		wire_fail(r, "an event names no rule");
		return;
	}
	e->rule = &rs->rules[idx];
	e->entry = wire_get_u32(r);
	if (e->entry >= nentries)
		wire_fail(r, "an event names no entry");
	e->comp = wire_get_str(r);
	e->state = wire_get_str(r);
	e->note = wire_get_str(r);
	n = wire_get_u32(r);
	for (k = 0; k < n && !r->bad; k++) {
		e->caps = xrealloc(e->caps, (k + 1) * sizeof *e->caps);
		e->ncaps = k + 1;
		e->caps[k].name = wire_get_str(r);
		e->caps[k].value = wire_get_str(r);
		if (!r->bad && (e->caps[k].name == NULL || e->caps[k].value == NULL))
			wire_fail(r, "a capture without a name or value");
	}
	wire_get_stamp(r, &e->first);
	wire_get_stamp(r, &e->last);
	e->count = (unsigned long)wire_get_u64(r);
	n = wire_get_max(r, EV_KEEP, "too many evidence lines");
	for (k = 0; k < n && !r->bad; k++) {
		e->nhead = k + 1;
		get_evidence(r, &e->head[k], nentries);
	}
	n = wire_get_max(r, EV_KEEP, "too many evidence lines");
	e->tail_pos = wire_get_max(r, EV_KEEP - 1, "a bad evidence ring");
	for (k = 0; k < n && !r->bad; k++) {
		e->ntail = k + 1;
		get_evidence(r, &e->tail[k], nentries);
	}
	e->seq = (unsigned long)wire_get_u64(r);
	e->pat = (int)wire_get_max(r, e->rule->npats ? (uint32_t)e->rule->npats - 1 : 0, "an event names no pattern");
}

static void get_list(struct rd *r, struct net_list *l)
{
	uint32_t n = wire_get_max(r, NETINFO_VALUES_MAX, "too many network values"), i;

	for (i = 0; i < n && !r->bad; i++) {
		char *v = wire_get_str(r);

		if (v == NULL) {
			wire_fail(r, "an empty network value");
			return;
		}
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = v;
	}
}

/* The parent trusts none of it: counts are bounded as the parser bounds them. */
static void get_network(struct rd *r, struct netinfo *ni)
{
	uint32_t n, i;

	ni->entry = wire_get_str(r);
	n = wire_get_max(r, NETINFO_ADAPTERS_MAX, "too many network adapters");
	if (!r->bad && ni->entry == NULL && n > 0)
		wire_fail(r, "network adapters from no file");
	for (i = 0; i < n && !r->bad; i++) {
		struct net_adapter *a;

		ni->a = xrealloc(ni->a, (ni->n + 1) * sizeof *ni->a);
		a = &ni->a[ni->n++];
		memset(a, 0, sizeof *a);
		a->name = wire_get_str(r);
		a->description = wire_get_str(r);
		get_list(r, &a->addrs);
		get_list(r, &a->gateways);
		get_list(r, &a->dns);
		a->line = (unsigned long)wire_get_u64(r);
		a->dns_line = (unsigned long)wire_get_u64(r);
		if (!r->bad && a->name == NULL)
			wire_fail(r, "a network adapter without a name");
	}
	ni->dropped = (unsigned long)wire_get_u64(r);
}

static void get_ctx(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	struct context *c = &res->ctx;
	uint32_t n, i, k;

	n = wire_get_u32(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct ctx_file *f;
		size_t len;

		c->files = xgrow(c->files, &c->cap, c->n + 1, sizeof *c->files);
		f = &c->files[c->n++];
		memset(f, 0, sizeof *f);
		f->name = wire_get_str(r);
		f->data = wire_get_bytes(r, &len);
		f->len = (size_t)wire_get_u64(r);
		if (!r->bad && (f->name == NULL || (f->data && f->len != len)))
			wire_fail(r, "a context file's length");
		f->status = (int)wire_get_max(r, FS_UNREAD, "a context file's status");
		f->why = wire_get_str(r);
	}
	for (i = 0; i < N_EXPECTED && !r->bad; i++) {
		struct expected_file *x = &c->expected[i];

		x->status = (int)wire_get_max(r, FS_UNREAD, "an expected file's status");
		x->entry = wire_get_str(r);
		x->bytes = wire_get_u64(r);
		x->why = wire_get_str(r);
		n = wire_get_u32(r);
		for (k = 0; k < n && !r->bad; k++) {
			x->parts = xrealloc(x->parts, (k + 1) * sizeof *x->parts);
			x->nparts = k + 1;
			x->parts[k] = wire_get_str(r);
			if (!r->bad && x->parts[k] == NULL)
				wire_fail(r, "an empty part name");
		}
	}
	c->org_id = wire_get_str(r);
	c->fail_open = wire_get_str(r);
	c->swg_domain = wire_get_str(r);
	c->swg_anycast = wire_get_str(r);
	c->swg_honor_tnd = wire_get_str(r);
	c->swg_maxdebug = (int)wire_get_u32(r);
	if (c->swg_maxdebug < -1 || c->swg_maxdebug > 1)
		wire_fail(r, "the SWG debug flag");
	c->product = wire_get_str(r);
	n = wire_get_u32(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct ctx_value *v;

		c->vals = xgrow(c->vals, &c->capvals, c->nvals + 1, sizeof *c->vals);
		v = &c->vals[c->nvals++];
		v->name = wire_get_str(r);
		v->value = wire_get_str(r);
		if (!r->bad && (v->name == NULL || v->value == NULL))
			wire_fail(r, "a context value without a name or value");
	}
	get_network(r, &c->net);
}

static void get_explain(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	const struct rule *rule = g->o->explain;
	struct explain *x;
	uint32_t n, i;

	if (wire_get_max(r, 1, "the explain flag") == 0)
		return;
	if (rule == NULL) {
		wire_fail(r, "an explanation nobody asked for");
		return;
	}
	x = res->explain = explain_new(rule);
	n = wire_get_u32(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct explain_entry *e;

		x->e = xgrow(x->e, &x->cap, x->n + 1, sizeof *x->e);
		e = &x->e[x->n++];
		memset(e, 0, sizeof *e);
		e->name = wire_get_str(r);
		e->records = (unsigned long)wire_get_u64(r);
		e->candidates = (unsigned long)wire_get_u64(r);
		e->matches = (unsigned long)wire_get_u64(r);
		if (!r->bad && e->name == NULL)
			wire_fail(r, "an explained entry without a name");
	}
	x->near_len = (size_t)wire_get_u64(r);
	x->near_entry = wire_get_str(r);
	x->near_text = wire_get_str(r);
	x->near_line = (unsigned long)wire_get_u64(r);
	x->first_match_entry = wire_get_str(r);
	x->first_match_text = wire_get_str(r);
	x->first_match_line = (unsigned long)wire_get_u64(r);
	if (wire_get_max(r, 1, "the checks flag") == 0 || r->bad)
		return;
	x->check_holds = xcalloc(rule->nchecks ? rule->nchecks : 1, sizeof *x->check_holds);
	x->check_why = xcalloc(rule->nchecks ? rule->nchecks : 1, sizeof *x->check_why);
	for (i = 0; i < rule->nchecks && !r->bad; i++) {
		x->check_holds[i] = (int)wire_get_max(r, 1, "a check's result");
		x->check_why[i] = wire_get_str(r);
	}
}

static int terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

static void get_capture(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	struct capture *c;
	size_t i, k;

	if (wire_get_max(r, 1, "the capture flag") == 0)
		return;
	if (r->n - r->off < sizeof *c) {
		wire_fail(r, "cut short");
		return;
	}
	c = res->capture = xmalloc(sizeof *c);
	memcpy(c, r->p + r->off, sizeof *c);
	r->off += sizeof *c;
	c->path = NULL;
	c->problem = NULL;
	if (!terminated(c->proxy, sizeof c->proxy))
		wire_fail(r, "the capture's proxy");
	for (i = 0; i < CV_COUNT; i++) {
		if (c->nev[i] > CAP_EV || (unsigned)c->holds[i] > 1 || !terminated(c->summary[i], sizeof c->summary[i]))
			wire_fail(r, "a capture verdict");
		for (k = 0; k < CAP_EV; k++)
			if (!terminated(c->ev[i][k].text, sizeof c->ev[i][k].text))
				wire_fail(r, "a capture frame");
	}
	c->path = wire_get_str(r);
	c->problem = wire_get_str(r);
}

static void get_template(struct rd *r, struct ux_template *t, size_t nentries)
{
	uint32_t n, k;

	t->text = wire_get_str(r);
	t->level = (int)wire_get_max(r, UX_ERROR, "a template's level");
	t->count = (unsigned long)wire_get_u64(r);
	wire_get_stamp(r, &t->first);
	wire_get_stamp(r, &t->last);
	n = wire_get_max(r, UX_ENTRIES, "too many template entries");
	for (k = 0; k < n && !r->bad; k++) {
		t->entries[k] = wire_get_u32(r);
		t->nentries = k + 1;
		if (t->entries[k] >= nentries)
			wire_fail(r, "a template names no entry");
	}
	t->ex_entry = wire_get_u32(r);
	if (t->ex_entry >= nentries)
		wire_fail(r, "a template's example names no entry");
	t->ex_line = (unsigned long)wire_get_u64(r);
	wire_get_stamp(r, &t->ex_ts);
	t->ex_text = wire_get_str(r);
	n = wire_get_max(r, UX_SPANS, "too many template clusters");
	for (k = 0; k < n && !r->bad; k++) {
		wire_get_stamp(r, &t->span[k].a);
		wire_get_stamp(r, &t->span[k].b);
		t->span[k].n = (unsigned long)wire_get_u64(r);
		t->nspan = k + 1;
	}
	t->near_only = (int)wire_get_max(r, 1, "a template's flag");
	if (!r->bad && (t->text == NULL || t->ex_text == NULL || t->count == 0))
		wire_fail(r, "an empty template");
}

static void get_unx(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	struct unexplained *u = &res->unx;
	uint32_t n, i;

	u->dropped = (unsigned long)wire_get_u64(r);
	n = wire_get_max(r, UX_TEMPLATES, "too many templates");
	for (i = 0; i < n && !r->bad; i++) {
		u->t = xgrow(u->t, &u->cap, u->n + 1, sizeof *u->t);
		memset(&u->t[u->n], 0, sizeof u->t[u->n]);
		get_template(r, &u->t[u->n++], res->nentries);
	}
}

static void get_frame(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	struct clock_frame *f = &res->frame;

	f->tz = wire_get_str(r);
	f->off_known = (int)wire_get_max(r, 1, "the frame's offset flag");
	f->off_min = (long)(int32_t)wire_get_u32(r);
	f->source = (int)wire_get_max(r, CS_COUNT - 1, "the frame's source");
	f->jumps = (unsigned long)wire_get_u64(r);
}

static void get_probe(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	uint32_t n, i;

	if (!wire_get_max(r, 1, "the probe flag"))
		return;
	res->probe = xmalloc(sizeof *res->probe);
	probe_init(res->probe);
	res->probe->entry_name = wire_get_str(r);
	n = wire_get_max(r, PROBE_MAX, "too many probed records");
	for (i = 0; i < n && !r->bad; i++) {
		int role = (int)wire_get_max(r, PR_MATCHED, "a probed record's role");
		unsigned long line = (unsigned long)wire_get_u64(r);
		struct stamp ts;
		char *text;
		uint64_t off;
		int cut, matched;

		wire_get_stamp(r, &ts);
		text = wire_get_str(r);
		off = wire_get_u64(r);
		cut = (int)wire_get_max(r, 1, "a probed record's flag");
		matched = (int)wire_get_max(r, 1, "a probed record's flag");
		if (!r->bad && (text == NULL || off > strlen(text) || strlen(text) > PROBE_TEXT_MAX))
			wire_fail(r, "a probed record out of bounds");
		if (!r->bad)
			probe_add(res->probe, role, line, &ts, text, strlen(text), (size_t)off, cut, matched);
		free(text);
	}
}

static void get_status(const struct get *g, struct scan_result *res)
{
	res->status = (int)wire_get_max(g->r, SCAN_ERROR, "the status");
}

static void get_problems(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	uint32_t n = wire_get_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		struct problem *p;

		res->problems = xgrow(res->problems, &res->capproblems, res->nproblems + 1, sizeof *res->problems);
		p = &res->problems[res->nproblems++];
		memset(p, 0, sizeof *p); /* a field the bytes do not carry is never the last owner's */
		p->entry = wire_get_str(r);
		p->msg = wire_get_str(r);
		p->kind = (int)wire_get_max(r, PROBLEM_ENCRYPTED, "a problem's kind");
		if (!r->bad && p->msg == NULL)
			wire_fail(r, "a problem without a message");
	}
}

static void get_entries(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	uint32_t n = wire_get_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		struct entry_info *e;

		res->entries = xgrow(res->entries, &res->capentries, res->nentries + 1, sizeof *res->entries);
		e = &res->entries[res->nentries++];
		memset(e, 0, sizeof *e);
		e->name = wire_get_str(r);
		e->log = wire_get_str(r);
		wire_get_stamp(r, &e->first);
		wire_get_stamp(r, &e->last);
		e->cut = (int)wire_get_max(r, 1, "an entry's cut flag");
		e->bytes = wire_get_u64(r);
		e->records = (unsigned long)wire_get_u64(r);
		e->truncated = (unsigned long)wire_get_u64(r);
		e->encoding = (int)wire_get_max(r, ENC_UTF16BE, "an entry's encoding");
		e->date_order = (int)wire_get_max(r, DATES_UNPROVEN_DM, "an entry's date order");
		if (!r->bad && e->name == NULL)
			wire_fail(r, "an entry without a name");
	}
}

static void get_entries_seen(const struct get *g, struct scan_result *res)
{
	res->entries_seen = (unsigned long)wire_get_u64(g->r);
}

static void get_bytes(const struct get *g, struct scan_result *res)
{
	res->bytes = wire_get_u64(g->r);
}

static void get_events(const struct get *g, struct scan_result *res)
{
	struct rd *r = g->r;
	uint32_t n = wire_get_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		struct event *e;

		res->events.v = xgrow(res->events.v, &res->events.cap, res->events.n + 1, sizeof *res->events.v);
		e = &res->events.v[res->events.n++];
		memset(e, 0, sizeof *e);
		e->rule = g->o->rs->rules; /* until its own is read */
		get_event(r, e, g->o->rs, res->nentries);
	}
}

static void get_start(const struct get *g, struct scan_result *res)
{
	wire_get_stamp(g->r, &res->start);
}

static void get_end(const struct get *g, struct scan_result *res)
{
	wire_get_stamp(g->r, &res->end);
}

static void get_capture_failed(const struct get *g, struct scan_result *res)
{
	res->capture_failed = (int)wire_get_max(g->r, 1, "the capture flag");
}

static void get_ahead_taken(const struct get *g, struct scan_result *res)
{
	res->ahead_taken = (unsigned long)wire_get_u64(g->r);
}

static void get_collected(const struct get *g, struct scan_result *res)
{
	wire_get_stamp(g->r, &res->collected.at);
	res->collected.source = (int)wire_get_max(g->r, COLLECTED_SOURCES - 1, "the collection time's source");
}

static void get_result(struct rd *r, const struct scan_opts *o, struct scan_result *res)
{
	const struct get g = {r, o};

	if (wire_get_u32(r) != WIRE_MAGIC) {
		wire_fail(r, "not a result");
		return;
	}
#define GET_ROW(member, side, owns, utc, redact) RESULT_IF_WIRE(side, get_##member(&g, res);)
	SCAN_RESULT_FIELDS(GET_ROW)
#undef GET_ROW
	if (wire_get_u32(r) != WIRE_MAGIC || r->off != r->n)
		wire_fail(r, "trailing bytes");
}

int wire_decode(const void *p, size_t n, const char *path, const struct scan_opts *o, struct scan_result *res,
                struct ds_error *err)
{
	struct rd r = {p, n, 0, NULL};
	const char *why = NULL;

	scan_result_init(res, path);
	get_result(&r, o, res);
	if (r.bad || (why = wire_check(res)) != NULL) {
		if (r.bad)
			ds_error_set(err, path, 0, "worker sent invalid results (%s at byte %zu)", r.bad, r.off);
		else
			ds_error_set(err, path, 0, "worker sent invalid results (%s)", why);
		scan_result_reset(res);
		return -1;
	}
	return 0;
}
