/* rules_in: what the rule parser (rules.c) and the condition keys (condition.c) share, and
 * nothing outside src/rules/ sees: the key being read, and the reader of relations. */
#ifndef DARTSCAN_RULES_IN_H
#define DARTSCAN_RULES_IN_H

#include "rules.h"

/* The key being read: where it is, for the errors its value gives. */
struct key_at {
	const char *file;
	const char *key;
	long line, col; /* the key's line, its value's column */
	struct ds_error *err;
};

/* Fails the key with a message at its line and column col (the value's, at->col, most often). */
int rules_key_fail(const struct key_at *at, long col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "when: A overlaps B within N" (kind 0), "caused-by: A within N" (1), "skew: A B within N" (2),
 * "unless: A within N" (3). */
int rules_take_relation(const struct key_at *at, struct rule *r, const char *v, int kind);

#endif
