/* unexplained: candidates are gathered while an entry streams (cheap tests on each record no rule
 * matched), kept per entry and mined once per bundle in bundle order (unexplained_mine.c) -- so an
 * entry read ahead on another thread gives exactly what reading it in place gives. */
#include "unexplained.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rules/rules.h"
#include "util.h"

#define HOT_MS 60000          /* records this long after a failure line are near it */
#define PRE_MS UX_PRE_MS
#define ENTRY_MAX UX_ENTRY_MAX
#define ENTRY_BYTES UX_ENTRY_BYTES
#define BUNDLE_BYTES UX_BUNDLE_BYTES
#define POPULATE_STEP (64 * 1024) /* candidate bytes mapped in at once */

void unexplained_init(struct unexplained *u)
{
	memset(u, 0, sizeof *u);
}

void unexplained_reset(struct unexplained *u)
{
	size_t i;

	unexplained_drop_candidates(u);
	for (i = 0; i < u->n; i++) {
		free(u->t[i].text);
		free(u->t[i].ex_text);
	}
	free(u->t);
	unexplained_init(u);
}

void ux_collect_init(struct ux_collect *c, int on, int all)
{
	memset(c, 0, sizeof *c);
	c->on = on;
	c->all = all;
	c->hot_from_ms = INT64_MAX; /* no failure yet: no time is within HOT_MS after it */
}

void ux_collect_reset(struct ux_collect *c)
{
	free(c->v);
	free(c->shapes);
	free(c->late);
	strpool_free(c->chunks);
	ux_collect_init(c, c->on, c->all);
}

/* ---- gathering ---- */

static int starts(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && memcmp(s, w, k) == 0;
}

/* ERR..., FATAL, CRIT... / WARN... (either case of the rest): a switch on the first byte first,
 * since nearly every record says DEBUG or INFO. */
static int level_word(const char *s, size_t n)
{
	if (n < 4)
		return UX_INFO;
	switch (s[0]) {
	case 'E':
		return (s[1] == 'R' || s[1] == 'r') && (s[2] == 'R' || s[2] == 'r') ? UX_ERROR : UX_INFO;
	case 'F':
		return starts(s, n, "FATAL") ? UX_ERROR : UX_INFO;
	case 'C':
		return starts(s, n, "CRIT") || starts(s, n, "Crit") ? UX_ERROR : UX_INFO;
	case 'W':
		return (s[1] == 'A' || s[1] == 'a') && (s[2] == 'R' || s[2] == 'r') && (s[3] == 'N' || s[3] == 'n') ? UX_WARN
		                                                                                                 : UX_INFO;
	default:
		return UX_INFO;
	}
}

/* The level the n bytes at s state: their first byte settles DEBUG, INFO, TRACE and the like --
 * nearly every record -- without level_word's call. */
static inline int level_at(const char *s, size_t n)
{
	char ch = n ? s[0] : '\0';

	return ch == 'E' || ch == 'F' || ch == 'C' || ch == 'W' ? level_word(s, n) : UX_INFO;
}

/* Where the first ']' of m[1..15] is (the pid's "[7216]" of a plugin line), else the first place
 * past them (16, or n): one 16-byte compare, not a loop a byte -- every plugin record asks. */
static size_t close_at(const char *m, size_t n)
{
	size_t i;

#ifdef __SSE2__
	if (n >= 17) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(m + 1));
		unsigned k = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(']'))) & 0x7fffu;

		return k ? 1 + (size_t)__builtin_ctz(k) : 16;
	}
#endif
	for (i = 1; i < n && i < 16 && m[i] != ']'; i++)
		;
	return i;
}

/* The byte after the k-th '\n' (k >= 1) of [s, end), or NULL: an event record's third line is
 * found in a few 16-byte compares rather than two memchr calls on lines of 20 bytes. */
static const char *after_lines(const char *s, const char *end, int k)
{
#ifdef __SSE2__
	const __m128i lf = _mm_set1_epi8('\n');

	while (end - s >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)s), lf));

		for (; m; m &= m - 1)
			if (--k == 0)
				return s + __builtin_ctz(m) + 1;
		s += 16;
	}
