/* ruledraft: the pattern is the record's message as the unexplained stage mines it (past the
 * line's own header, its first tokens): constant tokens escaped, variable ones -- by their look,
 * or because the bundle's records of its template differ there -- as named captures. Every byte
 * of the bundle is read in the worker; the parent only sees the few records it asked for. */
#include "ruledraft.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "probe.h"
#include "shape.h"
#include "unexplained.h"

#define SIBLINGS 2        /* test lines besides the record's own */

struct draft {
	const char *bundle;
	char *want;              /* the entry asked for */
	unsigned long line;
	/* the first reading: the record, its neighbours, its template */
	char *entry;
	char *target;            /* as a test line holds it */
	char *msg;               /* its message, where the pattern comes from */
	unsigned long target_line;
	char *near[2 * PROBE_AROUND];
	unsigned long near_dist[2 * PROBE_AROUND];
	size_t nnear;
	/* the drafted rule */
	struct shape sh;
	char *id, *title, *pattern;
	const char *component;
	char log[256];
	/* the second reading: what the pattern matches */
	char *sib[PROBE_MATCHED];
	char *sib_msg[PROBE_MATCHED]; /* their messages: a test line that varies them is worth more */
	size_t nsib;
	int target_matched;
	unsigned long fired;
	char *err;
	char *note;              /* the bundle was read in part: what stopped it */
};

static void draft_free(struct draft *d)
{
	size_t i;

	free(d->want);
	free(d->entry);
	free(d->target);
	free(d->msg);
	for (i = 0; i < d->nnear; i++)
		free(d->near[i]);
	shape_free(&d->sh);
	free(d->id);
	free(d->title);
	free(d->pattern);
	for (i = 0; i < d->nsib; i++) {
		free(d->sib[i]);
		free(d->sib_msg[i]);
	}
	free(d->err);
	free(d->note);
}

static void set_err(struct draft *d, char *msg)
{
	if (d->err == NULL)
		d->err = msg;
	else
		free(msg);
}

/* A record as the rule parser reads a test: each line trimmed, blank lines gone. NULL when a test
 * cannot carry it: a control character, or a line after the first that begins with '#' (a comment
 * to the parser). */
static char *as_test_text(const char *text)
{
	struct buf b;
	const char *p = text;

	for (p = text; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
			return NULL;
	buf_init(&b);
	for (p = text; *p;) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p), *s = p;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s && b.len && *s == '#') {
			buf_reset(&b);
			return NULL;
		}
		if (e > s) {
			if (b.len)
				buf_addc(&b, '\n');
			buf_add(&b, s, (size_t)(e - s));
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	return b.p ? buf_steal(&b) : NULL;
}

static void keep_near(struct draft *d, const struct probe_record *k)
{
	char *t = as_test_text(k->text);

	if (t == NULL || k->cut || d->nnear >= 2 * PROBE_AROUND) {
		free(t);
		return;
	}
	d->near[d->nnear] = t;
	d->near_dist[d->nnear++] = k->line > d->target_line ? k->line - d->target_line : d->target_line - k->line;
}

static int took_error(struct draft *d, const struct scan_result *res)
{
	if (res->status == SCAN_ERROR || res->probe == NULL) {
		const char *why = res->nproblems ? res->problems[0].msg : "it could not be read";

		set_err(d, xasprintf("%s: %s", res->path, why));
		return 1;
	}
	if (res->status == SCAN_PARTIAL && d->note == NULL && res->nproblems)
		d->note = xasprintf("%s: read in part (%s): the draft sees only what was read", res->path,
		                    res->problems[0].msg);
	if (res->probe->entry_name == NULL) {
		set_err(d, xasprintf("%s: no log entry named %s (give it as the report names it: its base name or "
		                     "its path in the bundle)",
		                     res->path, d->want));
		return 1;
	}
	return 0;
}

