/* prefilter: a set of literals -> which of them one record contains, in one pass over the record
 * (one memchr pass per distinct anchor byte without SSSE3) rather than one memmem per literal. The
 * caller owns the prefilter; literals are borrowed and must outlive it (the rule set keeps them). */
#ifndef DARTSCAN_PREFILTER_H
#define DARTSCAN_PREFILTER_H

#include <stddef.h>

struct prefilter;

struct prefilter *prefilter_new(void);
void prefilter_free(struct prefilter *pf);
/* Forgets every literal (the next entry has other rules). */
void prefilter_reset(struct prefilter *pf);
/* Adds literal lit (len >= 1) under id, a small dense number chosen by the caller. */
void prefilter_add(struct prefilter *pf, const char *lit, size_t len, unsigned id);
/* Scans s. Returns how many distinct literals it contains; prefilter_has() then says which. */
size_t prefilter_scan(struct prefilter *pf, const char *s, size_t n);
/* Did the last scan find literal id? */
int prefilter_has(const struct prefilter *pf, unsigned id);
/* How many places the scans since the reset compared with literals: hits of the one-pass scan's
 * tables on an anchor, true or not. Few false ones means the literals are anchored well. */
size_t prefilter_checks(const struct prefilter *pf);
/* The ids the last scan found, each once, in the order found; returns how many. */
size_t prefilter_found(const struct prefilter *pf, const unsigned **ids);

#endif
