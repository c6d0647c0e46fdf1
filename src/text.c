/* text: decoding (BOM, UTF-16 by NUL pattern, CRLF and lone CR) and record assembly (plugin-log
 * lines; DART "Key : value" blocks; wevtutil "Event[N]:" blocks). Lines that fit in a fed block
 * are passed on without a copy; only a line that straddles two blocks, and event blocks, are
 * gathered in a buffer, bounded by max_record. */
#include "text.h"

#include <ctype.h>
#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#define SNIFF_BYTES 512
#define ISO_SECONDS 19 /* strlen("2024-08-27 03:07:43") */
#define PIPE_SLOTS 4 /* blocks queued between the feeding thread and the decoding one */

/* The queue of a pipelined reader. Slots head .. head+count-1 (mod PIPE_SLOTS) hold blocks for
 * the helper; only the feeder touches a free slot and only the helper a full one, so blocks are
 * copied and decoded outside the lock, which guards head, count, done and stopped. */
struct pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	struct buf slot[PIPE_SLOTS];
	size_t head, count;
	int done;    /* the feeder has no more blocks */
	int stopped; /* the callback asked to stop (the helper's copy of tr->stop) */
};

/* The last event-block date and time that parsed (see block_time). */
struct export_memo {
	char date[24], time[24];
	size_t dn, tn;
	int day_first;
	int ok;
	struct stamp ts;
};

struct text_reader {
	size_t max_record;
	record_fn fn;
	void *ctx;
	struct text_stats st;

	struct buf sniff;     /* first bytes, kept until the encoding is decided */
	int decided;
	unsigned char odd[2]; /* UTF-16: an odd byte left over from the last block */
	int have_odd;
	unsigned hi_surrogate;
	struct buf u8;        /* UTF-16 converted to UTF-8, one fed block at a time */

	struct buf carry;     /* a line split across fed blocks */
	int carry_cut;        /* the carried line hit max_record */
	int last_cr;          /* the previous block ended in '\r' */

	/* event block being assembled */
	int block_mode;
	int in_block;
	struct buf block;
	int block_cut;
	unsigned long block_line;
	size_t desc_off;      /* where the Description value starts in block, or (size_t)-1 */
	size_t date_off, date_len, time_off, time_len;
	int iso_date;         /* wevtutil "Date: 2024-08-27T06:41:22" */

	struct stamp last_ts;
	int stop;

	struct export_memo export_memo;
	char iso_key[ISO_SECONDS]; /* the last "YYYY-MM-DD HH:MM:SS" parsed, and its stamp */
	struct stamp iso_ts;
	int iso_cached;

	size_t pipe_after;   /* start the helper thread after this many bytes (0: never) */
	size_t fed;
	struct pipe *pipe;   /* non-NULL while the helper runs */
};

const char *text_encoding_name(int enc)
{
	switch (enc) {
	case ENC_UTF8: return "utf-8";
	case ENC_UTF8_BOM: return "utf-8-bom";
	case ENC_UTF16LE: return "utf-16le";
	case ENC_UTF16BE: return "utf-16be";
	default: return "unknown";
	}
}

struct text_reader *text_reader_new(size_t max_record, record_fn fn, void *ctx)
{
	struct text_reader *tr = xcalloc(1, sizeof *tr);

	tr->max_record = max_record ? max_record : 1 << 20;
	tr->fn = fn;
	tr->ctx = ctx;
	tr->desc_off = (size_t)-1;
	buf_init(&tr->sniff);
	buf_init(&tr->u8);
	buf_init(&tr->carry);
	buf_init(&tr->block);
	return tr;
}

static void pipe_stop(struct text_reader *tr);

void text_reader_free(struct text_reader *tr)
{
	if (tr == NULL)
		return;
	pipe_stop(tr);
	buf_reset(&tr->sniff);
	buf_reset(&tr->u8);
	buf_reset(&tr->carry);
	buf_reset(&tr->block);
	free(tr);
}

