/* condition: the rule conditions -- the keys that can leave a rule without a finding -- in one
 * table: each key, what reads its value, where correlation weighs it, and the words --explain uses
 * when it did. The parser (rules.c) takes these keys from here; so do correlate, --explain and the
 * man page's test (tests/suites/man.sh reads the rows below). */
#include "condition.h"
#include "rules_in.h"

#include "capture/capture.h"
#include "component.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Key errors live here, below the parser (rules.c), which reads this file's table: calls go one way. */
int rules_key_fail(const struct key_at *at, long col, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ds_error_set(at->err, at->file, at->line, "%s", msg);
	at->err->column = col;
	return -1;
}

/* "[dns] ~ REGEX": the regex is the rest of the line, checked now so a typo fails the load. */
static int parse_adapter_check(const struct key_at *at, const char *v, struct check *c)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re;

	c->kind = CHECK_ADAPTER;
	c->file = xstrdup("ipconfig*");
	c->op = OP_MATCH;
	while (*v == ' ')
		v++;
	if (strncmp(v, "dns ", 4) == 0) {
		c->dns = 1;
		v += 4;
		while (*v == ' ')
			v++;
	}
	if (v[0] != '~' || v[1] != ' ' || v[2] == '\0')
		return rules_key_fail(at, at->col, "adapter check must read 'adapter [dns] ~ REGEX'");
	v += 2;
	while (*v == ' ')
		v++;
	re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof msg);
		return rules_key_fail(at, at->col, "adapter check: bad regex at offset %zu: %s", (size_t)eo,
		            (const char *)msg);
	}
	pcre2_code_free(re);
	c->value = xstrdup(v);
	return 0;
}

/* Does the glob take a lane of component_table? */
static int names_a_lane(const char *glob)
{
	size_t i;

	for (i = 0; i < component_n; i++)
		if (glob_match_ci(glob, component_table[i].name))
			return 1;
	return 0;
}

/* "KIND GLOB N" (stale, flaps): the glob, and a count from min to max into *n. */
static int parse_glob_count(struct check *c, int kind, char *const *w, long min, long max, long *n)
{
	char *end;

	c->kind = kind;
	c->file = xstrdup(w[1]);
	c->op = OP_PRESENT;
	*n = strtol(w[2], &end, 10);
	return *end == '\0' && *n >= min && *n <= max ? 0 : -1;
}

