/* rules: the rule-file parser, driven by one table of keys, and the pattern compiler. Format:
 * "key: value" lines, a rule opens with "rule: ID"; an indented line continues the value above
 * (for test lines, as a new line of the same record). See dartscan-rules(5). The rest of the rule
 * set's rooms: ruleset.c (the set), ruleload.c (directories, layers), literal.c (prefilter
 * literals), ruletest.c (the self-tests), tuning.c (the local tuning file). */
#include "rules.h"

#include "capture/capture.h"
#include "component.h"
#include "literal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int has_list_groups(const pcre2_code *code)
{
	uint32_t names = 0, size = 0, i;
	PCRE2_SPTR table;

	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &names);
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < names; i++)
		if (strncmp((const char *)table + i * size + 2, "ctxlist_", 8) == 0)
			return 1;
	return 0;
}

static int compile_pattern(struct pattern *p, const char *file, long col, struct ds_error *err)
{
	int ec;
	PCRE2_SIZE eo;
	p->code = pcre2_compile((PCRE2_SPTR)p->src, PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
	if (p->code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof msg);
		ds_error_set(err, file, p->line, "pattern does not compile: %s", (char *)msg);
		err->column = col + (long)eo;
		return -1;
	}
	p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
	p->nalts = literal_extract(p->src, &p->alts);
	if (p->nalts > 0) {
		p->literal = p->alts[0];
		p->literal_len = strlen(p->literal);
	}
	p->lists = has_list_groups(p->code);
	return 0;
}

/* ---- parser ---- */

struct parser {
	struct ruleset *rs;
	const char *file;
	struct rule *cur;
	struct ds_error *err;
	/* the key being read, with its value gathered over continuation lines */
	char key[32];
	long key_line;
	long val_col;
	struct buf val;
	int have_key;
	const struct rule_key *kd;   /* the key's row of the table */
	unsigned long long seen;     /* the keys given in the current rule, by row */
};

static int fail(struct parser *ps, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct parser *ps, long line, long col, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ds_error_set(ps->err, ps->file, line, "%s", msg);
	ps->err->column = col;
	return -1;
}

static int valid_id(const char *id)
{
	const char *p;
	int dots = 0;

	if (!islower((unsigned char)*id))
		return 0;
	for (p = id; *p; p++) {
		if (*p == '.') {
			if (p[1] == '.' || p[1] == '\0')
				return 0;
			dots++;
		} else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	}
	return dots > 0;
}

