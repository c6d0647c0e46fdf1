/* frame_event: Windows event records exported as text, one "Key : value" block a record -- DART's
 * export (Umbrella.txt: "Date : 08/27/2024", "Time :", ..., "Description :") and wevtutil's
 * ("Event[0]:", "  Date: 2024-08-27T06:41:22.123"). The two share the block assembly and differ
 * in the line that opens a block. A block is gathered in a buffer bounded by the record limit. */
#include "text_in.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The last export date and time that parsed (see block_time). */
struct export_memo {
	char date[24], time[24];
	size_t dn, tn;
	int day_first;
	int ok;
	struct stamp ts;
};

struct block_state {
	int in_block;
	struct buf block;
	int cut;
	unsigned long line;
	size_t desc_off; /* where the Description value starts in block, or (size_t)-1 */
	size_t date_off, date_len, time_off, time_len;
	int iso_date;    /* wevtutil "Date: 2024-08-27T06:41:22" */
	struct export_memo memo;
};

/* A letter or a space, as isalpha() || ' ' in the C locale dartscan runs in, without a call per
 * byte: key_value() reads the key of every line of an event export. */
static int is_key_char(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u || c == ' ';
}

/* "Key : value" with a padded key of letters and spaces. Returns the value offset, 0 if none. */
static size_t key_value(const char *s, size_t n, const char **key, size_t *klen)
{
	size_t i = 0, k;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	k = i;
	while (i < n && i - k <= 24 && is_key_char((unsigned char)s[i])) /* longer is no key */
		i++;
	if (i == k || i >= n || s[i] != ':' || i - k > 24)
		return 0;
	*key = s + k;
	*klen = i - k;
	while (*klen && (*key)[*klen - 1] == ' ')
		(*klen)--;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* The value offset of line s when it starts with a key spelled exactly as DART's export writes
 * it ("Time : "), the spaces after it skipped; else 0. One compare instead of key_value's walk,
 * which stays for every other spelling: the same answer either way. */
static size_t spelled(const char *s, size_t n, const char *key_colon, size_t kn)
{
	if (n < kn || memcmp(s, key_colon, kn) != 0)
		return 0;
	while (kn < n && s[kn] == ' ')
		kn++;
	return kn;
}

/* Case-blind compare with an ASCII-letter key name (want is lower case, wn its length). Inline
 * rather than strncasecmp: it runs on every line of an event export. Keys are letters and
 * spaces, so "| 0x20" lowers a letter and can make nothing else equal to one. */
static int key_is_n(const char *key, size_t klen, const char *want, size_t wn)
{
	size_t i;

	if (klen != wn)
		return 0;
	for (i = 0; i < klen; i++)
		if (((unsigned char)key[i] | 0x20) != (unsigned char)want[i])
			return 0;
	return 1;
}
#define key_is(key, klen, want) key_is_n(key, klen, want, sizeof(want) - 1)

/* A date as a locale writes it: 1 to 4 digits, then '/', '.' or '-' ("08/27/2024", "27.08.2024",
 * "2024-08-27"). */
static int date_separated(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 4 && isdigit((unsigned char)s[i]))
		i++;
	return i > 0 && i < n && (s[i] == '/' || s[i] == '.' || s[i] == '-');
}

/* A DART export block opens on "Date : a/b/yyyy" (or another locale's date) not indented by a space. The one key that opens
 * a block is "Date", and most lines start with something else, so two letters are looked at
 * first. */
static int opens_export(const char *s, size_t n)
{
	const char *key;
	size_t klen, v, j = 0;

	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j + 1 >= n || (s[j] | 0x20) != 'd' || (s[j + 1] | 0x20) != 'a')
		return 0;
	v = spelled(s, n, "Date : ", 7);
	if (v == 0 && (v = key_value(s, n, &key, &klen)) != 0 && !key_is(key, klen, "date"))
		v = 0;
	return v && v < n && isdigit((unsigned char)s[v]) && date_separated(s + v, n - v) &&
	       s[0] != ' ';
}

/* wevtutil's block opens on "Event[N]:"; its Date comes later in the block. */
static int opens_wevtutil(const char *s, size_t n)
{
	return n >= 7 && s[0] == 'E' && memcmp(s, "Event[", 6) == 0;
}

static int is_separator(const char *s, size_t n)
{
	size_t i;

	if (n < 3)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != '*' && s[i] != '-' && s[i] != '=')
			return 0;
	return 1;
}

/* a[0..n) == b[0..n) for n of at most 24 (a memo's date or time), in a few word compares: two
 * calls to memcmp for every block of an export were 1% of a run. */
