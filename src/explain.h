/* explain: why one rule did or did not fire on a bundle -- the entries it read, records seen,
 * prefilter and pattern hits, the nearest miss -- for --explain. Fed by scan, printed by
 * report_explain.c. The state owns its copies; the rule is borrowed. */
#ifndef DARTSCAN_EXPLAIN_H
#define DARTSCAN_EXPLAIN_H

#include <stdio.h>

#include "rules/rules.h"
#include "text.h"

struct explain_entry {
	char *name;
	unsigned long records, candidates, matches;
};

struct explain {
	const struct rule *rule;
	struct explain_entry *e;
	size_t n, cap;
	pcre2_match_data *md;
	/* the record that came closest without matching */
	size_t near_len;
	char *near_entry, *near_text;
	unsigned long near_line;
	char *first_match_entry, *first_match_text;
	unsigned long first_match_line;
	/* the rule's bundle checks, settled with the scan (so --redact sees their reasons) */
	int *check_holds;
	char **check_why; /* NULL when the check gives no reason */
};

struct explain *explain_new(const struct rule *r);
void explain_free(struct explain *x);
void explain_begin_entry(struct explain *x, const char *name);
void explain_record(struct explain *x, const struct record *rec);

struct context;
/* Settles the rule's bundle checks against the scanned bundle's context. */
void explain_checks(struct explain *x, const struct context *ctx);

#endif
