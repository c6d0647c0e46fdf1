/* rules: the rule-file parser, the pattern compiler (with prefilter literals), the self-tests and
 * the local tuning file. Format: "key: value" lines, a rule opens with "rule: ID"; an indented
 * line continues the value above (for test lines, as a new line of the same record). See
 * dartscan-rules(5). */
#include "rules.h"

#include "capture.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RULE_FILE_MAX (4 << 20)

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

static void rule_free_fields(struct rule *r)
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
		rule_free_fields(&rs->rules[i]);
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

/* ---- prefilter literal ---- */

/* The last character of the escape at s: "\\c" takes the character after it as its argument
 * ("\\c[" is ESC), so that one is no '[', '(' or '|' of the pattern. */
static const char *escape_last(const char *s)
{
	if (s[1] == 'c' && s[2])
		return s + 2;
	return s[1] ? s + 1 : s;
}

/* The ']' closing a POSIX class "[:name:]" that opens at s, or NULL when it is not one -- read as
 * PCRE2 reads it: a ']' or another "[:" before the ":]" means the '[' is a plain character. */
static const char *posix_end(const char *s)
{
	char t = s[1];
	const char *p;

	for (p = s + 2; *p; p++) {
		if (*p == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((*p == '[' && p[1] == t) || *p == ']')
			return NULL;
		else if (*p == t && p[1] == ']')
			return p + 1;
	}
	return NULL;
}

/* From the '[' of a character class to its closing ']' (or the end): "[]a]" and "[^]a]" hold a
 * literal ']' first. */
static const char *skip_class(const char *s)
{
	s++;
	if (*s == '^')
		s++;
	if (*s == ']')
		s++;
	while (*s && *s != ']') {
		if (*s == '\\' && s[1])
			s = escape_last(s);
		else if (*s == '[' && (s[1] == ':' || s[1] == '.' || s[1] == '=')) {
			/* a POSIX class, [:alpha:]: its ']' does not close the class around it */
			const char *e = posix_end(s);

			if (e)
				s = e;
		}
		s++;
	}
	return s;
}

/* An inline option setting, "(?i)", "(?^x)", "(?-s)": it changes what the text after it means. */
static int sets_options(const char *s)
{
	size_t i = 2;

	while (s[i] && (strchr("^-", s[i]) || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	return i > 2 && (s[i] == ')' || s[i] == ':');
}

/* Keeps the longer of the run just ended and the best so far. */
static void keep_longer(struct buf *best, struct buf *cur)
{
	if (cur->len > best->len) {
		best->len = 0;
		buf_add(best, cur->p, cur->len);
	}
	cur->len = 0;
}

/* The longest run of plain characters at the top level of one branch [s, end) that every match
 * of the branch must contain, into best. Conservative: an inline option or an escape with
 * arguments ends the search; groups and classes break runs. */
static void branch_literal(const char *s, const char *end, struct buf *best)
{
	struct buf cur;
	int depth = 0;

	buf_init(&cur);
	best->len = 0;
	while (s < end && *s) {
		char c = *s;
		int lit = -1;

		if (depth > 0) {
			if (c == '\\' && s[1])
				s = escape_last(s);
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			else if (c == '[') /* skip a class inside a group */
				s = skip_class(s);
			if (*s)
				s++;
			continue;
		}
		if (c == '\\') {
			char e = s[1];

			if (e == '\0')
				break;
			if (strchr(".\\/[](){}|*+?^$-: '\"=<>#&%!@,;_~`", e) != NULL)
				lit = (unsigned char)e;
			else if (strchr("dDsSwWbBAzZhHvVRX", e) == NULL)
				break; /* escapes with arguments (\x41, \p{L}, \Q): stop rather than mis-read */
			s += 2;
		} else if (c == '(') {
			if (s[1] == '?' && sets_options(s)) {
				best->len = 0; /* inline options change what a literal means */
				cur.len = 0;
				break;
			}
			depth++;
			s++;
		} else if (c == '[') {
			s = skip_class(s);
			if (*s)
				s++;
		} else if (strchr(".^$", c) != NULL) {
			s++;
		} else if (strchr("*+?{", c) != NULL) {
			/* a quantifier makes the previous character optional or repeated: drop it */
			if (c != '+' && cur.len)
				cur.len--;
			if (c == '{')
				while (s < end && *s != '}')
					s++;
			if (s < end)
				s++;
			keep_longer(best, &cur);
			continue;
		} else {
			lit = (unsigned char)c;
			s++;
		}
		if (lit >= 0) {
			/* a literal followed by a quantifier is handled on the next turn */
			buf_addc(&cur, (char)lit);
			continue;
		}
		keep_longer(best, &cur);
	}
	keep_longer(best, &cur);
	buf_reset(&cur);
}

/* Where the top-level branch starting at s ends: the next '|' outside groups and classes. */
static const char *branch_end(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s = escape_last(s);
		else if (*s == '[')
			s = skip_class(s);
		else if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == '|' && depth == 0)
			return s;
		if (!*s)
			break;
	}
	return s;
}

/* Prefilter literals of a pattern: one per top-level branch ("A|B": a record must hold one of
 * them), each at least 3 characters, or none at all. A leading (?s) changes no literal. */
static void extract_literal(struct pattern *p)
{
	const char *s = p->src;
	struct buf best;
	size_t cap = 0;

	if (strncmp(s, "(?s)", 4) == 0)
		s += 4;
	/* Verbs, (*MARK:a(b), may hold parentheses in their names, a comment (?#[) any character and
	 * \Q...\E quotes them: the walk below would misread the groups and branches (and miss a '|'),
	 * so such a pattern gets no literal. */
	if (strstr(s, "(*") || strstr(s, "(?#") || strstr(s, "\\Q"))
		return;
	buf_init(&best);
	for (;;) {
		const char *end = branch_end(s);

		branch_literal(s, end, &best);
		if (best.len < 3) { /* a branch without a literal: the pattern can match anywhere */
			size_t i;

			for (i = 0; i < p->nalts; i++)
				free(p->alts[i]);
			free(p->alts);
			p->alts = NULL;
			p->nalts = 0;
			break;
		}
		p->alts = xgrow(p->alts, &cap, p->nalts + 1, sizeof *p->alts);
		p->alts[p->nalts++] = xstrndup(best.p, best.len);
		if (*end != '|')
			break;
		s = end + 1;
	}
	buf_reset(&best);
	if (p->nalts > 0) {
		p->literal = p->alts[0];
		p->literal_len = strlen(p->literal);
	}
}

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
	extract_literal(p);
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
};

