/* test_match: the matcher alone on records built here -- runs joined and split, evidence kept from
 * both ends, captures and states, which rules read an entry, the prefilter, explain-only rules, limits. */
#include <stdlib.h>

#include "check.h"
#include "match.h"
#include "rules/rules.h"

#define T0 1724724000000LL /* 2024-08-27 02:00:00 */

/* Correlation never runs here: only what the matcher reads of each rule matters. */
static const char rules_text[] =
    "rule: m.fail\n"
    "title: t\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: (?<stack>(?<v4>IPv4)|(?<v6>IPv6)) rejected (?<addr>\\S+)\n"
    "state: dns_${stack}=unprotected\n"
    "\n"
    "rule: m.web\n"
    "title: t\n"
    "severity: warning\n"
    "files: b.txt\n"
    "pattern: proxy (?<ctxlist_addrs>\\S+) unreachable\n"
    "state: WEB=unavailable (fail-open)\n"
    "\n"
    "rule: m.split\n"
    "title: t\n"
    "severity: info\n"
    "files: a.txt\n"
    "pattern: dnscrypt blocked\n"
    "pattern: port 443 refused\n"
    "unless: m.fail within 10\n"
    "\n"
    "rule: m.ref\n"
    "title: t\n"
    "severity: warning\n"
    "files: a.txt\n"
    "unless: m.cited within 5\n"
    "pattern: agent crashed\n"
    "pattern: agent hung\n"
    "\n"
    "rule: m.quiet\n"
    "title: t\n"
    "severity: none\n"
    "files: a.txt\n"
    "pattern: routine step \\d+\n"
    "\n"
    "rule: m.named\n"
    "title: t\n"
    "severity: none\n"
    "files: a.txt\n"
    "pattern: routine host (?<ctx_host>\\S+)\n"
    "\n"
    "rule: m.cited\n"
    "title: t\n"
    "severity: none\n"
    "files: a.txt\n"
    "pattern: agent started\n"
    "\n"
    "rule: m.slow\n"
    "title: t\n"
    "severity: info\n"
    "files: c.txt\n"
    "pattern: (a|aa)+xyzzy\n"
    "\n"
    "rule: m.other\n"
    "title: t\n"
    "severity: warning\n"
    "files: c.txt\n"
    "pattern: other thing\n";

/* A record whose message is its whole text, at T0 + sec (sec < 0: no time). */
static struct record rec_at(const char *text, long sec, unsigned long line)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.text = r.msg = text;
	r.len = r.msg_len = strlen(text);
	r.line = line;
	if (sec >= 0) {
		r.ts.ms = T0 + (int64_t)sec * 1000;
		r.ts.prov = TP_LOCAL;
	}
	return r;
}

static int feed(struct matcher *m, struct events *ev, const char *text, long sec, unsigned long line)
{
	struct record r = rec_at(text, sec, line);

	return matcher_record(m, &r, ev);
}

static int is_at(struct stamp st, long s)
{
	return st.prov != TP_NONE && st.ms == T0 + (int64_t)s * 1000;
}

/* The n-th event of rule id (from 0), or NULL. */
static const struct event *nth_event(const struct events *ev, const char *id, size_t n)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->v[i].rule->id, id) == 0 && n-- == 0)
			return &ev->v[i];
	return NULL;
}

static size_t count_events(const struct events *ev, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < ev->n; i++)
		n += strcmp(ev->v[i].rule->id, id) == 0;
	return n;
}

/* Takes the warnings, frees them, returns how many; *first gets a copy of the first one. */
static size_t take_warnings(struct matcher *m, char **first)
{
	size_t n = 0, i;
	char **w = matcher_take_warnings(m, &n);

	if (first)
		*first = n ? xstrdup(w[0]) : NULL;
	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return n;
}

static struct matcher *new_matcher(const struct ruleset *rs, long run_gap_s, uint32_t match_limit)
{
	struct match_limits lim;

	match_limits_default(&lim);
	if (run_gap_s)
		lim.run_gap_s = run_gap_s;
	if (match_limit)
		lim.match_limit = match_limit;
	return matcher_new(rs, &lim);
}

