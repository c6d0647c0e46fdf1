/* report_text: the human report. Everything from a bundle is escaped for the terminal first: a
 * log line must not be able to drive the reader's terminal. Colour only when asked (main decides
 * from --color, NO_COLOR and isatty). */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_in.h"

struct text_state {
	FILE *out;
	struct report_opts o;
	struct report_text_summary sum; /* the rows and counts the batch's summary ends with */
};

static const char *sev_color(int sev)
{
	switch (sev) {
	case SEV_CRITICAL: return "\033[1;35m";
	case SEV_ERROR: return "\033[1;31m";
	case SEV_WARNING: return "\033[1;33m";
	case SEV_INFO: return "\033[36m";
	default: return "";
	}
}

static void put_safe(FILE *out, const char *s)
{
	escape_put_term(out, s);
}

static void put_time(FILE *out, const struct stamp *st)
{
	char t[40];

	timefmt_format_human(st, t, sizeof t);
	fputs(t, out);
}

static void put_course(FILE *out, const struct finding *f)
{
	struct buf b;

	buf_init(&b);
	report_add_course(&b, f, 1);
	fputs(b.p ? b.p : "", out);
	buf_reset(&b);
}

/* A state or severity in capitals (a static buffer: use it before the next call). */
static const char *upper_word(const char *state)
{
	static char up[32];
	size_t i;

	for (i = 0; state[i] && i + 1 < sizeof up; i++)
		up[i] = (char)(state[i] >= 'a' && state[i] <= 'z' ? state[i] - 32 : state[i]);
	up[i] = '\0';
	return up;
}

/* "(ongoing)", or as the finding in a cut log puts it: "(ongoing as of the cut (T))". */
static void put_state_course(FILE *out, const struct diagnosis *d, const char *comp)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		if (d->f[i].comp && strcmp(d->f[i].comp, comp) == 0 && d->f[i].ongoing && d->f[i].log_cut) {
			struct buf b;

			buf_init(&b);
			report_add_course(&b, &d->f[i], 1);
			fprintf(out, " (%s)", b.p + 2); /* without its leading ", " */
			buf_reset(&b);
			return;
		}
	fputs(" (ongoing)", out);
}

static void print_states(struct text_state *s, const struct scan_result *res)
{
	size_t i;

	for (i = 0; i < component_n; i++) {
		const struct comp_state *cs = &res->diag.states[i];
		enum component_kind kind = component_kind(cs->comp, cs->state);
		int bad = kind == COMP_BAD || kind == COMP_OTHER; /* a word of a rule's own is a failure too */

		fprintf(s->out, "  %-*s %s%s%s", (int)component_widest(COMP_LABEL) + 2, component_table[i].label,
		        bad && s->o.color ? "\033[1;31m" : "",
		        upper_word(cs->state ? cs->state : "unknown"), bad && s->o.color ? "\033[0m" : "");
		if (cs->note) {
			fputs(" (", s->out);
			put_safe(s->out, cs->note);
			fputc(')', s->out);
		}
		if (cs->since.prov != TP_NONE) {
			fputs(cs->since_before_log ? " since at least " : " since ", s->out);
			put_time(s->out, &cs->since);
			if (bad)
				put_state_course(s->out, &res->diag, cs->comp);
		}
		fputc('\n', s->out);
	}
}

/* " Wi-Fi 10.20.30.41 gw 10.20.30.1 dns 127.0.0.1, Tailscale Tunnel 100.101.102.103 dns 100.100.100.100" */
static void print_network(struct text_state *s, const struct netinfo *ni)
{
	size_t i, k;

	for (i = 0; i < ni->n; i++) {
		const struct net_adapter *a = &ni->a[i];

		fputs(i ? "; " : "", s->out);
		put_safe(s->out, a->description ? a->description : a->name);
		for (k = 0; k < a->addrs.n; k++) {
			fputc(' ', s->out);
			put_safe(s->out, a->addrs.v[k]);
		}
		for (k = 0; k < a->gateways.n; k++) {
			fputs(k ? ", " : " gw ", s->out);
			put_safe(s->out, a->gateways.v[k]);
		}
		for (k = 0; k < a->dns.n; k++) {
			fputs(k ? ", " : " dns ", s->out);
			put_safe(s->out, a->dns.v[k]);
		}
	}
	if (ni->dropped)
		fprintf(s->out, " (and %lu more adapters)", ni->dropped);
}

