/* verdict: takes a scan result the parent has diagnosed and settles its class and reasons. A lane is
 * proven only by a line that says it is good, in a log that was read and understood; everything
 * else that stands in the way is said as a reason, so that "healthy" is never given on no evidence. */
#include <string.h>

#include "component.h"
#include "timefmt.h"
#include "unexplained.h"
#include "util.h"
#include "verdict.h"

static const char *const class_names[] = {
    [VERDICT_HEALTHY] = "healthy",
    [VERDICT_PROBLEM] = "problem",
    [VERDICT_REVIEW] = "needs-review",
    [VERDICT_UNREADABLE] = "unreadable",
    [VERDICT_DUPLICATE] = "duplicate",
    [VERDICT_EMPTY] = "empty",
};

static const char *const reason_names[REASON_N] = {
    [REASON_NOT_READ] = "not-read",
    [REASON_LANE_UNKNOWN] = "lane-unknown",
    [REASON_LANE_UNPROVEN] = "lane-unproven",
    [REASON_READ_IN_PART] = "read-in-part",
    [REASON_UNREAD_FORMAT] = "unread-format",
    [REASON_ERROR_BURST] = "error-burst",
};

const char *verdict_class_name(int cls)
{
	return cls >= 0 && (size_t)cls < sizeof class_names / sizeof *class_names ? class_names[cls] : "unknown";
}

const char *verdict_reason_name(int code)
{
	return code >= 0 && code < REASON_N ? reason_names[code] : "unknown";
}

static void add_reason(struct scan_result *res, int code, const char *subject, char *text)
{
	struct reason *r;

	res->reasons = xgrow(res->reasons, &res->capreasons, res->nreasons + 1, sizeof *res->reasons);
	r = &res->reasons[res->nreasons++];
	r->code = code;
	r->subject = subject ? xstrdup(subject) : NULL;
	r->text = text;
}

/* Does the bundle hold an expected file the globs take? */
static int holds_one_of(const struct context *c, const char *globs)
{
	size_t i;

	for (i = 0; i < N_EXPECTED; i++)
		if (c->expected[i].entry != NULL && glob_list_match_ci(globs, c->expected[i].base))
			return 1;
	return 0;
}

/* The bundle's product has the lane: a file that carries it is there, or a line spoke of it. */
static int lane_shown(const struct scan_result *res, size_t lane)
{
	const char *name = component_table[lane].name;
	size_t k;

	if (holds_one_of(&res->ctx, component_table[lane].shown_by))
		return 1;
	for (k = 0; k < res->events.n; k++)
		if (res->events.v[k].comp && strcmp(res->events.v[k].comp, name) == 0)
			return 1;
	return 0;
}

static int lane_explained(const struct diagnosis *d, const char *lane)
{
	size_t k;

	for (k = 0; k < d->nf; k++)
		if (d->f[k].severity >= SEV_WARNING && d->f[k].comp && strcmp(d->f[k].comp, lane) == 0)
			return 1;
	return 0;
}

static void weigh_lanes(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < component_n; i++) {
		const struct comp_state *cs = &res->diag.states[i];
		const char *name = component_table[i].name;
		const char *state = cs->state ? cs->state : "unknown";
		int kind = component_kind(name, state);

		if (kind == COMP_GOOD || !lane_shown(res, i))
			continue;
		if (kind == COMP_UNKNOWN)
			add_reason(res, REASON_LANE_UNKNOWN, name,
			           cs->note ? xasprintf("%s unknown: %s", name, cs->note)
			                    : xasprintf("%s unknown: no line of a log read says its state", name));
		else if (!lane_explained(&res->diag, name))
			add_reason(res, REASON_LANE_UNPROVEN, name,
			           xasprintf("%s %s at the end of its log, and no finding at or above warning says why", name,
			                     state));
	}
}

static void weigh_problems(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++) {
		const struct problem *p = &res->problems[i];
		int code = p->kind == PROBLEM_FOREIGN_FORMAT ? REASON_UNREAD_FORMAT : REASON_READ_IN_PART;

		add_reason(res, code, p->entry, p->entry ? xasprintf("%s: %s", p->entry, p->msg) : xstrdup(p->msg));
	}
}

/* Error records of one shape that come in a burst (not spread over the whole log) and that no rule
 * explains: trouble worded in a way the rules do not know. A shape a baseline knows is routine. */
static void weigh_bursts(struct scan_result *res, int baseline)
{
	size_t i;

	for (i = 0; i < res->unx.n; i++) {
		const struct ux_template *t = &res->unx.t[i];
		char a[40], b[40];

		if (t->level != UX_ERROR || !t->burst || (baseline && !t->is_new))
			continue;
		timefmt_format_human(&t->first, a, sizeof a);
		timefmt_format_human(&t->last, b, sizeof b);
		add_reason(res, REASON_ERROR_BURST, NULL,
		           xasprintf("a burst of %lu error record%s no rule knows, %s .. %s: %s", t->count,
		                     t->count == 1 ? "" : "s", a, b, t->text));
	}
}