static void check_runs(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	const struct event *e;

	events_init(&ev);
	matcher_begin_bundle(m);
	matcher_begin_entry(m, "a.txt", 0);
	CHECK("match/runs/severity-returned", feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1) == SEV_ERROR);
	feed(m, &ev, "IPv4 rejected 2.2.2.2", 60, 2);
	feed(m, &ev, "IPv6 rejected ::1", 90, 3); /* another meaning between them */
	feed(m, &ev, "IPv4 rejected 3.3.3.3", 120, 4);
	feed(m, &ev, "IPv4 rejected 4.4.4.4", 420, 5);  /* 300 s after: still the run */
	feed(m, &ev, "IPv4 rejected 5.5.5.5", 721, 6);  /* 301 s after: a new one */
	feed(m, &ev, "IPv4 rejected 6.6.6.6", -1, 7);   /* no time: the run it follows */
	e = nth_event(&ev, "m.fail", 0);
	CHECK("match/runs/joined", e && e->count == 4 && is_at(e->first, 0) && is_at(e->last, 420));
	CHECK("match/runs/meaning", e && e->comp && strcmp(e->comp, "dns_ipv4") == 0 && e->state &&
	                                strcmp(e->state, "unprotected") == 0 && e->note == NULL);
	e = nth_event(&ev, "m.fail", 1);
	CHECK("match/runs/other-meaning-apart", e && e->count == 1 && strcmp(e->comp, "dns_ipv6") == 0 && e->seq == 1);
	e = nth_event(&ev, "m.fail", 2);
	CHECK("match/runs/split-after-gap", e && e->count == 2 && is_at(e->first, 721) && is_at(e->last, 721) &&
	                                        e->seq == 2 && e->nhead == 2 && e->head[1].line == 7);
	CHECK("match/runs/three", ev.n == 3);
	matcher_end_entry(m, &ev);

	/* a new entry starts its own runs, and an export written newest first keeps its ends by time */
	matcher_begin_entry(m, "a.txt", 1);
	feed(m, &ev, "IPv4 rejected 7.7.7.7", 900, 1);
	feed(m, &ev, "IPv4 rejected 7.7.7.7", 800, 2);
	feed(m, &ev, "IPv4 rejected 7.7.7.7", 700, 3);
	matcher_end_entry(m, &ev);
	e = nth_event(&ev, "m.fail", 3);
	CHECK("match/runs/entry-apart", ev.n == 4 && e && e->entry == 1 && e->count == 3);
	CHECK("match/runs/newest-first", e && is_at(e->first, 700) && is_at(e->last, 900) && e->head[0].line == 1);
	events_reset(&ev);

	/* the next bundle numbers its events from 0 again */
	matcher_begin_bundle(m);
	matcher_begin_entry(m, "a.txt", 0);
	feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1);
	CHECK("match/runs/bundle-renumbers", ev.n == 1 && ev.v[0].seq == 0);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	matcher_free(m);

	/* the gap is a limit of the matcher's */
	m = new_matcher(rs, 10, 0);
	matcher_begin_entry(m, "a.txt", 0);
	feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1);
	feed(m, &ev, "IPv4 rejected 1.1.1.1", 10, 2);
	feed(m, &ev, "IPv4 rejected 1.1.1.1", 21, 3);
	matcher_end_entry(m, &ev);
	CHECK("match/runs/gap-limit", ev.n == 2 && ev.v[0].count == 2 && ev.v[1].count == 1);
	events_reset(&ev);
	matcher_free(m);
}