/* "collected 2024-08-27 03:20:30 (entry times), 20 min after the last failure" */
static void print_collected(struct text_state *s, const struct diagnosis *d)
{
	const struct collection *c = &d->collected;
	char gap[40];

	if (c->at.prov == TP_NONE)
		return;
	fputs("  collected ", s->out);
	put_time(s->out, &c->at);
	fputs(" (", s->out);
	put_safe(s->out, c->source);
	fputc(')', s->out);
	if (c->last_failure.prov != TP_NONE && c->last_failure.ms <= c->at.ms) {
		timefmt_duration(c->at.ms - c->last_failure.ms, gap, sizeof gap);
		fprintf(s->out, ", %s after the last failure", gap);
	}
	fputc('\n', s->out);
}

static void print_context(struct text_state *s, const struct context *c)
{
	size_t i;

	fputs("  context   ", s->out);
	fputs("org ", s->out);
	put_safe(s->out, c->org_id ? c->org_id : "?");
	if (c->product) {
		fputs(", ", s->out);
		put_safe(s->out, c->product);
	}
	if (context_get(c, CTX_CLIENT_VERSION)) {
		fputs(" ", s->out);
		put_safe(s->out, context_get(c, CTX_CLIENT_VERSION));
	}
	if (context_get(c, CTX_OS)) {
		fputs(", ", s->out);
		put_safe(s->out, context_get(c, CTX_OS));
	}
	if (c->swg_domain || c->fail_open) {
		fputs(", SWG ", s->out);
		put_safe(s->out, c->swg_domain ? c->swg_domain : "?");
		fprintf(s->out, " fail-open=%s", c->fail_open ? c->fail_open : "?");
	}
	if (c->swg_maxdebug >= 0)
		fprintf(s->out, ", SWG max-debug %s", c->swg_maxdebug ? "on" : "off");
	if (context_get(c, CTX_VPN_PRODUCTS)) {
		fputs(", VPN/proxy software ", s->out);
		put_safe(s->out, context_get(c, CTX_VPN_PRODUCTS));
	}
	if (c->net.n) {
		fputs("\n  network   ", s->out);
		print_network(s, &c->net);
	}
	fputs("\n  files    ", s->out);
	for (i = 0; i < N_EXPECTED; i++)
		fprintf(s->out, " %s %s%s", c->expected[i].base, file_status_name(c->expected[i].status),
		        i + 1 < N_EXPECTED ? "," : "\n");
}

/* The facts of one finding about one component: when, how often, how it stands, and why. */
static void print_facts(struct text_state *s, const struct finding *f)
{
	char *inc;

	if (finding_cause_id(f))
		fprintf(s->out, "          caused by %s\n", finding_cause_id(f));
	if (f->first.prov != TP_NONE) {
		fputs("          seen      ", s->out);
		if (f->started_before_log)
			fputs("since at least ", s->out);
		put_time(s->out, &f->first);
		if (f->started_before_log)
			fputs(" (the log starts failing)", s->out);
		if (f->last.ms != f->first.ms) {
			fputs(" .. ", s->out);
			put_time(s->out, &f->last);
		}
		fprintf(s->out, ", %lu time%s", f->count, f->count == 1 ? "" : "s");
		if (f->ninc > 1)
			fprintf(s->out, " in %zu incidents", f->ninc);
		if (f->period_s > 0 && f->count > 2) {
			char c[32];

			timefmt_cadence(f->period_s, c, sizeof c);
			fprintf(s->out, ", every ~%s", c);
		}
		put_course(s->out, f);
		fputc('\n', s->out);
		if ((inc = report_incidents(f)) != NULL)
			fprintf(s->out, "          %-9s %s\n", f->ninc > 1 ? "incidents" : "lasted", inc);
		free(inc);
	}
	if (f->severity_note) {
		fputs("          note      severity lowered: ", s->out);
		put_safe(s->out, f->severity_note);
		fputc('\n', s->out);
	}
	if (f->capture_note) {
		fputs("          capture   ", s->out);
		put_safe(s->out, f->capture_note);
		fputc('\n', s->out);
	}
	if (f->why) {
		fputs("          why       ", s->out);
		put_safe(s->out, f->why);
		fputc('\n', s->out);
	}
}

