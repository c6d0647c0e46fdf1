/* unexplained_mine: a bundle's candidates (gathered by unexplained.c, in bundle order) grouped
 * into templates -- Drain's idea, small: records of one level, token count and first constant
 * token are compared token by token; at 60 % of the tokens equal they are one template, and the
 * tokens that differ become <*>. Also the tokenizer both mining and gathering cut messages with. */
#include "unexplained.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BUCKETS 1024
#define SPAN_GAP_MS UX_SPAN_GAP_MS
#define SIMILAR 0.6           /* tokens equal for two records to be one template: below it, a log's
                                 fixed prefix ("Dns Protection IPv4 State Machine:") merges lines that
                                 say different things */

/* A message cut into tokens once for all the candidates that share its text (see share), and
 * where it was last mined: while no template has changed since (mined == the miner's changes), a
 * candidate of this text goes where the last one went -- mining it again would compare it with the
 * same tokens and choose the same template (one that matches it wholly, so generalizing it is a no-op). */
#define CUTS 256
struct cut {
	const char *msg;
	size_t len, n;
	int level;
	uint32_t key;
	unsigned long mined; /* the miner's changes when it was last mined; 0: never */
	int went;            /* the template it went to, or -1: dropped */
	char *tok[UX_TOKENS];
	char work[];
};

struct miner {
	struct unexplained *u;
	char **tok[UX_TEMPLATES]; /* each template's tokens while mining */
	size_t ntok[UX_TEMPLATES];
	uint32_t key[UX_TEMPLATES];
	int next[UX_TEMPLATES];
	int head[BUCKETS];
	struct cut *cuts[CUTS]; /* messages already cut, by where their text lies */
	unsigned long changes;  /* templates made or generalized, from 1 */
};

const unsigned char ux_byte_class[256] = {
    [' '] = UX_BLANK, ['\t'] = UX_BLANK, ['\r'] = UX_BLANK, ['\n'] = UX_BLANK, ['\\'] = UX_VAR,
    ['/'] = UX_SLASH, ['"'] = UX_QUOTE, ['\''] = UX_QUOTE, ['0'] = UX_VAR, ['1'] = UX_VAR, ['2'] = UX_VAR,
    ['3'] = UX_VAR, ['4'] = UX_VAR, ['5'] = UX_VAR, ['6'] = UX_VAR, ['7'] = UX_VAR, ['8'] = UX_VAR,
    ['9'] = UX_VAR};

int ux_variable(const char *t)
{
	unsigned seen = 0;
	size_t n;

	for (n = 0; t[n] != '\0'; n++)
		seen |= ux_byte_class[(unsigned char)t[n]];
	return ux_token_variable(seen, (unsigned char)t[0], n);
}

/* strtok_r on " \t\r\n" with ux_variable's test made in the same pass over each token (perf:
 * the five library scans per token were most of mining's time). */