#endif
	for (; s < end; s++)
		if (*s == '\n' && --k == 0)
			return s + 1;
	return NULL;
}

/* Whether m opens with the lead the collector last placed a level after: a plugin log writes one
 * "[pid] [" for thousands of lines, so one 16-byte compare stands for close_at and the blanks. */
static inline int same_lead(const struct ux_collect *c, const char *m)
{
#ifdef __SSE2__
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)m);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)c->lead);

	return ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) & c->lead_mask) == c->lead_mask;
#else
	size_t i;

	for (i = 0; i < UX_LEAD; i++)
		if ((c->lead_mask >> i & 1) && m[i] != c->lead[i])
			return 0;
	return 1;
#endif
}

/* Where a "[pid] [LEVEL]" message's level word starts (1: a "[LEVEL]" alone). When the bytes it
 * read lie within the first UX_LEAD, they and the answer are remembered for the next message. */
static size_t place_level(struct ux_collect *c, const char *m, size_t n)
{
	size_t i = close_at(m, n), at;

	while (++i < n && m[i] == ' ')
		;
	at = i < n && m[i] == '[' ? i + 1 : 1;
	if (n > UX_LEAD && i < UX_LEAD) { /* close_at read m[0..15] at most; the rest m[..i] */
		memcpy(c->lead, m, UX_LEAD);
		c->lead_mask = (1u << (i + 1)) - 1;
		c->lead_at = at;
	}
	return at;
}

/* The first byte from s that is neither a blank nor a colon (the " : " of "Type : Warning"), or end:
 * one 16-byte compare where a loop took eight instructions a byte. */
static const char *past_colon(const char *s, const char *end)
{
#ifdef __SSE2__
	if (end - s >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
		unsigned k = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));

		if (k != 0xffffu)
			return s + __builtin_ctz(~k);
		s += 16;
	}
#endif
	while (s < end && (*s == ' ' || *s == ':'))
		s++;
	return s;
}

/* The level a record states, from the few places the Umbrella logs put it: "[pid] [WARN]" after a
 * plugin line's time, "WARN |" opening an SWG message, "Type : Warning" in an event record (its
 * third line, after Date and Time). */
static int level_of(struct ux_collect *c, const struct record *r)
{
	const char *m = r->msg;
	size_t n = r->msg_len;

	if (n > 2 && m[0] == '[') {
		size_t i = n > UX_LEAD && c->lead_mask && same_lead(c, m) ? c->lead_at : place_level(c, m, n);

		return level_at(m + i, n - i);
	}
	if (n > 6 && (m[0] == 'W' || m[0] == 'E') && (starts(m, n, "WARN |") || starts(m, n, "ERROR |")))
		return level_word(m, n);
	if (r->len > 12 && r->text[0] == 'D' && starts(r->text, r->len, "Date")) {
		const char *end = r->text + r->len, *t = r->text;

		t = after_lines(t, end, 2);
		if (t && starts(t, (size_t)(end - t), "Type")) {
			t = past_colon(t + 4, end);
			return level_at(t, (size_t)(end - t));
		}
	}
	return UX_INFO;
}

/* The message without the line's own header ("[7216] [WARN] < 12> "): the same in every line of a
 * log, it would only make every template alike. */
size_t ux_message_span(const char *s, size_t n, size_t *len)
{
	size_t i = 0, k;

	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n || (s[i] != '[' && s[i] != '<'))
			break;
		for (k = i + 1; k < n && k < i + 24 && s[k] != (s[i] == '[' ? ']' : '>'); k++)
			;
		if (k >= n || k >= i + 24)
			break;
		i = k + 1;
	}
	if (i >= n) /* nothing but a header: keep it whole */
		i = 0;
	*len = n - i < UX_MSG_MAX ? n - i : UX_MSG_MAX;
	return i;
}

/* A kept message's shape: its level, its length and its tokens as mining cuts them (variable ones as
 * <*>; shape_of). Two records of one shape are mined alike, and the later one never starts a template (the
 * earlier, mined first, left one it matches wholly), so it needs no text of its own: it shares the
 * earlier one's, and an entry's thousands of candidates touch a few pages of text, not a megabyte
 * (fresh pages cost 10-25 us each on a virtual machine). The length is part of the shape so that
 * the bundle's cap, which drops by length, never keeps the later record and drops the earlier. */