/* An unless after a pattern keeps that pattern's runs apart; one before all patterns does not. */
static void check_runs_by_pattern(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	const struct event *e;

	events_init(&ev);
	matcher_begin_entry(m, "a.txt", 0);
	feed(m, &ev, "dnscrypt blocked", 0, 1);
	feed(m, &ev, "port 443 refused", 10, 2);
	feed(m, &ev, "dnscrypt blocked", 20, 3);
	feed(m, &ev, "agent crashed", 30, 4);
	feed(m, &ev, "agent hung", 40, 5);
	matcher_end_entry(m, &ev);
	e = nth_event(&ev, "m.split", 0);
	CHECK("match/pattern-runs/first", count_events(&ev, "m.split") == 2 && e && e->pat == 0 && e->count == 2);
	e = nth_event(&ev, "m.split", 1);
	CHECK("match/pattern-runs/second", e && e->pat == 1 && e->count == 1 && is_at(e->first, 10));
	e = nth_event(&ev, "m.ref", 0);
	CHECK("match/pattern-runs/rule-wide-joined", count_events(&ev, "m.ref") == 1 && e && e->pat == 0 &&
	                                                 e->count == 2 && e->comp == NULL);
	events_reset(&ev);
	/* a record holding the literals of two of a rule's patterns runs the rule once: one match */
	matcher_begin_entry(m, "a.txt", 0);
	feed(m, &ev, "agent crashed, then agent hung", 50, 6);
	matcher_end_entry(m, &ev);
	e = nth_event(&ev, "m.ref", 0);
	CHECK("match/pattern-runs/rule-run-once-a-record", count_events(&ev, "m.ref") == 1 && e && e->count == 1);
	events_reset(&ev);
	matcher_free(m);
}

