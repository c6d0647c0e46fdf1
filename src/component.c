/* component: the table of state lanes and what the other stages ask of it -- a lane by name, how a
 * state word stands for a lane, the distinct words the stylesheet colours, the widths columns need.
 * Gives borrowed strings of the table. */
#include "component.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* One row a lane. Its name is what rules write ("state: dns_${stack}=unprotected"); a good word
 * ends a failure (a recovery); the bad words are the states the page colours red -- a word a rule
 * writes that is in neither list is still a failure, shown in the colour of "other". */
const struct component component_table[] = {
    {"dns_ipv4", "DNS protection IPv4", {"protected"}, {"unprotected"}, "cscumbrellaplugin.txt,Umbrella.txt"},
    {"dns_ipv6", "DNS protection IPv6", {"protected"}, {"unprotected"}, "cscumbrellaplugin.txt,Umbrella.txt"},
    {"web", "Web protection", {"protected"}, {"unavailable"}, "SWGConfig.json,swg_org_config.flag"},
};

#define ROWS (sizeof component_table / sizeof *component_table)
_Static_assert(ROWS <= COMPONENT_MAX, "more lanes than COMPONENT_MAX: raise it in component.h");

const size_t component_n = ROWS;

int component_index(const char *name)
{
	size_t i;

	for (i = 0; name && i < ROWS; i++)
		if (strcmp(component_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The slot of words[] that is word, or NULL. */
static const char *const *find_word(const char *const words[COMPONENT_WORDS], const char *word)
{
	size_t k;

	for (k = 0; k < COMPONENT_WORDS && words[k]; k++)
		if (strcmp(words[k], word) == 0)
			return &words[k];
	return NULL;
}

static enum component_kind kind_in_row(const struct component *c, const char *word)
{
	if (find_word(c->good, word))
		return COMP_GOOD;
	return find_word(c->bad, word) ? COMP_BAD : COMP_OTHER;
}

enum component_kind component_kind(const char *comp, const char *word)
{
	int at = component_index(comp);
	enum component_kind kind = COMP_OTHER;
	size_t i;

	if (word == NULL || strcmp(word, "unknown") == 0)
		return COMP_UNKNOWN;
	if (at >= 0)
		return kind_in_row(&component_table[at], word);
	/* a lane the table does not name: a good word of any lane is good, as it always was */
	for (i = 0; i < ROWS; i++) {
		enum component_kind k = kind_in_row(&component_table[i], word);

		if (k == COMP_GOOD)
			return k;
		if (k == COMP_BAD)
			kind = k;
	}
	return kind;
}

int component_good(const char *comp, const char *word)
{
	return component_kind(comp, word) == COMP_GOOD;
}

const char *component_word(const char *word)
{
	const char *const *w = NULL;
	size_t i;

	for (i = 0; word && i < ROWS && w == NULL; i++)
		if ((w = find_word(component_table[i].good, word)) == NULL)
			w = find_word(component_table[i].bad, word);
	return w ? *w : NULL;
}

size_t component_words(int good, const char **out, size_t max)
{
	size_t i, k, j, n = 0;

	for (i = 0; i < ROWS; i++) {
		const char *const *words = good ? component_table[i].good : component_table[i].bad;

		for (k = 0; k < COMPONENT_WORDS && words[k]; k++) {
			for (j = 0; j < n && strcmp(out[j], words[k]) != 0; j++)
				;
			if (j == n && n < max)
				out[n++] = words[k];
		}
	}
	return n;
}

/* What a rule may write before the '=' as a glob: each template field (nested ones too) a '*',
 * whatever the field may expand to, and the rest taken literally. */
static char *lane_glob(const char *tmpl, size_t len)
{
	char *t = xstrndup(tmpl, len);
	const char *p = t, *close;
	struct buf g;

	buf_init(&g);
	for (; *p; p++) {
		if (p[0] == '$' && p[1] == '{' && (close = template_close(p)) != NULL) {
			buf_addc(&g, '*');
			p = close;
			continue;
		}
		if (strchr("*?[\\", *p))
			buf_addc(&g, '\\');
		buf_addc(&g, *p);
	}
	free(t);
	return buf_steal(&g);
}

int component_could_be(const char *tmpl, size_t len)
{
	char *glob = lane_glob(tmpl, len);
	size_t i;
	int found = 0;

	/* case-blind: the name is lower-cased once expanded ("WEB=unavailable" sets web) */
	for (i = 0; i < ROWS && !found; i++)
		found = glob_match_ci(glob, component_table[i].name);
	free(glob);
	return found;
}

static size_t widest_word(const char *const words[COMPONENT_WORDS], size_t w)
{
	size_t k;

	for (k = 0; k < COMPONENT_WORDS && words[k]; k++)
		if (strlen(words[k]) > w)
			w = strlen(words[k]);
	return w;
}

size_t component_widest(enum component_field field)
{
	size_t i, w = 0;

	for (i = 0; i < ROWS; i++) {
		const struct component *c = &component_table[i];

		if (field == COMP_NAME && strlen(c->name) > w)
			w = strlen(c->name);
		if (field == COMP_LABEL && strlen(c->label) > w)
			w = strlen(c->label);
		if (field == COMP_WORD)
			w = widest_word(c->bad, widest_word(c->good, w));
	}
	return w;
}
