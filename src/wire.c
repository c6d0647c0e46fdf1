/* wire: scan results as bytes between a worker and its parent, one put_<member> for each RF_WIRE row
 * of result.h in its order. Little-endian fixed-width integers, strings as a length plus one (0 for
 * NULL) and their bytes. The reader (wire_decode.c) grows arrays as their elements arrive, never
 * sized from a count the bytes claim: a lying count runs out of input. */
#include <string.h>

#include "probe.h"
#include "result.h"
#include "util.h"
#include "wire.h"
#include "wire_in.h"

/* What every row's writer is given. */
struct put {
	struct buf *b;
	const struct ruleset *rs; /* the events' rules travel as indexes into it */
};

static void put_frame(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	const struct clock_frame *f = &res->frame;

	wire_put_str(b, f->tz);
	wire_put_u32(b, (uint32_t)f->off_known);
	wire_put_u32(b, (uint32_t)(int32_t)f->off_min);
	wire_put_u32(b, (uint32_t)f->source);
	wire_put_u64(b, f->jumps);
}

static void put_evidence(struct buf *b, const struct evidence *e)
{
	wire_put_u32(b, e->entry);
	wire_put_u64(b, e->line);
	wire_put_stamp(b, &e->ts);
	wire_put_str(b, e->text);
}

static void put_event(struct buf *b, const struct event *e, const struct ruleset *rs)
{
	size_t k;

	wire_put_u32(b, (uint32_t)(e->rule - rs->rules));
	wire_put_u32(b, e->entry);
	wire_put_str(b, e->comp);
	wire_put_str(b, e->state);
	wire_put_str(b, e->note);
	wire_put_u32(b, (uint32_t)e->ncaps);
	for (k = 0; k < e->ncaps; k++) {
		wire_put_str(b, e->caps[k].name);
		wire_put_str(b, e->caps[k].value);
	}
	wire_put_stamp(b, &e->first);
	wire_put_stamp(b, &e->last);
	wire_put_u64(b, e->count);
	wire_put_u32(b, (uint32_t)e->nhead);
	for (k = 0; k < e->nhead; k++)
		put_evidence(b, &e->head[k]);
	wire_put_u32(b, (uint32_t)e->ntail);
	wire_put_u32(b, (uint32_t)e->tail_pos);
	for (k = 0; k < e->ntail; k++)
		put_evidence(b, &e->tail[k]);
	wire_put_u64(b, e->seq);
	wire_put_u32(b, (uint32_t)e->pat);
}

static void put_list(struct buf *b, const struct net_list *l)
{
	size_t i;

	wire_put_u32(b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++)
		wire_put_str(b, l->v[i]);
}

static void put_network(struct buf *b, const struct netinfo *ni)
{
	size_t i;

	wire_put_str(b, ni->entry);
	wire_put_u32(b, (uint32_t)ni->n);
	for (i = 0; i < ni->n; i++) {
		const struct net_adapter *a = &ni->a[i];

		wire_put_str(b, a->name);
		wire_put_str(b, a->description);
		put_list(b, &a->addrs);
		put_list(b, &a->gateways);
		put_list(b, &a->dns);
		wire_put_u64(b, a->line);
		wire_put_u64(b, a->dns_line);
	}
	wire_put_u64(b, ni->dropped);
}

