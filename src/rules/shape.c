/* shape: a record's message as tokens, as the unexplained stage splits and masks it, widened by
 * the mined template it belongs to; its constant words escaped, its variable fields -- named by
 * what they look like -- as captures. What rules draft turns into a pattern, an id and a title. */
#include "shape.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TITLE_MAX 100

static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void shape_free(struct shape *sh)
{
	size_t i;

	for (i = 0; i < sh->ntok; i++)
		free(sh->tok[i].s);
	memset(sh, 0, sizeof *sh);
}

/* The message's tokens, as ux_tokenize splits them. A message cut (at the mined length, or the
 * record at the probe's) may end in half a token: shape_settle drops it after the template is found. */
void shape_split(struct shape *d, const char *msg, int cut)
{
	size_t len, i = ux_message_span(msg, strlen(msg), &len), n = 0;
	const char *m = msg + i;

	if (len < strlen(m) && !is_sep(m[len]))
		cut = 1;
	for (i = 0; i < len && n < UX_TOKENS;) {
		size_t gap = i, start;

		while (i < len && is_sep(m[i]))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && !is_sep(m[i]))
			i++;
		d->tok[n].s = xstrndup(m + start, i - start);
		d->tok[n].look = d->tok[n].var = ux_variable(d->tok[n].s);
		d->tok[n].one_space = start - gap == 1 && m[gap] == ' ';
		n++;
	}
	d->partial = cut && i >= len && n > 1;
	d->ntok = n;
}

/* The template's fields as tokens (its text joins them with single spaces). */
static size_t template_tokens(char *text, char **tt)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(text, " ", &save); t && n <= UX_TOKENS; t = strtok_r(NULL, " ", &save))
		tt[n++] = t;
	return n;
}

static int template_fits(const struct shape *d, char **tt, size_t n)
{
	size_t i;

	if (n != d->ntok)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(tt[i], "<*>") != 0 && (d->tok[i].look || strcmp(tt[i], d->tok[i].s) != 0))
			return 0;
	return 1;
}

/* The mined template the record belongs to: of those its tokens fit, the one of most records. */
static char *find_template(const struct shape *d, const struct unexplained *u)
{
	unsigned long best = 0;
	char *found = NULL;
	size_t i;

	for (i = 0; u && i < u->n; i++) {
		char *copy = xstrdup(u->t[i].text), *tt[UX_TOKENS + 1];

		if (template_fits(d, tt, template_tokens(copy, tt)) && u->t[i].count > best) {
			best = u->t[i].count;
			free(found);
			found = xstrdup(u->t[i].text);
		}
		free(copy);
	}
	return found;
}

void shape_widen(struct shape *d, const struct unexplained *u)
{
	char *copy = find_template(d, u), *tt[UX_TOKENS + 1];
	size_t i, n;

	if (copy == NULL)
		return;
	n = template_tokens(copy, tt);
	for (i = 0; i < n && i < d->ntok; i++)
		if (strcmp(tt[i], "<*>") == 0)
			d->tok[i].var = 1;
	free(copy);
}

static const char *const open_punct = "([{<\"'";
static const char *const close_punct = ")]}>\"',;:.!?";

static void add_literal(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strchr("\\^$.|?*+()[]{}", s[i]) != NULL)
			buf_addc(b, '\\');
		buf_addc(b, s[i]);
	}
}

