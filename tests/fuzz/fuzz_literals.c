/* fuzz_literals: the prefilter's literals must be sound. The literals the extractor takes from a
 * pattern decide which records PCRE2 ever sees, so a record the pattern matches that holds none
 * of them is a finding silently lost. Input: a pattern, a newline, a record (to the next one);
 * the pair becomes a rule with the record as its test line, and the self-test's literal check
 * must never fire. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytes a rule file line cannot carry as they are: the parser would end or trim the value. */
static int plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || s[i] == '\r' || s[i] == '\n')
			return 0;
	return n > 0 && s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl = memchr(p, '\n', size), *rec, *end;
	struct ruleset *rs;
	struct ds_error err;
	char *text, *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int ran;

	if (nl == NULL || size > 4096)
		return 0;
	rec = nl + 1;
	end = memchr(rec, '\n', size - (size_t)(rec - p));
	if (end == NULL)
		end = p + size;
	if (!plain(p, (size_t)(nl - p)) || !plain(rec, (size_t)(end - rec)))
		return 0;
	text = NULL;
	if (asprintf(&text, "rule: fuzz.literals\ntitle: t\nseverity: info\ncomponent: c\nfiles: *\npattern: %.*s\n"
	                    "test: %.*s\n",
	             (int)(nl - p), p, (int)(end - rec), rec) < 0)
		return 0;
	rs = ruleset_new();
	if (rules_parse(rs, "fuzz", text, strlen(text), &err) == 0) {
		f = open_memstream(&out, &outlen);
		rules_selftest(rs, f, &ran);
		fclose(f);
		if (out && strstr(out, "no prefilter literal")) {
			fprintf(stderr, "fuzz_literals: %s", out);
			abort();
		}
		free(out);
	}
	ruleset_free(rs);
	free(text);
	return 0;
}