/* The record the stanza is drafted for, as a test line and as tokens. */
static int take_target(struct draft *d, const char *entry, unsigned long line, const char *text, size_t msg_off,
                       int cut)
{
	d->entry = xstrdup(entry);
	d->target_line = line;
	d->target = as_test_text(text);
	d->msg = xstrdup(text + msg_off);
	if (d->target == NULL) {
		set_err(d, xasprintf("%s: %s:%lu holds what no test line can carry (a control character, or a line "
		                     "after the first that begins with '#'): draft it by hand",
		                     d->bundle, d->entry, line));
		return -1;
	}
	shape_split(&d->sh, d->msg, cut);
	return 0;
}

/* The first reading: the record at the line, its neighbours and its template. */
static void take_record(void *ctx, struct scan_result *res)
{
	struct draft *d = ctx;
	const struct probe_record *t;
	size_t i, lines = 1;

	if (took_error(d, res))
		return;
	t = probe_target(res->probe);
	if (t != NULL)
		for (i = 0; t->text[i]; i++)
			lines += t->text[i] == '\n';
	if (t == NULL || (!t->cut && t->line + lines <= d->line)) {
		set_err(d, xasprintf("%s: %s has no record at line %lu", res->path, res->probe->entry_name, d->line));
		return;
	}
	if (take_target(d, res->probe->entry_name, t->line, t->text, t->msg_off, t->cut) != 0)
		return;
	shape_widen(&d->sh, &res->unx);
	for (i = 0; i < res->probe->n; i++)
		if (res->probe->v[i].role == PR_BEFORE || res->probe->v[i].role == PR_AFTER)
			keep_near(d, &res->probe->v[i]);
}

/* The second reading: whether the pattern holds the record, and the other records it matches. */
static void take_matches(void *ctx, struct scan_result *res)
{
	struct draft *d = ctx;
	size_t i;

	if (took_error(d, res))
		return;
	for (i = 0; i < res->events.n; i++)
		d->fired += res->events.v[i].count;
	for (i = 0; i < res->probe->n; i++) {
		const struct probe_record *k = &res->probe->v[i];

		if (k->role == PR_TARGET)
			d->target_matched = k->matched;
		else if (k->role == PR_MATCHED && !k->cut && k->line != d->target_line && d->nsib < PROBE_MATCHED) {
			char *t = as_test_text(k->text);

			if (t) {
				d->sib_msg[d->nsib] = xstrdup(k->text + k->msg_off);
				d->sib[d->nsib++] = t;
			}
		}
	}
}

/* ---- the stanza ---- */

/* The component a support engineer would file it under, from the log it is in. */
static const char *component_of(const struct draft *d)
{
	const char *base = base_name(d->entry);

	if (glob_match_ci("*swg*", base) || glob_match_ci("*web*", base))
		return "web";
	/* the event log carries both agents: the SWG one by its source, or its "LEVEL |" messages */
	if (glob_match_ci("umbrella.txt", d->log) &&
	    (strcasestr(d->target, "swg") || strcasestr(d->msg, "proxy") || strstr(d->msg, "WARN |") ||
	     strstr(d->msg, "ERROR |")))
		return "web";
	if (glob_match_ci("cscumbrellaplugin*", base) || glob_match_ci("umbrella*", base))
		return "dns";
	return "bundle";
}

static int design(struct draft *d)
{
	size_t i;

	if (shape_settle(&d->sh) != 0) {
		set_err(d, xasprintf("%s: %s:%lu has no constant word to match (every token of it varies)", d->bundle,
		                     d->entry, d->target_line));
		return -1;
	}
	log_part_name(base_name(d->entry), d->log, sizeof d->log);
	for (i = 0; d->log[i]; i++)
		if (strchr(" \t\r\n", d->log[i])) /* files: is a list of globs split at spaces */
			d->log[i] = '?';
	d->pattern = shape_pattern(&d->sh);
	shape_names(&d->sh, d->entry, d->target_line, &d->id, &d->title);
	d->component = component_of(d);
	return 0;
}

static void put_test(struct buf *b, const char *key, const char *text)
{
	const char *p = text, *nl;

	buf_printf(b, "%s: ", key);
	while ((nl = strchr(p, '\n')) != NULL) {
		buf_add(b, p, (size_t)(nl - p));
		buf_adds(b, "\n  ");
		p = nl + 1;
	}
	buf_printf(b, "%s\n", p);
}

/* The words by which a message names a state lane (component.c's table has the lanes and their
 * states): a draft suggests the lane's failure state for the engineer to confirm. */