static const char *const known_keys[] = {
    "rule", "title", "severity", "component", "files", "pattern", "state", "limit", "fix", "why", "repeats", "ref",
    "applies", "test", "test-not", "expect", "check", "when", "caused-by", "unless", "next", "capture", "confirms", "skew", NULL};

static int known_key(const char *k)
{
	int i;

	for (i = 0; known_keys[i]; i++)
		if (strcmp(known_keys[i], k) == 0)
			return 1;
	return 0;
}

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
		char *end;

		c.kind = CHECK_STALE;
		c.file = xstrdup(w[1]);
		c.op = OP_PRESENT;
		c.hours = strtol(w[2], &end, 10);
		if (*end != '\0' || c.hours < 1 || c.hours > 24 * 3660) {
			fail(ps, ps->key_line, ps->val_col, "stale check must read 'stale GLOB[,GLOB...] HOURS'");
			goto out;
		}
	} else {
		fail(ps, ps->key_line, ps->val_col,
		     "check must read 'file GLOB missing|empty', 'json|xml GLOB PATH OP [VALUE]', 'stale GLOBS HOURS' "
		     "or 'adapter [dns] ~ REGEX'");
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

static int set_once(struct parser *ps, char **slot, const char *v)
{
	if (*slot != NULL)
		return fail(ps, ps->key_line, 1, "'%s' given twice in one rule", ps->key);
	*slot = xstrdup(v);
	return 0;
}

static int commit_key(struct parser *ps)
{
	struct rule *r = ps->cur;
	const char *k = ps->key;
	const char *v = ps->val.p ? ps->val.p : "";
	size_t cap;

	if (!ps->have_key)
		return 0;
	ps->have_key = 0;
	if (strcmp(k, "rule") == 0)
		return 0; /* handled when the line was read */
	if (r == NULL)
		return fail(ps, ps->key_line, 1, "'%s' before the first 'rule:'", k);
	if (*v == '\0' && strcmp(k, "test-not") != 0)
		return fail(ps, ps->key_line, ps->val_col, "'%s' has no value", k);
	if (strcmp(k, "title") == 0)
		return set_once(ps, &r->title, v);
	if (strcmp(k, "component") == 0)
		return set_once(ps, &r->component, v);
	if (strcmp(k, "fix") == 0)
		return set_once(ps, &r->fix, v);
	if (strcmp(k, "applies") == 0)
		return set_once(ps, &r->applies, v);
	if (strcmp(k, "why") == 0)
		return set_once(ps, &r->why, v);
	if (strcmp(k, "repeats") == 0) {
		char *end;
		unsigned long n = strtoul(v, &end, 10);

		if (*end != '\0' || n < 2 || n > 1000000 || r->repeats)
			return fail(ps, ps->key_line, ps->val_col, "repeats must be a count from 2, given once");
		r->repeats = n;
		return 0;
	}
	if (strcmp(k, "state") == 0) {
		if (strchr(v, '=') == NULL)
			return fail(ps, ps->key_line, ps->val_col, "state must read 'COMPONENT=STATE'");
		return set_once(ps, &r->state, v);
	}
	if (strcmp(k, "severity") == 0) {
		int s = severity_parse(v);

		if (s < 0)
			return fail(ps, ps->key_line, ps->val_col,
			            "unknown severity '%s' (none, info, warning, error, critical)", v);
		r->severity = s;
		return 0;
	}
	if (strcmp(k, "files") == 0) {
		split_words(v, &r->files, &r->nfiles);
		return 0;
	}
	if (strcmp(k, "ref") == 0) {
		cap = r->nrefs;
		r->refs = xgrow(r->refs, &cap, r->nrefs + 1, sizeof *r->refs);
		r->refs[r->nrefs++] = xstrdup(v);
		return 0;
	}
	if (strcmp(k, "capture") == 0) {
		r->capture = cap_verdict_parse(v);
		if (r->capture < 0)
			return fail(ps, ps->key_line, ps->val_col,
			            "unknown capture verdict '%s' (dns-unanswered, dns-answered, proxy-rst, proxy-silent, "
			            "proxy-handshake)", v);
		return 0;
	}
	if (strcmp(k, "confirms") == 0)
		return set_once(ps, &r->confirms, v);
	if (strcmp(k, "next") == 0) {
		cap = r->nnext;
		r->next = xgrow(r->next, &cap, r->nnext + 1, sizeof *r->next);
		r->next[r->nnext++] = xstrdup(v);
		return 0;
	}
	if (strcmp(k, "pattern") == 0) {
		struct pattern p;

		memset(&p, 0, sizeof p);
		p.src = xstrdup(v);
		p.line = ps->key_line;
		if (compile_pattern(&p, ps->file, ps->val_col, ps->err) != 0) {
			free(p.src);
			return -1;
		}
		cap = r->npats;
		r->pats = xgrow(r->pats, &cap, r->npats + 1, sizeof *r->pats);
		r->pats[r->npats++] = p;
		return 0;
	}
	if (strcmp(k, "test") == 0 || strcmp(k, "test-not") == 0) {
		struct rule_test t;

		t.text = xstrdup(v);
		t.positive = strcmp(k, "test") == 0;
		t.expect = NULL;
		t.line = ps->key_line;
		cap = r->ntests;
		r->tests = xgrow(r->tests, &cap, r->ntests + 1, sizeof *r->tests);
		r->tests[r->ntests++] = t;
		return 0;
	}
	if (strcmp(k, "expect") == 0) {
		struct rule_test *t = r->ntests ? &r->tests[r->ntests - 1] : NULL;

		if (t == NULL || !t->positive || t->expect != NULL)
			return fail(ps, ps->key_line, 1, "'expect' must follow a 'test' line");
		t->expect = xstrdup(v);
		return 0;
	}
	if (strcmp(k, "check") == 0)
		return parse_check(ps, v);
	if (strcmp(k, "limit") == 0)
		return parse_limit(ps, v);
	if (strcmp(k, "when") == 0)
		return parse_relation(ps, v, 0);
	if (strcmp(k, "caused-by") == 0)
		return parse_relation(ps, v, 1);
	if (strcmp(k, "skew") == 0)
		return parse_relation(ps, v, 2);
	if (strcmp(k, "unless") == 0)
		return parse_relation(ps, v, 3);
	return fail(ps, ps->key_line, 1, "unknown key '%s'", k);
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
	if (!known_key(ps->key))
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

int rules_load_file(struct ruleset *rs, const char *path, struct ds_error *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;
	int rc;

	if (f == NULL) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > RULE_FILE_MAX) {
			fclose(f);
			buf_reset(&b);
			ds_error_set(err, path, 0, "rule file larger than %d bytes", RULE_FILE_MAX);
			return -1;
		}
		buf_add(&b, chunk, n);
	}
	fclose(f);
	rc = rules_parse(rs, path, b.p ? b.p : "", b.len, err);
	buf_reset(&b);
	return rc;
}