const struct text_stats *text_reader_stats(const struct text_reader *tr)
{
	return &tr->st;
}

/* ---- records ---- */

static void emit(struct text_reader *tr, struct record *r)
{
	if (r->ts.prov == TP_NONE)
		r->ts = tr->last_ts; /* an untimed record belongs to the moment before it */
	else
		tr->last_ts = r->ts;
	tr->st.records++;
	if (r->truncated)
		tr->st.truncated++;
	if (!tr->stop && tr->fn(tr->ctx, r) != 0)
		tr->stop = 1;
}

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

static int is_block_start(const char *s, size_t n)
{
	const char *key;
	size_t klen, v, j = 0;

	if (n >= 7 && s[0] == 'E' && memcmp(s, "Event[", 6) == 0)
		return 1;
	/* the one key that opens a block is "Date": most lines start with something else */
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j + 1 >= n || (s[j] | 0x20) != 'd' || (s[j + 1] | 0x20) != 'a')
		return 0;
	v = key_value(s, n, &key, &klen);
	/* A DART export block opens on "Date : a/b/yyyy"; wevtutil's Date comes later in its block. */
	return v && key_is(key, klen, "date") && v < n && isdigit((unsigned char)s[v]) &&
	       memchr(s + v, '/', n - v) != NULL && s[0] != ' ';
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

/* A DART block's "Date : a/b/yyyy" and "Time : ..." as one stamp. Exports log several events a
 * second, so the last date and time that parsed are kept and a block with the same text (and
 * the same day/month reading) reuses the stamp: timefmt's functions are pure. */
static int block_time(struct text_reader *tr, const char *d, size_t dn, const char *t, size_t tn,
                      struct stamp *ts)
{
	struct export_memo *em = &tr->export_memo;

	if (em->ok && em->dn == dn && em->tn == tn && em->day_first == tr->st.day_first &&
	    memcmp(em->date, d, dn) == 0 && memcmp(em->time, t, tn) == 0) {
		*ts = em->ts;
		return 0;
	}
	if (timefmt_parse_export(d, dn, t, tn, tr->st.day_first, ts) != 0)
		return -1;
	/* a first field above 12 that parsed: the file writes day/month (one that did not parse
	 * decides nothing) */
	if (ts->flags & TF_DAY_FIRST)
		tr->st.day_first = 1;
	em->ok = dn <= sizeof em->date && tn <= sizeof em->time;
	if (em->ok) {
		memcpy(em->date, d, dn);
		memcpy(em->time, t, tn);
		em->dn = dn;
		em->tn = tn;
		em->day_first = tr->st.day_first;
		em->ts = *ts;
	}
	return 0;
}

static void flush_block(struct text_reader *tr)
{
	struct record r;
	const char *b = tr->block.p;
	size_t len = tr->block.len;

	if (!tr->in_block)
		return;
	tr->in_block = 0;
	while (len && (b[len - 1] == '\n' || b[len - 1] == ' '))
		len--;
	memset(&r, 0, sizeof r);
	r.text = b ? b : "";
	r.len = len;
	r.line = tr->block_line;
	r.truncated = tr->block_cut;
	if (tr->desc_off != (size_t)-1 && tr->desc_off <= len) {
		r.msg = r.text + tr->desc_off;
		r.msg_len = len - tr->desc_off;
		while (r.msg_len && (*r.msg == '\n' || *r.msg == ' '))
			r.msg++, r.msg_len--;
	} else {
		r.msg = r.text;
		r.msg_len = len;
	}
	if (tr->iso_date && tr->date_len) {
		timefmt_parse_iso(b + tr->date_off, tr->date_len, &r.ts);
	} else if (tr->date_len && tr->time_len) {
		if (block_time(tr, b + tr->date_off, tr->date_len, b + tr->time_off, tr->time_len, &r.ts) != 0)
			r.ts.prov = TP_NONE;
	}
	emit(tr, &r);
}