static const struct {
	const char *lane;
	const char *words[4];
} lane_words[] = { /* the two stacks first: a pattern capturing the stack stands for both */
    {"dns_ipv4", {"IPv4", NULL}},
    {"dns_ipv6", {"IPv6", NULL}},
    {"web", {"SWG", "web protection", "fail open", "fail-open"}},
};

/* Whether msg holds word as a word of its own (not inside a host name: "swg-url-proxy" names no
 * lane), case aside. */
static int names_word(const char *msg, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = msg; (p = strcasestr(p, word)) != NULL; p++) {
		char before = p > msg ? p[-1] : ' ', after = p[n];

		if (!isalnum((unsigned char)before) && !strchr("-._", before) && !isalnum((unsigned char)after) &&
		    !strchr("-._", after))
			return 1;
	}
	return 0;
}

/* A commented state: line for each lane the message names, with the lane's failure word: a
 * suggestion, never written as a key (a state line is a claim about the lane only the engineer
 * can make). */
static void put_state_hint(struct buf *b, const struct draft *d)
{
	size_t i, k;
	int stack = d->pattern && strstr(d->pattern, "(?<stack>") != NULL;

	if (stack) /* the stack varies between the records: the lane is the one each record names */
		buf_adds(b, "# state: dns_${stack}=unprotected\n#   suggested: the message names a DNS protection stack "
		            "(captured as stack); uncomment it if the record means the lane is down\n");
	for (i = stack ? 2 : 0; i < sizeof lane_words / sizeof *lane_words; i++) {
		int at = component_index(lane_words[i].lane);
		const char *word = NULL;

		for (k = 0; k < 4 && lane_words[i].words[k] && word == NULL; k++)
			if (names_word(d->msg, lane_words[i].words[k]))
				word = lane_words[i].words[k];
		if (at < 0 || word == NULL || component_table[at].bad[0] == NULL)
			continue;
		buf_printf(b, "# state: %s=%s\n#   suggested: the message names %s (%s); uncomment it if the record "
		              "means the lane is down\n",
		           component_table[at].name, component_table[at].bad[0], word, component_table[at].label);
	}
}

/* The rule's head: what the second reading runs, and what the tests are added to. */
static void put_head(struct buf *b, const struct draft *d)
{
	buf_printf(b, "rule: %s\ntitle: %s\nseverity: warning\ncomponent: %s\nfiles: %s\n", d->id, d->title,
	           d->component, d->log);
	put_state_hint(b, d);
	buf_printf(b, "applies: wording seen in a bundle (drafted from %s:%lu); confirm it on other cases\n",
	           base_name(d->entry), d->target_line);
	buf_printf(b, "pattern: %s\n", d->pattern);
}

static struct ruleset *parse_stanza(const char *text, int untested_ok, struct ds_error *err)
{
	struct ruleset *rs = ruleset_new();

	rs->untested_ok = untested_ok;
	if (rules_parse(rs, "the draft", text, strlen(text), err) != 0 || ruleset_link(rs, err) != 0) {
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

/* Whether the rule's pattern matches text; fills *expect with its captures as an expect: value
 * when asked (values a test line could not quote are left out). */
static int matches(const struct rule *r, const char *text, char **expect)
{
	const pcre2_code *code = r->pats[0].code;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);

	if (rc >= 0 && expect) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		PCRE2_SPTR table;
		uint32_t count = 0, size = 0, i;
		struct buf b;

		buf_init(&b);
		pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
		pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
		pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
		for (i = 0; i < count; i++, table += size) {
			unsigned num = (unsigned)table[0] << 8 | table[1];
			size_t a = ov[2 * num], z = ov[2 * num + 1];

			if (a == PCRE2_UNSET || z - a == 0 || z - a > 400 || memchr(text + a, '"', z - a))
				continue;
			buf_printf(&b, "%s%s=%.*s", b.len ? " " : "", (const char *)table + 2, (int)(z - a), text + a);
		}
		*expect = b.p ? buf_steal(&b) : NULL;
	}
	pcre2_match_data_free(md);
	return rc >= 0;
}

