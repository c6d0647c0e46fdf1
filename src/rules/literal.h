/* literal: a pattern's prefilter literals -- one string per top-level branch that every match of
 * the branch must hold -- taken conservatively from its text (literal.c says why and how). */
#ifndef DARTSCAN_LITERAL_H
#define DARTSCAN_LITERAL_H

#include <stddef.h>

/* The literals of pattern src into *alts (owned by the caller, each and the array); returns how
 * many, 0 (and *alts NULL) when the pattern has none. */
size_t literal_extract(const char *src, char ***alts);
/* Does text hold one of the n literals? */
int literal_held(char *const *alts, size_t n, const char *text);

#endif
