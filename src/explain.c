/* explain: matches the one rule again on every record of the entries it reads, without the
 * prefilter shortcut, and keeps the nearest miss: the record holding the longest prefix of the
 * rule's literal. Slow on purpose; only --explain uses it. */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"


struct explain *explain_new(const struct rule *r)
{
	struct explain *x = xcalloc(1, sizeof *x);

	x->rule = r;
	x->md = pcre2_match_data_create(64, NULL);
	return x;
}

void explain_free(struct explain *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++)
		free(x->e[i].name);
	free(x->e);
	pcre2_match_data_free(x->md);
	free(x->near_entry);
	free(x->near_text);
	free(x->first_match_entry);
	free(x->first_match_text);
	for (i = 0; x->check_why && i < x->rule->nchecks; i++)
		free(x->check_why[i]);
	free(x->check_why);
	free(x->check_holds);
	free(x);
}

void explain_begin_entry(struct explain *x, const char *name)
{
	x->e = xgrow(x->e, &x->cap, x->n + 1, sizeof *x->e);
	memset(&x->e[x->n], 0, sizeof x->e[x->n]);
	x->e[x->n++].name = xstrdup(name);
}

/* The probe: the pattern's literal, else its leading plain characters. */
static const char *probe(const struct pattern *p, size_t *len)
{
	if (p->literal) {
		*len = p->literal_len;
		return p->literal;
	}
	*len = strcspn(p->src, "\\[](){}|*+?.^$");
	return p->src;
}

/* Longest prefix of s[0..n) found in the record: found prefixes nest, so bisect. */
static size_t longest_prefix(const struct record *rec, const char *s, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;

		if (memmem(rec->text, rec->len, s, mid) != NULL)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static char *one_line(const char *s, size_t n)
{
	char *t = xstrndup(s, n > 300 ? 300 : n);
	char *p;

	for (p = t; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return t;
}

void explain_record(struct explain *x, const struct record *rec)
{
	struct explain_entry *e = &x->e[x->n - 1];
	size_t k;
	int matched = 0, candidate = 0;

	e->records++;
	for (k = 0; k < x->rule->npats && !matched; k++) {
		const struct pattern *p = &x->rule->pats[k];
		size_t plen, near;
		const char *pr = probe(p, &plen);

		if (p->nalts == 0)
			candidate = 1;
		for (size_t a = 0; a < p->nalts && !candidate; a++)
			candidate = memmem(rec->text, rec->len, p->alts[a], strlen(p->alts[a])) != NULL;
		/* the interpreter, not JIT: --explain is slow by design and checks the reference matcher */
		if (pcre2_match(p->code, (PCRE2_SPTR)rec->text, rec->len, 0, PCRE2_NO_JIT, x->md, NULL) >= 0) {
			matched = 1;
			break;
		}
		near = plen ? longest_prefix(rec, pr, plen) : 0;
		if (near > x->near_len) {
			x->near_len = near;
			free(x->near_entry);
			free(x->near_text);
			x->near_entry = xstrdup(e->name);
			x->near_text = one_line(rec->text, rec->len);
			x->near_line = rec->line;
		}
	}
	e->candidates += candidate;
	if (matched) {
		e->matches++;
		if (x->first_match_entry == NULL) {
			x->first_match_entry = xstrdup(e->name);
			x->first_match_text = one_line(rec->text, rec->len);
			x->first_match_line = rec->line;
		}
	}
}

void explain_checks(struct explain *x, const struct context *ctx)
{
	size_t k, n = x->rule->nchecks;

	x->check_holds = xcalloc(n ? n : 1, sizeof *x->check_holds);
	x->check_why = xcalloc(n ? n : 1, sizeof *x->check_why);
	for (k = 0; k < n; k++)
		x->check_holds[k] = context_check(ctx, &x->rule->checks[k], &x->check_why[k]);
}
