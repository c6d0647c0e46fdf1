/* report_note: -f note, a plain-text case note to paste into a ticket or an e-mail, which the
 * customer may read -- per bundle its name as given (never the engineer's folders), the verdict,
 * every lane's state since when and whether it goes on, since when the top finding holds (a root
 * cause's since is the earliest of what it explains), two evidence lines with entry:line, the fix,
 * the capture to ask for with one complete filter and the quick test, in at most 25 lines (sixteen
 * at most, as built below). Everything from a bundle is escaped for the terminal, as in text. */
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "escape.h"
#include "report_in.h"

#define NOTE_EVIDENCE 2

struct note_state {
	FILE *out;
	size_t bundles;
	int redact;
};

/* One line: label, then s escaped (nothing when s is NULL). */
static void put_line(FILE *out, const char *label, const char *s)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, label);
	escape_adds(&b, s, ESC_TERM);
	fprintf(out, "%s\n", b.p);
	buf_reset(&b);
}

static void put_where(FILE *out, const struct scan_result *res)
{
	const struct context *c = &res->ctx;
	const char *host = context_get(c, CTX_HOST), *ver = context_get(c, CTX_CLIENT_VERSION);
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "Host: ");
	escape_adds(&b, host ? host : "unknown", ESC_TERM);
	buf_adds(&b, ", organisation ");
	escape_adds(&b, c->org_id ? c->org_id : "unknown", ESC_TERM);
	buf_adds(&b, ", client ");
	escape_adds(&b, c->product ? c->product : "unknown", ESC_TERM);
	if (ver) {
		buf_addc(&b, ' ');
		escape_adds(&b, ver, ESC_TERM);
	}
	fprintf(out, "%s\n", b.p);
	buf_reset(&b);
}

/* The top finding's since when and how it stands, or why there is no time: a root cause holds
 * since the earliest of what it explains (relations.c counts it from when both held). */
static void put_since(FILE *out, const struct diagnosis *d, const struct finding *f)
{
	const struct finding *o = f;
	struct buf b;
	size_t i;

	for (i = 0; i < d->nf; i++)
		if (d->f[i].caused_by == f && d->f[i].first.prov != TP_NONE &&
		    (o->first.prov == TP_NONE || d->f[i].first.ms < o->first.ms))
			o = &d->f[i];
	buf_init(&b);
	report_add_since(&b, o);
	report_add_course(&b, f, 1);
	if (b.len == 0)
		fputs("Since: no time in the logs (a fact about the bundle)\n", out);
	else if (strncmp(b.p, "since ", 6) == 0) /* "Since: at least T", not "Since: since at least T" */
		fprintf(out, "Since: %s\n", b.p + 6);
	else
		fprintf(out, "Since: %s\n", b.p[0] == ',' ? b.p + 2 : b.p);
	buf_reset(&b);
}

/* Every lane as the text report's states give it: the state, since when, and for a bad one that
 * it goes on (or as of the cut, in a log cut short). */
static void put_lanes(FILE *out, const struct scan_result *res)
{
	const struct diagnosis *d = &res->diag;
	size_t i, k;

	fputs("States:\n", out);
	for (i = 0; i < component_n; i++) {
		const struct comp_state *cs = &d->states[i];
		enum component_kind kind = component_kind(cs->comp, cs->state);
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "  %s: ", component_table[i].label);
		escape_adds(&b, cs->state ? cs->state : "unknown", ESC_TERM);
		if (cs->note) {
			buf_adds(&b, " (");
			escape_adds(&b, cs->note, ESC_TERM);
			buf_addc(&b, ')');
		}
		if (cs->since.prov != TP_NONE) {
			char t[40];

			timefmt_format_human(&cs->since, t, sizeof t);
			buf_printf(&b, " since %s%s", cs->since_before_log ? "at least " : "", t);
			if (kind == COMP_BAD || kind == COMP_OTHER) {
				const struct finding *cut = NULL;

				for (k = 0; k < d->nf && cut == NULL; k++)
					if (d->f[k].comp && strcmp(d->f[k].comp, cs->comp) == 0 && d->f[k].ongoing && d->f[k].log_cut)
						cut = &d->f[k];
				if (cut)
					report_add_course(&b, cut, 1);
				else
					buf_adds(&b, ", ongoing");
			}
		}
		fprintf(out, "%s\n", b.p);
		buf_reset(&b);
	}
}

