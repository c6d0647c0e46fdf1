/* ruleset: the compiled rule set and what the other stages ask of it -- severities by name,
 * which rules read an entry, whether a rule's matches only explain their lines -- and freeing it.
 * Building it is rules.c's (the parser) and ruleload.c's (directories and layers). */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static const char *const sev_names[] = {"none", "info", "warning", "error", "critical"};

const char *severity_name(int sev)
{
	return sev >= 0 && sev <= SEV_CRITICAL ? sev_names[sev] : "?";
}

int severity_parse(const char *s)
{
	int i;

	for (i = 0; i <= SEV_CRITICAL; i++)
		if (strcasecmp(s, sev_names[i]) == 0)
			return i;
	return -1;
}

struct ruleset *ruleset_new(void)
{
	return xcalloc(1, sizeof(struct ruleset));
}

void rule_reset(struct rule *r)
{
	size_t i;

	free(r->id);
	free(r->title);
	free(r->component);
	strv_free(r->files, r->nfiles);
	for (i = 0; i < r->npats; i++) {
		free(r->pats[i].src);
		strv_free(r->pats[i].alts, r->pats[i].nalts); /* literal is alts[0] */
		pcre2_code_free(r->pats[i].code);
	}
	free(r->pats);
	free(r->state);
	for (i = 0; i < r->nlimits; i++) {
		free(r->limits[i].comp);
		free(r->limits[i].state);
		free(r->limits[i].why);
	}
	free(r->limits);
	free(r->fix);
	free(r->why);
	strv_free(r->refs, r->nrefs);
	strv_free(r->next, r->nnext);
	free(r->applies);
	for (i = 0; i < r->ntests; i++) {
		free(r->tests[i].text);
		free(r->tests[i].expect);
	}
	free(r->tests);
	for (i = 0; i < r->nchecks; i++) {
		free(r->checks[i].file);
		free(r->checks[i].path);
		free(r->checks[i].value);
	}
	free(r->checks);
	for (i = 0; i < r->nrels; i++) {
		free(r->rels[i].a);
		free(r->rels[i].b);
	}
	free(r->rels);
	free(r->confirms);
	free(r->file);
}

void ruleset_free(struct ruleset *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++)
		rule_reset(&rs->rules[i]);
	free(rs->rules);
	strv_free(rs->files, rs->nfiles);
	strv_free(rs->notes, rs->nnotes);
	free(rs);
}

const struct rule *rules_find(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

/* Correlation compares these pointers, never names: resolved here, once, after the last layer
 * (rs->rules moves while rules are added, so no pointer is taken before). */
int ruleset_link(struct ruleset *rs, struct ds_error *err)
{
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		struct rule *r = &rs->rules[i];

		if (r->confirms && (r->confirmed = rules_find(rs, r->confirms)) == NULL) {
			ds_error_set(err, r->file, r->line, "rule %s confirms unknown rule '%s'", r->id, r->confirms);
			return -1;
		}
		for (j = 0; j < r->nrels; j++) {
			struct relation *rel = &r->rels[j];

			rel->ra = rules_find(rs, rel->a);
			rel->rb = rel->b ? rules_find(rs, rel->b) : NULL;
			if (rel->ra == NULL || (rel->b && rel->rb == NULL)) {
				ds_error_set(err, r->file, r->line, "rule %s refers to unknown rule '%s'", r->id,
				             rel->ra == NULL ? rel->a : rel->b);
				return -1;
			}
		}
	}
	rs->linked = 1;
	return 0;
}

/* A rotated part of a log (cscumbrellaplugin.1.txt) is read by the rules that read the log: rule
 * authors list the log's name, never its parts. */
int rule_reads(const struct rule *r, const char *base)
{
	char log[256];
	int part = log_part_name(base, log, sizeof log);
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		if (glob_match_ci(r->files[i], base) || (part && glob_match_ci(r->files[i], log)))
			return 1;
	return 0;
}

int rule_reads_any(const struct rule *r, const char *const *bases)
{
	for (; *bases; bases++)
		if (rule_reads(r, *bases))
			return 1;
	return 0;
}

int rule_matches_entry(const struct rule *r, const char *base)
{
	return !r->disabled && r->npats && rule_reads(r, base);
}

size_t rules_reading(const struct ruleset *rs, const char *base)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++)
		n += (size_t)rule_matches_entry(&rs->rules[i], base);
	return n;
}

int rules_explain_only(const struct ruleset *rs, const struct rule *r)
{
	size_t i, k;

	if (r->severity != SEV_NONE || r->state || r->nchecks || r->capture >= 0 || r->nlimits || r->nrels)
		return 0;
	/* a named capture is read by someone (correlate's clock anchor, ctx_ values, fix texts) */
	for (k = 0; k < r->npats; k++) {
		const char *q = r->pats[k].src;

		while ((q = strstr(q, "(?<")) != NULL) {
			if (q[3] != '=' && q[3] != '!')
				return 0;
			q += 3;
		}
		if (strstr(r->pats[k].src, "(?P<") || strstr(r->pats[k].src, "(?'"))
			return 0;
	}
	for (i = 0; i < rs->n; i++) {
		const struct rule *o = &rs->rules[i];

		if (o->confirms && strcmp(o->confirms, r->id) == 0)
			return 0;
		for (k = 0; k < o->nrels; k++)
			if (strcmp(o->rels[k].a, r->id) == 0 || (o->rels[k].b && strcmp(o->rels[k].b, r->id) == 0))
				return 0;
	}
	return 1;
}
