/* rules: the rule-file parser, driven by one table of keys, and the pattern compiler. Format:
 * "key: value" lines, a rule opens with "rule: ID"; an indented line continues the value above
 * (for test lines, as a new line of the same record). See dartscan-rules(5). The rest of the rule
 * set's rooms: condition.c (the condition keys and their table), ruleset.c (the set), ruleload.c (directories, layers), literal.c (prefilter
 * literals), ruletest.c (the self-tests), tuning.c (the local tuning file). */
#include "rules_in.h"

#include "component.h"
#include "condition.h"
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

/* Every key of the language but the conditions (condition.c's table): what takes it (or the rule's
 * string it is kept in) and whether a rule may give it more than once; in dartscan-rules(5)'s order.
 * "rule" opens a rule when its line is read (open_rule). */
struct rule_key {
	const char *name;
	int (*take)(const struct key_at *at, struct rule *r, const char *v, int arg);
	int arg;
	size_t text;     /* with no take: where in struct rule the value is kept (offsetof) */
	int repeats;     /* may be given more than once in a rule */
	int may_be_empty;
};

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
	struct rule_key kd;          /* the key's row: of rule_keys, or made from its condition's */
	unsigned bit;                /* the key's bit in seen */
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

/* An error in the value of the key being read. */
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

/* A lane no row of component.c names gets no state and no place in any report: a typo
 * ("dns_ipv=unprotected") would pass every test and show nothing, so it is refused here. */
static int check_lane(const struct key_at *at, const char *name, size_t len)
{
	char lanes[256] = "";
	size_t i;

	if (component_could_be(name, len))
		return 0;
	for (i = 0; i < component_n; i++)
		snprintf(lanes + strlen(lanes), sizeof lanes - strlen(lanes), "%s%s", i ? ", " : "",
		         component_table[i].name);
	return rules_key_fail(at, at->col, "unknown state lane '%.*s' (lanes: %s)", (int)len, name, lanes);
}

