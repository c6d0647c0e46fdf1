/* literal: the prefilter literals of a pattern -- strings one of which every record the pattern
 * matches must hold, so that the matcher can skip PCRE2 on the records that hold none.
 *
 * Why it works as it does. Most records of a DART log match no rule; running every rule's PCRE2
 * program on every record would cost more than inflating the bundle. A literal that every match
 * must contain lets one multi-literal pass (prefilter.c) decide which few records PCRE2 sees. The
 * one property that matters is soundness: a literal the pattern can match without is a finding
 * silently lost, while a literal that is merely short or common only costs speed. So the walk
 * below is deliberately conservative, in the manner of YARA's atom extraction: it does not parse
 * PCRE2's language, it reads just enough of it to know what it may not claim.
 *
 * - Each top-level branch ("A|B") must give its own literal; the pattern then holds "one of
 *   these". A branch with no run of at least three plain characters gives none, and then the
 *   whole pattern has none: it runs on every record.
 * - Within a branch only characters at the top level count: a group may be optional or repeated,
 *   a class is a choice, so each ends the run. A quantifier drops the character it follows.
 * - Escapes of punctuation are that character; class escapes (\d, \s...) end the run; an escape
 *   with an argument (\x41, \p{L}, \k<n>, \c[) ends the search for the branch, and its argument
 *   is never read as '(' '[' or '|'.
 * - An inline option setting ((?i), (?^x)) changes what the text after it means: the branch's
 *   literal is dropped. A leading (?s) changes no literal and is allowed.
 * - Constructs whose text the walk cannot read -- verbs (*MARK:a(b) whose names may hold
 *   parentheses, comments (?#[), callouts whose string argument may hold any character
 *   ((?C"a)b")), \Q...\E quoting -- give the pattern no literal at all.
 * - A POSIX class inside a class is read as PCRE2 reads it ("[:alpha:]"; "[.f[.]" is no class).
 *
 * tests/fuzz/fuzz_literals.c holds this to the test: any pattern, any record, PCRE2 must never
 * match a record that holds none of the literals. Each way it found is in tests/fuzz/regress/. */
#include "literal.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The last character of the escape at s: "\\c" takes the character after it as its argument
 * ("\\c[" is ESC), so that one is no '[', '(' or '|' of the pattern. */
static const char *escape_last(const char *s)
{
	if (s[1] == 'c' && s[2])
		return s + 2;
	return s[1] ? s + 1 : s;
}

/* The ']' closing a POSIX class "[:name:]" that opens at s, or NULL when it is not one -- read as
 * PCRE2 reads it: a ']' or another "[:" before the ":]" means the '[' is a plain character. */