/* Evidence lines with "... N more" after the first half. */
static void print_evidence(struct text_state *s, const struct scan_result *res, const struct evidence *const *ev,
                           size_t nev, unsigned long omitted)
{
	size_t i;

	for (i = 0; i < nev; i++) {
		const struct evidence *e = ev[i];

		fputs(i == 0 ? "          evidence  " : "                    ", s->out);
		put_safe(s->out, scan_entry_name(res, e->entry));
		fprintf(s->out, ":%lu  ", e->line);
		if (e->ts.prov != TP_NONE) {
			put_time(s->out, &e->ts);
			fputs("  ", s->out);
		}
		put_safe(s->out, e->text);
		fputc('\n', s->out);
		if (omitted && i + 1 == (nev + 1) / 2 && i + 1 < nev)
			fprintf(s->out, "                    ... %lu more\n", omitted);
	}
	if (omitted && nev == 1)
		fprintf(s->out, "                    ... %lu more\n", omitted);
}

/* The fix of the first finding; the next steps of all, each distinct one once (a capture filter
 * for IPv4 and one for IPv6). */
static void print_remedy(struct text_state *s, const struct finding *const *g, size_t n)
{
	const struct finding *f = g[0];
	size_t i, k, shown = 0;

	if (f->remediation) {
		fputs("          fix       ", s->out);
		put_safe(s->out, f->remediation);
		fputc('\n', s->out);
	}
	for (k = 0; k < n; k++)
		for (i = 0; i < g[k]->nnext; i++) {
			if (report_next_repeats(g, k, i))
				continue;
			fputs(shown++ == 0 ? "          next      " : "                    ", s->out);
			put_safe(s->out, g[k]->next[i]);
			fputc('\n', s->out);
		}
	for (i = 0; i < f->rule->nrefs; i++) {
		fputs("          see       ", s->out);
		put_safe(s->out, f->rule->refs[i]);
		fputc('\n', s->out);
	}
}

static void print_head(struct text_state *s, int sev, const char *id)
{
	const char *col = s->o.color ? sev_color(sev) : "";

	fprintf(s->out, "\n  %s%-7s%s %s", col, upper_word(severity_name(sev)), s->o.color ? "\033[0m" : "", id);
}

static void print_finding(struct text_state *s, const struct scan_result *res, const struct finding *f)
{
	print_head(s, f->severity, f->rule->id);
	if (f->comp)
		fprintf(s->out, " [%s]", f->comp);
	fputs("  ", s->out);
	put_safe(s->out, f->title);
	fputc('\n', s->out);
	print_facts(s, f);
	print_evidence(s, res, f->ev, f->nev, f->ev_omitted);
	print_remedy(s, &f, 1);
}

/* One rule firing on several state components at once (IPv4 and IPv6): one block, each
 * component's own figures, one evidence list merged by time, the fix of the first component. */
