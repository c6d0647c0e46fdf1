/* test_correlate: correlation alone -- incidents, ongoing/stopped/recovered, the transient cap,
 * limits, relations, ranking, --since/--until and states -- on events built here as match.c would. */
#include <stdlib.h>

#include "check.h"
#include "context.h"
#include "correlate/correlate.h"
#include "rules/rules.h"

#define T0 1724724000000LL /* 2024-08-27 02:00:00, the first second of every scene */

/* Rules only correlation reads: their patterns never run here, so they carry no test lines. */
static const char rules_text[] =
    "rule: t.fail\n"
    "title: Failing over ${stack}\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: (?<stack>IPv[46]) rejected\n"
    "state: dns_${stack}=unprotected\n"
    "\n"
    "rule: t.ok\n"
    "title: Protected over ${stack}\n"
    "severity: none\n"
    "files: a.txt\n"
    "pattern: (?<stack>IPv[46]) accepted\n"
    "state: dns_${stack}=protected\n"
    "\n"
    "rule: t.webdown\n"
    "title: Web down\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: proxy unreachable\n"
    "state: web=unavailable (fail-open)\n"
    "\n"
    "rule: t.webok\n"
    "title: Web up\n"
    "severity: none\n"
    "files: a.txt\n"
    "pattern: proxy reached\n"
    "state: web=protected\n"
    "\n"
    "rule: t.limited\n"
    "title: Limited over ${stack}\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: (?<stack>IPv[46]) limited\n"
    "state: dns_${stack}=unprotected\n"
    "limit: warning when dns_ipv4=protected\n"
    "\n"
    "rule: t.limited-ever\n"
    "title: Limited ever\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: web limited\n"
    "state: web=unavailable\n"
    "limit: info when ever any=protected: the client had registered\n"
    "\n"
    "rule: t.lookup\n"
    "title: Lookups fail\n"
    "severity: critical\n"
    "files: a.txt\n"
    "pattern: lookup failed\n"
    "caused-by: t.fail within 60\n"
    "\n"
    "rule: t.root\n"
    "title: Both down\n"
    "severity: critical\n"
    "when: t.fail overlaps t.webdown within 300\n"
    "\n"
    "rule: t.enc-all\n"
    "title: Encryption blocked\n"
    "severity: warning\n"
    "files: a.txt\n"
    "unless: t.fail within 10\n"
    "pattern: port 443 rejected\n"
    "\n"
    "rule: t.enc-pat\n"
    "title: Encryption blocked, per pattern\n"
    "severity: warning\n"
    "files: a.txt\n"
    "pattern: dnscrypt blocked\n"
    "pattern: port 443 refused\n"
    "unless: t.fail within 10\n"
    "\n"
    "rule: t.start-a\n"
    "title: Start in a\n"
    "severity: none\n"
    "component: bundle\n"
    "files: a.txt\n"
    "pattern: started a\n"
    "\n"
    "rule: t.start-b\n"
    "title: Start in b\n"
    "severity: none\n"
    "files: b.txt\n"
    "pattern: started b\n"
    "\n"
    "rule: t.skew\n"
    "title: Clocks ${skew} s apart\n"
    "severity: warning\n"
    "skew: t.start-a t.start-b within 60\n"
    "\n"
    "rule: t.crit\n"
    "title: Critical\n"
    "severity: critical\n"
    "files: a.txt\n"
    "pattern: crit\n"
    "\n"
    "rule: t.err\n"
    "title: Error\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: err\n"
    "\n"
    "rule: t.err2\n"
    "title: Error two\n"
    "severity: error\n"
    "files: a.txt\n"
    "pattern: second err\n"
    "\n"
    "rule: t.warn\n"
    "title: Warning\n"
    "severity: warning\n"
    "files: a.txt\n"
    "pattern: warn\n";

/* One bundle's worth of input: two entries (a.txt, b.txt) spanning logs, and the events. */
struct scene {
	const struct ruleset *rs;
	struct events ev;
	struct log_span logs[2];
	struct stamp start, end;
	struct context ctx;
	struct correlate_opts o;
	struct diagnosis d;
	unsigned entry;      /* the entry the next runs are in */
	unsigned long line;  /* the next evidence line number */
};

static struct stamp at(long s)
{
	struct stamp t;

	memset(&t, 0, sizeof t);
	t.ms = T0 + (int64_t)s * 1000;
	t.prov = TP_LOCAL;
	return t;
}

static int is_at(struct stamp st, long s)
{
	return st.prov != TP_NONE && st.ms == T0 + (int64_t)s * 1000;
}

/* Both entries' logs span first_s..last_s; the bundle too. */
static void scene_init(struct scene *s, const struct ruleset *rs, long first_s, long last_s)
{
	memset(s, 0, sizeof *s);
	s->rs = rs;
	events_init(&s->ev);
	context_init(&s->ctx);
	correlate_opts_default(&s->o);
	s->logs[0].log = "a.txt";
	s->logs[1].log = "b.txt";
	s->logs[0].first = s->logs[1].first = s->start = at(first_s);
	s->logs[0].last = s->logs[1].last = s->end = at(last_s);
	s->line = 1;
}

static void scene_reset(struct scene *s)
{
	diagnosis_reset(&s->d); /* borrows the events' evidence: goes first */
	events_reset(&s->ev);
	context_reset(&s->ctx);
}

/* "dns_ipv4=unprotected (note)" -> the event's heap comp, state and note, as resolve_state leaves
 * them (the blank before the note is not part of the state). */
static void set_meaning(struct event *e, const char *meaning)
{
	const char *eq, *paren;

	if (meaning == NULL)
		return;
	eq = strchr(meaning, '=');
	paren = strchr(meaning, '(');
	e->comp = xstrndup(meaning, (size_t)(eq - meaning));
	if (paren) {
		e->state = xstrndup(eq + 1, (size_t)(paren - 1 - (eq + 1)));
		e->note = xstrndup(paren + 1, strcspn(paren + 1, ")"));
	} else {
		e->state = xstrdup(eq + 1);
	}
}