/* "warning when dns_ipv4=protected", "warning when ever any=protected: why it is lower" */
static int parse_limit(const struct key_at *at, struct rule *r, const char *v)
{
	char sev[32], cond[128];
	const char *rest, *colon;
	char *eq;
	size_t cap = r->nlimits;
	struct limit l;
	int used = 0;

	memset(&l, 0, sizeof l);
	if (sscanf(v, "%31s when %n", sev, &used) != 1 || used == 0)
		return rules_key_fail(at, at->col, "limit must read 'SEVERITY when [ever] COMPONENT=STATE[: why]'");
	rest = v + used;
	if (strncmp(rest, "ever ", 5) == 0) {
		l.ever = 1;
		rest += 5;
	}
	colon = strchr(rest, ':');
	snprintf(cond, sizeof cond, "%.*s", (int)(colon ? (size_t)(colon - rest) : strlen(rest)), rest);
	trim(cond);
	if ((eq = strchr(cond, '=')) == NULL || strchr(cond, ' ') != NULL)
		return rules_key_fail(at, at->col, "limit must read 'SEVERITY when [ever] COMPONENT=STATE[: why]'");
	l.sev = severity_parse(sev);
	if (l.sev <= 0)
		return rules_key_fail(at, at->col, "unknown severity '%s'", sev);
	*eq = '\0';
	if (strcmp(cond, "any") != 0 && check_lane(at, cond, strlen(cond)) != 0)
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

/* ---- the keys ---- */

static int key_state(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	const char *eq = strchr(v, '=');

	(void)arg;
	if (eq == NULL)
		return rules_key_fail(at, at->col, "state must read 'COMPONENT=STATE'");
	if (check_lane(at, v, (size_t)(eq - v)) != 0)
		return -1;
	r->state = xstrdup(v);
	return 0;
}

static int key_severity(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	int s = severity_parse(v);

	if (s < 0)
		return rules_key_fail(at, at->col, "unknown severity '%s' (none, info, warning, error, critical)",
		            v);
	r->severity = s;
	return 0;
}

static int key_files(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	(void)at;
	split_words(v, &r->files, &r->nfiles);
	return 0;
}

static void add_string(char ***v, size_t *n, const char *s)
{
	size_t cap = *n;

	*v = xgrow(*v, &cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static int key_ref(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	(void)at;
	add_string(&r->refs, &r->nrefs, v);
	return 0;
}

static int key_next(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	(void)at;
	add_string(&r->next, &r->nnext, v);
	return 0;
}

static int key_pattern(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	struct pattern p;
	size_t cap = r->npats;

	memset(&p, 0, sizeof p);
	p.src = xstrdup(v);
	p.line = at->line;
	if (compile_pattern(&p, at->file, at->col, at->err) != 0) {
		free(p.src);
		return -1;
	}
	r->pats = xgrow(r->pats, &cap, r->npats + 1, sizeof *r->pats);
	r->pats[r->npats++] = p;
	return 0;
}

static int key_test(const struct key_at *at, struct rule *r, const char *v, int positive)
{
	struct rule_test t;
	size_t cap = r->ntests;

	t.text = xstrdup(v);
	t.positive = positive;
	t.expect = NULL;
	t.line = at->line;
	r->tests = xgrow(r->tests, &cap, r->ntests + 1, sizeof *r->tests);
	r->tests[r->ntests++] = t;
	return 0;
}

static int key_expect(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	struct rule_test *t = r->ntests ? &r->tests[r->ntests - 1] : NULL;

	if (t == NULL || !t->positive || t->expect != NULL)
		return rules_key_fail(at, 1, "'expect' must follow a 'test' line");
	t->expect = xstrdup(v);
	return 0;
}

static int key_limit(const struct key_at *at, struct rule *r, const char *v, int arg)
{
	(void)arg;
	return parse_limit(at, r, v);
}

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
    {"ref", key_ref, 0, 0, 1, 0},
    TEXT_KEY("applies", applies),
    {"test", key_test, 1, 0, 1, 0},
    {"test-not", key_test, 0, 0, 1, 1},
    {"expect", key_expect, 0, 0, 1, 0},
    {"caused-by", rules_take_relation, 1, 0, 1, 0},
    {"next", key_next, 0, 0, 1, 0},
    TEXT_KEY("confirms", confirms),
    {NULL, NULL, 0, 0, 0, 0},
};

/* The row of key k: of rule_keys, else of the conditions' table (their bits after rule_keys'). */
static int find_key(const char *k, struct rule_key *row, unsigned *bit)
{
	const struct rule_key *kd;
	const struct rule_condition *c;

	for (kd = rule_keys; kd->name; kd++)
		if (strcmp(kd->name, k) == 0) {
			*row = *kd;
			*bit = (unsigned)(kd - rule_keys);
			return 0;
		}
	if ((c = rules_condition(k)) == NULL)
		return -1;
	memset(row, 0, sizeof *row);
	row->name = c->key;
	row->take = c->take;
	row->arg = c->arg;
	row->repeats = c->repeats;
	*bit = 32 + (unsigned)(c - rule_conditions);
	return 0;
}

static int commit_key(struct parser *ps)
{
	const struct rule_key *kd = &ps->kd;
	struct key_at at = {ps->file, ps->key, ps->key_line, ps->val_col, ps->err};
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
	bit = 1ull << ps->bit;
	if (!kd->repeats && (ps->seen & bit))
		return fail(ps, ps->key_line, 1, "'%s' given twice in one rule", kd->name);
	ps->seen |= bit;
	if (kd->take == NULL) {
		*(char **)(void *)((char *)ps->cur + kd->text) = xstrdup(v);
		return 0;
	}
	return kd->take(&at, ps->cur, v, kd->arg);
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
	if (r->npats == 0 && !rules_fires_alone(r)) { /* an unless, a caused-by or repeats alone never fire */
		char keys[128];

		rules_firing_keys(keys, sizeof keys);
		return fail(ps, r->line, 1, "rule %s has no pattern, %s", r->id, keys);
	}
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
	if (find_key(ps->key, &ps->kd, &ps->bit) != 0)
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