static int seen_text(char **v, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], t) == 0)
			return 1;
	return 0;
}

/* The whole stanza: the record's own test with its captures, up to SIBLINGS other records the
 * pattern matched (different texts), and the nearest neighbour it does not match. */
static char *compose(const struct draft *d, const struct rule *r)
{
	struct buf b;
	char *expect = NULL, *used[SIBLINGS + 1], *used_msg[SIBLINGS + 1];
	size_t i, nused = 0, best = (size_t)-1;
	int pass;

	buf_init(&b);
	put_head(&b, d);
	matches(r, d->target, &expect);
	put_test(&b, "test", d->target);
	if (expect)
		buf_printf(&b, "expect: %s\n", expect);
	free(expect);
	used_msg[nused] = d->msg;
	used[nused++] = d->target;
	/* first the records whose message differs from those taken, then any other */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < d->nsib && nused < SIBLINGS + 1; i++)
			if (!seen_text(used, nused, d->sib[i]) && (pass || !seen_text(used_msg, nused, d->sib_msg[i])) &&
			    matches(r, d->sib[i], NULL)) {
				put_test(&b, "test", d->sib[i]);
				used_msg[nused] = d->sib_msg[i];
				used[nused++] = d->sib[i];
			}
	if (nused == 1)
		buf_adds(&b, "# the bundle has no other record of this shape: add test lines from other cases\n");
	for (i = 0; i < d->nnear; i++)
		if (!matches(r, d->near[i], NULL) && (best == (size_t)-1 || d->near_dist[i] < d->near_dist[best]))
			best = i;
	if (best != (size_t)-1)
		put_test(&b, "test-not", d->near[best]);
	else
		buf_adds(&b, "# no neighbour of the record differs from it: add a test-not line\n");
	return buf_steal(&b);
}

/* ---- the command ---- */

static void read_once(struct draft *d, struct ruleset *rs, const struct probe_spec *ps, int mine,
                      const struct batch_opts *bo, batch_fn take)
{
	struct bundle_list l;
	struct scan_opts so;

	scan_opts_default(&so, rs);
	so.probe = ps;
	so.unexplained = mine;
	so.unexplained_all = mine;
	bundle_list_init(&l);
	bundle_list_add(&l, d->bundle);
	batch_run(&l, &so, bo, take, d);
	bundle_list_reset(&l);
}

/* A rule that makes the scan read the entry and matches nothing: every record is unexplained,
 * and the records of the record's template are mined as the unexplained stage mines them. */
static struct ruleset *reader_for(const char *want, struct ds_error *err)
{
	char *text, base[256];
	struct ruleset *rs;
	size_t i;

	snprintf(base, sizeof base, "%s", base_name(want));
	for (i = 0; base[i]; i++)
		if (strchr(" \t\r\n", base[i]))
			base[i] = '?';
	text = xasprintf("rule: draft.read\ntitle: the entry read\nseverity: none\ncomponent: draft\nfiles: %s\n"
	                 "pattern: (?!)\n",
	                 base);
	rs = parse_stanza(text, 1, err);
	free(text);
	return rs;
}

static int parse_where(struct draft *d, const char *where)
{
	const char *colon = strrchr(where, ':');
	char *end;

	if (colon == NULL || colon == where || colon[1] < '0' || colon[1] > '9')
		return -1;
	d->line = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || d->line == 0)
		return -1;
	d->want = xstrndup(where, (size_t)(colon - where));
	return 0;
}

static int fail_with(struct draft *d, struct ds_error *err)
{
	char msg[1200];

	if (d->err)
		fprintf(stderr, "dartscan: %s\n", d->err);
	else {
		ds_error_format(err, msg, sizeof msg);
		fprintf(stderr, "dartscan: the drafted rule does not parse (a bug): %s\n", msg);
	}
	draft_free(d);
	return 2;
}

/* The stanza passes its own tests, or it is a bug of ours: it is never printed. */
static char *check_stanza(struct draft *d, char *text)
{
	struct ds_error err;
	struct ruleset *rs = parse_stanza(text, 0, &err);
	int parsed = rs != NULL, failed, ran;

	failed = rs ? rules_selftest(rs, stderr, &ran) : 1;
	ruleset_free(rs);
	if (failed) {
		set_err(d, parsed ? xasprintf("the drafted rule fails its own tests (a bug)")
		              : xasprintf("the drafted rule does not parse (a bug): %s", err.msg));
		free(text);
		return NULL;
	}
	return text;
}