static void split_words(const char *s, char ***v, size_t *n)
{
	const char *p = s;
	size_t cap = *n;

	while (*p) {
		const char *q;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		q = p;
		while (*q && *q != ' ' && *q != ',' && *q != '\t')
			q++;
		*v = xgrow(*v, &cap, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrndup(p, (size_t)(q - p));
		p = q;
	}
}

/* "[dns] ~ REGEX": the regex is the rest of the line, checked now so a typo fails the load. */
static int parse_adapter_check(struct parser *ps, const char *v, struct check *c)
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
		return fail(ps, ps->key_line, ps->val_col, "adapter check must read 'adapter [dns] ~ REGEX'");
	v += 2;
	while (*v == ' ')
		v++;
	re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof msg);
		return fail(ps, ps->key_line, ps->val_col, "adapter check: bad regex at offset %zu: %s", (size_t)eo,
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

static int parse_check(struct parser *ps, const char *v)
{
	struct rule *r = ps->cur;
	struct check c;
	char *w[5] = {0};
	char *copy = xstrdup(v), *p = copy;
	int nw = 0, i, rc = -1;
	static const char *const ops[] = {"missing", "empty", "absent", "present", "=", "!=", "~", NULL};
	size_t cap = r->nchecks;

	memset(&c, 0, sizeof c);
	if (strncmp(v, "adapter ", 8) == 0) {
		rc = parse_adapter_check(ps, v + 8, &c);
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
			fail(ps, ps->key_line, ps->val_col, "file check must be 'missing' or 'empty', not '%s'", w[2]);
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
			fail(ps, ps->key_line, ps->val_col, "unknown check operator '%s' (absent, present, =, !=, ~)", w[3]);
			goto out;
		}
		if (c.op >= OP_EQ) {
			if (nw < 5) {
				fail(ps, ps->key_line, ps->val_col, "check operator '%s' needs a value", w[3]);
				goto out;
			}
			c.value = xstrdup(w[4]);
		}
	} else if (nw == 3 && strcmp(w[0], "stale") == 0) {
		if (parse_glob_count(&c, CHECK_STALE, w, 1, 24 * 3660, &c.hours) != 0) {
			fail(ps, ps->key_line, ps->val_col, "stale check must read 'stale GLOB[,GLOB...] HOURS'");
			goto out;
		}
	} else if (nw == 3 && strcmp(w[0], "flaps") == 0) {
		if (parse_glob_count(&c, CHECK_FLAPS, w, 2, 1000, &c.times) != 0 || !names_a_lane(w[1])) {
			fail(ps, ps->key_line, ps->val_col, "flaps check must read 'flaps LANE-GLOB N' (N from 2 to 1000)");
			goto out;
		}
	} else if (nw == 2 && strcmp(w[0], "module") == 0 &&
	           (strcmp(w[1], "missing") == 0 || strcmp(w[1], "present") == 0)) {
		c.kind = CHECK_MODULE;
		c.op = strcmp(w[1], "missing") == 0 ? OP_MISSING : OP_PRESENT;
	} else {
		fail(ps, ps->key_line, ps->val_col,
		     "check must read 'file GLOB missing|empty', 'json|xml GLOB PATH OP [VALUE]', 'stale GLOBS HOURS', "
		     "'adapter [dns] ~ REGEX', 'module missing|present' or 'flaps LANE-GLOB N'");
		goto out;
	}
	rc = 0;
add:
	if (rc != 0)
		goto out;
	rc = -1;
	c.line = ps->key_line;
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

/* A lane no row of component.c names gets no state and no place in any report: a typo
 * ("dns_ipv=unprotected") would pass every test and show nothing, so it is refused here. */
static int check_lane(struct parser *ps, const char *name, size_t len)
{
	char lanes[256] = "";
	size_t i;

	if (component_could_be(name, len))
		return 0;
	for (i = 0; i < component_n; i++)
		snprintf(lanes + strlen(lanes), sizeof lanes - strlen(lanes), "%s%s", i ? ", " : "",
		         component_table[i].name);
	return fail(ps, ps->key_line, ps->val_col, "unknown state lane '%.*s' (lanes: %s)", (int)len, name, lanes);
}

/* "warning when dns_ipv4=protected", "warning when ever any=protected: why it is lower" */
static int parse_limit(struct parser *ps, const char *v)
{
	struct rule *r = ps->cur;
	char sev[32], cond[128];
	const char *rest, *colon;
	char *eq;
	size_t cap = r->nlimits;
	struct limit l;
	int used = 0;

	memset(&l, 0, sizeof l);
	if (sscanf(v, "%31s when %n", sev, &used) != 1 || used == 0)
		return fail(ps, ps->key_line, ps->val_col, "limit must read 'SEVERITY when [ever] COMPONENT=STATE[: why]'");
	rest = v + used;
	if (strncmp(rest, "ever ", 5) == 0) {
		l.ever = 1;
		rest += 5;
	}
	colon = strchr(rest, ':');
	snprintf(cond, sizeof cond, "%.*s", (int)(colon ? (size_t)(colon - rest) : strlen(rest)), rest);
	trim(cond);
	if ((eq = strchr(cond, '=')) == NULL || strchr(cond, ' ') != NULL)
		return fail(ps, ps->key_line, ps->val_col, "limit must read 'SEVERITY when [ever] COMPONENT=STATE[: why]'");
	l.sev = severity_parse(sev);
	if (l.sev <= 0)
		return fail(ps, ps->key_line, ps->val_col, "unknown severity '%s'", sev);
	*eq = '\0';
	if (strcmp(cond, "any") != 0 && check_lane(ps, cond, strlen(cond)) != 0)
		return -1;
	l.comp = xstrdup(cond);
	l.state = xstrdup(eq + 1);
	if (colon) {
		char *w = xstrdup(colon + 1);

		l.why = xstrdup(trim(w));
		free(w);
	}
	r->limits = xgrow(r->limits, &cap, r->nlimits + 1, sizeof *r->limits);
	r->limits[r->nlimits++] = l;
	return 0;
}

/* "when: A overlaps B within 300" / "caused-by: A within 60" / "unless: A within 10" (3) */
static int parse_relation(struct parser *ps, const char *v, int caused_by)
{
	struct rule *r = ps->cur;
	char a[128], b[128];
	long w = 0;
	struct relation rel;
	size_t cap = r->nrels;

	memset(&rel, 0, sizeof rel);
	if (caused_by == 2) {
		if (sscanf(v, "%127s %127s within %ld", a, b, &w) != 3 || w < 0)
			return fail(ps, ps->key_line, ps->val_col, "skew must read 'RULE_ID RULE_ID within SECONDS'");
		rel.a = xstrdup(a);
		rel.b = xstrdup(b);
		rel.skew = 1;
	} else if (caused_by) {
		if (sscanf(v, "%127s within %ld", a, &w) != 2 || w < 0)
			return fail(ps, ps->key_line, ps->val_col, "%s must read 'RULE_ID within SECONDS'", ps->key);
		rel.a = xstrdup(a);
		rel.caused_by = caused_by == 1;
		rel.unless = caused_by == 3;
		/* like test: after its pattern, an unless: speaks of the pattern just before it */
		rel.pattern = rel.unless ? (int)r->npats - 1 : -1;
		if (rel.pattern >= 0)
			r->runs_by_pattern = 1;
	} else {
		if (sscanf(v, "%127s overlaps %127s within %ld", a, b, &w) != 3 || w < 0)
			return fail(ps, ps->key_line, ps->val_col, "when must read 'RULE_ID overlaps RULE_ID within SECONDS'");
		rel.a = xstrdup(a);
		rel.b = xstrdup(b);
	}
	rel.window = w;
	r->rels = xgrow(r->rels, &cap, r->nrels + 1, sizeof *r->rels);
	r->rels[r->nrels++] = rel;
	return 0;
}

/* ---- the keys ---- */

static int key_repeats(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (*end != '\0' || n < 2 || n > 1000000)
		return fail(ps, ps->key_line, ps->val_col, "repeats must be a count from 2, given once");
	r->repeats = n;
	return 0;
}

static int key_state(struct parser *ps, struct rule *r, const char *v, int arg)
{
	const char *eq = strchr(v, '=');

	(void)arg;
	if (eq == NULL)
		return fail(ps, ps->key_line, ps->val_col, "state must read 'COMPONENT=STATE'");
	if (check_lane(ps, v, (size_t)(eq - v)) != 0)
		return -1;
	r->state = xstrdup(v);
	return 0;
}

static int key_severity(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	int s = severity_parse(v);

	if (s < 0)
		return fail(ps, ps->key_line, ps->val_col, "unknown severity '%s' (none, info, warning, error, critical)",
		            v);
	r->severity = s;
	return 0;
}

static int key_files(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	(void)ps;
	split_words(v, &r->files, &r->nfiles);
	return 0;
}

static void add_string(char ***v, size_t *n, const char *s)
{
	size_t cap = *n;

	*v = xgrow(*v, &cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static int key_ref(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	(void)ps;
	add_string(&r->refs, &r->nrefs, v);
	return 0;
}

static int key_next(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	(void)ps;
	add_string(&r->next, &r->nnext, v);
	return 0;
}

static int key_capture(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	r->capture = cap_verdict_parse(v);
	if (r->capture < 0)
		return fail(ps, ps->key_line, ps->val_col,
		            "unknown capture verdict '%s' (dns-unanswered, dns-answered, proxy-rst, proxy-silent, "
		            "proxy-handshake)",
		            v);
	return 0;
}

static int key_pattern(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	struct pattern p;
	size_t cap = r->npats;

	memset(&p, 0, sizeof p);
	p.src = xstrdup(v);
	p.line = ps->key_line;
	if (compile_pattern(&p, ps->file, ps->val_col, ps->err) != 0) {
		free(p.src);
		return -1;
	}
	r->pats = xgrow(r->pats, &cap, r->npats + 1, sizeof *r->pats);
	r->pats[r->npats++] = p;
	return 0;
}

static int key_test(struct parser *ps, struct rule *r, const char *v, int positive)
{
	struct rule_test t;
	size_t cap = r->ntests;

	t.text = xstrdup(v);
	t.positive = positive;
	t.expect = NULL;
	t.line = ps->key_line;
	r->tests = xgrow(r->tests, &cap, r->ntests + 1, sizeof *r->tests);
	r->tests[r->ntests++] = t;
	return 0;
}

static int key_expect(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)arg;
	struct rule_test *t = r->ntests ? &r->tests[r->ntests - 1] : NULL;

	if (t == NULL || !t->positive || t->expect != NULL)
		return fail(ps, ps->key_line, 1, "'expect' must follow a 'test' line");
	t->expect = xstrdup(v);
	return 0;
}

static int key_check(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)r;
	(void)arg;
	return parse_check(ps, v);
}

static int key_limit(struct parser *ps, struct rule *r, const char *v, int arg)
{
	(void)r;
	(void)arg;
	return parse_limit(ps, v);
}

static int key_relation(struct parser *ps, struct rule *r, const char *v, int kind)
{
	(void)r;
	return parse_relation(ps, v, kind);
}

/* Every key of the language: what takes it (or the rule's string it is kept in) and whether a
 * rule may give it more than once; in dartscan-rules(5)'s order. "rule" opens a rule when its
 * line is read (open_rule). */
struct rule_key {
	const char *name;
	int (*take)(struct parser *ps, struct rule *r, const char *v, int arg);
	int arg;
	size_t text;     /* with no take: where in struct rule the value is kept (offsetof) */
	int repeats;     /* may be given more than once in a rule */
	int may_be_empty;
};

#define TEXT_KEY(name, field) {name, NULL, 0, offsetof(struct rule, field), 0, 0}

static const struct rule_key rule_keys[] = {
    {"rule", NULL, 0, 0, 0, 0},
    TEXT_KEY("title", title),
    {"severity", key_severity, 0, 0, 0, 0},
    TEXT_KEY("component", component),
    {"files", key_files, 0, 0, 0, 0},
    {"pattern", key_pattern, 0, 0, 1, 0},
    {"state", key_state, 0, 0, 0, 0},
    {"limit", key_limit, 0, 0, 1, 0},
    TEXT_KEY("fix", fix),
    TEXT_KEY("why", why),
    {"repeats", key_repeats, 0, 0, 0, 0},
    {"ref", key_ref, 0, 0, 1, 0},
    TEXT_KEY("applies", applies),
    {"test", key_test, 1, 0, 1, 0},
    {"test-not", key_test, 0, 0, 1, 1},
    {"expect", key_expect, 0, 0, 1, 0},
    {"check", key_check, 0, 0, 1, 0},
    {"when", key_relation, 0, 0, 1, 0},
    {"caused-by", key_relation, 1, 0, 1, 0},
    {"unless", key_relation, 3, 0, 1, 0},
    {"next", key_next, 0, 0, 1, 0},
    {"capture", key_capture, 0, 0, 0, 0},
    TEXT_KEY("confirms", confirms),
    {"skew", key_relation, 2, 0, 1, 0},
    {NULL, NULL, 0, 0, 0, 0},
};

static const struct rule_key *find_key(const char *k)
{
	const struct rule_key *kd;

	for (kd = rule_keys; kd->name; kd++)
		if (strcmp(kd->name, k) == 0)
			return kd;
	return NULL;
}

static int commit_key(struct parser *ps)
{
	const struct rule_key *kd = ps->kd;
	const char *v = ps->val.p ? ps->val.p : "";
	unsigned long long bit;

	if (!ps->have_key)
		return 0;
	ps->have_key = 0;
	if (kd->take == NULL && kd->text == 0)
		return 0; /* "rule": handled when the line was read */
	if (ps->cur == NULL)
		return fail(ps, ps->key_line, 1, "'%s' before the first 'rule:'", kd->name);
	if (*v == '\0' && !kd->may_be_empty)
		return fail(ps, ps->key_line, ps->val_col, "'%s' has no value", kd->name);
	bit = 1ull << (kd - rule_keys);
	if (!kd->repeats && (ps->seen & bit))
		return fail(ps, ps->key_line, 1, "'%s' given twice in one rule", kd->name);
	ps->seen |= bit;
	if (kd->take == NULL) {
		*(char **)(void *)((char *)ps->cur + kd->text) = xstrdup(v);
		return 0;
	}
	return kd->take(ps, ps->cur, v, kd->arg);
}

static int finish_rule(struct parser *ps)
{
	struct rule *r = ps->cur;
	size_t i;
	int pos = 0;

	if (r == NULL)
		return 0;
	ps->cur = NULL;
	if (r->title == NULL)
		return fail(ps, r->line, 1, "rule %s has no title", r->id);
	if (r->severity < 0)
		return fail(ps, r->line, 1, "rule %s has no severity", r->id);
	if (r->npats == 0 && r->nchecks == 0 && r->nrels == 0 && r->capture < 0)
		return fail(ps, r->line, 1, "rule %s has no pattern, check, when or capture", r->id);
	if (r->confirms && r->capture < 0)
		return fail(ps, r->line, 1, "rule %s: 'confirms' needs 'capture'", r->id);
	if (r->npats && r->nfiles == 0)
		return fail(ps, r->line, 1, "rule %s has patterns but no files", r->id);
	for (i = 0; i < r->ntests; i++)
		pos += r->tests[i].positive;
	if (r->npats && pos == 0 && !ps->rs->untested_ok)
		return fail(ps, r->line, 1, "rule %s has no positive test line", r->id);
	if (r->ntests && r->npats == 0)
		return fail(ps, r->tests[0].line, 1, "rule %s has test lines but no pattern", r->id);
	if ((r->why || r->repeats) && r->npats == 0)
		return fail(ps, r->line, 1, "rule %s: 'why' and 'repeats' speak of matches and need a pattern", r->id);
	return 0;
}

static int open_rule(struct parser *ps, const char *id, long line, long col)
{
	struct rule *r;
	const struct rule *o;

	if (finish_rule(ps) != 0)
		return -1;
	if (!valid_id(id))
		return fail(ps, line, col, "rule id '%s' must be dotted lower-case words (dns.backoff)", id);
	if ((o = rules_find(ps->rs, id)) != NULL)
		return fail(ps, line, col, "duplicate rule id '%s' (first at %s:%ld)", id, o->file, o->line);
	ps->rs->rules = xgrow(ps->rs->rules, &ps->rs->cap, ps->rs->n + 1, sizeof *ps->rs->rules);
	r = &ps->rs->rules[ps->rs->n++];
	memset(r, 0, sizeof *r);
	r->id = xstrdup(id);
	r->file = xstrdup(ps->file);
	r->line = line;
	r->severity = -1;
	r->capture = -1;
	ps->cur = r;
	ps->seen = 0;
	return 0;
}

static int parse_line(struct parser *ps, char *s, long lineno)
{
	char *p = s, *colon;
	size_t klen;

	if (*s == ' ' || *s == '\t') { /* continuation */
		char *t = trim(s);

		if (*t == '\0')
			return 0;
		if (!ps->have_key)
			return fail(ps, lineno, 1, "indented line continues nothing");
		if (strcmp(ps->key, "test") == 0 || strcmp(ps->key, "test-not") == 0)
			buf_addc(&ps->val, '\n');
		else if (ps->val.len)
			buf_addc(&ps->val, ' ');
		buf_adds(&ps->val, t);
		return 0;
	}
	if (commit_key(ps) != 0)
		return -1;
	colon = strchr(p, ':');
	if (colon == NULL)
		return fail(ps, lineno, 1, "expected 'key: value'");
	klen = (size_t)(colon - p);
	if (klen == 0 || klen >= sizeof ps->key)
		return fail(ps, lineno, 1, "expected 'key: value'");
	memcpy(ps->key, p, klen);
	ps->key[klen] = '\0';
	if ((ps->kd = find_key(ps->key)) == NULL)
		return fail(ps, lineno, 1, "unknown key '%s'", ps->key);
	p = colon + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	ps->val_col = (long)(p - s) + 1;
	ps->key_line = lineno;
	ps->val.len = 0;
	{
		/* patterns and test lines keep trailing blanks out, but their inside as written */
		size_t n = strlen(p);

		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		buf_add(&ps->val, p, n);
	}
	ps->have_key = 1;
	if (strcmp(ps->key, "rule") == 0)
		return open_rule(ps, ps->val.p, lineno, ps->val_col);
	return 0;
}

int rules_parse(struct ruleset *rs, const char *name, const char *text, size_t len, struct ds_error *err)
{
	struct parser ps;
	const char *p = text, *end = text + len;
	long lineno = 0;
	int rc = 0;
	size_t cap = rs->nfiles;

	memset(&ps, 0, sizeof ps);
	ps.rs = rs;
	ps.file = name;
	ps.err = err;
	buf_init(&ps.val);
	rs->files = xgrow(rs->files, &cap, rs->nfiles + 1, sizeof *rs->files);
	rs->files[rs->nfiles++] = xstrdup(name);
	if (memchr(text, '\0', len) != NULL) {
		ds_error_set(err, name, 0, "rule file holds a NUL byte");
		buf_reset(&ps.val);
		return -1;
	}
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);
		char *t;

		lineno++;
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t != '\0' && *t != '#')
			rc = parse_line(&ps, line, lineno);
		free(line);
		p = nl ? nl + 1 : end;
	}
	if (rc == 0)
		rc = commit_key(&ps);
	if (rc == 0)
		rc = finish_rule(&ps);
	buf_reset(&ps.val);
	return rc;
}