/* The first and the last evidence line of the rule's findings, whichever lanes they are on: where
 * it began and how it still reads. */
static void put_evidence(FILE *out, const struct scan_result *res, const struct finding *g, size_t n)
{
	const struct evidence *pick[NOTE_EVIDENCE] = {NULL, NULL};
	size_t i, k;

	for (k = 0; k < n; k++) {
		if (g[k].nev == 0)
			continue;
		if (pick[0] == NULL || evidence_cmp(&g[k].ev[0], &pick[0]) < 0)
			pick[0] = g[k].ev[0];
		if (pick[1] == NULL || evidence_cmp(&g[k].ev[g[k].nev - 1], &pick[1]) > 0)
			pick[1] = g[k].ev[g[k].nev - 1];
	}
	if (pick[0] == NULL)
		return;
	fputs("Evidence:\n", out);
	for (i = 0; i < NOTE_EVIDENCE && (i == 0 || pick[i] != pick[0]); i++) {
		const struct evidence *e = pick[i];
		struct buf b;
		char t[40];

		buf_init(&b);
		buf_adds(&b, "  ");
		escape_adds(&b, scan_entry_name(res, e->entry), ESC_TERM);
		buf_printf(&b, ":%lu  ", e->line);
		if (e->ts.prov != TP_NONE) {
			timefmt_format_human(&e->ts, t, sizeof t);
			buf_printf(&b, "%s  ", t);
		}
		escape_adds(&b, e->text, ESC_TERM);
		fprintf(out, "%s\n", b.p);
		buf_reset(&b);
	}
}

/* A next step that asks for a capture names its filter after this (the rule files word it so). */
#define FILTER_AT "display filter: "

/* Is the n bytes at p one of the " or "-separated terms of terms? */
static int has_term(const struct buf *terms, const char *p, size_t n)
{
	const char *q = terms->len ? terms->p : NULL;

	while (q) {
		const char *e = strstr(q, " or ");
		size_t len = e ? (size_t)(e - q) : strlen(q);

		if (len == n && strncmp(q, p, n) == 0)
			return 1;
		q = e ? e + 4 : NULL;
	}
	return 0;
}

/* Adds each " or "-separated term of filter to terms, once. */
static void add_terms(struct buf *terms, const char *filter)
{
	const char *p = filter;

	while (*p) {
		const char *e = strstr(p, " or ");
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n && !has_term(terms, p, n)) {
			if (terms->len)
				buf_adds(terms, " or ");
			buf_add(terms, p, n);
		}
		p += e ? n + 4 : n;
	}
}

/* The next step that asks for a capture, its filter made complete: every term the findings at or
 * above warning give (both stacks' resolvers when both fail, the proxy's addresses), then every
 * failing proxy address the logs name. The step's words are the first lane's of the top finding,
 * else those of the first finding that asks for one. */