/* Reads the record, designs the rule, reads what it matches, and checks the stanza's tests. */
static char *draft_stanza(struct draft *d, const struct batch_opts *bo, struct ds_error *err)
{
	struct probe_spec ps = {d->want, d->line, 0};
	struct ruleset *rs = reader_for(d->want, err);
	struct buf head;
	char *text = NULL;

	if (rs == NULL)
		return NULL;
	read_once(d, rs, &ps, 1, bo, take_record);
	ruleset_free(rs);
	if (d->err || design(d) != 0)
		return NULL;
	buf_init(&head);
	put_head(&head, d);
	rs = parse_stanza(head.p, 1, err);
	buf_reset(&head);
	if (rs == NULL)
		return NULL;
	ps.keep_matched = 1;
	read_once(d, rs, &ps, 0, bo, take_matches);
	if (d->err == NULL && !d->target_matched)
		set_err(d, xasprintf("%s: the drafted pattern does not match %s:%lu itself (a bug): %s", d->bundle,
		                     d->entry, d->target_line, d->pattern));
	if (d->err == NULL)
		text = compose(d, &rs->rules[0]);
	ruleset_free(rs);
	return text ? check_stanza(d, text) : NULL;
}

int ruledraft_record(const char *entry, unsigned long line, const char *text, size_t msg_off, char **stanza,
                     char **why)
{
	struct draft d;
	struct ds_error err;
	struct ruleset *rs = NULL;
	struct buf head;
	int rc = -1;

	memset(&d, 0, sizeof d);
	memset(&err, 0, sizeof err);
	d.bundle = "record";
	*stanza = *why = NULL;
	if (msg_off > strlen(text))
		msg_off = 0;
	if (take_target(&d, entry, line, text, msg_off, 0) != 0 || design(&d) != 0) {
		*why = d.err;
		d.err = NULL;
		draft_free(&d);
		return 1;
	}
	buf_init(&head);
	put_head(&head, &d);
	rs = parse_stanza(head.p, 1, &err);
	buf_reset(&head);
	if (rs && matches(&rs->rules[0], d.target, NULL))
		*stanza = check_stanza(&d, compose(&d, &rs->rules[0]));
	ruleset_free(rs);
	if (*stanza)
		rc = 0;
	else if (d.err)
		*why = xstrdup(d.err);
	else
		*why = xasprintf("the draft does not parse or does not match its record: %s", err.msg);
	draft_free(&d);
	return rc;
}

int ruledraft_run(const char *bundle, const char *where, const struct batch_opts *bo, FILE *out)
{
	struct draft d;
	struct ds_error err;
	char *text;

	memset(&d, 0, sizeof d);
	memset(&err, 0, sizeof err);
	d.bundle = bundle;
	if (parse_where(&d, where) != 0) {
		fprintf(stderr, "dartscan: rules draft: '%s' is not ENTRY:LINE (cscumbrellaplugin.txt:120)\n", where);
		return 2;
	}
	text = draft_stanza(&d, bo, &err);
	if (text == NULL)
		return fail_with(&d, &err);
	fprintf(out,
	        "# Drafted by dartscan rules draft from %s:%lu. Rename the id, say in the title what it means,\n"
	        "# set the severity and add a fix; keep the tests. Save it as NAME.rules in a directory of your\n"
	        "# own and scan with -R <the shipped rules> -R <that directory> (see dartscan-rules(5)).\n%s",
	        base_name(d.entry), d.target_line, text);
	if (d.note)
		fprintf(stderr, "dartscan: %s\n", d.note);
	fprintf(stderr, "dartscan: drafted %s from %s:%lu: its pattern matches %lu record%s of %s logs in the bundle\n",
	        d.id, base_name(d.entry), d.target_line, d.fired, d.fired == 1 ? "" : "s", d.log);
	free(text);
	draft_free(&d);
	return 0;
}