static void start_block(struct text_reader *tr, unsigned long lineno)
{
	flush_block(tr);
	tr->in_block = 1;
	tr->block_mode = 1;
	tr->block.len = 0;
	tr->block_cut = 0;
	tr->block_line = lineno;
	tr->desc_off = (size_t)-1;
	tr->date_off = tr->date_len = tr->time_off = tr->time_len = 0;
	tr->iso_date = 0;
}

/* Could the line's key be Description, Date or Time? A look at its first two letters spares
 * the key parse for the other lines of a block (Type, Source, blank lines). */
static int may_be_kept_key(const char *s, size_t n)
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

static void add_block_line(struct text_reader *tr, const char *s, size_t n)
{
	const char *key;
	size_t klen, v, base;

	if (tr->block.len + n + 1 > tr->max_record) {
		tr->block_cut = 1;
		return;
	}
	/* one copy per line: the '\n' that joins it, the line and the buffer's closing NUL */
	tr->block.p = xgrow(tr->block.p, &tr->block.cap, tr->block.len + n + 2, 1);
	if (tr->block.len)
		tr->block.p[tr->block.len++] = '\n';
	base = tr->block.len;
	memcpy(tr->block.p + base, s, n);
	tr->block.len += n;
	tr->block.p[tr->block.len] = '\0';
	if (tr->desc_off != (size_t)-1)
		return; /* everything after Description belongs to it */
	if (!may_be_kept_key(s, n))
		return; /* Type, Source, blank lines: nothing to note */
	v = key_value(s, n, &key, &klen);
	if (v == 0)
		return; /* a continuation line */
	if (key_is(key, klen, "description"))
		tr->desc_off = base + v;
	else if (key_is(key, klen, "date")) {
		tr->date_off = base + v;
		tr->date_len = n - v;
		tr->iso_date = n - v >= 19 && s[v + 4] == '-';
	} else if (key_is(key, klen, "time")) {
		tr->time_off = base + v;
		tr->time_len = n - v;
	}
}

/* A plugin-log line's leading time. Lines come many to a second, and "YYYY-MM-DD HH:MM:SS"
 * followed by a space means the same moment whatever comes after it (no fraction or zone can
 * follow a space), so such a prefix is parsed once and then recognised with a memcmp. */
static size_t line_time(struct text_reader *tr, const char *s, size_t n, struct stamp *ts)
{
	size_t used;

	if (n > ISO_SECONDS && s[ISO_SECONDS] == ' ' && tr->iso_cached &&
	    memcmp(s, tr->iso_key, ISO_SECONDS) == 0) {
		*ts = tr->iso_ts;
		return ISO_SECONDS;
	}
	used = timefmt_parse_iso(s, n, ts);
	tr->iso_cached = used == ISO_SECONDS && n > ISO_SECONDS && s[ISO_SECONDS] == ' ';
	if (tr->iso_cached) {
		memcpy(tr->iso_key, s, ISO_SECONDS);
		tr->iso_ts = *ts;
	}
	return used;
}

static void on_line(struct text_reader *tr, const char *s, size_t n, int cut)
{
	unsigned long lineno = ++tr->st.lines;

	if (cut && tr->st.first_truncated_line == 0)
		tr->st.first_truncated_line = lineno;
	if (is_block_start(s, n)) {
		start_block(tr, lineno);
		add_block_line(tr, s, n);
		tr->block_cut |= cut;
		return;
	}
	if (tr->block_mode) {
		if (is_separator(s, n)) {
			flush_block(tr);
			return;
		}
		if (!tr->in_block) {
			if (n == 0)
				return;
			start_block(tr, lineno);
		}
		add_block_line(tr, s, n);
		tr->block_cut |= cut;
		return;
	}
	{
		struct record r;

		memset(&r, 0, sizeof r);
		r.text = r.msg = s;
		r.len = r.msg_len = n;
		r.line = lineno;
		r.truncated = cut;
		{
			/* the message is what follows the timestamp: the time is kept apart */
			size_t used = line_time(tr, s, n, &r.ts);

			while (used && used < n && s[used] == ' ')
				used++;
			r.msg = s + used;
			r.msg_len = n - used;
		}
		emit(tr, &r);
	}
}

