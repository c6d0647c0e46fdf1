/* rulectx: the context values rules capture and read are checked against each other and against
 * the values dartscan's code knows (ctxkey.h), when the rules link, so a typo is an error, not silence. */
#include <string.h>

#include "ctxkey.h"
#include "rules/rules.h"
#include "util.h"

#define CTX_NAME_MAX 64

/* Copies the name of word characters at p into out (truncated); returns its length. */
static size_t copy_name(const char *p, char *out)
{
	size_t n = 0;

	while ((p[n] == '_' || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z') ||
	        (p[n] >= '0' && p[n] <= '9')) && n + 1 < CTX_NAME_MAX) {
		out[n] = p[n];
		n++;
	}
	out[n] = '\0';
	return n;
}

/* The next named group of a pattern source at *q that sets a context value (ctx_NAME,
 * ctxlist_NAME, in any of PCRE2's three spellings): the group's name in group, the value's
 * returned; NULL at the end. */
static const char *next_capture(const char **q, char *group)
{
	const char *p;

	while ((p = strstr(*q, "(?")) != NULL) {
		p += 2;
		if (*p == 'P')
			p++;
		*q = p;
		if (*p != '<' && *p != '\'')
			continue;
		*q = p + 1 + copy_name(p + 1, group);
		if (strncmp(group, "ctxlist_", 8) == 0)
			return group + 8;
		if (strncmp(group, "ctx_", 4) == 0)
			return group + 4;
	}
	return NULL;
}

/* The next value a template at *q reads as ${ctx.NAME} (or as an alternative, |ctx.NAME), in
 * name; NULL at the end. */
static const char *next_read(const char *t, const char **q, char *name)
{
	const char *p;

	while ((p = strstr(*q, "ctx.")) != NULL) {
		*q = p + 4 + copy_name(p + 4, name);
		if (p > t && (p[-1] == '{' || p[-1] == '|'))
			return name;
	}
	return NULL;
}

/* Does some pattern of some rule capture the context value name? */
static int is_captured(const struct ruleset *rs, const char *name)
{
	char group[CTX_NAME_MAX];
	const char *q, *v;
	size_t i, k;

	for (i = 0; i < rs->n; i++)
		for (k = 0; k < rs->rules[i].npats; k++)
			for (q = rs->rules[i].pats[k].src; (v = next_capture(&q, group)) != NULL;)
				if (strcmp(v, name) == 0)
					return 1;
	return 0;
}

/* The templates of a rule, up to cap of them, in out; returns how many. */
static size_t rule_templates(const struct rule *r, const char **out, size_t cap)
{
	const char *fixed[] = {r->title, r->fix, r->why, r->state};
	size_t i, n = 0;

	for (i = 0; i < 4; i++)
		if (fixed[i] != NULL && n < cap)
			out[n++] = fixed[i];
	for (i = 0; i < r->nnext && n < cap; i++)
		out[n++] = r->next[i];
	return n;
}

#define TEMPLATES_MAX 64

static int is_read(const struct ruleset *rs, const char *name)
{
	char found[CTX_NAME_MAX];
	const char *t[TEMPLATES_MAX], *q, *v;
	size_t i, k, n;

	for (i = 0; i < rs->n; i++)
		for (k = 0, n = rule_templates(&rs->rules[i], t, TEMPLATES_MAX); k < n; k++)
			for (q = t[k]; (v = next_read(t[k], &q, found)) != NULL;)
				if (strcmp(v, name) == 0)
					return 1;
	return 0;
}

/* A ctx_NAME capture nobody reads: dartscan's code reads only the names of its table. */
static int check_captures(const struct ruleset *rs, const struct rule *r, struct ds_error *err)
{
	char group[CTX_NAME_MAX];
	const char *q, *v;
	size_t k;

	for (k = 0; k < r->npats; k++)
		for (q = r->pats[k].src; (v = next_capture(&q, group)) != NULL;) {
			if (ctxkey_find(v) >= 0 || is_read(rs, v))
				continue;
			ds_error_set(err, r->file, r->line,
			             "rule %s captures %s, but no template reads ${ctx.%s} and dartscan does not "
			             "know the value '%s' (see Context values in dartscan-rules(5))",
			             r->id, group, v, v);
			return -1;
		}
	return 0;
}

/* A ${ctx.NAME} that nothing sets would always be empty. */
static int check_templates(const struct ruleset *rs, const struct rule *r, struct ds_error *err)
{
	char name[CTX_NAME_MAX];
	const char *t[TEMPLATES_MAX], *q, *v;
	size_t k, n;

	for (k = 0, n = rule_templates(r, t, TEMPLATES_MAX); k < n; k++)
		for (q = t[k]; (v = next_read(t[k], &q, name)) != NULL;) {
			if (ctxkey_find(v) >= 0 || is_captured(rs, v))
				continue;
			ds_error_set(err, r->file, r->line,
			             "rule %s reads ${ctx.%s}, which no rule captures (ctx_%s) and dartscan does "
			             "not set",
			             r->id, v, v);
			return -1;
		}
	return 0;
}

int ruleset_check_context(const struct ruleset *rs, struct ds_error *err)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (check_captures(rs, &rs->rules[i], err) < 0 || check_templates(rs, &rs->rules[i], err) < 0)
			return -1;
	return 0;
}