static void check_evidence(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	const struct event *e;
	const struct evidence *tail[EV_KEEP];
	char text[64], longmsg[600];
	size_t nt = 0, i;
	struct record r;
	int in_order = 1;

	events_init(&ev);
	matcher_begin_entry(m, "b.txt", 2);
	for (i = 1; i <= 20; i++) {
		snprintf(text, sizeof text, "proxy 10.0.0.%zu unreachable", i);
		feed(m, &ev, text, (long)i, i);
	}
	e = nth_event(&ev, "m.web", 0);
	CHECK("match/evidence/one-run", ev.n == 1 && e && e->count == 20);
	if (e == NULL)
		goto out;
	CHECK("match/evidence/head", e->nhead == EV_KEEP && e->head[0].line == 1 && e->head[EV_KEEP - 1].line == EV_KEEP &&
	                                 e->head[0].entry == 2 && is_at(e->head[0].ts, 1));
	nt = event_tail(e, tail);
	for (i = 0; i < nt; i++)
		in_order &= tail[i]->line == 13 + i;
	CHECK("match/evidence/tail-ring-in-order", nt == EV_KEEP && in_order);
	CHECK_STR("match/evidence/text", tail[nt - 1]->text, "proxy 10.0.0.20 unreachable");
	CHECK_STR("match/evidence/state-lower-cased", e->comp, "web");
	CHECK_STR("match/evidence/state-note", e->note, "fail-open");
	/* a ctxlist_ group gathers its run's distinct values, up to 16 */
	CHECK("match/evidence/list-bounded", e->ncaps == 16 && strcmp(e->caps[0].value, "10.0.0.1") == 0 &&
	                                         strcmp(e->caps[15].value, "10.0.0.16") == 0);
	/* the ring's slots are written over in place: every slot a long text after a short one, then
	 * a short one with a line break after the long one */
	memset(longmsg, 'y', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = '\0';
	memcpy(longmsg, "proxy 10.0.0.21 unreachable ", 28);
	for (i = 21; i < 21 + EV_KEEP; i++)
		feed(m, &ev, longmsg, (long)i, i);
	e = nth_event(&ev, "m.web", 0);
	nt = e ? event_tail(e, tail) : 0;
	for (i = 0, in_order = nt == EV_KEEP; i < nt; i++)
		in_order &= strlen(tail[i]->text) == 403 && strcmp(tail[i]->text + 400, "...") == 0 &&
		            strncmp(tail[i]->text, longmsg, 400) == 0;
	CHECK("match/evidence/ring-rewritten-long", in_order);
	for (i = 21 + EV_KEEP; i < 21 + 2 * EV_KEEP; i++) {
		snprintf(text, sizeof text, "proxy 10.0.0.%zu unreachable\nagain", i);
		feed(m, &ev, text, (long)i, i);
	}
	e = nth_event(&ev, "m.web", 0);
	nt = e ? event_tail(e, tail) : 0;
	for (i = 0, in_order = nt == EV_KEEP; i < nt; i++) {
		snprintf(text, sizeof text, "proxy 10.0.0.%zu unreachable again", 21 + EV_KEEP + i);
		in_order &= strcmp(tail[i]->text, text) == 0;
	}
	CHECK("match/evidence/ring-rewritten-short", in_order);
	matcher_end_entry(m, &ev);
	events_reset(&ev);

	matcher_begin_bundle(m); /* a new event list: the matcher must forget the last one's indices */
	matcher_begin_entry(m, "b.txt", 0);
	feed(m, &ev, "proxy 10.0.0.1 unreachable", 0, 1);
	feed(m, &ev, "proxy 10.0.0.1 unreachable", 1, 2);
	feed(m, &ev, "proxy 10.0.0.2 unreachable\nretrying", 2, 3);
	e = nth_event(&ev, "m.web", 0);
	CHECK("match/evidence/list-distinct", e && e->ncaps == 2 && strcmp(e->caps[1].value, "10.0.0.2") == 0);
	/* evidence is the message on one line */
	CHECK_STR("match/evidence/newline-flattened", e && e->nhead == 3 ? e->head[2].text : NULL,
	          "proxy 10.0.0.2 unreachable retrying");
	memset(longmsg, 'x', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = '\0';
	memcpy(longmsg, "proxy 10.0.0.3 unreachable ", 27);
	r = rec_at(longmsg, 3, 4);
	matcher_record(m, &r, &ev);
	e = nth_event(&ev, "m.web", 0);
	CHECK("match/evidence/long-cut", e && e->nhead == 4 && strlen(e->head[3].text) == 403 &&
	                                     strcmp(e->head[3].text + 400, "...") == 0 &&
	                                     strncmp(e->head[3].text, longmsg, 400) == 0);
	/* the message, not the whole record: a leading time is not evidence text */
	r = rec_at("2024-08-27 02:00:05 proxy 10.0.0.4 unreachable", 5, 5);
	r.msg = r.text + 20;
	r.msg_len = strlen(r.msg);
	matcher_record(m, &r, &ev);
	CHECK_STR("match/evidence/message-only", e && e->nhead == 5 ? e->head[4].text : NULL,
	          "proxy 10.0.0.4 unreachable");
	matcher_end_entry(m, &ev);
out:
	events_reset(&ev);
	matcher_free(m);
}

static void check_captures(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	const struct event *e;

	events_init(&ev);
	matcher_begin_entry(m, "a.txt", 0);
	feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1);
	feed(m, &ev, "IPv4 rejected 2.2.2.2", 1, 2);
	e = nth_event(&ev, "m.fail", 0);
	/* from the run's first match; an unset group (v6) is not a capture */
	CHECK_STR("match/captures/first-match", e ? event_capture(e, "addr") : NULL, "1.1.1.1");
	CHECK_STR("match/captures/stack", e ? event_capture(e, "stack") : NULL, "IPv4");
	CHECK("match/captures/unset-left-out", e && e->ncaps == 3 && event_capture(e, "v6") == NULL &&
	                                           event_capture(e, "v4") != NULL);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	matcher_free(m);
}

/* Only the rules whose files: take the entry's base name (or the log it is a part of) run. */
static void check_files(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;

	events_init(&ev);
	CHECK("match/files/a", matcher_begin_entry(m, "a.txt", 0) == 6);
	CHECK("match/files/case", matcher_begin_entry(m, "A.TXT", 0) == 6);
	CHECK("match/files/rotated-part", matcher_begin_entry(m, "a.1.txt", 0) == 6);
	CHECK("match/files/none", matcher_begin_entry(m, "zzz.txt", 0) == 0);
	CHECK("match/files/c", matcher_begin_entry(m, "c.txt", 0) == 2);
	CHECK("match/files/b", matcher_begin_entry(m, "b.txt", 0) == 1);
	CHECK("match/files/other-rules-silent", feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1) == -1 && ev.n == 0);
	CHECK("match/files/own-rule", feed(m, &ev, "proxy 1.2.3.4 unreachable", 0, 2) == SEV_WARNING && ev.n == 1);
	matcher_end_entry(m, &ev);
	matcher_begin_entry(m, "A.1.TXT", 1);
	CHECK("match/files/part-matches", feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1) == SEV_ERROR && ev.n == 2 &&
	                                      ev.v[1].entry == 1);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	matcher_free(m);
}

/* An entry whose active rules an earlier entry had takes that entry's prefilter; more kinds of
 * entry than the matcher keeps push the least recently used out, and each entry still reads with
 * its own rules. */
