/* diff: both bundles go through batch_run, as any run's do (the worker, its limits); the callback
 * takes each result whole, and the comparison works per rule id, so that a rule firing on IPv4
 * and IPv6 is one line, as the verdict says it. */
#include "diff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report/report.h"

struct taken {
	struct scan_result res[2];
	size_t n;
};

/* batch_run's callback: the result is moved out (the slot left empty, so nothing is freed twice) */
static void take(void *ctx, struct scan_result *res)
{
	struct taken *t = ctx;

	if (t->n < 2)
		t->res[t->n++] = *res;
	else
		scan_result_reset(res);
	memset(res, 0, sizeof *res);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void describe(struct diff_bundle *b, const struct scan_result *res)
{
	size_t i;

	b->path = xstrdup(res->path);
	b->status = res->status;
	b->why = res->status == SCAN_ERROR && res->nproblems ? xstrdup(res->problems[0].msg) : NULL;
	b->host = dup_or_null(context_get(&res->ctx, CTX_HOST));
	b->org = dup_or_null(res->ctx.org_id);
	for (i = 0; i < component_n; i++)
		b->states[i] = res->status == SCAN_ERROR ? NULL
		               : xstrdup(res->diag.states[i].state ? res->diag.states[i].state : "unknown");
}

static struct diff_item *item_for(struct diff *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->items[i].id, id) == 0)
			return &d->items[i];
	d->items = xgrow(d->items, &d->cap, d->n + 1, sizeof *d->items);
	memset(&d->items[d->n], 0, sizeof *d->items);
	d->items[d->n].id = xstrdup(id);
	return &d->items[d->n++];
}

static void add_findings(struct diff *d, const struct diagnosis *dg, int side)
{
	size_t i;

	for (i = 0; i < dg->nf; i++) {
		const struct finding *f = &dg->f[i];
		struct diff_item *it = item_for(d, f->rule->id);
		struct diff_side *s = side ? &it->new : &it->old;

		s->present = 1;
		if (f->severity > s->severity)
			s->severity = f->severity;
		s->ongoing |= f->ongoing;
		s->stateful |= finding_has_course(f);
		s->count += f->count;
	}
}

int diff_bundles(struct diff *d, const char *old, const char *new, const struct scan_opts *so,
                 const struct batch_opts *bo)
{
	struct bundle_list l;
	struct taken t;
	const struct scan_result *after;
	int k;

	memset(d, 0, sizeof *d);
	memset(&t, 0, sizeof t);
	bundle_list_init(&l);
	bundle_list_add(&l, old);
	bundle_list_add(&l, new);
	batch_run(&l, so, bo, take, &t);
	bundle_list_reset(&l);
	/* the same bytes: the run scanned OLD once, and NEW reads as OLD */
	after = t.res[1].duplicate_of ? &t.res[0] : &t.res[1];
	describe(&d->b[0], &t.res[0]);
	describe(&d->b[1], after);
	free(d->b[1].path);
	d->b[1].path = xstrdup(t.res[1].path);
	/* a bundle not read has no findings to resolve or add */
	if (t.res[0].status != SCAN_ERROR && after->status != SCAN_ERROR) {
		add_findings(d, &after->diag, 1); /* NEW's ranking first: what matters now leads */
		add_findings(d, &t.res[0].diag, 0);
	}
	for (k = 0; k < 2; k++)
		scan_result_reset(&t.res[k]);
	return d->b[0].status == SCAN_ERROR || d->b[1].status == SCAN_ERROR ? -1 : 0;
}

int diff_is_new(const struct diff_item *it)
{
	return it->new.present && !it->old.present;
}

int diff_is_resolved(const struct diff_item *it)
{
	return it->old.present && !it->new.present;
}

int diff_is_changed(const struct diff_item *it)
{
	return it->old.present && it->new.present &&
	       (it->old.severity != it->new.severity || it->old.ongoing != it->new.ongoing || it->old.count != it->new.count);
}

size_t diff_worse(const struct diff *d, int fail_on)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->items[i];

		if (!it->new.present || it->new.severity < fail_on)
			continue;
		if (!it->old.present || it->new.severity > it->old.severity || (it->new.ongoing && !it->old.ongoing))
			n++;
	}
	return n;
}