static void put_capture(FILE *out, const struct scan_result *res, const struct finding *const *g, size_t n)
{
	const struct diagnosis *d = &res->diag;
	const char *step = NULL, *at, *ips = context_get(&res->ctx, CTX_SWG_FAILING_ADDRESSES);
	struct buf terms, line;
	size_t i, k, m;

	buf_init(&terms);
	for (m = 0; m < n + d->nf; m++) {
		const struct finding *f = m < n ? g[m] : &d->f[m - n];

		if (f->severity < SEV_WARNING)
			continue;
		for (k = 0; k < f->nnext; k++)
			if ((at = strstr(f->next[k], FILTER_AT)) != NULL) {
				if (step == NULL)
					step = f->next[k];
				add_terms(&terms, at + strlen(FILTER_AT));
			}
	}
	if (step && ips) {
		char *copy = xstrdup(ips), *p, *save = NULL;

		for (p = strtok_r(copy, ", ", &save); p; p = strtok_r(NULL, ", ", &save)) {
			struct buf t;
			size_t len = strlen(p);

			if (p[0] == '[' && len > 2 && p[len - 1] == ']')
				p[len - 1] = '\0', p++;
			buf_init(&t);
			buf_printf(&t, "%s == %s", strchr(p, ':') ? "ipv6.addr" : "ip.addr", p);
			add_terms(&terms, t.p);
			buf_reset(&t);
		}
		free(copy);
	}
	if (step) {
		buf_init(&line);
		at = strstr(step, FILTER_AT) + strlen(FILTER_AT);
		buf_add(&line, step, (size_t)(at - step));
		buf_adds(&line, terms.p);
		put_line(out, "Next step: ", line.p);
		buf_reset(&line);
	}
	buf_reset(&terms);
	for (i = 0; i < n + d->nf; i++) { /* the quick test: the top finding's, else what it explains */
		const struct finding *f = i < n ? g[i] : &d->f[i - n];

		if (i >= n && f->caused_by != g[0])
			continue;
		for (k = 0; k < f->nnext; k++)
			if (strncmp(f->next[k], "Quick test: ", 12) == 0) {
				put_line(out, "", f->next[k]);
				return;
			}
	}
}

/* A bundle read in part is said before anything is taken from it: the first problem, and how many more. */
static void put_caveat(FILE *out, const struct scan_result *res)
{
	struct buf b;

	if (res->status != SCAN_PARTIAL || res->nproblems == 0)
		return;
	buf_init(&b);
	buf_adds(&b, "Read in part: ");
	if (res->problems[0].entry) {
		escape_adds(&b, res->problems[0].entry, ESC_TERM);
		buf_adds(&b, ": ");
	}
	escape_adds(&b, res->problems[0].msg, ESC_TERM);
	if (res->nproblems > 1)
		buf_printf(&b, " (and %zu more)", res->nproblems - 1);
	fprintf(out, "%s\n", b.p);
	buf_reset(&b);
}

static void *note_new(FILE *out, const struct report_opts *o)
{
	struct note_state *s = xcalloc(1, sizeof *s);

	s->out = out;
	s->redact = o->redact;
	return s;
}

/* Sixteen lines at most: bundle, host, verdict, window, a partial read, "States:" and a line a lane,
 * since, "Evidence:" and two lines, fix, next step, quick test (escaping turns any newline in a value
 * into \x0a, so each value stays one line). */
static void note_bundle(void *vp, const struct scan_result *res)
{
	struct note_state *s = vp;
	const struct finding *f = res->diag.nf ? &res->diag.f[0] : NULL;
	const struct finding *g[COMPONENT_MAX];
	char *verdict = report_verdict(res), *name;
	size_t n;

	if (s->bundles++)
		fputc('\n', s->out);
	name = report_bundle_name(res, s->redact, s->bundles);
	put_line(s->out, "Bundle: ", name);
	free(name);
	if (!scan_read_nothing(res) && !res->duplicate_of) /* a duplicate was not read: its note is the first one's */
		put_where(s->out, res);
	put_line(s->out, "Verdict: ", verdict);
	free(verdict);
	{
		char *w = report_window(res);

		if (w)
			put_line(s->out, "Window: ", w);
		free(w);
	}
	if (!res->duplicate_of)
		put_caveat(s->out, res);
	if (scan_read_nothing(res) || res->duplicate_of)
		return;
	put_lanes(s->out, res);
	if (f == NULL || f->severity < SEV_WARNING)
		return;
	put_since(s->out, &res->diag, f);
	n = report_group_len(&res->diag, 0);
	put_evidence(s->out, res, f, n);
	if (n < 2 || !report_group_sorted(&res->diag, 0, n, g)) /* the first lane speaks for a rule on both stacks */
		n = 1, g[0] = f;
	if (g[0]->remediation)
		put_line(s->out, "Fix: ", g[0]->remediation);
	put_capture(s->out, res, g, n);
}

static void note_end(void *vp)
{
	(void)vp;
}

static void note_free(void *vp)
{
	free(vp);
}

const struct report_ops report_note_ops = {"note", note_new, note_bundle, note_end, note_free, 0};
