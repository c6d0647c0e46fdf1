/* correlate: events -> per-component state timelines, incidents and ranked findings with their
 * root causes. The diagnosis owns its findings and strings; evidence and rules are borrowed from
 * the event list and the rule set, which must outlive it. */
#ifndef DARTSCAN_CORRELATE_H
#define DARTSCAN_CORRELATE_H

#include "component.h"
#include "context.h"
#include "instant.h"
#include "match.h"
#include "rules/condition.h"

struct state_change {
	const char *comp;   /* borrowed from the event */
	const char *state;
	const char *note;
	struct stamp ts;
	const struct event *cause;
};

/* A period in a bad state: from the first match to the recovery (or, while ongoing or once the
 * failures stopped without a recovery line, the last match). */
struct incident {
	struct stamp start, end;
	struct stamp last;   /* its last failure */
	unsigned long count; /* matches in this incident */
	int ongoing;
	int stopped;         /* no recovery line, but its log went on without failures */
};

/* What correlate knows of each entry an event may cite (indexed by the event's entry): the log it
 * is a part of, the span of its timestamped records, whether its bytes were cut. */
struct log_span {
	const char *log;   /* the log's name ("cscumbrellaplugin.txt" for its rotated parts), or NULL */
	struct stamp first, last;
	int cut;
	int dates_in_doubt; /* its a/b dates may be day/month as well: its span proves no age */
};

struct finding {
	const struct rule *rule;
	int severity;
	char *title;
	char *remediation;
	char *why;           /* for bundle checks: what was found */
	const char *comp;    /* dns_ipv4 ..., or NULL */
	struct stamp first, last;
	struct stamp recovered; /* TP_NONE while ongoing */
	struct stamp stopped;   /* its last failure, when they stopped and the log went on; else TP_NONE */
	struct stamp log_end;   /* the last record of the log that carries its last failure */
	struct stamp cut_at;    /* with log_cut: the last record before the cut */
	unsigned long count;
	long period_s;       /* typical seconds between matches, 0 when unknown */
	int ongoing;
	int stateful;
	int started_before_log; /* its first failure is its log's first timestamped record */
	int log_cut;            /* an entry that carries its records was damaged or truncated */
	const struct evidence **ev; /* the evidence shown, time-ordered */
	size_t nev;
	unsigned long ev_omitted;
	int root;            /* made by a "when" relation: it explains two findings and ranks first */
	int history;         /* from logs that ended long before the current ones began (clock.c) */
	const struct finding *caused_by;    /* the first finding of caused_by_rule, or NULL */
	const struct rule *caused_by_rule; /* the rule of the finding that explains this one, or NULL */
	char *severity_note; /* why the severity is below the rule's, or NULL */
	char **next;         /* next steps, expanded */
	size_t nnext;
	char *capture_note;  /* what a packet capture showed about it, or NULL */
	struct incident *inc; /* each incident, in time order */
	size_t ninc, capinc;
};

struct comp_state {
	const char *comp;
	const char *state; /* "unknown" when nothing said */
	const char *note;
	struct stamp since;
	int since_before_log; /* since is its log's first record: the state began earlier */
};

struct correlate_opts {
	long transient_s;
	int evidence;       /* evidence lines shown per finding */
	struct stamp since, until; /* TP_NONE: open */
	int captured;       /* a packet capture was read with the bundle (--pcap) */
};
void correlate_opts_default(struct correlate_opts *o);

enum timeline_kind { TL_STATE = 0, TL_FINDING, TL_RECOVERED, TL_END };

/* One line of the merged time-ordered view; everything in it is borrowed from the diagnosis. */
struct timeline_item {
	struct stamp ts;
	int kind;
	const struct state_change *change; /* TL_STATE */
	const struct finding *f;            /* TL_FINDING, TL_RECOVERED */
	const struct incident *inc;         /* the incident opening or closing, or NULL */
	const struct evidence *ev;          /* where it is written, or NULL */
};

/* A UTC anchor: a record that gives both the client's local time and UTC (EPOC time '...'). */
struct clock_anchor {
	int found;
	long offset_min;           /* local - UTC */
	const struct evidence *ev;
};

/* How a packet capture's UTC clock maps onto the logs' local time. */
struct capture_align {
	int aligned;        /* the bundle gives a UTC offset for capture times */
	long offset_min;    /* local - UTC */
	const char *source; /* "EPOC anchor", "time zone" */
};