static const char *posix_end(const char *s)
{
	char t = s[1];
	const char *p;

	for (p = s + 2; *p; p++) {
		if (*p == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((*p == '[' && p[1] == t) || *p == ']')
			return NULL;
		else if (*p == t && p[1] == ']')
			return p + 1;
	}
	return NULL;
}

/* From the '[' of a character class to its closing ']' (or the end): "[]a]" and "[^]a]" hold a
 * literal ']' first. */
static const char *skip_class(const char *s)
{
	s++;
	if (*s == '^')
		s++;
	if (*s == ']')
		s++;
	while (*s && *s != ']') {
		if (*s == '\\' && s[1])
			s = escape_last(s);
		else if (*s == '[' && (s[1] == ':' || s[1] == '.' || s[1] == '=')) {
			/* a POSIX class, [:alpha:]: its ']' does not close the class around it */
			const char *e = posix_end(s);

			if (e)
				s = e;
		}
		s++;
	}
	return s;
}

/* An inline option setting, "(?i)", "(?^x)", "(?-s)": it changes what the text after it means. */
static int sets_options(const char *s)
{
	size_t i = 2;

	while (s[i] && (strchr("^-", s[i]) || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	return i > 2 && (s[i] == ')' || s[i] == ':');
}

/* Keeps the longer of the run just ended and the best so far. */
static void keep_longer(struct buf *best, struct buf *cur)
{
	if (cur->len > best->len) {
		best->len = 0;
		buf_add(best, cur->p, cur->len);
	}
	cur->len = 0;
}

/* The longest run of plain characters at the top level of one branch [s, end) that every match
 * of the branch must contain, into best. Conservative: an inline option or an escape with
 * arguments ends the search; groups and classes break runs. */
static void branch_literal(const char *s, const char *end, struct buf *best)
{
	struct buf cur;
	int depth = 0;

	buf_init(&cur);
	best->len = 0;
	while (s < end && *s) {
		char c = *s;
		int lit = -1;

		if (depth > 0) {
			if (c == '\\' && s[1])
				s = escape_last(s);
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			else if (c == '[') /* skip a class inside a group */
				s = skip_class(s);
			if (*s)
				s++;
			continue;
		}
		if (c == '\\') {
			char e = s[1];

			if (e == '\0')
				break;
			if (strchr(".\\/[](){}|*+?^$-: '\"=<>#&%!@,;_~`", e) != NULL)
				lit = (unsigned char)e;
			else if (strchr("dDsSwWbBAzZhHvVRX", e) == NULL)
				break; /* escapes with arguments (\x41, \p{L}, \Q): stop rather than mis-read */
			s += 2;
		} else if (c == '(') {
			if (s[1] == '?' && sets_options(s)) {
				best->len = 0; /* inline options change what a literal means */
				cur.len = 0;
				break;
			}
			depth++;
			s++;
		} else if (c == '[') {
			s = skip_class(s);
			if (*s)
				s++;
		} else if (strchr(".^$", c) != NULL) {
			s++;
		} else if (strchr("*+?{", c) != NULL) {
			/* a quantifier makes the previous character optional or repeated: drop it */
			if (c != '+' && cur.len)
				cur.len--;
			if (c == '{')
				while (s < end && *s != '}')
					s++;
			if (s < end)
				s++;
			keep_longer(best, &cur);
			continue;
		} else {
			lit = (unsigned char)c;
			s++;
		}
		if (lit >= 0) {
			/* a literal followed by a quantifier is handled on the next turn */
			buf_addc(&cur, (char)lit);
			continue;
		}
		keep_longer(best, &cur);
	}
	keep_longer(best, &cur);
	buf_reset(&cur);
}

/* Where the top-level branch starting at s ends: the next '|' outside groups and classes. */
static const char *branch_end(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s = escape_last(s);
		else if (*s == '[')
			s = skip_class(s);
		else if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == '|' && depth == 0)
			return s;
		if (!*s)
			break;
	}
	return s;
}

/* Prefilter literals of a pattern: one per top-level branch ("A|B": a record must hold one of
 * them), each at least 3 characters, or none at all. A leading (?s) changes no literal. */
size_t literal_extract(const char *src, char ***alts)
{
	const char *s = src;
	struct buf best;
	size_t cap = 0, n = 0;

	*alts = NULL;
	if (strncmp(s, "(?s)", 4) == 0)
		s += 4;
	/* Verbs, (*MARK:a(b), may hold parentheses in their names, a comment (?#[) or a callout's
	 * string, (?C"a)b"), any character and \Q...\E quotes them: the walk below would misread the
	 * groups and branches (and miss a '|'), so such a pattern gets no literal. */
	if (strstr(s, "(*") || strstr(s, "(?#") || strstr(s, "(?C") || strstr(s, "\\Q"))
		return 0;
	buf_init(&best);
	for (;;) {
		const char *end = branch_end(s);

		branch_literal(s, end, &best);
		if (best.len < 3) { /* a branch without a literal: the pattern can match anywhere */
			strv_free(*alts, n);
			*alts = NULL;
			n = 0;
			break;
		}
		*alts = xgrow(*alts, &cap, n + 1, sizeof **alts);
		(*alts)[n++] = xstrndup(best.p, best.len);
		if (*end != '|')
			break;
		s = end + 1;
	}
	buf_reset(&best);
	return n;
}

int literal_held(char *const *alts, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(text, alts[i]) != NULL)
			return 1;
	return 0;
}
