/* shape: a record's message as the tokens of its mined template, and the PCRE2 pattern, rule id
 * and title they give (rules draft's pattern design, apart from its reading and its stanza). */
#ifndef DARTSCAN_SHAPE_H
#define DARTSCAN_SHAPE_H

#include <stddef.h>

#include "unexplained.h"

#define SHAPE_TOKENS 20 /* tokens of the message a pattern covers: specific, still readable */

struct shape_token {
	char *s;       /* as written */
	int look;      /* variable by its look: digits, quotes, a path */
	int var;       /* look, or the template's records differ here */
	int one_space; /* a single space before it */
};

struct shape {
	struct shape_token tok[UX_TOKENS];
	size_t ntok;
	size_t first, end; /* after shape_settle: the tokens the pattern covers */
	int partial;       /* the last token may be cut */
};

/* Splits a record's message (past its line header, as the miner does); cut: the record was. */
void shape_split(struct shape *sh, const char *msg, int cut);
/* Marks as variable the fields where the mined template the message fits (u may be NULL) varies. */
void shape_widen(struct shape *sh, const struct unexplained *u);
/* Drops a cut last token and picks the tokens the pattern covers; -1 when none is constant. */
int shape_settle(struct shape *sh);
char *shape_pattern(const struct shape *sh);
/* site.draft-WORDS and a title with the fields as <*>; entry and line name it when no word can. */
void shape_names(const struct shape *sh, const char *entry, unsigned long line, char **id, char **title);
void shape_free(struct shape *sh);

#endif
