/* condition: the table of rule conditions -- the keys that can leave a rule without a finding: the
 * key, what reads its value, where correlation weighs it, what --explain says when it did. */
#ifndef DARTSCAN_CONDITION_H
#define DARTSCAN_CONDITION_H

#include <stddef.h>

struct rule;
struct key_at; /* the key being read: rules_in.h */

/* A row of the table; correlation notes a stop by it (correlate.h's struct rule_stop). */
enum cond_id { COND_WINDOW = 0, COND_UNLESS, COND_REPEATS, COND_CHECK, COND_CAPTURE, COND_WHEN, COND_SKEW, COND_N };

/* Where it is weighed: correlate.c's loop over a rule's runs (its weigher in run_weighers[]), its
 * bundle checks (correlate.c), captures and relations (correlate/relations.c). */
enum cond_weighed { WEIGHED_RUNS = 0, WEIGHED_CHECKS, WEIGHED_CAPTURES, WEIGHED_RELATIONS };

struct rule_condition {
	const char *key; /* in a rule file; NULL for the window, which the command line gives */
	int (*take)(const struct key_at *at, struct rule *r, const char *v, int arg);
	int arg;
	int repeats;     /* may be given more than once in a rule */
	int weighed;     /* enum cond_weighed */
	const char *stopped; /* --explain: how it left the rule without a finding (a template) */
	/* For a condition that can give a rule a finding with no pattern: does the rule hold it? NULL
	 * for one that only weighs a pattern's matches (a rule of those alone could never fire). */
	int (*fires)(const struct rule *r);
};

extern const struct rule_condition rule_conditions[COND_N];
/* The row of a key, or NULL when the key is no condition. */
const struct rule_condition *rules_condition(const char *key);
/* Can the rule give a finding without a pattern (a condition row's fires says so)? */
int rules_fires_alone(const struct rule *r);
/* The keys of the rows that can: "check, capture, when or skew", into out. */
void rules_firing_keys(char *out, size_t n);

#endif
