/* literal: a pattern's prefilter literals -- one string per top-level branch that every match of
 * the branch must hold -- taken conservatively from its text (literal.c says why and how). */
#ifndef DARTSCAN_LITERAL_H
#define DARTSCAN_LITERAL_H

struct pattern;

/* Fills p->alts (and p->literal, the first) from p->src, or leaves them empty: no literal. */
void literal_extract(struct pattern *p);
/* Does text hold one of the pattern's literals? */
int literal_held(const struct pattern *p, const char *text);

#endif