/* ---- lines from UTF-8 bytes ---- */

static void carry_add(struct text_reader *tr, const char *s, size_t n)
{
	if (tr->carry.len + n > tr->max_record) {
		n = tr->carry.len < tr->max_record ? tr->max_record - tr->carry.len : 0;
		tr->carry_cut = 1;
	}
	buf_add(&tr->carry, s, n);
}

static void end_line(struct text_reader *tr, const char *s, size_t n)
{
	if (tr->carry.len || tr->carry_cut) {
		carry_add(tr, s, n);
		on_line(tr, tr->carry.p ? tr->carry.p : "", tr->carry.len, tr->carry_cut);
		tr->carry.len = 0;
		tr->carry_cut = 0;
	} else if (n > tr->max_record) {
		on_line(tr, s, tr->max_record, 1);
	} else {
		on_line(tr, s, n, 0);
	}
}

/* The first '\r' or '\n' in [p, end), or NULL. One pass for both bytes: two memchr calls per
 * line cost more than the line itself when lines are as short as an export's "Time : ..." */
static const char *find_eol(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));

		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	for (; p < end; p++)
		if (*p == '\r' || *p == '\n')
			return p;
	return NULL;
}

static void split_lines(struct text_reader *tr, const char *p, size_t n)
{
	const char *end = p + n;

	if (n && tr->last_cr && *p == '\n')
		p++; /* the '\n' of a CRLF split between two blocks */
	tr->last_cr = 0;
	while (p < end && !tr->stop) {
		const char *eol = find_eol(p, end);

		if (!eol) {
			carry_add(tr, p, (size_t)(end - p));
			return;
		}
		end_line(tr, p, (size_t)(eol - p));
		p = eol + 1;
		if (*eol == '\r') { /* CRLF, or a lone CR that ends a line of its own */
			if (p < end && *p == '\n')
				p++;
			else if (p == end)
				tr->last_cr = 1;
		}
	}
}

/* ---- decoding ---- */

static void put_utf8(struct buf *b, unsigned cp)
{
	char o[4];

	if (cp < 0x80) {
		o[0] = (char)cp;
		buf_add(b, o, 1);
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, o, 2);
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, o, 3);
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, o, 4);
	}
}

static void utf16_unit(struct text_reader *tr, unsigned u)
{
	if (tr->hi_surrogate) {
		if (u >= 0xdc00 && u <= 0xdfff) {
			put_utf8(&tr->u8, 0x10000 + ((tr->hi_surrogate - 0xd800) << 10) + (u - 0xdc00));
			tr->hi_surrogate = 0;
			return;
		}
		put_utf8(&tr->u8, 0xfffd);
		tr->st.bad_units++;
		tr->hi_surrogate = 0;
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		tr->hi_surrogate = u;
	} else if (u >= 0xdc00 && u <= 0xdfff) {
		put_utf8(&tr->u8, 0xfffd);
		tr->st.bad_units++;
	} else {
		if (u == 0)
			tr->st.nul_bytes++;
		put_utf8(&tr->u8, u);
	}
}

static void decode_utf16(struct text_reader *tr, const unsigned char *p, size_t n)
{
	int le = tr->st.encoding == ENC_UTF16LE;
	size_t i = 0;

	tr->u8.len = 0;
	if (tr->have_odd && n) {
		unsigned char a = tr->odd[0], b = p[0];

		utf16_unit(tr, le ? (unsigned)(a | b << 8) : (unsigned)(a << 8 | b));
		tr->have_odd = 0;
		i = 1;
	}
	/* Room for the worst case (3 bytes a unit, plus a pending surrogate's replacement), so that
	 * ASCII -- nearly all of a Windows export -- is stored without a call per character. */
	tr->u8.p = xgrow(tr->u8.p, &tr->u8.cap, tr->u8.len + (n / 2 + 2) * 3 + 1, 1);
	for (; i + 1 < n; i += 2) {
		unsigned u = le ? (unsigned)(p[i] | p[i + 1] << 8) : (unsigned)(p[i] << 8 | p[i + 1]);

		if (u < 0x80 && !tr->hi_surrogate) {
			tr->st.nul_bytes += u == 0;
			tr->u8.p[tr->u8.len++] = (char)u;
		} else {
			utf16_unit(tr, u);
		}
	}
	tr->u8.p[tr->u8.len] = '\0';
	if (i < n) {
		tr->odd[0] = p[i];
		tr->have_odd = 1;
	}
	split_lines(tr, tr->u8.p ? tr->u8.p : "", tr->u8.len);
}