size_t ux_tokenize(char *msg, char **out)
{
	static char star[] = "<*>";
	size_t n = 0;
	char *p = msg;

	while (n < UX_TOKENS) {
		char *t;
		unsigned seen = 0, k;

		while (ux_byte_class[(unsigned char)*p] & UX_BLANK)
			p++;
		if (*p == '\0')
			break;
		for (t = p; *p != '\0' && !((k = ux_byte_class[(unsigned char)*p]) & UX_BLANK); p++)
			seen |= k;
		out[n++] = ux_token_variable(seen, (unsigned char)t[0], (size_t)(p - t)) ? star : t;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

static uint32_t key_of(int level, size_t n, char **tok)
{
	uint32_t h = 2166136261u ^ (uint32_t)level * 31u ^ (uint32_t)n * 131u;
	size_t i;

	for (i = 0; i < n && strcmp(tok[i], "<*>") == 0; i++)
		;
	for (const char *s = i < n ? tok[i] : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static double similarity(char **a, char *const *b, size_t n)
{
	size_t i, same = 0;

	for (i = 0; i < n; i++)
		if (strcmp(a[i], "<*>") == 0 || strcmp(a[i], b[i]) == 0)
			same++;
	return n ? (double)same / (double)n : 1.0;
}

static void add_entry(struct ux_template *t, unsigned entry)
{
	size_t i;

	for (i = 0; i < t->nentries; i++)
		if (t->entries[i] == entry)
			return;
	if (t->nentries < UX_ENTRIES)
		t->entries[t->nentries++] = entry;
}

/* Joins the two neighbouring clusters with the smallest gap between them. */
static void merge_closest(struct ux_template *t)
{
	size_t i, best = 0;
	int64_t gap = INT64_MAX;

	for (i = 0; i + 1 < t->nspan; i++)
		if (t->span[i + 1].a.ms - t->span[i].b.ms < gap) {
			gap = t->span[i + 1].a.ms - t->span[i].b.ms;
			best = i;
		}
	t->span[best].b = t->span[best + 1].b;
	t->span[best].n += t->span[best + 1].n;
	memmove(&t->span[best + 1], &t->span[best + 2], (t->nspan - best - 2) * sizeof t->span[0]);
	t->nspan--;
}

/* Adds a time to the clusters, kept in time order. */
static void add_time(struct ux_template *t, const struct stamp *ts)
{
	size_t i;

	if (ts->prov == TP_NONE)
		return;
	for (i = 0; i < t->nspan; i++) {
		struct ux_span *s = &t->span[i];

		if (ts->ms >= s->a.ms - SPAN_GAP_MS && ts->ms <= s->b.ms + SPAN_GAP_MS) {
			if (ts->ms < s->a.ms)
				s->a = *ts;
			if (ts->ms > s->b.ms)
				s->b = *ts;
			s->n++;
			return;
		}
		if (ts->ms < s->a.ms)
			break;
	}
	if (t->nspan == UX_SPANS) {
		merge_closest(t);
		add_time(t, ts);
		return;
	}
	memmove(&t->span[i + 1], &t->span[i], (t->nspan - i) * sizeof t->span[0]);
	t->span[i].a = t->span[i].b = *ts;
	t->span[i].n = 1;
	t->nspan++;
}

static void count_into(struct ux_template *t, const struct ux_record *r)
{
	t->count++;
	if (r->ts.prov != TP_NONE) {
		if (t->first.prov == TP_NONE || r->ts.ms < t->first.ms)
			t->first = r->ts;
		if (t->last.prov == TP_NONE || r->ts.ms > t->last.ms)
			t->last = r->ts;
	}
	add_entry(t, r->entry);
	add_time(t, &r->ts);
	if (!r->near)
		t->near_only = 0;
}

static int new_template(struct miner *mi, const struct ux_record *r, char *const *tok, size_t n, uint32_t key)
{
	struct unexplained *u = mi->u;
	struct ux_template *t;
	size_t i;
	int idx = (int)u->n;

	u->t = xgrow(u->t, &u->cap, u->n + 1, sizeof *u->t);
	t = &u->t[u->n++];
	memset(t, 0, sizeof *t);
	t->level = r->level;
	t->near_only = 1;
	t->ex_entry = r->entry;
	t->ex_line = r->line;
	t->ex_ts = r->ts;
	t->ex_text = xstrdup(r->msg);
	mi->tok[idx] = xcalloc(n + 1, sizeof *mi->tok[idx]);
	for (i = 0; i < n; i++)
		mi->tok[idx][i] = xstrdup(tok[i]);
	mi->ntok[idx] = n;
	mi->key[idx] = key;
	mi->next[idx] = mi->head[key % BUCKETS];
	mi->head[key % BUCKETS] = idx;
	return idx;
}

static struct cut *cut_of(struct miner *mi, const struct ux_record *r)
{
	size_t len = r->len < UX_MSG_MAX ? r->len : UX_MSG_MAX;
	struct cut **slot = &mi->cuts[((uintptr_t)r->msg >> 3) % CUTS], *c = *slot;

	if (c && c->msg == r->msg && c->len == len && c->level == r->level)
		return c;
	if (c == NULL || c->len < len)
		free(c), c = xmalloc(sizeof *c + len + 1), *slot = c;
	c->msg = r->msg;
	c->len = len;
	c->level = r->level;
	memcpy(c->work, r->msg, len);
	c->work[len] = '\0';
	c->n = ux_tokenize(c->work, c->tok);
	c->key = key_of(r->level, c->n, c->tok);
	c->mined = 0;
	return c;
}

/* Makes template best match tok wholly: the tokens that differ become <*>. */
static void generalize(struct miner *mi, int best, char *const *tok, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(mi->tok[best][i], tok[i]) != 0 && strcmp(mi->tok[best][i], "<*>") != 0) {
			free(mi->tok[best][i]);
			mi->tok[best][i] = xstrdup("<*>");
			mi->changes++;
		}
}

/* The template a cut message goes to (made or generalized for it), or -1 when it is dropped. */
static int place(struct miner *mi, const struct ux_record *r, const struct cut *c)
{
	char *const *tok = c->tok;
	size_t n = c->n, i;
	int best = -1, j;
	double best_sim = 0;

	for (i = 0; i < n && strcmp(tok[i], "<*>") == 0; i++)
		;
	if (i == n) /* nothing but variable fields: no shape to show */
		return -1;
	for (j = mi->head[c->key % BUCKETS]; j >= 0; j = mi->next[j]) {
		double s;

		if (mi->key[j] != c->key || mi->ntok[j] != n || mi->u->t[j].level != r->level)
			continue;
		s = similarity(mi->tok[j], tok, n);
		if (s >= SIMILAR && s > best_sim)
			best = j, best_sim = s;
	}
	if (best >= 0)
		generalize(mi, best, tok, n);
	else if (mi->u->n < UX_TEMPLATES) {
		best = new_template(mi, r, tok, n, c->key);
		mi->changes++;
	}
	return best;
}

static void mine_one(struct miner *mi, const struct ux_record *r)
{
	struct cut *c = cut_of(mi, r);

	if (c->mined != mi->changes) {
		c->went = place(mi, r, c);
		c->mined = mi->changes;
	}
	if (c->went >= 0)
		count_into(&mi->u->t[c->went], r);
	else
		mi->u->dropped++;
}

static char *join(char **tok, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, ' ');
		buf_adds(&b, tok[i]);
	}
	return b.p ? buf_steal(&b) : xstrdup("");
}

void unexplained_drop_candidates(struct unexplained *u)
{
	size_t i;

	for (i = 0; i < u->nparts; i++)
		free(u->parts[i].v);
	free(u->parts);
	strpool_free(u->chunks);
	u->parts = NULL;
	u->chunks = NULL;
	u->nparts = u->capparts = u->pending_bytes = 0;
}

void unexplained_mine(struct unexplained *u)
{
	struct miner *mi = xcalloc(1, sizeof *mi);
	size_t i, k;

	mi->u = u;
	mi->changes = 1;
	for (i = 0; i < BUCKETS; i++)
		mi->head[i] = -1;
	for (i = 0; i < u->nparts; i++)
		for (k = 0; k < u->parts[i].n; k++)
			mine_one(mi, &u->parts[i].v[k]);
	for (i = 0; i < u->n; i++) {
		u->t[i].text = join(mi->tok[i], mi->ntok[i]);
		strv_free(mi->tok[i], mi->ntok[i]);
	}
	for (i = 0; i < CUTS; i++)
		free(mi->cuts[i]);
	free(mi);
	unexplained_drop_candidates(u);
}
