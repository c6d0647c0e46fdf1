/* report_note: -f note, a plain-text case note to paste into a ticket or an e-mail -- per bundle
 * the verdict, since when, two evidence lines with entry:line, the fix and the next step, in at
 * most 25 lines (ten at most, as built below). Everything from a bundle is escaped for the terminal, as in text. */
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "escape.h"
#include "report.h"

#define NOTE_EVIDENCE 2

struct note_state {
	FILE *out;
	size_t bundles;
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
	const char *host = context_value(c, "host"), *ver = context_value(c, "client_version");
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

/* The top finding's since when and how it stands, or why there is no time. */
static void put_since(FILE *out, const struct finding *f)
{
	struct buf b;

	buf_init(&b);
	report_add_since(&b, f);
	report_add_course(&b, f, 1);
	if (b.len == 0)
		fputs("Since: no time in the logs (a fact about the bundle)\n", out);
	else if (strncmp(b.p, "since ", 6) == 0) /* "Since: at least T", not "Since: since at least T" */
		fprintf(out, "Since: %s\n", b.p + 6);
	else
		fprintf(out, "Since: %s\n", b.p[0] == ',' ? b.p + 2 : b.p);
	buf_reset(&b);
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

/* Which of the top rule's findings speaks for its fix and next step: a rule failing on several
 * lanes is one block in the text report, with its first lane's fix (IPv4's names both stacks'
 * resolvers), and the note says what the report says -- not the IPv6 finding's "the IPv6 path is
 * blocked" when IPv4 fails too. */
static const struct finding *speaker(const struct finding *g, size_t n)
{
	const struct finding *f = &g[0];
	int best = -1;
	size_t k;

	for (k = 0; k < n; k++) {
		int at = component_index(g[k].comp);

		if (at >= 0 && (best < 0 || at < best)) {
			best = at;
			f = &g[k];
		}
	}
	return f;
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

	(void)o;
	s->out = out;
	return s;
}

/* Ten lines at most: bundle, host, verdict, a partial read, since, "Evidence:" and two lines, fix, next step
 * (escaping turns any newline in a value into \x0a, so each value stays one line). */
static void note_bundle(void *vp, const struct scan_result *res)
{
	struct note_state *s = vp;
	const struct finding *f = res->diag.nf ? &res->diag.f[0] : NULL;
	char *verdict = report_verdict(res);
	size_t n;

	if (s->bundles++)
		fputc('\n', s->out);
	put_line(s->out, "Bundle: ", res->path);
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
	if (scan_read_nothing(res) || res->duplicate_of || f == NULL || f->severity < SEV_WARNING)
		return;
	put_since(s->out, f);
	n = report_group_len(&res->diag, 0);
	put_evidence(s->out, res, f, n);
	f = speaker(f, n);
	if (f->remediation)
		put_line(s->out, "Fix: ", f->remediation);
	if (f->nnext)
		put_line(s->out, "Next step: ", f->next[0]);
}

static void note_end(void *vp)
{
	(void)vp;
}

static void note_free(void *vp)
{
	free(vp);
}

const struct report_ops report_note_ops = {"note", note_new, note_bundle, note_end, note_free};