static int same_short(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	memcpy(&x, a, 8), memcpy(&y, b, 8);
	memcpy(&u, a + n - 8, 8), memcpy(&v, b + n - 8, 8);
	if ((x ^ y) | (u ^ v))
		return 0;
	if (n <= 16)
		return 1;
	memcpy(&x, a + 8, 8), memcpy(&y, b + 8, 8);
	return x == y;
}

/* A DART block's "Date : a/b/yyyy" and "Time : ..." as one stamp. Exports log several events a
 * second, so the last date and time that parsed are kept and a block with the same text (and
 * the same day/month reading) reuses the stamp: timefmt's functions are pure. */
static int block_time(struct text_sink *out, struct block_state *bs, const char *d, size_t dn, const char *t,
                      size_t tn, struct stamp *ts)
{
	struct export_memo *em = &bs->memo;
	struct text_stats *st = &out->st;
	int64_t tod;

	if (em->ok && em->dn == dn && em->day_first == st->day_first && same_short(em->date, d, dn)) {
		if (em->tn == tn && same_short(em->time, t, tn)) {
			*ts = em->ts;
			return 0;
		}
		/* the same day at another time -- most blocks of a log: its date is read already, and
		 * an export stamp is its date's midnight plus the time of day, from 1970 on (never
		 * negative); a time that does not read is left to the whole parse below, which says so */
		if (tn <= sizeof em->time && (tod = timefmt_export_time_of_day(t, tn)) >= 0) {
			*ts = em->ts;
			ts->ms += tod - em->ts.ms % TIMEFMT_DAY_MS;
			memcpy(em->time, t, tn);
			em->tn = tn;
			em->ts = *ts;
			return 0;
		}
	}
	if (timefmt_parse_export(d, dn, t, tn, st->day_first, ts) != 0)
		return -1;
	/* a first field above 12 that parsed: the file writes day/month (one that did not parse
	 * decides nothing); a second one above 12 proves month/day; both at most 12 prove nothing */
	if (ts->flags & TF_DAY_FIRST)
		st->day_first = 1;
	if (ts->flags & TF_DM_AMBIG)
		st->ambiguous_dates = 1;
	if (ts->flags & TF_MD_PROVEN)
		st->month_first_proven = 1;
	em->ok = dn <= sizeof em->date && tn <= sizeof em->time;
	if (em->ok) {
		memcpy(em->date, d, dn);
		memcpy(em->time, t, tn);
		em->dn = dn;
		em->tn = tn;
		em->day_first = st->day_first;
		em->ts = *ts;
	}
	return 0;
}

static void flush_block(struct text_sink *out, struct block_state *bs)
{
	struct record r;
	const char *b = bs->block.p;
	size_t len = bs->block.len;

	if (!bs->in_block)
		return;
	bs->in_block = 0;
	while (len && (b[len - 1] == '\n' || b[len - 1] == ' '))
		len--;
	memset(&r, 0, sizeof r);
	r.text = b ? b : "";
	r.len = len;
	r.line = bs->line;
	r.truncated = bs->cut;
	if (bs->desc_off != (size_t)-1 && bs->desc_off <= len) {
		r.msg = r.text + bs->desc_off;
		r.msg_len = len - bs->desc_off;
		while (r.msg_len && (*r.msg == '\n' || *r.msg == ' '))
			r.msg++, r.msg_len--;
	} else {
		r.msg = r.text;
		r.msg_len = len;
	}
	if (bs->iso_date && bs->date_len) {
		timefmt_parse_iso(b + bs->date_off, bs->date_len, &r.ts);
	} else if (bs->date_len && bs->time_len) {
		if (block_time(out, bs, b + bs->date_off, bs->date_len, b + bs->time_off, bs->time_len, &r.ts) != 0)
			r.ts.prov = TP_NONE;
	}
	text_emit(out, &r);
}

static void start_block(struct text_sink *out, struct block_state *bs, unsigned long lineno)
{
	flush_block(out, bs);
	bs->in_block = 1;
	bs->block.len = 0;
	bs->cut = 0;
	bs->line = lineno;
	bs->desc_off = (size_t)-1;
	bs->date_off = bs->date_len = bs->time_off = bs->time_len = 0;
	bs->iso_date = 0;
}

enum kept_key { KEPT_NONE, KEPT_DESC, KEPT_DATE, KEPT_TIME };

/* Could the line's key be Description, Date or Time? A look at its first two letters spares
 * the key parse for the other lines of a block (Type, Source, blank lines). */
static inline int may_be_kept_key(const char *s, size_t n)
{
	size_t j = 0;
	int a, b;

	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j + 1 >= n)
		return 0;
	a = s[j] | 0x20;
	b = s[j + 1] | 0x20;
	return (a == 'd' && (b == 'e' || b == 'a')) || (a == 't' && b == 'i');
}

/* Which of the keys a block keeps line s holds, with its value offset in *v; may_be_kept_key has
 * said it may hold one. */