/* Does an entry belong to a log that carries a lane (its log name is one a lane is shown by)? */
static int lane_log(const char *log)
{
	size_t i;

	for (i = 0; i < component_n; i++)
		if (glob_list_match_ci(component_table[i].shown_by, log))
			return 1;
	return 0;
}

/* The logs that carry the lanes are in the bundle, yet not one of their records was read (and
 * something went wrong: empty logs were read, there was nothing in them). */
static int lane_logs_unread(const struct scan_result *res)
{
	size_t i, k;
	int seen = 0;

	for (i = 0; i < res->nproblems; i++) /* cut, or skipped before it was read: a FIFO, encrypted */
		seen |= res->problems[i].entry && lane_log(base_name(res->problems[i].entry));
	for (k = 0; k < res->nentries; k++)
		if (lane_log(res->entries[k].log)) {
			if (res->entries[k].records > 0)
				return 0;
			seen = 1;
		}
	return seen && res->nproblems > 0;
}

/* The problem that says why the lane logs were not read: the first about one of them, else the
 * first (lane_logs_unread holds only with problems). */
static const struct problem *lane_problem(const struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++)
		if (res->problems[i].entry && lane_log(base_name(res->problems[i].entry)))
			return &res->problems[i];
	return &res->problems[0];
}

/* The first encrypted problem whose entry's base name is the glob (of length n), or NULL. */
static const struct problem *locked_as(const struct scan_result *res, const char *glob, size_t n)
{
	char g[128];
	size_t i;

	snprintf(g, sizeof g, "%.*s", (int)n, glob);
	for (i = 0; i < res->nproblems; i++)
		if (res->problems[i].kind == PROBLEM_ENCRYPTED && res->problems[i].entry &&
		    glob_match_ci(g, base_name(res->problems[i].entry)))
			return &res->problems[i];
	return NULL;
}

const struct problem *verdict_locked(const struct scan_result *res)
{
	size_t i;

	if (res->verdict != VERDICT_UNREADABLE)
		return NULL;
	/* the log that shows the first lane (the plugin log), in the table's order, before any other */
	for (i = 0; i < component_n; i++) {
		const char *s = component_table[i].shown_by;

		while (*s) {
			size_t n = strcspn(s, ",");
			const struct problem *p = locked_as(res, s, n);

			if (p)
				return p;
			s += n + (s[n] == ',');
		}
	}
	return locked_as(res, "*", 1);
}

/* The problem that says why the lane logs were not read: an encrypted one first, since nothing else
 * will be read until a passphrase opens it. */
static const struct problem *locked_or(const struct scan_result *res, const struct problem *p)
{
	const struct problem *l = verdict_locked(res);

	return l ? l : p;
}

static void clear_reasons(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nreasons; i++) {
		free(res->reasons[i].subject);
		free(res->reasons[i].text);
	}
	res->nreasons = 0;
}

void verdict_settle(struct scan_result *res, int baseline)
{
	clear_reasons(res);
	if (res->duplicate_of) {
		res->verdict = VERDICT_DUPLICATE;
		return;
	}
	if (res->status == SCAN_EMPTY) {
		res->verdict = VERDICT_EMPTY;
		return;
	}
	if (res->status == SCAN_ERROR) {
		const struct problem *l;

		res->verdict = VERDICT_UNREADABLE;
		if ((l = verdict_locked(res)) != NULL)
			add_reason(res, REASON_NOT_READ, NULL, xasprintf("%s: %s", l->entry, l->msg));
		else
			add_reason(res, REASON_NOT_READ, NULL,
			           xstrdup(res->nproblems ? res->problems[0].msg : "the bundle could not be read"));
		return;
	}
	if (lane_logs_unread(res)) {
		const struct problem *p;

		res->verdict = VERDICT_UNREADABLE; /* before locked_or, which asks */
		p = locked_or(res, lane_problem(res));
		add_reason(res, REASON_NOT_READ, NULL,
		           xasprintf("not one record of the roaming module's logs could be read (%s%s%s)",
		                     p->entry ? p->entry : "", p->entry ? ": " : "", p->msg));
		weigh_problems(res);
		return;
	}
	weigh_problems(res);
	weigh_lanes(res);
	weigh_bursts(res, baseline);
	if (diagnosis_worst(&res->diag, NULL) >= SEV_WARNING)
		res->verdict = VERDICT_PROBLEM;
	else
		res->verdict = res->nreasons ? VERDICT_REVIEW : VERDICT_HEALTHY;
}

int verdict_severity(const struct scan_result *res)
{
	int worst = diagnosis_worst(&res->diag, NULL);

	if ((res->verdict == VERDICT_REVIEW || res->verdict == VERDICT_UNREADABLE) && worst < SEV_WARNING)
		return SEV_WARNING;
	return worst;
}
