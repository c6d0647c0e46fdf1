/* ruletest: a rule file's own tests -- each test line must match (with the captures its expect
 * names), each test-not line must not, and the prefilter must let every matching line through. */
#include <stdlib.h>
#include <string.h>

#include "literal.h"
#include "rules.h"

/* Compares "name=value name2=\"a b\"" with the captures of a match. Returns NULL or what differs. */
static char *check_expect(const struct pattern *p, pcre2_match_data *md, const char *subject, const char *expect)
{
	const char *s = expect;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

	while (*s) {
		char name[64], want[512];
		size_t n = 0, w = 0;
		int num;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		while (*s && *s != '=' && n + 1 < sizeof name)
			name[n++] = *s++;
		name[n] = '\0';
		if (*s != '=')
			return xasprintf("bad expect syntax near '%s'", name);
		s++;
		if (*s == '"') {
			s++;
			while (*s && *s != '"' && w + 1 < sizeof want)
				want[w++] = *s++;
			if (*s == '"')
				s++;
		} else {
			while (*s && *s != ' ' && w + 1 < sizeof want)
				want[w++] = *s++;
		}
		want[w] = '\0';
		num = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)name);
		if (num < 0)
			return xasprintf("pattern has no capture named '%s'", name);
		if (ov[2 * num] == PCRE2_UNSET) {
			if (w != 0)
				return xasprintf("capture %s unset, expected '%s'", name, want);
			continue;
		}
		if (ov[2 * num + 1] - ov[2 * num] != w || memcmp(subject + ov[2 * num], want, w) != 0)
			return xasprintf("capture %s is '%.*s', expected '%s'", name,
			                 (int)(ov[2 * num + 1] - ov[2 * num]), subject + ov[2 * num], want);
	}
	return NULL;
}

int rules_selftest(const struct ruleset *rs, FILE *out, int *ran)
{
	size_t i, j, k;
	int failed = 0;

	*ran = 0;
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (j = 0; j < r->ntests; j++) {
			const struct rule_test *t = &r->tests[j];
			int matched = 0;
			char *why = NULL;

			(*ran)++;
			for (k = 0; k < r->npats && !matched; k++) {
				pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->pats[k].code, NULL);
				int rc = pcre2_match(r->pats[k].code, (PCRE2_SPTR)t->text, strlen(t->text), 0, 0, md, NULL);

				if (rc >= 0) {
					matched = 1;
					/* the prefilter must never hide a line the pattern matches */
					if (r->pats[k].nalts && !literal_held(r->pats[k].alts, r->pats[k].nalts, t->text))
						why = xasprintf("no prefilter literal ('%s'...) in a matching line",
						                r->pats[k].literal);
					else if (t->positive && t->expect)
						why = check_expect(&r->pats[k], md, t->text, t->expect);
				}
				pcre2_match_data_free(md);
			}
			if (t->positive && !matched)
				why = xstrdup("test line does not match");
			else if (!t->positive && matched) {
				free(why);
				why = xstrdup("test-not line matches");
			}
			if (why) {
				fprintf(out, "%s:%ld: %s: %s\n", r->file, t->line, r->id, why);
				free(why);
				failed++;
			}
		}
	}
	return failed;
}