#define SHAPES 1024 /* slots; sharing stops at three quarters full */
struct ux_shape {
	uint64_t hash;
	const char *join; /* its shape string (shape_of) */
	char *msg;
	uint16_t len, join_len;
	signed char level;
};

#define SHAPE_MAX (2 * UX_MSG_MAX + 4) /* a shape string's bytes at most: "1 1" -> "<*> <*>" */

/* The message's tokens as ux_tokenize cuts them -- all of them, not only the first UX_TOKENS, so
 * two messages of one shape string are alike for mining too -- each variable one as <*>, joined by
 * single spaces: in one pass, with no copy to cut in place. Returns its length. */
static size_t shape_of(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0, t;

	for (;;) {
		unsigned k, seen = 0;

		while (i < len && (ux_byte_class[(unsigned char)s[i]] & UX_BLANK))
			i++;
		if (i == len)
			return o;
		for (t = i; i < len && !((k = ux_byte_class[(unsigned char)s[i]]) & UX_BLANK); i++)
			seen |= k;
		if (o)
			out[o++] = ' ';
		if (ux_token_variable(seen, (unsigned char)s[t], i - t))
			memcpy(out + o, "<*>", 3), o += 3;
		else
			memcpy(out + o, s + t, i - t), o += i - t;
	}
}

/* The text of a message of len bytes at s (no NUL inside) for a candidate: the text of an earlier
 * candidate of its shape, else a copy in the collector's chunks. */