static void put_ctx(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	const struct context *c = &res->ctx;
	size_t i, k;

	wire_put_u32(b, (uint32_t)c->n);
	for (i = 0; i < c->n; i++) {
		wire_put_str(b, c->files[i].name);
		wire_put_bytes(b, c->files[i].data, c->files[i].len);
		wire_put_u64(b, c->files[i].len);
		wire_put_u32(b, (uint32_t)c->files[i].status);
		wire_put_str(b, c->files[i].why);
	}
	for (i = 0; i < N_EXPECTED; i++) {
		const struct expected_file *x = &c->expected[i];

		wire_put_u32(b, (uint32_t)x->status);
		wire_put_str(b, x->entry);
		wire_put_u64(b, x->bytes);
		wire_put_str(b, x->why);
		wire_put_u32(b, (uint32_t)x->nparts);
		for (k = 0; k < x->nparts; k++)
			wire_put_str(b, x->parts[k]);
	}
	wire_put_str(b, c->org_id);
	wire_put_str(b, c->fail_open);
	wire_put_str(b, c->swg_domain);
	wire_put_str(b, c->swg_anycast);
	wire_put_str(b, c->swg_honor_tnd);
	wire_put_u32(b, (uint32_t)c->swg_maxdebug);
	wire_put_str(b, c->product);
	wire_put_u32(b, (uint32_t)c->nvals);
	for (i = 0; i < c->nvals; i++) {
		wire_put_str(b, c->vals[i].name);
		wire_put_str(b, c->vals[i].value);
	}
	put_network(b, &c->net);
}

static void put_explain(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	const struct explain *x = res->explain;
	size_t i;

	wire_put_u32(b, x != NULL);
	if (x == NULL)
		return;
	wire_put_u32(b, (uint32_t)x->n);
	for (i = 0; i < x->n; i++) {
		wire_put_str(b, x->e[i].name);
		wire_put_u64(b, x->e[i].records);
		wire_put_u64(b, x->e[i].candidates);
		wire_put_u64(b, x->e[i].matches);
	}
	wire_put_u64(b, x->near_len);
	wire_put_str(b, x->near_entry);
	wire_put_str(b, x->near_text);
	wire_put_u64(b, x->near_line);
	wire_put_str(b, x->first_match_entry);
	wire_put_str(b, x->first_match_text);
	wire_put_u64(b, x->first_match_line);
	wire_put_u32(b, x->check_holds != NULL);
	for (i = 0; x->check_holds && i < x->rule->nchecks; i++) {
		wire_put_u32(b, (uint32_t)x->check_holds[i]);
		wire_put_str(b, x->check_why ? x->check_why[i] : NULL);
	}
}

/* The capture's fixed part travels as its bytes (both ends are one binary), its two strings
 * after it. */
static void put_capture(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	const struct capture *c = res->capture;
	struct capture fixed;

	wire_put_u32(b, c != NULL);
	if (c == NULL)
		return;
	fixed = *c;
	fixed.path = NULL;
	fixed.problem = NULL;
	buf_add(b, &fixed, sizeof fixed);
	wire_put_str(b, c->path);
	wire_put_str(b, c->problem);
}

/* Mined templates (the worker mines; the parent ranks after correlating). */
static void put_unx(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	const struct unexplained *u = &res->unx;
	size_t i, k;

	wire_put_u64(b, u->dropped);
	wire_put_u32(b, (uint32_t)u->n);
	for (i = 0; i < u->n; i++) {
		const struct ux_template *t = &u->t[i];

		wire_put_str(b, t->text);
		wire_put_u32(b, (uint32_t)t->level);
		wire_put_u64(b, t->count);
		wire_put_stamp(b, &t->first);
		wire_put_stamp(b, &t->last);
		wire_put_u32(b, (uint32_t)t->nentries);
		for (k = 0; k < t->nentries; k++)
			wire_put_u32(b, t->entries[k]);
		wire_put_u32(b, t->ex_entry);
		wire_put_u64(b, t->ex_line);
		wire_put_stamp(b, &t->ex_ts);
		wire_put_str(b, t->ex_text);
		wire_put_u32(b, (uint32_t)t->nspan);
		for (k = 0; k < t->nspan; k++) {
			wire_put_stamp(b, &t->span[k].a);
			wire_put_stamp(b, &t->span[k].b);
			wire_put_u64(b, t->span[k].n);
		}
		wire_put_u32(b, (uint32_t)t->near_only);
	}
}

