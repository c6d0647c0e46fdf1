/* relations: findings that explain one another -- "when A overlaps B" adds their root cause,
 * "caused-by" marks consequences, "skew" compares two files' clocks, a capture verdict "confirms" a
 * finding -- and the ranking that puts each root cause first, followed by what it explains. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate_in.h"

static const struct finding *first_of(const struct diagnosis *d, const struct rule *r)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		if (d->f[i].rule == r)
			return &d->f[i];
	return NULL;
}

static int overlaps(const struct finding *a, const struct finding *b, long window_s)
{
	int64_t w = (int64_t)window_s * 1000;

	if (a->first.prov == TP_NONE || b->first.prov == TP_NONE)
		return 1; /* bundle facts hold for the whole bundle */
	return a->first.ms <= b->last.ms + w && b->first.ms <= a->last.ms + w;
}

/* Period i of f: an incident, or for a finding without incidents its whole span. */
static void period_of(const struct finding *f, size_t i, int64_t *start, int64_t *end)
{
	if (f->ninc > 0) {
		*start = f->inc[i].start.ms;
		*end = f->inc[i].end.ms;
	} else {
		*start = f->first.ms;
		*end = f->last.ms;
	}
}

/* How many times a cause held: the periods of one symptom that the other overlaps within the
 * window. A cause has no lines of its own, and the sum of its symptoms' lines counts nothing. */
static unsigned long times_together(const struct finding *a, const struct finding *b, long window_s)
{
	int64_t w = (int64_t)window_s * 1000, as, ae, bs, be;
	size_t i, j, na, nb;
	unsigned long n = 0;

	if (a->first.prov == TP_NONE) { /* a bundle fact: the other's periods count */
		const struct finding *t = a;

		a = b;
		b = t;
	}
	if (a->first.prov == TP_NONE)
		return 1;
	na = a->ninc > 0 ? a->ninc : 1;
	nb = b->ninc > 0 ? b->ninc : 1;
	for (i = 0; i < na; i++) {
		period_of(a, i, &as, &ae);
		for (j = 0; j < nb; j++) {
			period_of(b, j, &bs, &be);
			if (b->first.prov == TP_NONE || (as <= be + w && bs <= ae + w))
				break;
		}
		n += j < nb;
	}
	return n > 0 ? n : 1;
}

/* The first finding of rule r, other than f, that overlaps f within the window, or NULL. */
static const struct finding *overlapping(const struct diagnosis *d, size_t n, const struct rule *r,
                                         const struct finding *f, long window_s)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (&d->f[k] != f && d->f[k].rule == r && overlaps(&d->f[k], f, window_s))
			return &d->f[k];
	return NULL;
}

/* skew: A and B mark the same moments in two files (the agent's restart in both logs, say). The
 * closest pair tells how far apart the two clocks are; beyond the window, a finding says so
 * rather than letting the merged timeline interleave wrongly. */
static void apply_skew(struct diagnosis *d, size_t *cap, const struct rule *r, const struct relation *rel,
                       const struct events *ev, const struct context *ctx)
{
	const struct event *ba = NULL, *bb = NULL;
	int64_t best = INT64_MAX;
	size_t i, j;

	for (i = 0; i < ev->n; i++) {
		if (ev->v[i].rule != rel->ra || ev->v[i].first.prov == TP_NONE)
			continue;
		for (j = 0; j < ev->n; j++) {
			int64_t dt;

			if (ev->v[j].rule != rel->rb || ev->v[j].entry == ev->v[i].entry ||
			    ev->v[j].first.prov == TP_NONE)
				continue;
			dt = ev->v[j].first.ms - ev->v[i].first.ms;
			if ((dt < 0 ? -dt : dt) < (best < 0 ? -best : best)) {
				best = dt;
				ba = &ev->v[i];
				bb = &ev->v[j];
			}
		}
	}
	if (ba == NULL || (best < 0 ? -best : best) <= (int64_t)rel->window * 1000) {
		struct rule_stop s = {r, COND_SKEW, rel, 0, 0, NULL};

		s.why = ba == NULL ? xstrdup("they never both matched, in two different files")
		                   : xasprintf("their closest matches are %lld s apart", (long long)(llabs(best) / 1000));
		diagnosis_note_stop(d, &s);
		return;
	}
	{
		char secs[32];
		struct tpl_ctx t = {ba, ctx, "skew", secs};
		struct finding *f;
		const struct evidence **e2 = xcalloc(2, sizeof *e2);

		snprintf(secs, sizeof secs, "%+lld", (long long)(best / 1000));
		f = new_finding(d, cap, r, NULL, ctx);
		free(f->title);
		f->title = template_expand(r->title, lookup_value, &t);
		f->first = ba->first.ms < bb->first.ms ? ba->first : bb->first;
		f->last = ba->first.ms < bb->first.ms ? bb->first : ba->first;
		f->count = 1;
		e2[0] = &ba->head[0];
		e2[1] = &bb->head[0];
		f->ev = e2;
		f->nev = 2;
	}
}