/* Many NULs at odd offsets and few at even ones: UTF-16LE text without a BOM (and the reverse). */
static int guess_encoding(const unsigned char *p, size_t n, size_t *skip)
{
	size_t i, even = 0, odd = 0;

	*skip = 0;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		*skip = 3;
		return ENC_UTF8_BOM;
	}
	if (n >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		*skip = 2;
		return ENC_UTF16LE;
	}
	if (n >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		*skip = 2;
		return ENC_UTF16BE;
	}
	for (i = 0; i + 1 < n; i += 2) {
		even += p[i] == 0;
		odd += p[i + 1] == 0;
	}
	if (n >= 4 && odd * 10 >= (n / 2) * 4 && even * 10 < (n / 2))
		return ENC_UTF16LE;
	if (n >= 4 && even * 10 >= (n / 2) * 4 && odd * 10 < (n / 2))
		return ENC_UTF16BE;
	return ENC_UTF8;
}

static void count_nuls(struct text_reader *tr, const char *p, size_t n)
{
	const char *z = memchr(p, '\0', n), *end = p + n;

	/* text holds none: one memchr; a NUL-filled file is counted in a plain loop, not a call a byte */
	for (; z != NULL && z < end; z++)
		tr->st.nul_bytes += *z == '\0';
}

static void decode(struct text_reader *tr, const unsigned char *p, size_t n)
{
	if (tr->st.encoding == ENC_UTF16LE || tr->st.encoding == ENC_UTF16BE) {
		decode_utf16(tr, p, n);
	} else {
		count_nuls(tr, (const char *)p, n);
		split_lines(tr, (const char *)p, n);
	}
}

static void decide(struct text_reader *tr)
{
	size_t skip;

	tr->st.encoding = guess_encoding((const unsigned char *)tr->sniff.p, tr->sniff.len, &skip);
	tr->decided = 1;
	decode(tr, (const unsigned char *)tr->sniff.p + skip, tr->sniff.len - skip);
	buf_reset(&tr->sniff);
}

/* ---- pipelining ---- */