static size_t count_of(const char *s, size_t n, char c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* A token's word without the punctuation around it, lower-cased, for comparing with a keyword:
 * "Thread", "port", "(ms)", "[ms]," all read as their word. */
static int word_is(const char *tok, const char *word)
{
	size_t n = tok ? strlen(tok) : 0, a = 0, z = n;

	while (a < n && strchr(open_punct, tok[a]))
		a++;
	while (z > a && strchr(close_punct, tok[z - 1]))
		z--;
	return z - a == strlen(word) && strncasecmp(tok + a, word, z - a) == 0;
}

static int word_in(const char *tok, const char *const *words)
{
	for (; *words; words++)
		if (word_is(tok, *words))
			return 1;
	return 0;
}

/* A host name: labels of letters, digits and '-' joined by dots, a letter somewhere (an IPv4
 * address is no host) and no file suffix a path would have. */
static int host_like(const char *s, size_t n)
{
	size_t i, letters = 0;

	if (n < 4 || !str_all_of(s, n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ||
	    count_of(s, n, '.') == 0 || s[0] == '.' || s[n - 1] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		letters += (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
	for (i = n; i > 0 && s[i - 1] != '.'; i--)
		;
	/* "config.json", "plugin.txt": the last label a file's suffix, not a domain's */
	return letters > 0 && !(n - i <= 4 && (glob_match_ci("*.txt", s) || glob_match_ci("*.json", s) ||
	                                       glob_match_ci("*.xml", s) || glob_match_ci("*.log", s) ||
	                                       glob_match_ci("*.exe", s) || glob_match_ci("*.dll", s)));
}

/* A capture's name: what the record says its value is (the word before it, the unit after it),
 * else what the value looks like. prev and next are the neighbouring tokens as written (NULL at
 * either end). */
static const char *kind_of(const char *s, size_t n, const char *prev, const char *next)
{
	static const char *const code_words[] = {"http", "code", "error", "err", "status", "hr", "hresult",
	                                         "result", NULL};
	int digits = str_all_of(s, n, "0123456789");

	if ((n == 4 && strncasecmp(s, "IPv4", 4) == 0) || (n == 4 && strncasecmp(s, "IPv6", 4) == 0))
		return "stack"; /* as the shipped rules name it: state: dns_${stack}=... */
	if (word_is(prev, "thread") && str_all_of(s, n, "0123456789abcdefABCDEFx"))
		return "thread";
	if (word_is(prev, "depth") && digits)
		return "depth";
	if (word_is(prev, "port") && digits)
		return "port";
	if ((digits && (word_is(next, "ms") || word_is(next, "msec"))) ||
	    (n > 2 && str_all_of(s, n - 2, "0123456789.") && strncmp(s + n - 2, "ms", 2) == 0))
		return "ms";
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return "code";
	if (digits && word_in(prev, code_words))
		return "code";
	if (digits)
		return "number";
	if (str_all_of(s, n, "0123456789.") && count_of(s, n, '.') == 3)
		return "ip";
	if (str_all_of(s, n, "0123456789abcdefABCDEF:.") && count_of(s, n, ':') >= 2)
		return "ip";
	if (str_all_of(s, n, "0123456789.:") && count_of(s, n, '.') == 3)
		return "address";
	if (str_all_of(s, n, "0123456789abcdefABCDEF-{}") && count_of(s, n, '-') == 4)
		return "guid";
	if (str_all_of(s, n, "0123456789:.,"))
		return "time";
	if (str_all_of(s, n, "0123456789-/"))
		return "date";
	if (memchr(s, '/', n) || memchr(s, '\\', n))
		return "path";
	if (host_like(s, n))
		return "host";
	return NULL;
}

#define NAMES 16 /* more than kind_of has names */

struct names {
	const char *name[NAMES];
	int seen[NAMES];
	size_t n;
};

/* A named capture; the second of a name is name2 ("ip", "ip2"). */
static void add_capture(struct buf *b, const char *kind, struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n && strcmp(nm->name[i], kind) != 0; i++)
		;
	if (i == nm->n && nm->n < NAMES)
		nm->name[nm->n++] = kind;
	if (nm->seen[i]++)
		buf_printf(b, "(?<%s%d>\\S+)", kind, nm->seen[i]);
	else
		buf_printf(b, "(?<%s>\\S+)", kind);
}

/* The tenant host names whose domain has variants: a Secure Access tenant's SWG proxy carries
 * "-sse" where an Umbrella tenant's has none (DOMAIN.md). A rule drafted from one tenant's log
 * matches the other's: the variant is optional in the pattern. */
static const struct {
	const char *stem, *variant, *rest;
} tenant_hosts[] = {
    {"swg-url-proxy-https", "-sse", ".sigproxy.qq.opendns.com"},
};

/* The pattern of a constant host name a tenant varies, or 0 when s is no such host. */
static int add_tenant_host(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof tenant_hosts / sizeof *tenant_hosts; i++) {
		size_t a = strlen(tenant_hosts[i].stem), v = strlen(tenant_hosts[i].variant), r = strlen(tenant_hosts[i].rest);
		int with;

		if (n < a + r || strncasecmp(s, tenant_hosts[i].stem, a) != 0 ||
		    strncasecmp(s + n - r, tenant_hosts[i].rest, r) != 0)
			continue;
		with = n == a + v + r && strncasecmp(s + a, tenant_hosts[i].variant, v) == 0;
		if (n != a + r && !with)
			continue;
		add_literal(b, tenant_hosts[i].stem, a);
		buf_adds(b, "(?:");
		add_literal(b, tenant_hosts[i].variant, v);
		buf_adds(b, ")?");
		add_literal(b, tenant_hosts[i].rest, r);
		return 1;
	}
	return 0;
}

/* A constant token, escaped; a tenant host in it (within its punctuation) with its variants. */
static void add_constant(struct buf *b, const char *s)
{
	size_t n = strlen(s), a = 0, z = n;

	while (a < n && strchr(open_punct, s[a]))
		a++;
	while (z > a && strchr(close_punct, s[z - 1]))
		z--;
	if (z > a && host_like(s + a, z - a)) {
		struct buf h;

		buf_init(&h);
		if (add_tenant_host(&h, s + a, z - a)) {
			add_literal(b, s, a);
			buf_adds(b, h.p);
			add_literal(b, s + z, n - z);
			buf_reset(&h);
			return;
		}
		buf_reset(&h);
	}
	add_literal(b, s, n);
}

/* A variable token by its look keeps the punctuation around its value as text ("port 443," gives
 * "port (?<port>\S+),"); one that only varies between records is all capture. */
static void add_token(struct buf *b, const struct shape *d, size_t at, struct names *nm)
{
	const struct shape_token *t = &d->tok[at];
	const char *prev = at > d->first ? d->tok[at - 1].s : NULL, *next = at + 1 < d->end ? d->tok[at + 1].s : NULL;
	const char *kind;
	size_t n = strlen(t->s), a = 0, z = n;
	int quoted;

	if (!t->var) {
		add_constant(b, t->s);
		return;
	}
	/* the value within its punctuation: what it is named by, whether or not the capture keeps it */
	while (a < n && strchr(open_punct, t->s[a]))
		a++;
	while (z > a && strchr(close_punct, t->s[z - 1]))
		z--;
	kind = z > a ? kind_of(t->s + a, z - a, prev, next) : NULL;
	if (!t->look || z == a) /* varies between records, or nothing but punctuation: all of it */
		a = 0, z = n;
	quoted = a > 0 && (t->s[a - 1] == '"' || t->s[a - 1] == '\'');
	add_literal(b, t->s, a);
	add_capture(b, kind ? kind : quoted ? "quoted" : "value", nm);
	add_literal(b, t->s + z, n - z);
}

char *shape_pattern(const struct shape *d)
{
	struct buf b;
	struct names nm;
	size_t i;

	memset(&nm, 0, sizeof nm);
	buf_init(&b);
	for (i = d->first; i < d->end; i++) {
		if (i > d->first)
			buf_adds(&b, d->tok[i].one_space && !d->tok[i].var && !d->tok[i - 1].var ? " " : "\\s+");
		add_token(&b, d, i, &nm);
	}
	return buf_steal(&b);
}

/* Words that say nothing in an id. */
static int stop_word(const char *s)
{
	static const char *const stop[] = {"a",   "an", "the", "to", "of", "for", "from", "with", "and", "or",
	                                   "in",  "on", "at",  "by", "is", "was", "be",   "has",  "had", NULL};
	size_t i;

	for (i = 0; stop[i]; i++)
		if (strcasecmp(s, stop[i]) == 0)
			return 1;
	return 0;
}

/* Whether token i is no word of the message's: a field, a separator ("|"), or the name of a field
 * that follows ("Thread" before its number), or the level opening an SWG message ("ERROR |"). */
static int not_a_word(const struct shape *d, size_t i)
{
	const char *s = d->tok[i].s;
	size_t k, upper = 0;

	if (d->tok[i].var || str_all_of(s, strlen(s), "|-=:*#>"))
		return 1;
	if (i + 1 < d->end && d->tok[i + 1].var && word_is(s, "thread"))
		return 1;
	if (i > d->first && d->tok[i - 1].var && (word_is(s, "ms") || word_is(s, "msec"))) /* its unit */
		return 1;
	for (k = 0; s[k]; k++)
		upper += s[k] >= 'A' && s[k] <= 'Z';
	return i == d->first && i + 1 < d->end && upper == k && strcmp(d->tok[i + 1].s, "|") == 0;
}

/* The id from the first words of the message, the title from its words: the fields, which
 * differ from record to record, left out with the unit or name around them ("KDF channel to resolver failed: certificate pin
 * mismatch"), and the punctuation a field left dangling at the end. */
void shape_names(const struct shape *d, const char *entry, unsigned long line, char **id_out, char **title_out)
{
	struct buf id, title;
	size_t i, words = 0;

	buf_init(&id);
	buf_init(&title);
	buf_adds(&id, "site.draft");
	for (i = d->first; i < d->end && words < 4; i++) {
		const char *s = d->tok[i].s;
		size_t k, letters = 0;

		if (d->tok[i].var)
			continue;
		for (k = 0; s[k]; k++)
			letters += (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z');
		if (letters == 0 || id.len > 40 || stop_word(s))
			continue;
		buf_addc(&id, '-');
		for (k = 0; s[k]; k++)
			if ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))
				buf_addc(&id, (char)(s[k] | 0x20));
		words++;
	}
	if (words == 0)
		buf_printf(&id, "-line-%lu", line);
	for (i = d->first; i < d->end; i++) {
		const char *s = d->tok[i].s;

		if (not_a_word(d, i))
			continue;
		if (title.len + strlen(s) + 1 > TITLE_MAX) {
			buf_adds(&title, " ...");
			break;
		}
		if (title.len)
			buf_addc(&title, ' ');
		for (; *s; s++)
			if (*s != '$') /* ${...} would be read as a capture to expand */
				buf_addc(&title, *s);
	}
	while (title.len && strchr(":,;=(['\"", title.p[title.len - 1]))
		title.p[--title.len] = '\0';
	if (title.len == 0 || strspn(title.p, " ") == title.len) { /* a message of '$' signs */
		buf_reset(&title);
		buf_printf(&title, "Drafted from %s:%lu", base_name(entry), line);
	}
	*id_out = buf_steal(&id);
	*title_out = buf_steal(&title);
}


int shape_settle(struct shape *d)
{
	size_t i;

	if (d->partial) {
		free(d->tok[--d->ntok].s);
		d->tok[d->ntok].s = NULL;
		d->partial = 0;
	}
	for (i = 0; i < d->ntok && d->tok[i].var; i++)
		;
	if (i == d->ntok)
		return -1;
	d->first = i;
	d->end = d->ntok - d->first > SHAPE_TOKENS ? d->first + SHAPE_TOKENS : d->ntok;
	return 0;
}