/* "when A overlaps B" found no pair: which of the two gave no finding, or that theirs were too far apart. */
static void note_no_overlap(struct diagnosis *d, size_t n, const struct rule *r, const struct relation *rel)
{
	struct rule_stop s = {r, COND_WHEN, rel, 0, 0, NULL};
	int fa = 0, fb = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		fa |= d->f[k].rule == rel->ra;
		fb |= d->f[k].rule == rel->rb;
	}
	if (!fa && !fb)
		s.why = xstrdup("neither gave one");
	else if (!fa || !fb)
		s.why = xasprintf("%s gave none", fa ? rel->b : rel->a);
	else
		s.why = xstrdup("theirs never came that close");
	diagnosis_note_stop(d, &s);
}

/* Every finding of the rules a root cause names is its consequence, each state component of
 * them (IPv4 and IPv6 alike), not only the pair that revealed the cause. */
static void mark_caused_by(struct diagnosis *d, size_t n, const struct relation *rel, const struct rule *cause)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (d->f[k].rule == rel->ra || d->f[k].rule == rel->rb)
			d->f[k].caused_by_rule = cause;
}

static int64_t ended_ms(const struct finding *f)
{
	return f->recovered.prov != TP_NONE ? f->recovered.ms : f->stopped.ms;
}

/* The earlier of two findings' onsets; a bundle fact (no time) has none. */
static const struct finding *earlier_of(const struct finding *a, const struct finding *b)
{
	if (a->first.prov == TP_NONE)
		return b;
	if (b->first.prov == TP_NONE)
		return a;
	return a->first.ms <= b->first.ms ? a : b;
}

/* A cause holds since the first of what it explains began (DNS failing at 06:30 under a cloud
 * block the proxy's failures confirm at 06:41 is a block since 06:30), ends as the last of its
 * two consequences did, and lies in a cut log when either does. */
static void course_like_consequences(struct finding *c, const struct finding *a, const struct finding *b)
{
	const struct finding *first = earlier_of(a, b);
	const struct finding *last = ended_ms(a) > ended_ms(b) ? a : b;

	c->first = first->first;
	c->last = a->last.ms > b->last.ms ? a->last : b->last;
	c->ongoing = a->ongoing && b->ongoing;
	c->started_before_log = first->started_before_log;
	c->log_cut = a->log_cut || b->log_cut;
	c->cut_at = a->log_cut ? a->cut_at : b->cut_at;
	if (c->ongoing)
		return;
	c->recovered = last->recovered;
	c->stopped = last->stopped;
	c->log_end = last->log_end;
}

/* A cause is shown with the line its onset is dated by (the first of the earlier consequence),
 * then the latest line of each consequence: it began there and still holds here. c->ev has room. */
static void show_onset_and_now(struct finding *c, const struct finding *a, const struct finding *b)
{
	const struct finding *first = earlier_of(a, b);
	const struct evidence **v = c->ev;

	c->nev = 0;
	if (first->nev && first->ev[0] != first->ev[first->nev - 1])
		v[c->nev++] = first->ev[0];
	if (a->nev)
		v[c->nev++] = a->ev[a->nev - 1];
	if (b->nev)
		v[c->nev++] = b->ev[b->nev - 1];
	sort_array(v, c->nev, sizeof *v, evidence_cmp);
}

/* Relations: "when A overlaps B" adds this rule's finding as their cause; "caused-by A" marks
 * this rule's findings as consequences of A. Indices are used because d->f may move. */
