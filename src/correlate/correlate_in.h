/* correlate_in: what correlate's rooms share and nothing else sees: the steps of correlate(), each
 * room's calls, in layers that call only downward: correlate.c > relations.c > finding.c > course.c >
 * timeline.c > clock.c (flaps.c apart). */
#ifndef DARTSCAN_CORRELATE_IN_H
#define DARTSCAN_CORRELATE_IN_H

#include "correlate.h"

/* finding.c: making findings, for every room above it */
/* What a rule's templates read: the event's captures, the context's values, one computed value. */
struct tpl_ctx {
	const struct event *e;
	const struct context *ctx;
	const char *extra_name, *extra_value; /* a computed value, e.g. the measured skew */
};
const char *lookup_value(void *vp, const char *name, size_t len);
struct finding *new_finding(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event *e,
                            const struct context *ctx);
void cap_severity(struct finding *f, int max, const char *why);
/* A rule's limits: a lower severity when its condition holds, and why. */
void finding_apply_limits(const struct diagnosis *d, struct finding *f);
void finding_from_events(struct diagnosis *d, size_t *cap, const struct rule *r, const struct event **es, size_t n,
                         const struct context *ctx, const struct correlate_opts *o);
/* Notes what stopped s->rule (the first stop of a rule is kept); takes s->why. */
void diagnosis_note_stop(struct diagnosis *d, const struct rule_stop *s);

/* course.c: where a finding stands in its logs */
/* A bad-state run extends the open incident of f or opens the next one. */
/* The finding's cycle in seconds: the median interval between the matches of its current
 * incident's runs (rounded), 0 when none repeats. */
long course_cadence(const struct finding *f, const struct event *const *es, size_t n);
void course_add_to_incidents(const struct diagnosis *d, struct finding *f, const struct event *e);
/* f's onset against its log's first record, its cut entries, and whether it goes on (last_bad: the
 * latest run in a bad state of a stateful f). */
void course_settle(const struct diagnosis *d, struct finding *f, const struct event **es, size_t n,
                   const struct event *last_bad);
/* Lanes whose failures stopped without a recovery line become unknown; lanes whose state began
 * before its log say "since at least". */
void course_settle_states(struct diagnosis *d, const struct events *ev);
void course_mark_states_before_log(struct diagnosis *d);
/* The note of a lane whose failures (f's) stopped without a recovery line. */
char *stopped_note(const struct finding *f);

/* timeline.c: the state changes */
void timeline_build(struct diagnosis *d, const struct events *ev, const struct correlate_opts *o);
const struct state_change *timeline_last_change(const struct diagnosis *d, const char *comp);
const char *timeline_state_at_end(const struct diagnosis *d, const char *comp);
/* The change that recovers comp from a failure at t, or NULL. */
const struct state_change *timeline_recovery_after(const struct diagnosis *d, const char *comp, int64_t t);

/* flaps.c: "flaps LANES N" -- a lane that went bad and back at least N times, at any cadence */
#define FLAPS_MAX 1024 /* bad periods whose starts the cadence is taken from */
#define FLAPS_EV 6     /* evidence: the first bad periods' opening lines */
struct flaps {
	const char *lane; /* component_table's name, or NULL when the check did not hold */
	unsigned long periods;
	struct stamp first, last; /* the first bad period's start, the last one's end */
	int ongoing;              /* the last one lasts to the end of the logs */
	int64_t bad_ms, longest_ms; /* the bad time in all, the longest period */
	const struct evidence *ev[FLAPS_EV];
	size_t nev;
};
/* The first lane from *lane_from on that the glob takes and that flaps; *lane_from is left after it
 * (a finding speaks for one lane: the caller asks again for the next), or at component_n. */
int flaps_check(const struct diagnosis *d, const struct check *ck, size_t *lane_from, struct flaps *fl,
                char **why);
/* The finding of a check that held says the lane, the periods' span and count, their opening lines. */
void flaps_apply(struct finding *f, const struct flaps *fl);

/* relations.c */
/* A capture verdict: evidence on the finding it confirms, or a finding of its own. */
void relations_confirm_captures(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct events *ev,
                                const struct context *ctx, const struct correlate_opts *o);
void relations_apply(struct diagnosis *d, size_t *cap, const struct ruleset *rs, const struct events *ev,
                     const struct context *ctx);
/* Roots by rank, each followed by the findings it explains. */
void relations_rank(struct diagnosis *d);

/* clock.c */
void clock_find_anchor(struct diagnosis *d, const struct events *ev);
void clock_align_capture(struct diagnosis *d, struct events *ev, const struct context *ctx);
void clock_read_collection(struct diagnosis *d, const struct collected *collected);
/* Marks the logs that are history: ended a day or more before the bundle's end and before its
 * current logs began (an older product's folder, a log not written for days). */
void clock_mark_history(struct diagnosis *d);
/* Whether an event comes from a log that is history. */
int clock_is_history(const struct diagnosis *d, const struct event *e);
void clock_note_last_failure(struct diagnosis *d);
/* How far a collection time without a zone may be off; a gap as "55 h". */
int64_t zone_doubt_ms(const struct collection *c);
void format_gap(int64_t ms, char *out, size_t n);

#endif