/* The helper thread: decodes queued blocks in order until the feeder is done. */
static void *pipe_main(void *arg)
{
	struct text_reader *tr = arg;
	struct pipe *pp = tr->pipe;

	pthread_mutex_lock(&pp->mu);
	for (;;) {
		struct buf *b;

		while (pp->count == 0 && !pp->done)
			pthread_cond_wait(&pp->can_take, &pp->mu);
		if (pp->count == 0)
			break;
		b = &pp->slot[pp->head];
		pthread_mutex_unlock(&pp->mu);
		if (!tr->stop)
			decode(tr, (const unsigned char *)b->p, b->len);
		pthread_mutex_lock(&pp->mu);
		pp->stopped = tr->stop;
		pp->head = (pp->head + 1) % PIPE_SLOTS;
		pp->count--;
		pthread_cond_signal(&pp->can_put);
	}
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

void text_reader_pipeline(struct text_reader *tr, size_t min_bytes)
{
	tr->pipe_after = min_bytes ? min_bytes : 1;
}

/* Starts the helper. If no thread can be had, the reader simply stays synchronous. */
static void pipe_start(struct text_reader *tr)
{
	struct pipe *pp = xcalloc(1, sizeof *pp);
	size_t i;

	pthread_mutex_init(&pp->mu, NULL);
	pthread_cond_init(&pp->can_put, NULL);
	pthread_cond_init(&pp->can_take, NULL);
	for (i = 0; i < PIPE_SLOTS; i++)
		buf_init(&pp->slot[i]);
	tr->pipe = pp;
	if (pthread_create(&pp->thread, NULL, pipe_main, tr) != 0) {
		tr->pipe = NULL;
		tr->pipe_after = 0;
		pthread_cond_destroy(&pp->can_take);
		pthread_cond_destroy(&pp->can_put);
		pthread_mutex_destroy(&pp->mu);
		free(pp);
	}
}

/* Queues a copy of the block for the helper; waits while the queue is full. */
static int pipe_put(struct text_reader *tr, const void *p, size_t n)
{
	struct pipe *pp = tr->pipe;
	struct buf *b;
	int stopped;

	pthread_mutex_lock(&pp->mu);
	while (pp->count == PIPE_SLOTS && !pp->stopped)
		pthread_cond_wait(&pp->can_put, &pp->mu);
	stopped = pp->stopped;
	b = &pp->slot[(pp->head + pp->count) % PIPE_SLOTS];
	pthread_mutex_unlock(&pp->mu);
	if (stopped)
		return 1;
	b->len = 0;
	buf_add(b, p, n);
	pthread_mutex_lock(&pp->mu);
	pp->count++;
	pthread_cond_signal(&pp->can_take);
	pthread_mutex_unlock(&pp->mu);
	return 0;
}

/* Lets the helper drain the queue and joins it: from here on the reader is synchronous. */
static void pipe_stop(struct text_reader *tr)
{
	struct pipe *pp = tr->pipe;
	size_t i;

	if (pp == NULL)
		return;
	pthread_mutex_lock(&pp->mu);
	pp->done = 1;
	pthread_cond_signal(&pp->can_take);
	pthread_mutex_unlock(&pp->mu);
	pthread_join(pp->thread, NULL);
	pthread_cond_destroy(&pp->can_take);
	pthread_cond_destroy(&pp->can_put);
	pthread_mutex_destroy(&pp->mu);
	for (i = 0; i < PIPE_SLOTS; i++)
		buf_reset(&pp->slot[i]);
	free(pp);
	tr->pipe = NULL;
	tr->pipe_after = 0;
}

int text_reader_feed(struct text_reader *tr, const void *p, size_t n)
{
	if (tr->pipe)
		return pipe_put(tr, p, n);
	if (tr->stop)
		return 1;
	if (!tr->decided) {
		size_t take = SNIFF_BYTES - tr->sniff.len;

		if (take > n)
			take = n;
		buf_add(&tr->sniff, p, take);
		p = (const char *)p + take;
		n -= take;
		if (tr->sniff.len < SNIFF_BYTES)
			return 0;
		decide(tr);
	}
	decode(tr, p, n);
	tr->fed += n;
	if (tr->pipe_after && tr->fed >= tr->pipe_after && !tr->stop)
		pipe_start(tr);
	return tr->stop;
}

int text_reader_finish(struct text_reader *tr)
{
	pipe_stop(tr);
	if (!tr->decided && tr->sniff.len)
		decide(tr);
	if (tr->have_odd) {
		tr->st.bad_units++;
		tr->have_odd = 0;
	}
	if (tr->hi_surrogate) {
		tr->u8.len = 0;
		put_utf8(&tr->u8, 0xfffd);
		tr->st.bad_units++;
		tr->hi_surrogate = 0;
		split_lines(tr, tr->u8.p, tr->u8.len);
	}
	if (tr->carry.len || tr->carry_cut) {
		on_line(tr, tr->carry.p ? tr->carry.p : "", tr->carry.len, tr->carry_cut);
		tr->carry.len = 0;
		tr->carry_cut = 0;
	}
	flush_block(tr);
	return tr->stop;
}