void relations_apply(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct events *ev,
                            const struct context *ctx)
{
	size_t i, j, k, n0 = d->nf;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (j = 0; j < r->nrels && !r->disabled; j++) {
			const struct relation *rel = &r->rels[j];

			if (rel->unless) {
				continue; /* settled before: apply_unless */
			} else if (rel->skew) {
				apply_skew(d, cap, r, rel, ev, ctx);
			} else if (rel->caused_by) {
				for (k = 0; k < n0; k++) {
					struct finding *f = &d->f[k];
					const struct finding *a;

					if (f->rule != r || f->caused_by_rule)
						continue;
					/* any finding of the cause (its IPv6 one as well as its IPv4 one) */
					a = overlapping(d, n0, rel->ra, f, rel->window);
					if (a)
						f->caused_by_rule = a->rule;
				}
			} else {
				size_t ia, ib;
				struct finding *c;

				/* the first pair of findings (any component) that overlaps */
				for (ia = 0; ia < n0; ia++) {
					if (d->f[ia].rule != rel->ra)
						continue;
					for (ib = 0; ib < n0; ib++)
						if (ib != ia && d->f[ib].rule == rel->rb &&
						    overlaps(&d->f[ia], &d->f[ib], rel->window))
							break;
					if (ib < n0)
						break;
				}
				if (ia == n0) {
					note_no_overlap(d, n0, r, rel);
					continue;
				}
				if (first_of(d, r)) { /* another "when" made it: this pair is explained too */
					mark_caused_by(d, n0, rel, r);
					continue;
				}
				c = new_finding(d, cap, r, NULL, ctx);
				c->root = 1;
				{
					struct finding *a = &d->f[ia], *b = &d->f[ib];
					const struct evidence **both = xcalloc(4, sizeof *both);

					c->count = times_together(a, b, rel->window);
					c->stateful = 1;
					c->ev = both;
					show_onset_and_now(c, a, b);
					/* a consequence from a bundle check has no line to show: its why says where */
					if (a->first.prov == TP_NONE && a->why)
						c->why = xstrdup(a->why);
					else if (b->first.prov == TP_NONE && b->why)
						c->why = xstrdup(b->why);
					course_like_consequences(c, a, b);
					/* only a state can recover: a bundle fact and a run of events cannot */
					if (!c->ongoing && (a->stateful || b->stateful))
						cap_severity(c, a->severity > b->severity ? a->severity : b->severity,
						             "its consequences recovered");
					mark_caused_by(d, n0, rel, r);
				}
			}
		}
	}
}

/* The finding a capture verdict confirms: of several with that id (IPv4 and IPv6), the one of
 * the capture's address family. */
static struct finding *find_confirmed(struct diagnosis *d, const struct rule *r, const struct event *e)
{
	size_t i;
	struct finding *any = NULL;
	int v6 = e->nhead && strchr(e->head[0].text, '[') != NULL;

	for (i = 0; i < d->nf; i++) {
		if (d->f[i].rule != r)
			continue;
		if (any == NULL)
			any = &d->f[i];
		if (d->f[i].comp && (strstr(d->f[i].comp, "ipv6") != NULL) == v6)
			return &d->f[i];
	}
	return any;
}

/* What the capture read with the bundle said instead: the capture rules its verdicts fired, each
 * once, in the order they came; or NULL when none was read. */
static char *verdicts_given(const struct events *ev, int captured)
{
	struct buf b;
	size_t i;

	if (!captured)
		return xstrdup("no --pcap was given");
	buf_init(&b);
	for (i = 0; i < ev->n; i++) {
		const struct rule *r = ev->v[i].rule;

		/* each capture rule once; the test against earlier events runs only on capture verdicts */
		if (r->capture >= 0 && events_first_of(ev, r) == &ev->v[i])
			buf_printf(&b, "%s%s", b.len ? ", " : "the one read with the bundle gave ", r->id);
	}
	if (b.len == 0)
		buf_adds(&b, "the one read with the bundle gave no verdict");
	return buf_steal(&b);
}

/* A capture rule no verdict of a capture spoke for: none was read, or the one read said other things. */
static void note_no_verdict(struct diagnosis *d, const struct rule *r, const struct events *ev, int captured)
{
	struct rule_stop s = {r, COND_CAPTURE, NULL, 0, 0, NULL};

	if (r->capture < 0 || r->disabled || r->severity == SEV_NONE || events_first_of(ev, r) != NULL)
		return;
	s.why = verdicts_given(ev, captured);
	diagnosis_note_stop(d, &s);
}