static void print_group(struct text_state *s, const struct scan_result *res, const struct finding *const *g, size_t n)
{
	const struct evidence **ev;
	size_t i, k, nev = 0, keep = 0, first, last;
	unsigned long total = 0;
	int worst = SEV_NONE;

	for (i = 0; i < n; i++) {
		if (g[i]->severity > worst)
			worst = g[i]->severity;
		keep = g[i]->nev > keep ? g[i]->nev : keep;
		nev += g[i]->nev;
		total += g[i]->nev + g[i]->ev_omitted;
	}
	print_head(s, worst, g[0]->rule->id);
	for (i = 0; i < n; i++)
		fprintf(s->out, "%s%s", i ? ", " : " [", g[i]->comp);
	fputs("]\n", s->out);
	ev = xcalloc(nev + 1, sizeof *ev);
	for (i = 0, nev = 0; i < n; i++) {
		fprintf(s->out, "          %-9s ", g[i]->comp);
		if (g[i]->severity != worst)
			fprintf(s->out, "(%s) ", severity_name(g[i]->severity));
		put_safe(s->out, g[i]->title);
		fputc('\n', s->out);
		print_facts(s, g[i]);
		for (k = 0; k < g[i]->nev; k++)
			ev[nev++] = g[i]->ev[k];
	}
	sort_array(ev, nev, sizeof *ev, evidence_cmp);
	if (nev > keep) { /* the first and the last few of all, as for one finding */
		first = (keep + 1) / 2;
		last = keep - first;
		memmove(ev + first, ev + nev - last, last * sizeof *ev);
		nev = keep;
	}
	print_evidence(s, res, ev, nev, total > nev ? total - nev : 0);
	free(ev);
	print_remedy(s, g, n);
}

/* Prints the findings, a rule's several components as one block (component order inside it). */
static void print_findings(struct text_state *s, const struct scan_result *res)
{
	const struct diagnosis *d = &res->diag;
	size_t i = 0, k, j;

	while (i < d->nf) {
		size_t n = report_group_len(d, i);
		const struct finding *g[COMPONENT_MAX];

		if (n == 1 || n > component_n) {
			print_finding(s, res, &d->f[i++]);
			continue;
		}
		for (k = 0, j = 0; k < component_n; k++) {
			size_t m;

			for (m = 0; m < n; m++)
				if (strcmp(d->f[i + m].comp, component_table[k].name) == 0)
					g[j++] = &d->f[i + m];
		}
		if (j == n)
			print_group(s, res, g, n);
		else
			for (k = 0; k < n; k++)
				print_finding(s, res, &d->f[i + k]);
		i += n;
	}
}


static void print_timeline(struct text_state *s, const struct scan_result *res)
{
	size_t n, i;
	struct timeline_item *it = diagnosis_timeline(&res->diag, &n);

	fputs("\n  timeline\n", s->out);
	for (i = 0; i < n; i++) {
		const struct timeline_item *t = &it[i];

		fputs("    ", s->out);
		put_time(s->out, &t->ts);
		if (t->kind == TL_STATE) {
			fprintf(s->out, "  %-*s %-*s", (int)component_widest(COMP_NAME) + 1, t->change->comp,
			        (int)component_widest(COMP_WORD) + 1, upper_word(t->change->state));
		} else if (t->kind == TL_FINDING) {
			fprintf(s->out, "  %s %s", severity_name(t->f->severity), t->f->rule->id);
			if (t->f->comp)
				fprintf(s->out, " [%s]", t->f->comp);
			if (t->inc && t->f->ninc > 1)
				fprintf(s->out, " incident %ld of %zu begins", (long)(t->inc - t->f->inc) + 1, t->f->ninc);
			else
				fputs(" begins", s->out);
			if (t->inc == NULL) {
				/* a cause's count is of times it held, not of lines: "until" says enough */
				if (!t->f->root)
					fprintf(s->out, ": %lu time%s", t->f->count, t->f->count == 1 ? "" : "s");
				if (t->f->last.ms != t->f->first.ms) {
					fputs(t->f->root ? ": until " : " until ", s->out);
					put_time(s->out, &t->f->last);
				}
			} else { /* this incident's own figures, not the finding's */
				fprintf(s->out, ": %lu time%s", t->inc->count, t->inc->count == 1 ? "" : "s");
				if (t->f->period_s > 0 && t->inc->count > 2) {
					char c[32];

					timefmt_cadence(t->f->period_s, c, sizeof c);
					fprintf(s->out, " every ~%s", c);
				}
				if (t->inc->last.ms != t->inc->start.ms) {
					fputs(" until ", s->out);
					put_time(s->out, &t->inc->last);
				}
			}
			if (t->inc ? t->inc->ongoing : t->f->ongoing)
				fputs(" (ongoing)", s->out);
		} else if (t->kind == TL_RECOVERED) {
			fprintf(s->out, "  %s", t->f->rule->id);
			if (t->f->comp)
				fprintf(s->out, " [%s]", t->f->comp);
			fputs(t->inc && t->inc->stopped ? " failures stop (no recovery line)" : " recovered", s->out);
		} else {
			fputs("  end of bundle", s->out);
		}
		if (t->ev && t->kind == TL_STATE) {
			fputs("  ", s->out);
			put_safe(s->out, base_name(scan_entry_name(res, t->ev->entry)));
			fprintf(s->out, ":%lu  ", t->ev->line);
			put_safe(s->out, t->ev->text);
		}
		fputc('\n', s->out);
	}
	free(it);
}