/* One match's evidence, kept as keep_evidence does: the first EV_KEEP, then a ring of the last. */
static void keep_match(struct event *e, unsigned entry, long sec, unsigned long line)
{
	struct evidence *slot;

	if (e->nhead < EV_KEEP) {
		slot = &e->head[e->nhead++];
	} else {
		slot = &e->tail[e->tail_pos];
		free(slot->text);
		e->tail_pos = (e->tail_pos + 1) % EV_KEEP;
		if (e->ntail < EV_KEEP)
			e->ntail++;
	}
	slot->entry = entry;
	slot->line = line;
	slot->ts = at(sec);
	slot->text = xasprintf("match at %ld", sec);
}

/* Appends a run of count matches of rule id spread evenly over first_s..last_s, with the meaning
 * its state template gave (NULL for a rule without state). The pointer lives until the next add. */
static struct event *add_run(struct scene *s, const char *id, const char *meaning, long first_s, long last_s,
                             unsigned long count)
{
	const struct rule *r = rules_find(s->rs, id);
	struct event *e;
	unsigned long i;

	if (r == NULL) {
		fprintf(stderr, "test_correlate: no rule %s\n", id);
		exit(2);
	}
	s->ev.v = xgrow(s->ev.v, &s->ev.cap, s->ev.n + 1, sizeof *s->ev.v);
	e = &s->ev.v[s->ev.n];
	memset(e, 0, sizeof *e);
	e->rule = r;
	e->entry = s->entry;
	e->seq = s->ev.n++;
	set_meaning(e, meaning);
	e->first = at(first_s);
	e->last = at(last_s);
	e->count = count;
	for (i = 0; i < count; i++) {
		long t = count > 1 ? first_s + (long)((last_s - first_s) * (long)i / (long)(count - 1)) : first_s;

		keep_match(e, s->entry, t, s->line++);
	}
	return e;
}

static void add_capture(struct event *e, const char *name, const char *value)
{
	e->caps = xrealloc(e->caps, (e->ncaps + 1) * sizeof *e->caps);
	e->caps[e->ncaps].name = xstrdup(name);
	e->caps[e->ncaps].value = xstrdup(value);
	e->ncaps++;
}

/* A run of the DNS rules over one stack, with the stack capture their templates read. */
static void add_dns(struct scene *s, const char *id, const char *stack, long first_s, long last_s,
                    unsigned long count)
{
	const char *state = strcmp(id, "t.ok") == 0 ? "protected" : "unprotected";
	char meaning[64];

	snprintf(meaning, sizeof meaning, "dns_%s=%s", strcmp(stack, "IPv4") == 0 ? "ipv4" : "ipv6", state);
	add_capture(add_run(s, id, meaning, first_s, last_s, count), "stack", stack);
}

static void diagnose(struct scene *s)
{
	correlate(&s->d, &s->ev, s->rs, &s->ctx, s->logs, 2, s->start, s->end, NULL, NULL, &s->o);
}

/* The finding of rule id (about comp, when comp is given), or NULL. */
static const struct finding *find_finding(const struct diagnosis *d, const char *id, const char *comp)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		if (strcmp(d->f[i].rule->id, id) == 0 &&
		    (comp == NULL || (d->f[i].comp && strcmp(d->f[i].comp, comp) == 0)))
			return &d->f[i];
	return NULL;
}

static const char *rank_id(const struct diagnosis *d, size_t i)
{
	return i < d->nf ? d->f[i].rule->id : "(none)";
}

static const char *note_of(const struct finding *f)
{
	return f && f->severity_note ? f->severity_note : "(none)";
}

/* Four runs: two recoveries split them into incidents; the silence between the last two does not
 * (the component stays unprotected: no line said otherwise), and the last one lasts to the end. */
static void check_incidents(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	scene_init(&s, rs, -100, 6650);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_dns(&s, "t.ok", "IPv4", 700, 700, 1);
	add_dns(&s, "t.fail", "IPv4", 2000, 2300, 6);
	add_dns(&s, "t.ok", "IPv4", 2400, 2400, 1);
	add_dns(&s, "t.fail", "IPv4", 5000, 5100, 3);
	add_dns(&s, "t.fail", "IPv4", 6000, 6600, 11);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", "dns_ipv4");
	CHECK("correlate/incidents/one-finding", s.d.nf == 1 && f != NULL);
	if (f == NULL)
		goto out;
	CHECK_STR("correlate/incidents/title-from-capture", f->title, "Failing over IPv4");
	CHECK("correlate/incidents/split-by-recoveries", f->ninc == 3);
	CHECK("correlate/incidents/count", f->count == 31);
	CHECK("correlate/incidents/first-last", is_at(f->first, 0) && is_at(f->last, 6600));
	if (f->ninc == 3) {
		CHECK("correlate/incidents/first-ends-at-recovery",
		      is_at(f->inc[0].start, 0) && is_at(f->inc[0].end, 700) && is_at(f->inc[0].last, 600) &&
		          f->inc[0].count == 11 && !f->inc[0].ongoing);
		CHECK("correlate/incidents/second",
		      is_at(f->inc[1].start, 2000) && is_at(f->inc[1].end, 2400) && is_at(f->inc[1].last, 2300) &&
		          f->inc[1].count == 6 && !f->inc[1].ongoing);
		CHECK("correlate/incidents/silence-without-recovery-joins",
		      is_at(f->inc[2].start, 5000) && is_at(f->inc[2].last, 6600) && f->inc[2].count == 14 &&
		          f->inc[2].ongoing && !f->inc[2].stopped);
	}
	/* the median interval of the current incident's runs (50 s, 50 s, then 60 s apart), the
	 * pauses between runs not counting: not their mean over every incident */
	CHECK("correlate/incidents/period-inside-runs", f->period_s == 60);
	CHECK("correlate/incidents/ongoing-keeps-severity",
	      f->ongoing && f->severity == SEV_ERROR && f->severity_note == NULL && f->recovered.prov == TP_NONE);
	CHECK("correlate/incidents/changes", s.d.nchanges == 5);
	CHECK_STR("correlate/incidents/state", s.d.states[0].state, "unprotected");
	CHECK("correlate/incidents/state-since-last-change", is_at(s.d.states[0].since, 5000));
out:
	scene_reset(&s);
}