#define CAPTURE_SLACK_MS (300 * 1000) /* a capture taken a few minutes around the incident still counts */

/* A capture verdict becomes evidence on the finding it confirms, or a finding of its own when the
 * logs did not show it. */
void relations_confirm_captures(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct events *ev,
                                const struct context *ctx, const struct correlate_opts *o)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++)
		note_no_verdict(d, &rs->rules[i], ev, o->captured);

	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->v[i];
		struct finding *f = e->rule->confirmed ? find_confirmed(d, e->rule->confirmed, e) : NULL;
		const char *summary = event_capture(e, "summary");

		if (e->rule->capture < 0 || e->rule->disabled)
			continue;
		if (f == NULL) {
			finding_from_events(d, cap, e->rule, &e, 1, ctx, o);
			f = &d->f[d->nf - 1];
		} else {
			const struct evidence **all = xcalloc(f->nev + e->nhead + 1, sizeof *all);

			memcpy(all, f->ev, f->nev * sizeof *all);
			for (k = 0; k < e->nhead; k++)
				all[f->nev + k] = &e->head[k];
			free(f->ev);
			f->ev = all;
			f->nev += e->nhead;
		}
		free(f->capture_note);
		if (!d->capture.aligned)
			f->capture_note = xasprintf("%s: %s (capture times are UTC: the bundle gives no UTC offset, so they "
			                            "could not be aligned with the logs)", e->rule->id, summary ? summary : "");
		else if (f->rule != e->rule &&
		         (e->last.ms + CAPTURE_SLACK_MS < f->first.ms || e->first.ms > f->last.ms + CAPTURE_SLACK_MS))
			f->capture_note = xasprintf("%s: %s (the capture does not overlap this finding's period)",
			                            e->rule->id, summary ? summary : "");
		else
			f->capture_note = xasprintf("%s: %s", e->rule->id, summary ? summary : "");
	}
}

static int cmp_rank(const struct finding *x, const struct finding *y)
{
	int rx = x->root, ry = y->root;

	if (rx != ry) /* the cause leads, whatever the severity its symptoms gave it */
		return rx ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->first.prov != y->first.prov && (x->first.prov == TP_NONE || y->first.prov == TP_NONE))
		return x->first.prov == TP_NONE ? 1 : -1;
	if (x->first.ms != y->first.ms)
		return x->first.ms < y->first.ms ? -1 : 1;
	{
		int c = strcmp(x->rule->id, y->rule->id);

		if (c)
			return c;
	}
	return strcmp(x->comp ? x->comp : "", y->comp ? y->comp : "");
}

static int cmp_rank_q(const void *a, const void *b)
{
	return cmp_rank(a, b);
}

const char *finding_cause_id(const struct finding *f)
{
	return f->caused_by_rule ? f->caused_by_rule->id : NULL;
}

/* Roots by rank, each followed by the findings it explains. */
void relations_rank(struct diagnosis *d)
{
	struct finding *out = xcalloc(d->nf + 1, sizeof *out);
	size_t n = 0, i, k;

	sort_array(d->f, d->nf, sizeof *d->f, cmp_rank_q);
	for (i = 0; i < d->nf; i++) { /* a cause of a cause: attach to the root */
		int hops = 0;
		const struct finding *c;

		while (d->f[i].caused_by_rule && (c = first_of(d, d->f[i].caused_by_rule)) != NULL && c->caused_by_rule &&
		       hops++ < 8)
			d->f[i].caused_by_rule = c->caused_by_rule;
		if (hops >= 8) /* a loop: break it */
			d->f[i].caused_by_rule = NULL;
	}
	for (i = 0; i < d->nf; i++) {
		if (d->f[i].caused_by_rule && first_of(d, d->f[i].caused_by_rule))
			continue;
		d->f[i].caused_by_rule = NULL;
		out[n++] = d->f[i];
		for (k = 0; k < d->nf; k++)
			if (d->f[k].caused_by_rule == d->f[i].rule && first_of(d, d->f[i].rule) == &d->f[i])
				out[n++] = d->f[k];
	}
	free(d->f);
	d->f = out;
	d->nf = n;
	for (i = 0; i < n; i++)
		if (d->f[i].caused_by_rule)
			d->f[i].caused_by = first_of(d, d->f[i].caused_by_rule);
}