static void print_notes(struct text_state *s, const struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nentries; i++)
		if (report_date_order_note(res->entries[i].date_order)) {
			fputs("  note      ", s->out);
			put_safe(s->out, res->entries[i].name);
			fprintf(s->out, ": %s\n", report_date_order_note(res->entries[i].date_order));
		}
	if (res->diag.collected.note) {
		fputs("  note      ", s->out);
		put_safe(s->out, res->diag.collected.note);
		fputc('\n', s->out);
	}
	if (res->capture) {
		const struct capture *c = res->capture;

		fputs("  capture   ", s->out);
		put_safe(s->out, c->path);
		fprintf(s->out, ": %lu frames, link type %d, ", c->frames, c->linktype);
		if (res->diag.capture.aligned)
			fprintf(s->out, "aligned to the logs at UTC%+ld min (%s)\n", res->diag.capture.offset_min,
			        res->diag.capture.source);
		else
			fputs("NOT aligned: the bundle gives no UTC offset; capture times are shown in UTC\n", s->out);
	}
	if (s->o.utc && res->utc) {
		long o = res->diag.capture.offset_min;

		fprintf(s->out, "  times     UTC, moved by the client's offset UTC%c%02ld:%02ld (%s)\n", o < 0 ? '-' : '+',
		        labs(o) / 60, labs(o) % 60, res->diag.capture.source);
	}
	else if (s->o.utc)
		fputs("  times     left local: the bundle gives no UTC offset (no EPOC anchor, no time zone)\n", s->out);
	if (res->diag.clock.found) {
		long o = res->diag.clock.offset_min;

		fprintf(s->out, "  clock     client time is UTC%c%02ld:%02ld (from ", o < 0 ? '-' : '+', labs(o) / 60,
		        labs(o) % 60);
		put_safe(s->out, base_name(scan_entry_name(res, res->diag.clock.ev->entry)));
		fprintf(s->out, ":%lu)\n", res->diag.clock.ev->line);
	}
}

