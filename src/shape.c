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

static int all_of(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return 0;
	return n > 0;
}

static size_t count_of(const char *s, size_t n, char c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* A capture's name from what its value looks like. */
static const char *kind_of(const char *s, size_t n)
{
	if (all_of(s, n, "0123456789"))
		return "number";
	if (all_of(s, n, "0123456789.") && count_of(s, n, '.') == 3)
		return "ip";
	if (all_of(s, n, "0123456789.:") && count_of(s, n, '.') == 3)
		return "address";
	if (all_of(s, n, "0123456789abcdefABCDEF:") && count_of(s, n, ':') >= 2)
		return "ipv6";
	if (all_of(s, n, "0123456789abcdefABCDEF-{}") && count_of(s, n, '-') == 4)
		return "guid";
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return "hex";
	if (all_of(s, n, "0123456789:.,"))
		return "time";
	if (all_of(s, n, "0123456789-/"))
		return "date";
	if (memchr(s, '/', n) || memchr(s, '\\', n))
		return "path";
	return "value";
}

static void add_capture(struct buf *b, const char *kind, int *seen, size_t nseen)
{
	static const char *const kinds[] = {"number", "ip", "address", "ipv6", "guid", "hex",
	                                    "time",   "date", "path",  "quoted", "value"};
	size_t i;

	for (i = 0; i < nseen && strcmp(kinds[i], kind) != 0; i++)
		;
	if (i == nseen)
		i = nseen - 1;
	if (seen[i]++)
		buf_printf(b, "(?<%s%d>\\S+)", kind, seen[i]);
	else
		buf_printf(b, "(?<%s>\\S+)", kind);
}

/* A variable token by its look keeps the punctuation around its value as text ("port 443," gives
 * "port (?<number>\S+),"); one that only varies between records is all capture. */
static void add_token(struct buf *b, const struct shape_token *t, int *seen)
{
	size_t n = strlen(t->s), a = 0, z = n;
	int quoted;

	if (!t->var) {
		add_literal(b, t->s, n);
		return;
	}
	if (t->look) {
		while (a < n && strchr(open_punct, t->s[a]))
			a++;
		while (z > a && strchr(close_punct, t->s[z - 1]))
			z--;
	}
	if (z == a) /* nothing but punctuation */
		a = 0, z = n;
	quoted = a > 0 && (t->s[a - 1] == '"' || t->s[a - 1] == '\'');
	add_literal(b, t->s, a);
	add_capture(b, quoted ? "quoted" : kind_of(t->s + a, z - a), seen, 11);
	add_literal(b, t->s + z, n - z);
}

char *shape_pattern(const struct shape *d)
{
	struct buf b;
	int seen[11] = {0};
	size_t i;

	buf_init(&b);
	for (i = d->first; i < d->end; i++) {
		if (i > d->first)
			buf_adds(&b, d->tok[i].one_space && !d->tok[i].var && !d->tok[i - 1].var ? " " : "\\s+");
		add_token(&b, &d->tok[i], seen);
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

/* The id from the first words of the message, the title from the message with its fields as <*>. */
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
		const char *s = d->tok[i].var ? "<*>" : d->tok[i].s;

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