static char *share(struct ux_collect *c, const char *s, size_t len, int level)
{
	char join[SHAPE_MAX], *p;
	size_t n = shape_of(s, len, join), i, slot;
	uint64_t h = 14695981039346656037u ^ ((uint64_t)len << 8) ^ (uint64_t)(unsigned char)level, w;
	struct ux_shape *sh;

	for (i = 0; i < n; i += 8) { /* a word at a time, the last one padded with zeros */
		w = 0;
		memcpy(&w, join + i, n - i < 8 ? n - i : 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15u;
		h ^= h >> 29;
	}
	if (c->shapes == NULL)
		c->shapes = xcalloc(SHAPES, sizeof *c->shapes);
	for (slot = h % SHAPES; (sh = &c->shapes[slot])->msg; slot = (slot + 1) % SHAPES)
		if (sh->hash == h && sh->len == len && sh->level == level && sh->join_len == n &&
		    memcmp(sh->join, join, n) == 0)
			return sh->msg;
	p = strpool_dup(&c->chunks, s, len);
	if (c->nshapes < SHAPES / 4 * 3) {
		sh->join = strpool_dup(&c->chunks, join, n);
		sh->join_len = (uint16_t)n;
		sh->hash = h;
		sh->msg = p;
		sh->len = (uint16_t)len;
		sh->level = (signed char)level;
		c->nshapes++;
	}
	return p;
}

/* An entry past its first 64 KiB of candidates has many: the record about to be written, when it
 * is the first to reach into the next 64 KiB of v, has that whole step mapped in at once. */
static void populate_step(struct ux_collect *c)
{
	size_t size = sizeof *c->v, end = (c->n + 1) * size - 1, step = end / POPULATE_STEP;

	if (step > 0 && step != (end - size) / POPULATE_STEP) {
		size_t from = step * POPULATE_STEP, all = c->cap * size;

		populate((char *)c->v + from, all - from < POPULATE_STEP ? all - from : POPULATE_STEP);
	}
}

/* An entry's cap (of candidates or bytes) for a candidate of this level: all of it for an error, or
 * when building a baseline (every record is a candidate there); four fifths for the rest. */
static size_t room(const struct ux_collect *c, int level, size_t cap)
{
	return level == UX_ERROR || c->all ? cap : UX_BELOW_ERROR(cap);
}

/* What of a record's n bytes at msg is mined: where it starts, and its length in *len (the line's
 * header off, at most UX_MSG_MAX, up to a NUL, since it is mined as a string). */
static size_t mined_part(const char *msg, size_t n, size_t *len)
{
	size_t i = ux_message_span(msg, n, len);
	const char *nul = memchr(msg + i, '\0', *len);

	if (nul != NULL)
		*len = (size_t)(nul - (msg + i));
	return i;
}

/* Writes a candidate whose mined part is the len bytes at s. */
static void add(struct ux_collect *c, unsigned long line, const struct stamp *ts, int level, int near, const char *s,
                size_t len)
{
	struct ux_record *k;

	/* the whole cap at once: a large block is mapped, not touched, so an entry with few candidates
	 * costs no more memory, and one that reaches the cap is never copied into a block twice the
	 * size (fresh pages cost ~10-20 us each to touch on a virtual machine: perf counted them) */
	if (c->v == NULL)
		c->v = xmalloc((ENTRY_MAX + UX_LATE) * sizeof *c->v), c->cap = ENTRY_MAX + UX_LATE;
	populate_step(c);
	k = &c->v[c->n++];
	k->entry = 0;
	k->line = line;
	k->ts = *ts;
	k->level = (signed char)level;
	k->near = (unsigned char)near;
	k->msg = share(c, s, len, level);
	k->len = (uint16_t)len; /* at most UX_MSG_MAX */
	c->bytes += len;
}

/* An error past the entry's caps, its mined part the len bytes at s: into the ring of the last
 * UX_LATE, whose oldest it may push out (then only counted). Rare -- an error repeated all day --
 * so the copy costs nothing in a usual log. */
static void __attribute__((noinline)) keep_late(struct ux_collect *c, unsigned long line, const struct stamp *ts,
                                                const char *s, size_t len)
{
	struct ux_late *q;

	if (c->late == NULL)
		c->late = xmalloc(UX_LATE * sizeof *c->late);
	if (c->nlate >= UX_LATE)
		c->dropped++;
	q = &c->late[c->nlate++ % UX_LATE];
	q->line = line;
	q->ts = *ts;
	q->len = (uint16_t)len;
	memcpy(q->text, s, len);
}

/* Keeps a candidate; past the entry's caps for its level it is only counted (and never copied),
 * but for the last errors. Once one error has gone late nothing more is kept in place, so that the
 * late ones, added last, still come in the order read. */
static void keep(struct ux_collect *c, unsigned long line, const struct stamp *ts, int level, int near,
                 const char *msg, size_t n)
{
	size_t len, i;

	if (level != UX_ERROR && c->n >= room(c, level, ENTRY_MAX)) { /* the usual one past the cap */
		c->dropped++;
		return;
	}
	i = mined_part(msg, n, &len);
	if (c->nlate == 0 && c->n < room(c, level, ENTRY_MAX) && c->bytes + len <= room(c, level, ENTRY_BYTES))
		add(c, line, ts, level, near, msg + i, len);
	else if (level == UX_ERROR)
		keep_late(c, line, ts, msg + i, len);
	else
		c->dropped++;
}

/* The late errors after the rest, oldest first: every one of them came after every candidate kept. */
static void take_late(struct ux_collect *c)
{
	size_t n = c->nlate < UX_LATE ? c->nlate : UX_LATE, i;

	for (i = c->nlate - n; i < c->nlate; i++) {
		const struct ux_late *q = &c->late[i % UX_LATE];

		add(c, q->line, &q->ts, UX_ERROR, 0, q->text, q->len);
	}
}

/* A failure line at ms: the recent records of the last 30 s become candidates. */
static void flush_ring(struct ux_collect *c, int64_t ms)
{
	size_t n = c->ring_seen - c->ring_from < UX_RING ? c->ring_seen - c->ring_from : UX_RING, i;

	for (i = c->ring_seen - n; i < c->ring_seen; i++) {
		const struct ux_recent *q = &c->ring[i % UX_RING];

		if (q->ts.ms >= ms - PRE_MS)
			keep(c, q->line, &q->ts, UX_INFO, 1, q->text, q->len);
	}
	c->ring_from = c->ring_seen;
}

static void remember(struct ux_collect *c, const struct record *r)
{
	struct ux_recent *q = &c->ring[c->ring_seen++ % UX_RING];

	q->line = r->line;
	q->ts = r->ts;
	q->len = r->msg_len < UX_RING_TEXT ? r->msg_len : UX_RING_TEXT;
	/* an entry past its count for records near a failure only counts them: its ring needs their times,
	 * never their text (in a log where one line in five is a WARN, most of the log) */
	if (c->n < room(c, UX_INFO, ENTRY_MAX))
		copy_small(q->text, r->msg, q->len);
}

/* A failure line, and a record that becomes a candidate: rare beside the records only remembered,
 * so out of line -- the path every other record takes then calls nothing and saves one register
 * at most (it pushed four). */
static void __attribute__((noinline)) take_failure(struct ux_collect *c, const struct record *r)
{
	flush_ring(c, r->ts.ms);
	c->hot_from_ms = r->ts.ms;
}

static void __attribute__((noinline)) keep_record(struct ux_collect *c, const struct record *r, int level, int near)
{
	keep(c, r->line, &r->ts, level, near, r->msg, r->msg_len);
}

void ux_collect_record(struct ux_collect *c, const struct record *r, int matched_sev)
{
	int level;

	if (!c->on)
		return;
	if (matched_sev >= 0) {
		if (matched_sev >= SEV_WARNING && r->ts.prov != TP_NONE)
			take_failure(c, r);
		return;
	}
	level = level_of(c, r);
	/* a baseline takes every timestamped line: settings dumps (systeminfo) are never candidates */
	if (level > UX_INFO || (c->all && r->ts.prov != TP_NONE))
		keep_record(c, r, level, 0);
	/* unsigned: a time before the failure (or any, before the first: INT64_MAX) wraps past HOT_MS */
	else if (r->ts.prov != TP_NONE && (uint64_t)r->ts.ms - (uint64_t)c->hot_from_ms <= HOT_MS)
		keep_record(c, r, UX_INFO, 1);
	else if (r->ts.prov != TP_NONE)
		remember(c, r);
}

/* One entry's candidates (v) after u's, their messages in chunks; past the bundle's cap a
 * candidate is only counted. When all of them fit (nearly always) their chunks join u's whole
 * and v becomes u's next part as it is; otherwise the kept ones move to the front of v with
 * their messages copied, so that the dropped ones' bytes are not held until mining. */
static void append(struct unexplained *u, struct ux_record *v, size_t n, struct strpool **chunks, unsigned entry,
                   unsigned long dropped)
{
	size_t i, k = 0, all = 0;
	int whole;

	u->dropped += dropped;
	for (i = 0; i < n; i++)
		all += v[i].len;
	whole = u->pending_bytes + all <= BUNDLE_BYTES;
	for (i = 0; i < n; i++) {
		if (!whole && u->pending_bytes + v[i].len > BUNDLE_BYTES) {
			u->dropped++;
			continue;
		}
		v[k] = v[i];
		v[k].entry = entry;
		if (!whole)
			v[k].msg = strpool_dup(&u->chunks, v[i].msg, v[i].len);
		u->pending_bytes += v[i].len;
		k++;
	}
	if (whole)
		strpool_move(&u->chunks, chunks);
	strpool_free(*chunks);
	*chunks = NULL;
	if (k == 0) {
		free(v);
		return;
	}
	u->parts = xgrow(u->parts, &u->capparts, u->nparts + 1, sizeof *u->parts);
	u->parts[u->nparts].v = v;
	u->parts[u->nparts++].n = k;
}

void unexplained_take(struct unexplained *u, struct ux_collect *c, unsigned entry)
{
	take_late(c);
	append(u, c->v, c->n, &c->chunks, entry, c->dropped);
	c->v = NULL;
	c->n = c->cap = 0;
	c->dropped = 0;
	ux_collect_reset(c);
}

void unexplained_adopt(struct unexplained *u, struct unexplained *from, unsigned entry)
{
	/* a part read ahead is one entry's reading, one take: one part, or none when it kept nothing */
	if (from->nparts) {
		append(u, from->parts[0].v, from->parts[0].n, &from->chunks, entry, from->dropped);
		from->parts[0].v = NULL; /* u's now */
	} else {
		u->dropped += from->dropped;
	}
	unexplained_reset(from);
}