/* What no rule explains: the first --unexplained templates, each with its first record. */
static void print_unexplained(struct text_state *s, const struct scan_result *res)
{
	const struct unexplained *u = &res->unx;
	size_t i, near, n = u->n < (size_t)s->o.unexplained ? u->n : (size_t)s->o.unexplained;

	if (s->o.unexplained <= 0 || u->n == 0)
		return;
	/* counted by level apart from those near the failures: a site rule's incidents add the latter */
	near = unexplained_near(u);
	fprintf(s->out, "\n  UNEXPLAINED  message shapes no rule matched: %zu at warning or error", u->n - near);
	if (near)
		fprintf(s->out, ", %zu near the failures", near);
	fprintf(s->out, "; the first %zu (ranked: in an incident, new, burst, level, rarity)\n", n);
	if (u->dropped) /* a count below says what was mined: the engineer must know it is not the log's */
		fprintf(s->out, "          and %lu record%s not mined (past the caps, or no fixed word): the counts are of those mined\n",
		        u->dropped, u->dropped == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const struct ux_template *t = &u->t[i];

		fprintf(s->out, "          %-7s x%-4lu ", ux_level_name(t->level), t->count);
		put_safe(s->out, t->text);
		fputc('\n', s->out);
		fputs("                       ", s->out);
		if (t->first.prov != TP_NONE) {
			put_time(s->out, &t->first);
			if (t->count > 1 && t->last.ms != t->first.ms) {
				fputs(" .. ", s->out);
				put_time(s->out, &t->last);
			}
			fputs(", ", s->out);
		}
		fprintf(s->out, "%s%s%s\n", t->in_incident ? "in an incident" : "outside the incidents",
		        t->burst ? ", in a burst" : "", t->is_new ? ", NEW (not in the baseline)" : "");
		fputs("                       e.g. ", s->out);
		put_safe(s->out, scan_entry_name(res, t->ex_entry));
		fprintf(s->out, ":%lu  ", t->ex_line);
		put_safe(s->out, t->ex_text);
		fputc('\n', s->out);
	}
}

static void *text_new(FILE *out, const struct report_opts *o)
{
	struct text_state *s = xcalloc(1, sizeof *s);

	s->out = out;
	s->o = *o;
	s->sum.out = out;
	s->sum.o = &s->o;
	return s;
}

static void text_bundle(void *vp, const struct scan_result *res)
{
	struct text_state *s = vp;
	char *w;

	if (s->sum.rows.n) /* a blank line between bundles */
		fputc('\n', s->out);
	report_text_summary_add(&s->sum, res);
	put_safe(s->out, res->path);
	if (res->status != SCAN_OK)
		fprintf(s->out, "  [%s]", scan_status_name(res->status));
	fputc('\n', s->out);
	fputs("  verdict   ", s->out);
	put_safe(s->out, s->sum.rows.v[s->sum.rows.n - 1].verdict);
	fputc('\n', s->out);
	if (res->duplicate_of) { /* scanned once: its report is the earlier bundle's */
		fputs("  same      bytes as ", s->out);
		put_safe(s->out, res->duplicate_of);
		fprintf(s->out, " (sha256 %s): not scanned again\n", res->sha256 ? res->sha256 : "?");
		s->sum.dups++;
		if (res->status == SCAN_ERROR)
			s->sum.errors++;
		return;
	}
	report_print_problems(s->out, res, "  problem   ");
	if (scan_read_nothing(res)) {
		s->sum.errors += res->status == SCAN_ERROR;
		return;
	}
	print_states(s, res);
	print_context(s, &res->ctx);
	print_collected(s, &res->diag);
	if ((w = report_window(res)) != NULL)
		fprintf(s->out, "  window    %s (the logs' local time): records outside it are not counted\n", w);
	free(w);
	print_notes(s, res);
	print_findings(s, res);
	if (res->diag.nf == 0)
		fputs("\n  no findings\n", s->out);
	print_unexplained(s, res);
	if (s->o.baseline && unexplained_new(&res->unx))
		s->sum.with_new++;
	if (s->o.timeline)
		print_timeline(s, res);
}

static void text_end(void *vp)
{
	struct text_state *s = vp;

	report_text_summary_emit(&s->sum);
}

static void text_free(void *vp)
{
	struct text_state *s = vp;

	if (s == NULL)
		return;
	report_text_summary_reset(&s->sum);
	free(s);
}

const struct report_ops report_text_ops = {"text", text_new, text_bundle, text_end, text_free, 0};