static void check_kept_prefilters(const struct ruleset *rs)
{
	static const char *const sets[][4] = {{"a.txt", NULL},          {"b.txt", NULL},          {"c.txt", NULL},
	                                      {"zzz.txt", NULL},        {"a.txt", "b.txt", NULL}, {"a.txt", "c.txt", NULL},
	                                      {"b.txt", "c.txt", NULL}, {"a.txt", "b.txt", "c.txt", NULL}};
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	size_t i, wrong = 0;

	events_init(&ev);
	matcher_begin_entry(m, "a.txt", 0);
	CHECK("match/kept-pf/first", feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1) == SEV_ERROR);
	matcher_end_entry(m, &ev);
	matcher_begin_entry(m, "b.txt", 1);
	CHECK("match/kept-pf/another", feed(m, &ev, "IPv4 rejected 1.1.1.1", 1, 1) == -1 &&
	                                   feed(m, &ev, "proxy 1.2.3.4 unreachable", 1, 2) == SEV_WARNING);
	matcher_end_entry(m, &ev);
	matcher_begin_entry(m, "A.1.TXT", 2); /* a.txt's rules again */
	CHECK("match/kept-pf/again", feed(m, &ev, "IPv4 rejected 1.1.1.1", 2, 1) == SEV_ERROR &&
	                                 feed(m, &ev, "proxy 1.2.3.4 unreachable", 2, 2) == -1 &&
	                                 matcher_prefilter_builds(m) == 2);
	matcher_end_entry(m, &ev);
	/* every list of these rules (eight: six new), the sniffing one (a ninth: the first pushed out),
	 * then the eight again, each pushing out the next one wanted; each entry reads its own rules only */
	for (i = 0; i < 2 * (sizeof sets / sizeof sets[0]); i++) {
		const char *const *bases = sets[i % (sizeof sets / sizeof sets[0])];
		int a = 0, b = 0, k;

		if (i == sizeof sets / sizeof sets[0])
			matcher_begin_sniff(m);
		for (k = 0; bases[k]; k++)
			a |= strcmp(bases[k], "a.txt") == 0, b |= strcmp(bases[k], "b.txt") == 0;
		matcher_begin_logs(m, bases, (unsigned)(3 + i));
		wrong += feed(m, &ev, "IPv4 rejected 1.1.1.1", 3, 1) != (a ? SEV_ERROR : -1);
		wrong += feed(m, &ev, "proxy 1.2.3.4 unreachable", 3, 2) != (b ? SEV_WARNING : -1);
		matcher_end_entry(m, &ev);
	}
	CHECK("match/kept-pf/pushed-out", wrong == 0 && matcher_prefilter_builds(m) == 2 + 6 + 1 + 8);
	events_reset(&ev);
	matcher_free(m);
}

/* A rule that only explains its records keeps no runs; a name or a reference makes it keep them. */
static void check_explain_only(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;

	CHECK("match/explain-only/which",
	      rules_explain_only(rs, rules_find(rs, "m.quiet")) && !rules_explain_only(rs, rules_find(rs, "m.named")) &&
	          !rules_explain_only(rs, rules_find(rs, "m.cited")) && !rules_explain_only(rs, rules_find(rs, "m.fail")));
	events_init(&ev);
	matcher_begin_entry(m, "a.txt", 0);
	/* matched (severity none, not -1: the record is explained) but nothing kept */
	CHECK("match/explain-only/explained", feed(m, &ev, "routine step 5", 0, 1) == SEV_NONE && ev.n == 0);
	CHECK("match/explain-only/unexplained", feed(m, &ev, "something else", 1, 2) == -1 && ev.n == 0);
	CHECK("match/explain-only/named-kept", feed(m, &ev, "routine host pc1", 2, 3) == SEV_NONE && ev.n == 1 &&
	                                           strcmp(event_capture(&ev.v[0], "ctx_host"), "pc1") == 0);
	CHECK("match/explain-only/cited-kept", feed(m, &ev, "agent started", 3, 4) == SEV_NONE && ev.n == 2 &&
	                                           strcmp(ev.v[1].rule->id, "m.cited") == 0);
	/* the highest severity of the rules that matched */
	CHECK("match/explain-only/highest", feed(m, &ev, "routine step 6; IPv4 rejected 1.1.1.1", 4, 5) == SEV_ERROR);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	matcher_free(m);
}