/* A run of 11 matches a minute apart over 0..600 s, in a log that ends at log_end_s. */
static void run_until(struct scene *s, const struct ruleset *rs, long log_end_s)
{
	scene_init(s, rs, -100, log_end_s);
	add_dns(s, "t.fail", "IPv4", 0, 600, 11);
	diagnose(s);
}

/* Failing to the end of the log is ongoing; silence longer than max(3 x period, 60 s) is stopped. */
static void check_ongoing_and_stopped(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	run_until(&s, rs, 780); /* 180 s of silence: three periods, not more */
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/ongoing/at-three-periods", f && f->ongoing && f->stopped.prov == TP_NONE &&
	                                                f->severity == SEV_ERROR && f->period_s == 60);
	CHECK_STR("correlate/ongoing/state-stays", s.d.states[0].state, "unprotected");
	CHECK("correlate/ongoing/log-end", f && is_at(f->log_end, 780));
	scene_reset(&s);

	run_until(&s, rs, 781);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/stopped/past-three-periods", f && !f->ongoing && is_at(f->stopped, 600) &&
	                                                  f->recovered.prov == TP_NONE);
	CHECK("correlate/stopped/incident", f && f->ninc == 1 && f->inc[0].stopped && !f->inc[0].ongoing &&
	                                        is_at(f->inc[0].end, 600));
	CHECK("correlate/stopped/warning", f && f->severity == SEV_WARNING);
	CHECK_STR("correlate/stopped/note", note_of(f), "the failures stopped before the end of their log");
	/* no line says it recovered: the state is unknown from the last failure on */
	CHECK_STR("correlate/stopped/state-unknown", s.d.states[0].state, "unknown");
	CHECK("correlate/stopped/state-since", is_at(s.d.states[0].since, 600));
	CHECK("correlate/stopped/state-note", s.d.notes[0] && strstr(s.d.notes[0], "t.fail failing until") &&
	                                          s.d.states[0].note == s.d.notes[0]);
	scene_reset(&s);

	/* one match has no period: a minute of silence is the least */
	scene_init(&s, rs, -100, 160);
	add_dns(&s, "t.fail", "IPv4", 100, 100, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/stopped/minute-floor-ongoing", f && f->ongoing && f->period_s == 0);
	scene_reset(&s);
	scene_init(&s, rs, -100, 161);
	add_dns(&s, "t.fail", "IPv4", 100, 100, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/stopped/minute-floor-stopped", f && !f->ongoing && is_at(f->stopped, 100));
	/* a stopped incident of one match lasted 0 s: within the transient window */
	CHECK("correlate/stopped/short-is-info", f && f->severity == SEV_INFO);
	CHECK_STR("correlate/stopped/short-note", note_of(f), "every incident ended within the transient window");
	scene_reset(&s);

	/* the end that counts is that of the failures' own log, not of the bundle */
	scene_init(&s, rs, -100, 5000);
	s.logs[0].last = at(610);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/ongoing/own-log-ended", f && f->ongoing && is_at(f->log_end, 610));
	scene_reset(&s);
	/* ... and of every part of it: b.txt a rotated part of the same log goes on */
	scene_init(&s, rs, -100, 5000);
	s.logs[0].last = at(610);
	s.logs[1].log = "a.txt";
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/stopped/rotated-part-goes-on", f && !f->ongoing && is_at(f->stopped, 600) &&
	                                                    is_at(f->log_end, 5000));
	scene_reset(&s);
}