static int parse_check(const struct key_at *at, struct rule *r, const char *v)
{
	struct check c;
	char *w[5] = {0};
	char *copy = xstrdup(v), *p = copy;
	int nw = 0, i, rc = -1;
	static const char *const ops[] = {"missing", "empty", "absent", "present", "=", "!=", "~", NULL};
	size_t cap = r->nchecks;

	memset(&c, 0, sizeof c);
	if (strncmp(v, "adapter ", 8) == 0) {
		rc = parse_adapter_check(at, v + 8, &c);
		goto add;
	}
	while (*p && nw < 5) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (nw == 4) { /* the value is the rest of the line */
			w[nw++] = p;
			break;
		}
		w[nw++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (nw >= 3 && strcmp(w[0], "file") == 0) {
		c.kind = CHECK_FILE;
		c.file = xstrdup(w[1]);
		for (i = 0; ops[i]; i++)
			if (strcmp(w[2], ops[i]) == 0)
				c.op = i;
		if (strcmp(w[2], "missing") != 0 && strcmp(w[2], "empty") != 0) {
			rules_key_fail(at, at->col, "file check must be 'missing' or 'empty', not '%s'", w[2]);
			goto out;
		}
	} else if (nw >= 4 && (strcmp(w[0], "json") == 0 || strcmp(w[0], "xml") == 0)) {
		c.kind = strcmp(w[0], "json") == 0 ? CHECK_JSON : CHECK_XML;
		c.file = xstrdup(w[1]);
		c.path = xstrdup(w[2]);
		c.op = -1;
		for (i = 2; ops[i]; i++)
			if (strcmp(w[3], ops[i]) == 0)
				c.op = i;
		if (c.op < 0) {
			rules_key_fail(at, at->col, "unknown check operator '%s' (absent, present, =, !=, ~)", w[3]);
			goto out;
		}
		if (c.op >= OP_EQ) {
			if (nw < 5) {
				rules_key_fail(at, at->col, "check operator '%s' needs a value", w[3]);
				goto out;
			}
			c.value = xstrdup(w[4]);
		}
	} else if (nw == 3 && strcmp(w[0], "stale") == 0) {
		if (parse_glob_count(&c, CHECK_STALE, w, 1, 24 * 3660, &c.hours) != 0) {
			rules_key_fail(at, at->col, "stale check must read 'stale GLOB[,GLOB...] HOURS'");
			goto out;
		}
	} else if (nw == 3 && strcmp(w[0], "flaps") == 0) {
		if (parse_glob_count(&c, CHECK_FLAPS, w, 2, 1000, &c.times) != 0 || !names_a_lane(w[1])) {
			rules_key_fail(at, at->col, "flaps check must read 'flaps LANE-GLOB N' (N from 2 to 1000)");
			goto out;
		}
	} else if (nw == 2 && strcmp(w[0], "module") == 0 &&
	           (strcmp(w[1], "missing") == 0 || strcmp(w[1], "present") == 0)) {
		c.kind = CHECK_MODULE;
		c.op = strcmp(w[1], "missing") == 0 ? OP_MISSING : OP_PRESENT;
	} else {
		rules_key_fail(at, at->col, "check must read 'file GLOB missing|empty', 'json|xml GLOB PATH OP [VALUE]', 'stale GLOBS HOURS', "
		     "'adapter [dns] ~ REGEX', 'module missing|present' or 'flaps LANE-GLOB N'");
		goto out;
	}
	rc = 0;
add:
	if (rc != 0)
		goto out;
	rc = -1;
	c.line = at->line;
	r->checks = xgrow(r->checks, &cap, r->nchecks + 1, sizeof *r->checks);
	r->checks[r->nchecks++] = c;
	memset(&c, 0, sizeof c);
	rc = 0;
out:
	free(c.file);
	free(c.path);
	free(c.value);
	free(copy);
	return rc;
}

/* "when: A overlaps B within 300" / "caused-by: A within 60" / "unless: A within 10" (3) */
int rules_take_relation(const struct key_at *at, struct rule *r, const char *v, int caused_by)
{
	char a[128], b[128];
	long w = 0;
	struct relation rel;
	size_t cap = r->nrels;

	memset(&rel, 0, sizeof rel);
	if (caused_by == 2) {
		if (sscanf(v, "%127s %127s within %ld", a, b, &w) != 3 || w < 0)
			return rules_key_fail(at, at->col, "skew must read 'RULE_ID RULE_ID within SECONDS'");
		rel.a = xstrdup(a);
		rel.b = xstrdup(b);
		rel.skew = 1;
	} else if (caused_by) {
		if (sscanf(v, "%127s within %ld", a, &w) != 2 || w < 0)
			return rules_key_fail(at, at->col, "%s must read 'RULE_ID within SECONDS'", at->key);
		rel.a = xstrdup(a);
		rel.caused_by = caused_by == 1;
		rel.unless = caused_by == 3;
		/* like test: after its pattern, an unless: speaks of the pattern just before it */
		rel.pattern = rel.unless ? (int)r->npats - 1 : -1;
		if (rel.pattern >= 0)
			r->runs_by_pattern = 1;
	} else {
		if (sscanf(v, "%127s overlaps %127s within %ld", a, b, &w) != 3 || w < 0)
			return rules_key_fail(at, at->col, "when must read 'RULE_ID overlaps RULE_ID within SECONDS'");
		rel.a = xstrdup(a);
		rel.b = xstrdup(b);
	}
	rel.window = w;
	r->rels = xgrow(r->rels, &cap, r->nrels + 1, sizeof *r->rels);
	r->rels[r->nrels++] = rel;
	return 0;
}

static int key_repeats(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (*end != '\0' || n < 2 || n > 1000000)
		return rules_key_fail(at, at->col, "repeats must be a count from 2, given once");
	r->repeats = n;
	return 0;
}

static int key_capture(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	r->capture = cap_verdict_parse(v);
	if (r->capture < 0)
		return rules_key_fail(at, at->col, "unknown capture verdict '%s' (dns-unanswered, dns-answered, proxy-rst, proxy-silent, "
		            "proxy-handshake)",
		            v);
	return 0;
}

static int key_check(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	return parse_check(at, r, v);
}

/* The rows, in the order correlation weighs them. The texts are templates of the stop correlation
 * noted (struct rule_stop): ${a}, ${b}, ${within} of its relation, ${need} and ${got}, ${why}. */
/* The relations of a kind the rule holds: a plain "when" (overlap) or a skew. */
static int holds_relation(const struct rule *r, int skew)
{
	size_t i;

	for (i = 0; i < r->nrels; i++)
		if (!r->rels[i].caused_by && !r->rels[i].unless && r->rels[i].skew == skew)
			return 1;
	return 0;
}

static int fires_check(const struct rule *r)
{
	return r->nchecks > 0;
}

static int fires_capture(const struct rule *r)
{
	return r->capture >= 0;
}

static int fires_when(const struct rule *r)
{
	return holds_relation(r, 0);
}

static int fires_skew(const struct rule *r)
{
	return holds_relation(r, 1);
}

const struct rule_condition rule_conditions[COND_N] = {
    /* the command line's window, not a key: it is weighed with the runs all the same */
    [COND_WINDOW] = {NULL, NULL, 0, 0, WEIGHED_RUNS, "its matches fell outside --since/--until"},
    [COND_UNLESS] = {"unless", rules_take_relation, 3, 1, WEIGHED_RUNS,
                     "every run of matches was set aside by an unless relation (see above)"},
    [COND_REPEATS] = {"repeats", key_repeats, 0, 0, WEIGHED_RUNS,
                      "no run of matches reached its repeats: ${need} (the longest had ${got}; a pause of more than "
                      "5 min starts a new run)"},
    [COND_CHECK] = {"check", key_check, 0, 1, WEIGHED_CHECKS, "a check did not hold", fires_check},
    [COND_CAPTURE] = {"capture", key_capture, 0, 0, WEIGHED_CAPTURES,
                      "no packet capture gave its verdict: ${why}", fires_capture},
    [COND_WHEN] = {"when", rules_take_relation, 0, 1, WEIGHED_RELATIONS,
                   "${a} and ${b} gave no findings within ${within} s of each other: ${why}", fires_when},
    [COND_SKEW] = {"skew", rules_take_relation, 2, 1, WEIGHED_RELATIONS,
                   "${a} and ${b} are not more than ${within} s apart: ${why}", fires_skew},
};

int rules_fires_alone(const struct rule *r)
{
	size_t c;

	for (c = 0; c < COND_N; c++)
		if (rule_conditions[c].fires && rule_conditions[c].fires(r))
			return 1;
	return 0;
}

void rules_firing_keys(char *out, size_t n)
{
	size_t c, left = 0, at = 0;

	for (c = 0; c < COND_N; c++)
		left += rule_conditions[c].fires != NULL;
	out[0] = '\0';
	for (c = 0; c < COND_N && at < n; c++) {
		if (rule_conditions[c].fires == NULL)
			continue;
		left--;
		at += (size_t)snprintf(out + at, n - at, "%s%s", rule_conditions[c].key, left > 1 ? ", " : left ? " or " : "");
	}
}

const struct rule_condition *rules_condition(const char *key)
{
	size_t c;

	for (c = 0; c < COND_N; c++)
		if (rule_conditions[c].key && strcmp(rule_conditions[c].key, key) == 0)
			return &rule_conditions[c];
	return NULL;
}