/* m.slow backtracks for ever on a run of a's before a 'y' (PCRE2's own required-character check
 * does not save it: alone, it gives up on both records below). Its literal is "xyzzy": a record
 * without it never reaches PCRE2, one with it elsewhere gives up at the match limit. */
static void check_prefilter_and_limits(const struct ruleset *rs)
{
	static const char without[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay";
	static const char with[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay xyzzy";
	static const char other[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay other thing";
	const struct rule *slow = rules_find(rs, "m.slow");
	struct matcher *m = new_matcher(rs, 0, 1000);
	struct events ev;
	char *w = NULL;

	CHECK_STR("match/prefilter/literal", slow ? slow->pats[0].literal : NULL, "xyzzy");
	events_init(&ev);
	matcher_begin_entry(m, "c.txt", 0);
	CHECK("match/prefilter/no-literal-at-all", feed(m, &ev, without, 0, 1) == -1 && take_warnings(m, NULL) == 0);
	/* another rule's literal lets the record in; m.slow's own is still missing */
	CHECK("match/prefilter/pattern-skipped", feed(m, &ev, other, 0, 1) == SEV_WARNING && take_warnings(m, NULL) == 0);
	CHECK("match/limits/gives-up", feed(m, &ev, with, 1, 2) == -1 && take_warnings(m, &w) == 1);
	CHECK("match/limits/warning-text", w && strncmp(w, "line 2: rule m.slow gave up on this record: ", 44) == 0);
	free(w);
	/* once per rule and entry */
	feed(m, &ev, with, 2, 3);
	CHECK("match/limits/once-per-entry", take_warnings(m, NULL) == 0);
	CHECK("match/limits/still-matches", feed(m, &ev, "aaaxyzzy", 3, 4) == SEV_INFO && ev.n == 2);
	matcher_end_entry(m, &ev);
	matcher_begin_entry(m, "c.txt", 1);
	feed(m, &ev, with, 0, 1);
	CHECK("match/limits/again-next-entry", take_warnings(m, NULL) == 1);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	matcher_free(m);

	/* with the default limits the same record is searched to the end: no match, no warning */
	m = new_matcher(rs, 0, 0);
	matcher_begin_entry(m, "c.txt", 0);
	CHECK("match/limits/default-enough", feed(m, &ev, "aaaaaaaaaaaaaay xyzzy", 0, 1) == -1 &&
	                                         take_warnings(m, NULL) == 0);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	/* two rules' literals in one record, the later rule's first: events still come in rule order */
	matcher_begin_entry(m, "c.txt", 0);
	CHECK("match/prefilter/rule-order", feed(m, &ev, "other thing, then aaxyzzy", 0, 1) == SEV_WARNING &&
	                                        ev.n == 2 && strcmp(ev.v[0].rule->id, "m.slow") == 0 &&
	                                        strcmp(ev.v[1].rule->id, "m.other") == 0);
	matcher_end_entry(m, &ev);
	events_reset(&ev);
	matcher_free(m);
}

/* A hostile log breaking every match into its own run: past 8192 runs in an entry they merge. */
static void check_run_cap(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	char *w = NULL;
	long i;

	events_init(&ev);
	matcher_begin_entry(m, "a.txt", 0);
	for (i = 0; i <= 8192; i++)
		feed(m, &ev, "IPv4 rejected 1.1.1.1", i * 400, (unsigned long)i + 1);
	matcher_end_entry(m, &ev);
	CHECK("match/run-cap/bounded", ev.n == 8192 && ev.v[8191].count == 2 && is_at(ev.v[8191].last, 8192 * 400));
	CHECK("match/run-cap/warned", take_warnings(m, &w) == 1 && w && strstr(w, "line 8193: more than 8192 separate runs"));
	free(w);
	events_reset(&ev);
	matcher_free(m);
}

/* Month/day read where both fit stays as read in the events: times.c settles the order once for
 * the whole result (timefmt_settle re-reads it as day/month when the entry says so). */
static void check_day_first(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0);
	struct events ev;
	struct stamp md, dm;
	struct record r = rec_at("IPv4 rejected 1.1.1.1", -1, 1);
	int pass;

	timefmt_parse_export("3/4/2024", 8, "10:00:00", 8, 0, &md);
	timefmt_parse_export("3/4/2024", 8, "10:00:00", 8, 1, &dm);
	events_init(&ev);
	for (pass = 0; pass < 2; pass++) {
		matcher_begin_entry(m, "a.txt", (unsigned)pass);
		r.ts = md;
		matcher_record(m, &r, &ev);
		matcher_end_entry(m, &ev);
	}
	CHECK("match/day-first/ambiguous-read", (md.flags & TF_DM_AMBIG) && md.ms != dm.ms);
	CHECK("match/day-first/kept-as-read", ev.n == 2 && ev.v[1].first.ms == md.ms && (ev.v[1].first.flags & TF_DM_AMBIG));
	timefmt_settle(&ev.v[0].first, DATES_AS_WRITTEN);
	timefmt_settle(&ev.v[1].first, DATES_DAY_FIRST);
	timefmt_settle(&ev.v[1].head[0].ts, DATES_DAY_FIRST);
	CHECK("match/day-first/kept", ev.v[0].first.ms == md.ms && !(ev.v[0].first.flags & TF_DM_AMBIG));
	CHECK("match/day-first/swapped", ev.v[1].first.ms == dm.ms && ev.v[1].head[0].ts.ms == dm.ms &&
	                                     !(ev.v[1].first.flags & TF_DM_AMBIG));
	events_reset(&ev);
	matcher_free(m);
}

/* Events another matcher found in a whole entry join the list as that entry, in arrival order. */
static void check_adopt(const struct ruleset *rs)
{
	struct matcher *m = new_matcher(rs, 0, 0), *other = new_matcher(rs, 0, 0);
	struct events ev, ahead;

	events_init(&ev);
	events_init(&ahead);
	matcher_begin_entry(m, "a.txt", 0);
	feed(m, &ev, "IPv4 rejected 1.1.1.1", 0, 1);
	matcher_end_entry(m, &ev);
	matcher_begin_entry(other, "a.txt", 0);
	feed(other, &ahead, "IPv4 rejected 2.2.2.2", 10, 1);
	feed(other, &ahead, "IPv6 rejected ::2", 10, 2);
	matcher_end_entry(other, &ahead);
	CHECK("match/adopt/moves", matcher_adopt(m, &ahead, &ev, 3) == 0 && ahead.n == 0 && ahead.v == NULL && ev.n == 3);
	CHECK("match/adopt/renumbered", ev.n == 3 && ev.v[1].entry == 3 && ev.v[1].head[0].entry == 3 &&
	                                    ev.v[1].seq == 1 && ev.v[2].seq == 2);
	/* what this matcher reads next is a new entry: it does not extend the adopted runs */
	matcher_begin_entry(m, "a.txt", 4);
	feed(m, &ev, "IPv4 rejected 2.2.2.2", 11, 1);
	matcher_end_entry(m, &ev);
	CHECK("match/adopt/next-entry-apart", ev.n == 4 && ev.v[3].entry == 4 && ev.v[3].seq == 3);
	events_reset(&ev);
	matcher_free(m);
	matcher_free(other);
}

int main(void)
{
	struct ruleset *rs = ruleset_new();
	struct ds_error err;

	memset(&err, 0, sizeof err);
	rs->untested_ok = 1;
	if (rules_parse(rs, "m.rules", rules_text, strlen(rules_text), &err) != 0 || ruleset_link(rs, &err) != 0) {
		char msg[1100];

		ds_error_format(&err, msg, sizeof msg);
		printf("FAIL match/rules: %s\n", msg);
		ruleset_free(rs);
		return 1;
	}
	check_runs(rs);
	check_runs_by_pattern(rs);
	check_evidence(rs);
	check_captures(rs);
	check_files(rs);
	check_kept_prefilters(rs);
	check_explain_only(rs);
	check_prefilter_and_limits(rs);
	check_run_cap(rs);
	check_day_first(rs);
	check_adopt(rs);
	ruleset_free(rs);
	matcher_free(NULL);
	return check_failed != 0;
}