/* Every *.rules file of dir into rs, sorted by name; references are checked by link_rules. */
static int load_dir_files(struct ruleset *rs, const char *dir, struct ds_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		ds_error_set(err, dir, 0, "cannot open rule directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 6 && strcmp(de->d_name + l - 6, ".rules") == 0) {
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	sort_strings(names, n);
	if (n == 0) {
		ds_error_set(err, dir, 0, "no *.rules files in the rule directory");
		rc = -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = rules_load_file(rs, names[i], err);
	strv_free(names, n);
	return rc;
}

/* Confirms and relations must name rules of the set (after every layer is in). */
static int link_rules(struct ruleset *rs, struct ds_error *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < rs->n; i++)
		if (rs->rules[i].confirms && rules_find(rs, rs->rules[i].confirms) == NULL) {
			ds_error_set(err, rs->rules[i].file, rs->rules[i].line, "rule %s confirms unknown rule '%s'",
			             rs->rules[i].id, rs->rules[i].confirms);
			rc = -1;
		}
	if (rc == 0) {
		/* relations must name rules that exist */
		size_t k, j;

		for (k = 0; k < rs->n && rc == 0; k++)
			for (j = 0; j < rs->rules[k].nrels && rc == 0; j++) {
				const struct relation *rel = &rs->rules[k].rels[j];
				const char *miss = rules_find(rs, rel->a) == NULL ? rel->a
				                   : rel->b && rules_find(rs, rel->b) == NULL ? rel->b : NULL;

				if (miss != NULL) {
					ds_error_set(err, rs->rules[k].file, rs->rules[k].line,
					             "rule %s refers to unknown rule '%s'", rs->rules[k].id, miss);
					rc = -1;
				}
			}
	}
	return rc;
}

/* Moves the rules of a later layer into rs: one with an id rs has replaces it, in its place
 * (what loading says of it goes to rs->notes); the others follow. src is freed. */
static void merge_layer(struct ruleset *rs, struct ruleset *src)
{
	size_t i, k;

	for (i = 0; i < src->n; i++) {
		struct rule *r = &src->rules[i];

		for (k = 0; k < rs->n && strcmp(rs->rules[k].id, r->id) != 0; k++)
			;
		if (k < rs->n) {
			rs->notes = xgrow(rs->notes, &rs->capnotes, rs->nnotes + 1, sizeof *rs->notes);
			rs->notes[rs->nnotes++] = xasprintf("%s:%ld: rule %s replaces the one at %s:%ld", r->file, r->line,
			                                    r->id, rs->rules[k].file, rs->rules[k].line);
			rule_free_fields(&rs->rules[k]);
			rs->rules[k] = *r;
		} else {
			rs->rules = xgrow(rs->rules, &rs->cap, rs->n + 1, sizeof *rs->rules);
			rs->rules[rs->n++] = *r;
		}
	}
	for (i = 0; i < src->nfiles; i++) {
		rs->files = xrealloc(rs->files, (rs->nfiles + 1) * sizeof *rs->files);
		rs->files[rs->nfiles++] = src->files[i];
	}
	free(src->rules);
	free(src->files);
	free(src);
}

int rules_load_dirs(struct ruleset *rs, const char *const *dirs, size_t n, struct ds_error *err)
{
	size_t i;

	if (n == 0 || load_dir_files(rs, dirs[0], err) != 0)
		return -1;
	for (i = 1; i < n; i++) {
		struct ruleset *layer = ruleset_new();

		if (load_dir_files(layer, dirs[i], err) != 0) {
			ruleset_free(layer);
			return -1;
		}
		merge_layer(rs, layer);
	}
	return link_rules(rs, err);
}

int rules_load_dir(struct ruleset *rs, const char *dir, struct ds_error *err)
{
	return rules_load_dirs(rs, &dir, 1, err);
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

/* ---- self-tests ---- */

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

static int holds_any(const char *text, const struct pattern *p)
{
	size_t i;

	for (i = 0; i < p->nalts; i++)
		if (strstr(text, p->alts[i]) != NULL)
			return 1;
	return 0;
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
					if (r->pats[k].nalts && !holds_any(t->text, &r->pats[k]))
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

/* ---- local tuning ---- */

int rules_apply_config(struct ruleset *rs, const char *path, struct ds_error *err)
{
	FILE *f = fopen(path, "r");
	char line[512];
	long lineno = 0;

	if (f == NULL) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char verb[32], id[128], level[32];
		int nf;
		struct rule *r = NULL;
		char *t = trim(line);

		lineno++;
		if (*t == '\0' || *t == '#')
			continue;
		nf = sscanf(t, "%31s %127s %31s", verb, id, level);
		if (nf >= 2) /* the caller's rule set: ours to tune */
			r = (struct rule *)rules_find(rs, id);
		if (nf < 2 || (strcmp(verb, "disable") != 0 && strcmp(verb, "severity") != 0)) {
			ds_error_set(err, path, lineno, "expected 'disable RULE_ID' or 'severity RULE_ID LEVEL'");
			fclose(f);
			return -1;
		}
		if (r == NULL) {
			ds_error_set(err, path, lineno, "unknown rule id '%s'", id);
			fclose(f);
			return -1;
		}
		if (strcmp(verb, "disable") == 0) {
			r->disabled = 1;
		} else {
			int s = nf == 3 ? severity_parse(level) : -1;

			if (s < 0) {
				ds_error_set(err, path, lineno, "unknown severity '%s'", nf == 3 ? level : "");
				fclose(f);
				return -1;
			}
			r->severity = s;
		}
	}
	fclose(f);
	return 0;
}