/* Both known and different: an unknown host is not another host. */
static int differ(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

char *diff_mismatch(const struct diff *d)
{
	const struct diff_bundle *o = &d->b[0], *n = &d->b[1];

	if (differ(o->host, n->host) && differ(o->org, n->org))
		return xasprintf("different hosts (%s, %s) and organisations (%s, %s)", o->host, n->host, o->org, n->org);
	if (differ(o->host, n->host))
		return xasprintf("different hosts (%s, %s)", o->host, n->host);
	if (differ(o->org, n->org))
		return xasprintf("different organisations (%s, %s)", o->org, n->org);
	return NULL;
}

/* ---- text ---- */

static void put_side(struct buf *b, const struct diff_side *s)
{
	buf_printf(b, "%s%s, %lu time%s", severity_name(s->severity),
	           !s->stateful ? "" : s->ongoing ? ", ongoing" : ", ended", s->count, s->count == 1 ? "" : "s");
}

static void put_line(FILE *out, struct buf *b)
{
	struct buf e;

	buf_init(&e);
	escape_append(&e, b->p ? b->p : "", b->len, ESC_TERM);
	fprintf(out, "%s\n", e.p ? e.p : "");
	buf_reset(&e);
	buf_reset(b);
}

static void text_changes(const struct diff *d, FILE *out)
{
	struct buf b;
	size_t i, shown = 0;

	buf_init(&b);
	for (i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->items[i];

		if (diff_is_new(it)) {
			buf_printf(&b, "  new        %s (", it->id);
			put_side(&b, &it->new);
		} else if (diff_is_resolved(it)) {
			buf_printf(&b, "  resolved   %s (was ", it->id);
			put_side(&b, &it->old);
		} else if (diff_is_changed(it)) {
			buf_printf(&b, "  changed    %s (", it->id);
			put_side(&b, &it->old);
			buf_adds(&b, " -> ");
			put_side(&b, &it->new);
		} else {
			continue;
		}
		buf_addc(&b, ')');
		put_line(out, &b);
		shown++;
	}
	if (d->b[0].status == SCAN_ERROR || d->b[1].status == SCAN_ERROR)
		fprintf(out, "  findings   not compared: %s could not be read\n", d->b[0].status == SCAN_ERROR ? "OLD" : "NEW");
	else if (shown == 0)
		fputs("  findings   the same\n", out);
}

void diff_emit_text(const struct diff *d, int fail_on, FILE *out)
{
	struct buf b;
	size_t i, worse = diff_worse(d, fail_on);

	buf_init(&b);
	buf_printf(&b, "old  %s", d->b[0].path);
	put_line(out, &b);
	buf_printf(&b, "new  %s", d->b[1].path);
	put_line(out, &b);
	for (i = 0; i < component_n; i++) {
		const char *o = d->b[0].states[i] ? d->b[0].states[i] : "-", *n = d->b[1].states[i] ? d->b[1].states[i] : "-";

		buf_printf(&b, "  %-*s %s", (int)component_widest(COMP_NAME) + 2, component_table[i].name, o);
		if (strcmp(o, n) != 0)
			buf_printf(&b, " -> %s", n);
		else
			buf_adds(&b, " (unchanged)");
		put_line(out, &b);
	}
	text_changes(d, out);
	if (d->b[0].status == SCAN_ERROR || d->b[1].status == SCAN_ERROR)
		fputs("  result     not compared\n", out);
	else if (worse)
		fprintf(out, "  result     worse: %zu finding%s at or above %s new or worse in NEW\n", worse,
		        worse == 1 ? "" : "s", severity_name(fail_on));
	else
		fprintf(out, "  result     nothing at or above %s is new or worse in NEW\n", severity_name(fail_on));
}

/* ---- JSON ---- */

static json_t *side_json(const struct diff_side *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "severity", json_string(severity_name(s->severity)));
	json_object_set_new(o, "ongoing", json_boolean(s->ongoing));
	json_object_set_new(o, "count", json_integer((json_int_t)s->count));
	return o;
}

void diff_emit_json(const struct diff *d, FILE *out)
{
	json_t *doc = json_object(), *df = json_object(), *st = json_object();
	json_t *nf = json_array(), *rf = json_array(), *cf = json_array();
	char *why = diff_mismatch(d);
	size_t i;

	json_object_set_new(doc, "dartscan", json_string(DS_VERSION));
	json_object_set_new(df, "old", report_jstr(d->b[0].path));
	json_object_set_new(df, "new", report_jstr(d->b[1].path));
	for (i = 0; i < component_n; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "old", report_jstr(d->b[0].states[i]));
		json_object_set_new(s, "new", report_jstr(d->b[1].states[i]));
		json_object_set_new(st, component_table[i].name, s);
	}
	json_object_set_new(df, "states", st);
	for (i = 0; i < d->n; i++) {
		const struct diff_item *it = &d->items[i];

		if (diff_is_new(it)) {
			json_array_append_new(nf, json_string(it->id));
		} else if (diff_is_resolved(it)) {
			json_array_append_new(rf, json_string(it->id));
		} else if (diff_is_changed(it)) {
			json_t *c = json_object();

			json_object_set_new(c, "id", json_string(it->id));
			json_object_set_new(c, "old", side_json(&it->old));
			json_object_set_new(c, "new", side_json(&it->new));
			json_array_append_new(cf, c);
		}
	}
	json_object_set_new(df, "new_findings", nf);
	json_object_set_new(df, "resolved_findings", rf);
	json_object_set_new(df, "changed_findings", cf);
	json_object_set_new(df, "mismatch", report_jstr(why));
	free(why);
	json_object_set_new(doc, "diff", df);
	json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(doc);
}

void diff_reset(struct diff *d)
{
	size_t i, k;

	for (k = 0; k < 2; k++) {
		free(d->b[k].path);
		free(d->b[k].why);
		free(d->b[k].host);
		free(d->b[k].org);
		for (i = 0; i < component_n; i++)
			free(d->b[k].states[i]);
	}
	for (i = 0; i < d->n; i++)
		free(d->items[i].id);
	free(d->items);
	memset(d, 0, sizeof *d);
}