/* The records a draft asked for (rules draft), after everything else a scan reads. */
static void put_probe(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	const struct probe *p = res->probe;
	size_t i;

	wire_put_u32(b, p != NULL);
	if (p == NULL)
		return;
	wire_put_str(b, p->entry_name);
	wire_put_u32(b, (uint32_t)p->n);
	for (i = 0; i < p->n; i++) {
		const struct probe_record *k = &p->v[i];

		wire_put_u32(b, (uint32_t)k->role);
		wire_put_u64(b, k->line);
		wire_put_stamp(b, &k->ts);
		wire_put_str(b, k->text);
		wire_put_u64(b, k->msg_off);
		wire_put_u32(b, (uint32_t)k->cut);
		wire_put_u32(b, (uint32_t)k->matched);
	}
}

static void put_status(const struct put *w, const struct scan_result *res)
{
	wire_put_u32(w->b, (uint32_t)res->status);
}

static void put_problems(const struct put *w, const struct scan_result *res)
{
	size_t i;

	wire_put_u32(w->b, (uint32_t)res->nproblems);
	for (i = 0; i < res->nproblems; i++) {
		wire_put_str(w->b, res->problems[i].entry);
		wire_put_str(w->b, res->problems[i].msg);
		wire_put_u32(w->b, (uint32_t)res->problems[i].kind);
	}
}

static void put_entries(const struct put *w, const struct scan_result *res)
{
	struct buf *b = w->b;
	size_t i;

	wire_put_u32(b, (uint32_t)res->nentries);
	for (i = 0; i < res->nentries; i++) {
		const struct entry_info *e = &res->entries[i];

		wire_put_str(b, e->name);
		wire_put_str(b, e->log);
		wire_put_stamp(b, &e->first);
		wire_put_stamp(b, &e->last);
		wire_put_u32(b, (uint32_t)e->cut);
		wire_put_u64(b, e->bytes);
		wire_put_u64(b, e->records);
		wire_put_u64(b, e->truncated);
		wire_put_u32(b, (uint32_t)e->encoding);
		wire_put_u32(b, (uint32_t)e->date_order);
	}
}

static void put_entries_seen(const struct put *w, const struct scan_result *res)
{
	wire_put_u64(w->b, res->entries_seen);
}

static void put_bytes(const struct put *w, const struct scan_result *res)
{
	wire_put_u64(w->b, res->bytes);
}

static void put_events(const struct put *w, const struct scan_result *res)
{
	size_t i;

	wire_put_u32(w->b, (uint32_t)res->events.n);
	for (i = 0; i < res->events.n; i++)
		put_event(w->b, &res->events.v[i], w->rs);
}

static void put_start(const struct put *w, const struct scan_result *res)
{
	wire_put_stamp(w->b, &res->start);
}

static void put_end(const struct put *w, const struct scan_result *res)
{
	wire_put_stamp(w->b, &res->end);
}

static void put_capture_failed(const struct put *w, const struct scan_result *res)
{
	wire_put_u32(w->b, (uint32_t)res->capture_failed);
}

static void put_ahead_taken(const struct put *w, const struct scan_result *res)
{
	wire_put_u64(w->b, res->ahead_taken);
}

static void put_collected(const struct put *w, const struct scan_result *res)
{
	wire_put_stamp(w->b, &res->collected.at);
	wire_put_u32(w->b, (uint32_t)res->collected.source);
}

/* The RF_WIRE rows of result.h, in its order, between two magics. */
void wire_encode(const struct scan_result *res, const struct ruleset *rs, struct buf *out)
{
	const struct put w = {out, rs};

	wire_put_u32(out, WIRE_MAGIC);
#define PUT_ROW(member, side, owns, utc, redact) RESULT_IF_WIRE(side, put_##member(&w, res);)
	SCAN_RESULT_FIELDS(PUT_ROW)
#undef PUT_ROW
	wire_put_u32(out, WIRE_MAGIC);
}
