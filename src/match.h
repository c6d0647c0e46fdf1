/* match: records x rules -> events. An event is a run of matches of one rule with one meaning
 * (same component and state) in one entry, kept as first/last time, a count and a few evidence
 * lines from each end: memory grows with the number of runs, not with the log's size.
 * The event list owns every string in it; rules are borrowed from the rule set. */
#ifndef DARTSCAN_MATCH_H
#define DARTSCAN_MATCH_H

#include "rules/rules.h"
#include "text.h"

#define EV_KEEP 8 /* evidence lines kept from each end of a run */
/* Runs a bundle's matches make before new ones merge into old; twice this before any is dropped
 * (match.c). The parent holds a worker's result to it too (wire_check.c). */
#define MATCH_EVENTS_MAX 32768

struct evidence {
	unsigned entry;
	unsigned long line;
	struct stamp ts;
	char *text;
};

struct named_capture {
	char *name;
	char *value;
};

struct event {
	const struct rule *rule;
	unsigned entry;
	char *comp;  /* "dns_ipv4", or NULL when the rule implies no state */
	char *state; /* "unprotected" */
	char *note;  /* "fail-open", or NULL */
	struct named_capture *caps; /* from the run's first match */
	size_t ncaps;
	struct stamp first, last;
	unsigned long count;
	struct evidence head[EV_KEEP];
	size_t nhead;
	struct evidence tail[EV_KEEP]; /* a ring: the last matches */
	size_t ntail, tail_pos;
	unsigned long seq; /* arrival order, for a stable sort */
	int pat;           /* the pattern of its matches, for rules that keep runs apart per pattern; else 0 */
};

struct events {
	struct event *v;
	size_t n, cap;
};

void events_init(struct events *ev);
void events_reset(struct events *ev);
/* The first event of rule r, or NULL when r gave none. */
const struct event *events_first_of(const struct events *ev, const struct rule *r);
/* The tail ring in time order: fills out[] (size EV_KEEP), returns how many. */
size_t event_tail(const struct event *e, const struct evidence **out);
const char *event_capture(const struct event *e, const char *name);

struct match_limits {
	uint32_t match_limit;
	uint32_t depth_limit;
	size_t heap_limit_kib;
	long run_gap_s; /* a pause longer than this starts a new run */
};
void match_limits_default(struct match_limits *l);

struct matcher;

struct matcher *matcher_new(const struct ruleset *rs, const struct match_limits *lim);
void matcher_free(struct matcher *m);
/* Starts a bundle: a matcher serves many bundles in turn (one per worker), and nothing of the
 * last one may leak into the next (its event indices, its arrival order). */
void matcher_begin_bundle(struct matcher *m);
/* Chooses the rules that read this entry (rules_reading's). Returns how many. */
size_t matcher_begin_entry(struct matcher *m, const char *base, unsigned entry);
/* The same for an entry read as any of several logs (NULL-terminated base names): a client's
 * unified log or journal, read by the rules of every roaming-module log (scan.c). */
size_t matcher_begin_logs(struct matcher *m, const char *const *bases, unsigned entry);
/* Closes every open run: the next match of a rule starts a new one (--since: no run straddles the
 * window's start). */
void matcher_close_runs(struct matcher *m, const struct events *ev);
/* Chooses every rule that writes a lane's state, whatever files it names, and keeps no events:
 * matcher_record then only says whether a record holds a line those rules know (sniff.c). */
size_t matcher_begin_sniff(struct matcher *m);
/* Matches one record; new or extended events go to ev. Returns the highest severity of the rules
 * that matched it, or -1 when none did (the record is unexplained). */
int matcher_record(struct matcher *m, const struct record *r, struct events *ev);
/* Ends the entry. Its events keep their stamps as read (month first where a/b dates are ambiguous):
 * times.c settles the order for every stamp of the result at once. */
void matcher_end_entry(struct matcher *m, const struct events *ev);
/* Takes the events another matcher found in one whole entry (read ahead on another thread) as
 * if this matcher had just read that entry as number `entry`: moves them to the end of to, in
 * order, with this matcher's arrival numbers. Returns -1, moving nothing, when the bundle-wide
 * event caps could have acted differently here than on the other matcher's empty list. */
int matcher_adopt(struct matcher *m, struct events *from, struct events *to, unsigned entry);
/* Warnings since the last call ("line N: ..."; the caller knows the entry); the caller takes
 * ownership of the strings. */
char **matcher_take_warnings(struct matcher *m, size_t *n);
/* The prefilters it has built: an entry whose active rules an earlier entry had builds none. */
unsigned long matcher_prefilter_builds(const struct matcher *m);

#endif