/* When DART wrote the bundle (correlate's collected) against the logs. */
struct collection {
	struct stamp at;           /* TP_NONE when the bundle does not say */
	int kind;                  /* enum collected_source */
	const char *source;        /* its words: "entry times", "bundle name", ... (static) */
	struct stamp logs_end;     /* the newest record of any log */
	struct stamp last_failure; /* the last match of any finding with a time, or TP_NONE */
	char *note;                /* the logs run past it (another clock or zone), or NULL */
};

/* What left a rule without a finding, noted where it was weighed: a row of rules/condition.c's
 * table and the values its --explain words read. */
struct rule_stop {
	const struct rule *rule;
	int cond;                   /* enum cond_id */
	const struct relation *rel; /* ${a}, ${b}, ${within}; or NULL */
	unsigned long need, got;    /* ${need}: what the condition asks; ${got}: what the bundle had */
	char *why;                  /* ${why} (owned), or NULL */
};

struct diagnosis {
	struct finding *f;  /* ranked: root causes first, each followed by what it explains */
	size_t nf;
	struct comp_state states[COMPONENT_MAX]; /* component_table's lanes, in its order */
	struct state_change *changes;
	size_t nchanges;
	struct stamp start, end;
	struct clock_anchor clock;
	const struct clock_frame *frame; /* the line of time the stamps are on (borrowed) */
	struct stamp since;  /* --since: the window's start (TP_NONE: open) */
	unsigned char *history; /* by entry: a log that ended long before the current logs began */
	size_t nhistory;
	struct capture_align capture;
	struct collection collected;
	char *notes[COMPONENT_MAX]; /* owned notes of states[] (why a state became unknown) */
	const struct rule **dropped; /* rules whose findings an "unless" relation dropped (--explain) */
	size_t ndropped;
	struct rule_stop *stops; /* the first stop noted of each rule that made no finding (--explain) */
	size_t nstops;
	int shown_from;     /* diagnosis_drop_below's level (0: every finding is here) */
	size_t nhidden;     /* findings it removed */
	const struct log_span *logs; /* borrowed while correlating only */
	size_t nlogs;
	const struct events *ev;     /* borrowed while correlating only: sorted by time */
};

/* Builds the diagnosis. ev is sorted in place by time; logs[e] describes entry e. */
void correlate(struct diagnosis *d, struct events *ev, const struct ruleset *rs, const struct context *ctx,
               const struct log_span *logs, size_t nlogs, struct stamp start, struct stamp end,
               const struct clock_frame *frame, const struct collected *collected,
               const struct correlate_opts *o);
void diagnosis_reset(struct diagnosis *d);
/* --utc: a local stamp moved to UTC by the client's offset (a stamp with an offset of its own, by that);
 * UTC and unknown stamps are left as they are. */
void stamp_to_utc(struct stamp *s, long off_min);
/* Every stamp of the diagnosis to UTC (evidence is the event list's: its owner moves it). */
void diagnosis_to_utc(struct diagnosis *d, long off_min);
/* Frees and removes the findings below sev (--min-severity), keeping the order; what pointed at a
 * removed finding (caused_by) is cleared, its caused_by_rule kept. */
void diagnosis_drop_below(struct diagnosis *d, int sev);
/* Has f a course to tell (ongoing, stopped, recovered)? A state has; so has a timed run of events;
 * a bundle check has not. */
int finding_has_course(const struct finding *f);
/* The incident going on, else the last one; NULL when the finding has none (a stateless one). */
const struct incident *finding_current(const struct finding *f);
/* How long an incident lasted: to its recovery, else to its last failure. */
int64_t incident_ms(const struct incident *in);
/* The time failing in all: every incident's length added up. */
int64_t finding_failing_ms(const struct finding *f);
/* The id of the rule whose finding explains f ("caused by ..."), or NULL. */
const char *finding_cause_id(const struct finding *f);
/* Orders evidence pointers by time, then entry and line (for sort_array). */
int evidence_cmp(const void *a, const void *b);
/* The highest severity among the findings (of one rule when only is set). */
int diagnosis_worst(const struct diagnosis *d, const struct rule *only);
/* Did an "unless" relation drop a finding of rule r? */
int diagnosis_dropped(const struct diagnosis *d, const struct rule *r);
/* What stopped rule r, when correlation noted it; NULL otherwise. */
const struct rule_stop *diagnosis_stop(const struct diagnosis *d, const struct rule *r);
/* The merged time-ordered view: state changes, findings opening (repeats collapsed into one item
 * with the finding's count), recoveries, the end of the bundle. Caller frees the array. */
struct timeline_item *diagnosis_timeline(const struct diagnosis *d, size_t *n);

#endif
