/* component: the state lanes a diagnosis follows (dns_ipv4, dns_ipv6, web) in one table -- name, label,
 * good and bad state words -- that correlation, every renderer and the stylesheet read. Static data. */
#ifndef DARTSCAN_COMPONENT_H
#define DARTSCAN_COMPONENT_H

#include <stddef.h>

/* A new lane is one row of component_table in component.c, and a rule that writes "state: NAME=WORD".
 * Nothing here allocates: every string returned is the table's own. */

/* Room for the lanes in the arrays sized at compile time (a diagnosis' states, a summary row's);
 * component.c asserts the table fits. */
#define COMPONENT_MAX 8
/* Room for a lane's good words, and for its bad ones (the unused slots are NULL). */
#define COMPONENT_WORDS 4

struct component {
	const char *name;  /* "dns_ipv4": what rules write before the '=', the reports' keys and columns */
	const char *label; /* "DNS protection IPv4": what the reader calls it */
	const char *good[COMPONENT_WORDS]; /* "protected": the state is fine (a failure recovers into it) */
	const char *bad[COMPONENT_WORDS];  /* "unprotected": the failures the page colours as bad */
	/* Base-name globs, ","-separated, of the files that show the bundle's product has the lane (an
	 * event on the lane shows it too): a healthy verdict needs such a lane proven good. */
	const char *shown_by;
};

/* The lanes, in the order every report lists them; component_n of them. */
extern const struct component component_table[];
extern const size_t component_n;

/* How a state word stands: one of the lane's good or bad words, "unknown" (or no word: nothing
 * said), or another word a rule wrote. */
enum component_kind { COMP_GOOD, COMP_BAD, COMP_UNKNOWN, COMP_OTHER };

/* The table's index of the lane called name, or -1 (NULL or another name). */
int component_index(const char *name);
/* How word stands for the lane comp; for a comp the table does not name (or NULL), by the words of
 * every lane. */
enum component_kind component_kind(const char *comp, const char *word);
/* component_kind(comp, word) == COMP_GOOD: the lane is fine in that state. */
int component_good(const char *comp, const char *word);
/* The table's own spelling of word when it is a good or a bad word of some lane, else NULL: a word a
 * rule wrote, made safe where rule text must not go (a class attribute). */
const char *component_word(const char *word);
/* The distinct good (good set) or bad words of every lane in table order, at most max of them into
 * out; returns how many. */
size_t component_words(int good, const char **out, size_t max);

/* Could a lane name as a rule writes it -- len bytes of tmpl, "dns_ipv4" or "dns_${stack}" -- name
 * a lane of the table? A template field stands for any text; case does not matter. */
int component_could_be(const char *tmpl, size_t len);

/* What a column of lanes needs to line up: the longest name, label or word of the table. */
enum component_field { COMP_NAME, COMP_LABEL, COMP_WORD };
size_t component_widest(enum component_field field);

#endif