static enum kept_key kept_key(const char *s, size_t n, size_t *v)
{
	const char *key;
	size_t klen;

	if ((*v = spelled(s, n, "Time : ", 7)) != 0)
		return KEPT_TIME;
	if ((*v = spelled(s, n, "Date : ", 7)) != 0)
		return KEPT_DATE;
	if ((*v = spelled(s, n, "Description : ", 14)) != 0)
		return KEPT_DESC;
	if ((*v = key_value(s, n, &key, &klen)) == 0)
		return KEPT_NONE; /* a continuation line */
	if (key_is(key, klen, "description"))
		return KEPT_DESC;
	if (key_is(key, klen, "date"))
		return KEPT_DATE;
	return key_is(key, klen, "time") ? KEPT_TIME : KEPT_NONE;
}

static inline __attribute__((always_inline)) void add_block_line(struct text_sink *out, struct block_state *bs,
                                                                  const char *s, size_t n, int cut)
{
	size_t v, base;

	bs->cut |= cut;
	if (bs->block.len + n + 1 > out->max_record) {
		bs->cut = 1;
		return;
	}
	/* one copy per line: the '\n' that joins it, the line and the buffer's closing NUL (the room
	 * is there for nearly every line of a block: no call to ask) */
	if (bs->block.len + n + 2 > bs->block.cap)
		bs->block.p = xgrow(bs->block.p, &bs->block.cap, bs->block.len + n + 2, 1);
	if (bs->block.len)
		bs->block.p[bs->block.len++] = '\n';
	base = bs->block.len;
	if (n <= 64) /* nearly every line of an export */
		copy_small(bs->block.p + base, s, n);
	else
		memcpy(bs->block.p + base, s, n);
	bs->block.len += n;
	bs->block.p[bs->block.len] = '\0';
	if (bs->desc_off != (size_t)-1 || !may_be_kept_key(s, n))
		return; /* everything after Description belongs to it; most other lines are told at once */
	switch (kept_key(s, n, &v)) {
	case KEPT_DESC:
		bs->desc_off = base + v;
		break;
	case KEPT_DATE:
		bs->date_off = base + v;
		bs->date_len = n - v;
		bs->iso_date = n - v >= 19 && s[v + 4] == '-';
		break;
	case KEPT_TIME:
		bs->time_off = base + v;
		bs->time_len = n - v;
		break;
	case KEPT_NONE:
		break;
	}
}

/* A line of an event export: an opening line starts a block, a separator ends one, anything
 * else belongs to the open block (a non-blank line after a separator opens one of its own). */
static inline __attribute__((always_inline)) void event_line(struct text_sink *out, struct block_state *bs, const char *s, size_t n, unsigned long lineno,
                       int cut, int opens)
{
	if (opens) {
		start_block(out, bs, lineno);
	} else if (is_separator(s, n)) {
		flush_block(out, bs);
		return;
	} else if (!bs->in_block) {
		if (n == 0)
			return;
		start_block(out, bs, lineno);
	}
	add_block_line(out, bs, s, n, cut);
}

static inline __attribute__((always_inline)) void take_export_line(struct text_sink *out, void *state, const char *s,
                                                                   size_t n, unsigned long lineno, int cut)
{
	/* most lines of a block (Time, Type, Source, text) are told from an opener by their first byte */
	int maybe = n > 1 && ((s[0] | 0x20) == 'd' || s[0] == '\t');

	event_line(out, state, s, n, lineno, cut, maybe && opens_export(s, n));
}

static void export_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	take_export_line(out, state, s, n, lineno, cut);
}

static size_t export_lines(struct text_sink *out, void *state, const char *s, size_t n)
{
	return text_take_lines(out, state, s, n, take_export_line);
}

static void wevtutil_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	event_line(out, state, s, n, lineno, cut, opens_wevtutil(s, n));
}

static int export_bid(const char *s, size_t n)
{
	return opens_export(s, n);
}

static int wevtutil_bid(const char *s, size_t n)
{
	return opens_wevtutil(s, n);
}

static void event_finish(struct text_sink *out, void *state)
{
	flush_block(out, state);
}

static void event_free(void *state)
{
	struct block_state *bs = state;

	buf_reset(&bs->block);
}

const struct framer frame_dart_export = {
    .name = "dart-export",
    .state_size = sizeof(struct block_state),
    .bid = export_bid,
    .line = export_line,
    .lines = export_lines,
    .finish = event_finish,
    .free = event_free,
};

const struct framer frame_wevtutil = {
    .name = "wevtutil",
    .state_size = sizeof(struct block_state),
    .bid = wevtutil_bid,
    .line = wevtutil_line,
    .finish = event_finish,
    .free = event_free,
};