static void check_recovery(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;
	struct timeline_item *it;
	size_t n;

	scene_init(&s, rs, -100, 2000);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_dns(&s, "t.ok", "IPv4", 900, 900, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/recovery/recovered-at", f && !f->ongoing && is_at(f->recovered, 900) &&
	                                             f->stopped.prov == TP_NONE);
	CHECK("correlate/recovery/incident-ends", f && f->ninc == 1 && is_at(f->inc[0].end, 900) &&
	                                              is_at(f->inc[0].last, 600));
	CHECK("correlate/recovery/warning", f && f->severity == SEV_WARNING);
	CHECK_STR("correlate/recovery/note", note_of(f), "recovered before the end of the bundle");
	CHECK_STR("correlate/recovery/state", s.d.states[0].state, "protected");
	CHECK("correlate/recovery/state-since", is_at(s.d.states[0].since, 900));
	/* state at 0, the finding opening at 0, its recovery and the state at 900, the end */
	it = diagnosis_timeline(&s.d, &n);
	CHECK("correlate/recovery/timeline",
	      n == 5 && it[0].kind == TL_STATE && it[1].kind == TL_FINDING && is_at(it[1].ts, 0) &&
	          it[2].kind == TL_STATE && is_at(it[2].ts, 900) && it[3].kind == TL_RECOVERED &&
	          is_at(it[3].ts, 900) && it[4].kind == TL_END);
	free(it);
	scene_reset(&s);

	/* IPv6 protected says nothing of IPv4 */
	scene_init(&s, rs, -100, 700);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_dns(&s, "t.ok", "IPv6", 300, 300, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/recovery/other-component-no", f && f->ongoing && f->severity == SEV_ERROR);
	CHECK_STR("correlate/recovery/other-component-state", s.d.states[1].state, "protected");
	scene_reset(&s);
}

/* 30 s of failures, protected again at 40 s: the incident lasted 40 s. */
static void run_blip(struct scene *s, const struct ruleset *rs, long transient_s)
{
	scene_init(s, rs, -100, 1000);
	s->o.transient_s = transient_s;
	add_dns(s, "t.fail", "IPv4", 0, 30, 4);
	add_dns(s, "t.ok", "IPv4", 40, 40, 1);
	diagnose(s);
}

static void check_transient(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	run_blip(&s, rs, 60);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/transient/info", f && f->severity == SEV_INFO && is_at(f->recovered, 40));
	CHECK_STR("correlate/transient/note", note_of(f), "every incident recovered within the transient window");
	scene_reset(&s);
	run_blip(&s, rs, 41);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/transient/just-inside", f && f->severity == SEV_INFO);
	scene_reset(&s);
	run_blip(&s, rs, 40); /* as long as the window: not shorter than it */
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/transient/window-reached", f && f->severity == SEV_WARNING);
	CHECK_STR("correlate/transient/window-reached-note", note_of(f), "recovered before the end of the bundle");
	scene_reset(&s);

	/* one long incident among short ones: not a blip */
	scene_init(&s, rs, -100, 5000);
	add_dns(&s, "t.fail", "IPv4", 0, 30, 4);
	add_dns(&s, "t.ok", "IPv4", 40, 40, 1);
	add_dns(&s, "t.fail", "IPv4", 1000, 1600, 11);
	add_dns(&s, "t.ok", "IPv4", 1700, 1700, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/transient/not-all-short", f && f->ninc == 2 && f->severity == SEV_WARNING);
	scene_reset(&s);
}

static void check_limits(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	/* IPv6 failing alone while IPv4 is protected at the end */
	scene_init(&s, rs, -100, 650);
	add_dns(&s, "t.ok", "IPv4", 50, 50, 1);
	add_capture(add_run(&s, "t.limited", "dns_ipv6=unprotected", 0, 600, 11), "stack", "IPv6");
	diagnose(&s);
	f = find_finding(&s.d, "t.limited", "dns_ipv6");
	CHECK("correlate/limit/holds", f && f->ongoing && f->severity == SEV_WARNING);
	CHECK_STR("correlate/limit/note", note_of(f), "dns_ipv4 is protected");
	scene_reset(&s);

	scene_init(&s, rs, -100, 650);
	add_capture(add_run(&s, "t.limited", "dns_ipv6=unprotected", 0, 600, 11), "stack", "IPv6");
	diagnose(&s);
	f = find_finding(&s.d, "t.limited", NULL);
	CHECK("correlate/limit/unknown-state-no", f && f->severity == SEV_ERROR && f->severity_note == NULL);
	scene_reset(&s);

	/* protected once, unprotected at the end: only "ever" looks back */
	scene_init(&s, rs, -100, 750);
	add_dns(&s, "t.ok", "IPv4", 50, 50, 1);
	add_dns(&s, "t.fail", "IPv4", 100, 700, 11);
	add_capture(add_run(&s, "t.limited", "dns_ipv6=unprotected", 0, 600, 11), "stack", "IPv6");
	add_run(&s, "t.limited-ever", "web=unavailable", 0, 700, 15);
	diagnose(&s);
	f = find_finding(&s.d, "t.limited", NULL);
	CHECK("correlate/limit/at-end-only", f && f->severity == SEV_ERROR);
	f = find_finding(&s.d, "t.limited-ever", NULL);
	CHECK("correlate/limit/ever", f && f->severity == SEV_INFO);
	CHECK_STR("correlate/limit/ever-why-is-note", note_of(f), "the client had registered");
	scene_reset(&s);

	scene_init(&s, rs, -100, 750);
	add_run(&s, "t.limited-ever", "web=unavailable", 0, 700, 15);
	diagnose(&s);
	f = find_finding(&s.d, "t.limited-ever", NULL);
	CHECK("correlate/limit/ever-never", f && f->severity == SEV_ERROR);
	scene_reset(&s);
}

/* t.lookup (critical) is caused by t.fail (error) within 60 s of it. */
static void check_caused_by(const struct ruleset *rs)
{
	struct scene s;

	scene_init(&s, rs, -100, 650);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_run(&s, "t.lookup", NULL, 300, 400, 3);
	diagnose(&s);
	CHECK("correlate/caused-by/cause-ranked-first", s.d.nf == 2 && strcmp(rank_id(&s.d, 0), "t.fail") == 0 &&
	                                                    strcmp(rank_id(&s.d, 1), "t.lookup") == 0);
	CHECK("correlate/caused-by/marked", s.d.nf == 2 && s.d.f[1].caused_by == &s.d.f[0] &&
	                                        finding_cause_id(&s.d.f[1]) && strcmp(finding_cause_id(&s.d.f[1]), "t.fail") == 0 &&
	                                        s.d.f[0].caused_by == NULL);
	CHECK("correlate/caused-by/severity-kept", s.d.nf == 2 && s.d.f[1].severity == SEV_CRITICAL);
	scene_reset(&s);

	/* 60 s after the cause's last failure still counts */
	scene_init(&s, rs, -100, 700);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_run(&s, "t.lookup", NULL, 660, 660, 1);
	diagnose(&s);
	CHECK("correlate/caused-by/window-edge", s.d.nf == 2 && s.d.f[1].caused_by == &s.d.f[0]);
	scene_reset(&s);

	/* 61 s after: two unrelated findings, ranked by severity */
	scene_init(&s, rs, -100, 700);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_run(&s, "t.lookup", NULL, 661, 661, 1);
	diagnose(&s);
	CHECK("correlate/caused-by/outside-window", s.d.nf == 2 && strcmp(rank_id(&s.d, 0), "t.lookup") == 0 &&
	                                                s.d.f[0].caused_by == NULL && s.d.f[1].caused_by == NULL);
	scene_reset(&s);
}

/* t.root: when t.fail overlaps t.webdown within 300 s. */
static void check_when(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	scene_init(&s, rs, -100, 1250);
	add_dns(&s, "t.fail", "IPv4", 0, 1200, 21);
	add_run(&s, "t.webdown", "web=unavailable (fail-open)", 800, 1200, 5);
	diagnose(&s);
	CHECK("correlate/when/root-first", s.d.nf == 3 && strcmp(rank_id(&s.d, 0), "t.root") == 0);
	if (s.d.nf == 3) {
		f = &s.d.f[0];
		CHECK("correlate/when/consequences-marked",
		      s.d.f[1].caused_by == f && s.d.f[2].caused_by == f && f->caused_by == NULL);
		/* since the earlier symptom began; held once (one period of both), not 21 + 5 lines */
		CHECK("correlate/when/span-from-earlier-start", is_at(f->first, 0) && is_at(f->last, 1200));
		CHECK("correlate/when/count-is-its-own", f->count == 1 && f->stateful);
		CHECK("correlate/when/evidence-onset-and-now",
		      f->nev == 3 && is_at(f->ev[0]->ts, 0) && is_at(f->ev[2]->ts, 1200));
		CHECK("correlate/when/ongoing-keeps-severity", f->ongoing && f->severity == SEV_CRITICAL);
	}
	CHECK_STR("correlate/when/state-note", s.d.states[2].note, "fail-open");
	scene_reset(&s);

	/* t.lookup is caused by t.fail, which t.root explains: it hangs on the root */
	scene_init(&s, rs, -100, 1250);
	add_dns(&s, "t.fail", "IPv4", 0, 1200, 21);
	add_run(&s, "t.webdown", "web=unavailable (fail-open)", 800, 1200, 5);
	add_run(&s, "t.lookup", NULL, 900, 900, 1);
	diagnose(&s);
	CHECK("correlate/when/cause-of-cause-order",
	      s.d.nf == 4 && strcmp(rank_id(&s.d, 0), "t.root") == 0 && strcmp(rank_id(&s.d, 1), "t.lookup") == 0 &&
	          strcmp(rank_id(&s.d, 2), "t.fail") == 0 && strcmp(rank_id(&s.d, 3), "t.webdown") == 0);
	CHECK("correlate/when/cause-of-cause-to-root", s.d.nf == 4 && s.d.f[1].caused_by == &s.d.f[0] &&
	                                                   strcmp(finding_cause_id(&s.d.f[1]), "t.root") == 0);
	scene_reset(&s);

	/* 401 s apart: beyond the window */
	scene_init(&s, rs, -100, 1250);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_run(&s, "t.webdown", "web=unavailable (fail-open)", 1001, 1200, 5);
	diagnose(&s);
	CHECK("correlate/when/outside-window", s.d.nf == 2 && find_finding(&s.d, "t.root", NULL) == NULL &&
	                                           s.d.f[0].caused_by == NULL && s.d.f[1].caused_by == NULL);
	scene_reset(&s);

	/* one still failing: the root no longer holds (both must), at most the worse of the two */
	scene_init(&s, rs, -100, 2000);
	add_dns(&s, "t.fail", "IPv4", 0, 1900, 39);
	add_run(&s, "t.webdown", "web=unavailable (fail-open)", 800, 1200, 5);
	add_run(&s, "t.webok", "web=protected", 1300, 1300, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.root", NULL);
	CHECK("correlate/when/one-ongoing", f && !f->ongoing && f->severity == SEV_ERROR &&
	                                        find_finding(&s.d, "t.fail", NULL)->ongoing);
	scene_reset(&s);

	/* both recovered: the root is at most their worst (warning), and still leads a critical */
	scene_init(&s, rs, -100, 9000);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_run(&s, "t.webdown", "web=unavailable (fail-open)", 800, 1200, 5);
	add_dns(&s, "t.ok", "IPv4", 1300, 1300, 1);
	add_run(&s, "t.webok", "web=protected", 1400, 1400, 1);
	add_run(&s, "t.crit", NULL, 5000, 5000, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.root", NULL);
	CHECK("correlate/when/recovered-capped", f && !f->ongoing && f->severity == SEV_WARNING);
	CHECK_STR("correlate/when/recovered-note", note_of(f), "its consequences recovered");
	CHECK("correlate/when/recovered-like-last", f && is_at(f->recovered, 1400));
	CHECK("correlate/when/root-leads-higher-severity",
	      s.d.nf == 4 && strcmp(rank_id(&s.d, 0), "t.root") == 0 && strcmp(rank_id(&s.d, 3), "t.crit") == 0 &&
	          s.d.f[3].severity == SEV_CRITICAL);
	scene_reset(&s);
}

static void check_unless(const struct ruleset *rs)
{
	struct scene s;
	const struct rule *all = rules_find(rs, "t.enc-all"), *pat = rules_find(rs, "t.enc-pat");

	CHECK("correlate/unless/parsed-scope", all && pat && all->nrels == 1 && all->rels[0].pattern == -1 &&
	                                           !all->runs_by_pattern && pat->nrels == 1 &&
	                                           pat->rels[0].pattern == 1 && pat->runs_by_pattern);

	scene_init(&s, rs, -100, 300);
	add_run(&s, "t.enc-all", NULL, 100, 100, 1);
	add_dns(&s, "t.fail", "IPv4", 110, 200, 4);
	diagnose(&s);
	CHECK("correlate/unless/dropped", find_finding(&s.d, "t.enc-all", NULL) == NULL &&
	                                      find_finding(&s.d, "t.fail", NULL) != NULL);
	CHECK("correlate/unless/noted", diagnosis_dropped(&s.d, all) && !diagnosis_dropped(&s.d, pat));
	CHECK("correlate/unless/stop", diagnosis_stop(&s.d, all) && diagnosis_stop(&s.d, all)->cond == COND_UNLESS);
	scene_reset(&s);

	/* the window stops a rule only when one is given: --explain names it from this note alone */
	scene_init(&s, rs, -100, 300);
	add_run(&s, "t.enc-all", NULL, 100, 100, 1);
	diagnose(&s);
	CHECK("correlate/stop/none-without-window", find_finding(&s.d, "t.enc-all", NULL) && !diagnosis_stop(&s.d, all));
	scene_reset(&s);
	scene_init(&s, rs, -100, 300);
	s.o.since = at(200);
	add_run(&s, "t.enc-all", NULL, 100, 100, 1);
	diagnose(&s);
	CHECK("correlate/stop/window", !find_finding(&s.d, "t.enc-all", NULL) && diagnosis_stop(&s.d, all) &&
	                                   diagnosis_stop(&s.d, all)->cond == COND_WINDOW);
	scene_reset(&s);

	scene_init(&s, rs, -100, 300);
	add_run(&s, "t.enc-all", NULL, 100, 100, 1);
	add_dns(&s, "t.fail", "IPv4", 111, 200, 4);
	diagnose(&s);
	CHECK("correlate/unless/outside-window", find_finding(&s.d, "t.enc-all", NULL) != NULL &&
	                                             !diagnosis_dropped(&s.d, all));
	scene_reset(&s);

	/* scoped to the second pattern: the first pattern's run beside the failure still counts */
	scene_init(&s, rs, -100, 4000);
	add_run(&s, "t.enc-pat", NULL, 100, 100, 1); /* pattern 0 */
	add_run(&s, "t.enc-pat", NULL, 3000, 3000, 2)->pat = 1;
	add_dns(&s, "t.fail", "IPv4", 95, 105, 2);
	add_dns(&s, "t.fail", "IPv4", 3005, 3100, 3);
	diagnose(&s);
	{
		const struct finding *f = find_finding(&s.d, "t.enc-pat", NULL);

		CHECK("correlate/unless/per-pattern", f && f->count == 1 && is_at(f->first, 100) && is_at(f->last, 100));
		CHECK("correlate/unless/per-pattern-noted", diagnosis_dropped(&s.d, pat));
	}
	scene_reset(&s);
}

/* t.start-a (a.txt) and t.start-b (b.txt) mark the same moment: more than 60 s apart is skew. */
static void check_skew(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	scene_init(&s, rs, -100, 2000);
	add_run(&s, "t.start-a", NULL, 1000, 1000, 1);
	add_run(&s, "t.start-b", NULL, 1000, 1000, 1); /* same entry: not the other file */
	s.entry = 1;
	add_run(&s, "t.start-b", NULL, 1120, 1120, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.skew", NULL);
	CHECK_STR("correlate/skew/measured", f ? f->title : NULL, "Clocks +120 s apart");
	CHECK("correlate/skew/evidence-both", f && f->nev == 2 && f->ev[0]->entry == 0 && f->ev[1]->entry == 1);
	CHECK("correlate/skew/span", f && is_at(f->first, 1000) && is_at(f->last, 1120) && f->severity == SEV_WARNING);
	scene_reset(&s);

	scene_init(&s, rs, -100, 2000);
	add_run(&s, "t.start-a", NULL, 1000, 1000, 1);
	s.entry = 1;
	add_run(&s, "t.start-b", NULL, 880, 880, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.skew", NULL);
	CHECK_STR("correlate/skew/negative", f ? f->title : NULL, "Clocks -120 s apart");
	scene_reset(&s);

	/* the closest pair decides: one 30 s apart is within the window */
	scene_init(&s, rs, -100, 2000);
	add_run(&s, "t.start-a", NULL, 1000, 1000, 1);
	s.entry = 1;
	add_run(&s, "t.start-b", NULL, 1120, 1120, 1);
	add_run(&s, "t.start-b", NULL, 1030, 1030, 1);
	diagnose(&s);
	CHECK("correlate/skew/closest-within", find_finding(&s.d, "t.skew", NULL) == NULL && s.d.nf == 0);
	scene_reset(&s);
}

static void check_ranking(const struct ruleset *rs)
{
	struct scene s;

	scene_init(&s, rs, -100, 1000);
	add_run(&s, "t.warn", NULL, 100, 100, 1);
	add_run(&s, "t.crit", NULL, 200, 200, 1);
	add_run(&s, "t.err", NULL, 300, 300, 1);
	add_run(&s, "t.err2", NULL, 250, 250, 1);
	diagnose(&s);
	/* severity first, then the earlier of the same severity */
	CHECK("correlate/rank/severity-then-time",
	      s.d.nf == 4 && strcmp(rank_id(&s.d, 0), "t.crit") == 0 && strcmp(rank_id(&s.d, 1), "t.err2") == 0 &&
	          strcmp(rank_id(&s.d, 2), "t.err") == 0 && strcmp(rank_id(&s.d, 3), "t.warn") == 0);
	CHECK("correlate/rank/worst", diagnosis_worst(&s.d, NULL) == SEV_CRITICAL &&
	                                  diagnosis_worst(&s.d, rules_find(rs, "t.warn")) == SEV_WARNING);
	scene_reset(&s);

	/* one rule speaking of two stacks: a finding each */
	scene_init(&s, rs, -100, 700);
	add_dns(&s, "t.fail", "IPv6", 0, 600, 11);
	add_dns(&s, "t.fail", "IPv4", 100, 600, 6);
	diagnose(&s);
	CHECK("correlate/rank/per-component", s.d.nf == 2 && find_finding(&s.d, "t.fail", "dns_ipv4") &&
	                                          find_finding(&s.d, "t.fail", "dns_ipv6") &&
	                                          find_finding(&s.d, "t.fail", "dns_ipv6")->count == 11);
	CHECK_STR("correlate/rank/per-component-title", s.d.nf == 2 ? s.d.f[1].title : NULL, "Failing over IPv4");
	scene_reset(&s);
}

/* Failing 0..600, protected at 700, failing again 5000..5600 in a log to 5650. */
static void run_window(struct scene *s, const struct ruleset *rs, long since_s, long until_s)
{
	scene_init(s, rs, -100, 5650);
	if (since_s >= 0)
		s->o.since = at(since_s);
	if (until_s >= 0)
		s->o.until = at(until_s);
	add_dns(s, "t.fail", "IPv4", 0, 600, 11);
	add_dns(s, "t.ok", "IPv4", 700, 700, 1);
	add_dns(s, "t.fail", "IPv4", 5000, 5600, 11);
	diagnose(s);
}

static void check_window(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	run_window(&s, rs, 3000, -1);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/since/earlier-runs-out", f && f->count == 11 && is_at(f->first, 5000) && f->ninc == 1 &&
	                                              f->ongoing);
	CHECK("correlate/since/states-from-all", s.d.nchanges == 3 && is_at(s.d.states[0].since, 5000));
	scene_reset(&s);

	run_window(&s, rs, -1, 3000);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/until/later-runs-out", f && f->count == 11 && is_at(f->last, 600) && is_at(f->recovered, 700));
	CHECK("correlate/until/bundle-ends-there", is_at(s.d.end, 3000));
	CHECK_STR("correlate/until/state-at-until", s.d.states[0].state, "protected");
	scene_reset(&s);

	/* a state set before --since carries into the window */
	scene_init(&s, rs, -100, 5650);
	s.o.since = at(3000);
	add_dns(&s, "t.ok", "IPv4", 100, 100, 1);
	diagnose(&s);
	CHECK("correlate/since/state-carries-in", s.d.nf == 0 && strcmp(s.d.states[0].state, "protected") == 0 &&
	                                              is_at(s.d.states[0].since, 100));
	scene_reset(&s);

	/* A run across --until is one event: it counts whole, its matches after --until too (the
	 * timeline drops only its end point). */
	run_window(&s, rs, -1, 300);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/until/straddling-run-whole", f && f->count == 11 && is_at(f->last, 600) && f->ongoing);
	CHECK("correlate/until/straddling-timeline", s.d.nchanges == 1);
	scene_reset(&s);
}

static void check_states(struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	/* the first record of the log is a failure: it began before the log, as far as it can tell */
	scene_init(&s, rs, 0, 700);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_run(&s, "t.webdown", "web=unavailable (fail-open)", 300, 320, 3);
	add_run(&s, "t.webok", "web=protected", 400, 400, 1);
	add_run(&s, "t.webok", "web=protected", 500, 500, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/states/started-before-log", f && f->started_before_log);
	CHECK("correlate/states/since-before-log", s.d.states[0].since_before_log && is_at(s.d.states[0].since, 0));
	CHECK_STR("correlate/states/names", s.d.states[2].comp, "web");
	CHECK_STR("correlate/states/web", s.d.states[2].state, "protected");
	/* protected twice is one change */
	CHECK("correlate/states/web-since-first-good", is_at(s.d.states[2].since, 400) && !s.d.states[2].since_before_log);
	CHECK_STR("correlate/states/untouched-unknown", s.d.states[1].state, "unknown");
	CHECK("correlate/states/changes", s.d.nchanges == 3);
	scene_reset(&s);

	/* a cut entry marks the findings whose records it carries */
	scene_init(&s, rs, -100, 700);
	s.logs[0].cut = 1;
	s.logs[0].last = at(650);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/states/log-cut", f && f->log_cut && is_at(f->cut_at, 650) && !f->started_before_log);
	scene_reset(&s);

	/* a failure every 60 s, the log's first record 30 s before the first: the cycle before fell
	 * outside the log; 60 s before, it was inside and did not fail; after the agent's start (a
	 * bundle rule's line), it began in the log */
	{
		static const struct {
			const char *name;
			long log_first;
			int start_at; /* a t.start-a line there, 1 for none */
			int want;
		} cases[] = {
		    {"correlate/states/within-a-cadence-before-log", -30, 1, 1},
		    {"correlate/states/a-cadence-after-log-start", -60, 1, 0},
		    {"correlate/states/after-agent-start", -30, -20, 0},
		};
		size_t i;

		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			scene_init(&s, rs, cases[i].log_first, 700);
			if (cases[i].start_at <= 0)
				add_run(&s, "t.start-a", NULL, cases[i].start_at, cases[i].start_at, 1);
			add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
			diagnose(&s);
			f = find_finding(&s.d, "t.fail", NULL);
			CHECK(cases[i].name, f && f->started_before_log == cases[i].want &&
			                         s.d.states[0].since_before_log == cases[i].want);
			scene_reset(&s);
		}
	}

	/* a failure with no lane is ongoing by its cadence, as a state is; a single line has none */
	scene_init(&s, rs, 0, 700);
	add_run(&s, "t.warn", NULL, 100, 600, 6);
	add_run(&s, "t.crit", NULL, 100, 300, 3);
	add_run(&s, "t.err", NULL, 650, 650, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.warn", NULL);
	CHECK("correlate/run/ongoing-by-cadence", f && f->ongoing && f->stopped.prov == TP_NONE && finding_has_course(f));
	f = find_finding(&s.d, "t.crit", NULL);
	CHECK("correlate/run/stopped-by-cadence", f && !f->ongoing && is_at(f->stopped, 300));
	f = find_finding(&s.d, "t.err", NULL);
	CHECK("correlate/run/one-line-no-course", f && !f->ongoing && f->stopped.prov == TP_NONE);
	scene_reset(&s);

	/* a cycle of 4.99 s is "every ~5 s": the cadence is rounded, not cut */
	scene_init(&s, rs, 0, 700);
	add_run(&s, "t.warn", NULL, 100, 599, 101);
	diagnose(&s);
	f = find_finding(&s.d, "t.warn", NULL);
	CHECK("correlate/run/cadence-rounded", f && f->period_s == 5);
	scene_reset(&s);

	/* a disabled rule's events say nothing */
	{
		struct rule *r = &rs->rules[rules_find(rs, "t.fail") - rs->rules];

		r->disabled = 1;
		scene_init(&s, rs, -100, 700);
		add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
		diagnose(&s);
		CHECK("correlate/states/disabled", s.d.nf == 0 && s.d.nchanges == 0 &&
		                                       strcmp(s.d.states[0].state, "unknown") == 0);
		scene_reset(&s);
		r->disabled = 0;
	}
}

/* 100 matches over 0..990 s: the first and last three of them shown, the rest counted. */
static void check_evidence(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	scene_init(&s, rs, -100, 1000);
	add_dns(&s, "t.fail", "IPv4", 0, 990, 100);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/evidence/kept", f && f->nev == 6 && f->ev_omitted == 94);
	CHECK("correlate/evidence/ends", f && f->nev == 6 && is_at(f->ev[0]->ts, 0) && is_at(f->ev[2]->ts, 20) &&
	                                     is_at(f->ev[3]->ts, 970) && is_at(f->ev[5]->ts, 990));
	scene_reset(&s);

	scene_init(&s, rs, -100, 1000);
	s.o.evidence = 2;
	add_dns(&s, "t.fail", "IPv4", 0, 990, 100);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK("correlate/evidence/two", f && f->nev == 2 && is_at(f->ev[0]->ts, 0) && is_at(f->ev[1]->ts, 990));
	scene_reset(&s);
}

/* Three verdicts that used to be wrong (found by this program, fixed in correlate.c and match.c):
 * each check failed before the fix. */
static void check_fixed_bugs(const struct ruleset *rs)
{
	struct scene s;
	const struct finding *f;

	/* A protected line inside a run of failures (they resume within the matcher's five-minute
	 * run gap) closes the one incident for good: the finding says recovered at 300 s, severity
	 * warning, while failures go on to the end of the log and the state is unprotected. */
	scene_init(&s, rs, -100, 650);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_dns(&s, "t.ok", "IPv4", 300, 300, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK_STR("correlate/fixed/run-across-recovery-state", s.d.states[0].state, "unprotected");
	CHECK("correlate/fixed/run-across-recovery-ongoing", f && f->ongoing && f->severity == SEV_ERROR);
	scene_reset(&s);

	/* caused-by looks at the first finding of the cause only (find_by_id): the IPv6 finding of
	 * t.fail overlaps t.lookup, the IPv4 one (made first) does not, and no cause is marked. */
	scene_init(&s, rs, -100, 5700);
	add_dns(&s, "t.fail", "IPv4", 0, 600, 11);
	add_dns(&s, "t.fail", "IPv6", 5000, 5600, 11);
	add_run(&s, "t.lookup", NULL, 5100, 5100, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.lookup", NULL);
	CHECK("correlate/fixed/caused-by-second-finding", f && finding_cause_id(f) && strcmp(finding_cause_id(f), "t.fail") == 0);
	scene_reset(&s);

	/* A protected line in the same second as the failure before it: the state is protected (the
	 * timeline orders them by arrival), but recovery_after wants a change strictly later, so the
	 * incident never recovers -- ongoing at error here, "stopped" once the log goes on a minute. */
	scene_init(&s, rs, -100, 130);
	add_dns(&s, "t.fail", "IPv4", 100, 100, 1);
	add_dns(&s, "t.ok", "IPv4", 100, 100, 1);
	diagnose(&s);
	f = find_finding(&s.d, "t.fail", NULL);
	CHECK_STR("correlate/fixed/same-second-recovery-state", s.d.states[0].state, "protected");
	CHECK("correlate/fixed/same-second-recovery", f && !f->ongoing && is_at(f->recovered, 100));
	scene_reset(&s);
}

/* "flaps dns_* 3": each lane that went bad and back three times gets a finding of its own (the
 * first lane alone was reported before). Its own rule set: the scenes above flap on purpose. */
static void check_flaps(void)
{
	static const char text[] = "rule: t.flaps\n"
	                           "title: Flapping\n"
	                           "severity: warning\n"
	                           "check: flaps dns_* 3\n";
	struct ruleset *rs = ruleset_new();
	struct ds_error err;
	struct scene s;
	size_t i;
	const struct finding *f4, *f6;

	memset(&err, 0, sizeof err);
	rs->untested_ok = 1;
	if (rules_parse(rs, "base.rules", rules_text, strlen(rules_text), &err) != 0 ||
	    rules_parse(rs, "flaps.rules", text, strlen(text), &err) != 0 || ruleset_link(rs, &err) != 0) {
		CHECK("correlate/flaps/rules", 0);
		ruleset_free(rs);
		return;
	}
	scene_init(&s, rs, 0, 4000);
	for (i = 0; i < 4; i++) {
		long t = (long)i * 900;

		add_dns(&s, "t.fail", "IPv4", t, t + 30, 2);
		add_dns(&s, "t.ok", "IPv4", t + 60, t + 60, 1);
		if (i < 3) {
			add_dns(&s, "t.fail", "IPv6", t + 5, t + 35, 2);
			add_dns(&s, "t.ok", "IPv6", t + 65, t + 65, 1);
		}
	}
	diagnose(&s);
	f4 = find_finding(&s.d, "t.flaps", "dns_ipv4");
	f6 = find_finding(&s.d, "t.flaps", "dns_ipv6");
	CHECK("correlate/flaps/each-lane", f4 && f6 && f4 != f6);
	CHECK("correlate/flaps/per-lane-count", f4 && f6 && f4->count == 4 && f6->count == 3);
	CHECK("correlate/flaps/why-names-its-lane", f4 && f6 && f4->why && f6->why && strncmp(f4->why, "dns_ipv4 ", 9) == 0 &&
	                                                strncmp(f6->why, "dns_ipv6 ", 9) == 0);
	scene_reset(&s);
	ruleset_free(rs);
}

int main(void)
{
	struct ruleset *rs = ruleset_new();
	struct ds_error err;

	memset(&err, 0, sizeof err);
	rs->untested_ok = 1;
	if (rules_parse(rs, "t.rules", rules_text, strlen(rules_text), &err) != 0 || ruleset_link(rs, &err) != 0) {
		char msg[1100];

		ds_error_format(&err, msg, sizeof msg);
		printf("FAIL correlate/rules: %s\n", msg);
		ruleset_free(rs);
		return 1;
	}
	check_incidents(rs);
	check_ongoing_and_stopped(rs);
	check_recovery(rs);
	check_transient(rs);
	check_limits(rs);
	check_caused_by(rs);
	check_when(rs);
	check_unless(rs);
	check_skew(rs);
	check_ranking(rs);
	check_window(rs);
	check_states(rs);
	check_evidence(rs);
	check_fixed_bugs(rs);
	check_flaps();
	ruleset_free(rs);
	return check_failed != 0;
}
