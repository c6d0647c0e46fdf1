/* text: decoding (BOM, UTF-16 by NUL pattern, CRLF and lone CR) into lines, and the choice of the
 * framer that assembles them into records (frame_*.c, one per log format, by a bid on the first
 * lines). Lines that fit in a fed block are passed on without a copy; only a line that straddles
 * two blocks is gathered in a buffer, bounded by max_record. */
#include "text_in.h"

#include <pthread.h>
#ifdef __SSE2__
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "eol.h"

#define SNIFF_BYTES 512
#define PIPE_SLOTS 4 /* blocks queued between the feeding thread and the decoding one */
#define PIPE_LOW (PIPE_SLOTS / 2) /* a sleeping side is woken when this many slots are free (full) */

/* The log formats, a row each (see text_in.h); frame_lines takes what no row claims. A new format
 * is a frame_*.c file, its declaration here and its row. */
extern const struct framer frame_lines, frame_dart_export, frame_wevtutil, frame_oslog, frame_oslog_syslog,
    frame_oslog_compact, frame_journal_iso, frame_journal_precise, frame_json;
static const struct framer *const framers[] = {&frame_dart_export,   &frame_wevtutil,     &frame_oslog,
                                               &frame_oslog_syslog,  &frame_oslog_compact, &frame_journal_iso,
                                               &frame_journal_precise, &frame_json};

/* The queue of a pipelined reader. Slots head .. head+count-1 (mod PIPE_SLOTS) hold blocks for
 * the helper; only the feeder touches a free slot and only the helper a full one, so blocks are
 * copied and decoded outside the lock, which guards the rest. A side that finds nothing to do says
 * so before it sleeps, and the other wakes it only then, and only once PIPE_LOW slots are free
 * (or full): a wake-up is a context switch on a machine of two cores shared by four threads, so
 * one comes for two blocks, not one a block, and none when the other side is busy. */
struct pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	struct buf slot[PIPE_SLOTS];
	size_t head, count;
	int put_waits;  /* the feeder sleeps on can_put */
	int take_waits; /* the helper sleeps on can_take */
	int done;    /* the feeder has no more blocks */
	int stopped; /* the callback asked to stop (the helper's copy of tr->out.stop) */
};

struct text_reader {
	struct text_sink out;

	struct buf sniff;     /* first bytes, kept until the encoding is decided */
	int decided;
	unsigned char odd[2]; /* UTF-16: an odd byte left over from the last block */
	int have_odd;
	unsigned hi_surrogate;
	struct buf u8;        /* UTF-16 converted to UTF-8, one fed block at a time */

	struct buf carry;     /* a line split across fed blocks */
	int carry_cut;        /* the carried line hit max_record */
	int last_cr;          /* the previous block ended in '\r' */

	const struct framer *framer; /* the entry's format: frame_lines until a bid decides */
	void *frame_state;           /* the framer's, owned here */
	int framed;                  /* bidding is over */

	int avx2;            /* the CPU has AVX2: lines are found 32 bytes a step */
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

	tr->out.max_record = max_record ? max_record : 1 << 20;
	tr->out.fn = fn;
	tr->out.ctx = ctx;
	tr->framer = &frame_lines;
	tr->frame_state = xcalloc(1, frame_lines.state_size);
	tr->avx2 = eol_has_avx2();
	buf_init(&tr->sniff);
	buf_init(&tr->u8);
	buf_init(&tr->carry);
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
	if (tr->framer->free)
		tr->framer->free(tr->frame_state);
	free(tr->frame_state);
	free(tr);
}

void text_reader_entry_time(struct text_reader *tr, int64_t secs)
{
	timefmt_from_epoch(secs, &tr->out.entry_time);
}

const struct text_stats *text_reader_stats(const struct text_reader *tr)
{
	return &tr->out.st;
}

/* ---- framing ---- */

static const char *find_eol(int avx2, const char *p, const char *end, unsigned long *nuls);
static const struct framer *take_bids(const char *s, size_t n, unsigned long lineno);

const char *text_client_log(const void *vp, size_t n)
{
	const char *p = vp, *end = p + n, *s = p;
	unsigned long lineno, nuls = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (lineno = 1; lineno <= BID_LINES && s < end; lineno++) {
		const char *eol = find_eol(0, s, end, &nuls); /* a 16 KiB peek: the plain path will do */
		const struct framer *f;

		if (eol == NULL) /* a last line cut by the peek's end is still offered: bids read a head */
			eol = end;
		if ((f = take_bids(s, (size_t)(eol - s), lineno)) != NULL)
			return f->client_os ? f->client_os(p, n) : NULL;
		s = eol + 1;
		if (s < end && s[-1] == '\r' && *s == '\n')
			s++;
	}
	return NULL;
}


static void use_framer(struct text_reader *tr, const struct framer *f)
{
	if (tr->framer->free)
		tr->framer->free(tr->frame_state);
	free(tr->frame_state);
	tr->framer = f;
	tr->frame_state = xcalloc(1, f->state_size ? f->state_size : 1);
}

/* The framer whose bid on this line is highest, or NULL when none claims it. BID_FIRST_LINE (a
 * line as bare as a JSON export's opening "[{") is the lowest bid on an entry's first line, none
 * on any other: a stray brace deep in a plugin log must not reframe it. */
static const struct framer *take_bids(const char *s, size_t n, unsigned long lineno)
{
	const struct framer *best = NULL;
	int top = 0;
	size_t i;

	for (i = 0; i < sizeof framers / sizeof framers[0]; i++) {
		int b = framers[i]->bid(s, n);

		if (b == BID_FIRST_LINE)
			b = lineno == 1;

		if (b > top)
			top = b, best = framers[i];
	}
	return best;
}

/* Offers one of the entry's first lines to the bidders. Out of line: it runs for BID_LINES lines
 * at most, and on_line, which runs for every line, stays a short jump to the framer. */
static void __attribute__((noinline)) bid_line(struct text_reader *tr, const char *s, size_t n, unsigned long lineno)
{
	const struct framer *f = take_bids(s, n, lineno);

	if (f)
		use_framer(tr, f);
	tr->framed = f != NULL || lineno >= BID_LINES;
}

static void on_line(struct text_reader *tr, const char *s, size_t n, int cut)
{
	unsigned long lineno = ++tr->out.st.lines;

	if (cut && tr->out.st.first_truncated_line == 0)
		tr->out.st.first_truncated_line = lineno;
	if (!tr->framed)
		bid_line(tr, s, n, lineno);
	tr->framer->line(&tr->out, tr->frame_state, s, n, lineno, cut);
}

/* ---- lines from UTF-8 bytes ---- */

static void carry_add(struct text_reader *tr, const char *s, size_t n)
{
	if (tr->carry.len + n > tr->out.max_record) {
		n = tr->carry.len < tr->out.max_record ? tr->out.max_record - tr->carry.len : 0;
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
	} else if (n > tr->out.max_record) {
		on_line(tr, s, tr->out.max_record, 1);
	} else {
		on_line(tr, s, n, 0);
	}
}

/* The first '\r' or '\n' in [p, end), or NULL; the NULs passed on the way are added to *nuls. */
static const char *find_eol(int avx2, const char *p, const char *end, unsigned long *nuls)
{
	const char *e = eol_find(avx2, p, end);

	while (e && *e == '\0') {
		++*nuls;
		e = eol_find(avx2, e + 1, end);
	}
	return e;
}

static void split_lines(struct text_reader *tr, const char *p, size_t n)
{
	const char *end = p + n;

	if (n == 0)
		return; /* a block that decoded to nothing (half a UTF-16 unit) keeps a pending CR */
	if (tr->last_cr && *p == '\n')
		p++; /* the '\n' of a CRLF split between two blocks */
	tr->last_cr = 0;
	while (p < end && !tr->out.stop) {
		const char *eol;

		/* a framer that takes whole lines in a run takes what it can; the line it stops before
		 * (a NUL, a lone CR, one over the limit, one the block cuts) is taken below */
		if (tr->framed && tr->framer->lines && !tr->carry.len && !tr->carry_cut) {
			p += tr->framer->lines(&tr->out, tr->frame_state, p, (size_t)(end - p));
			if (p == end || tr->out.stop)
				break;
		}
		eol = find_eol(tr->avx2, p, end, &tr->out.st.nul_bytes);

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

/* Appends code point cp as UTF-8. The bytes are written in place: a call to buf_add per
 * character of a log in another script cost more than decoding it (the room is usually there).
 * Room for the closing NUL is kept, but the NUL is written once a block is decoded (decode_utf16,
 * text_reader_finish), not after every character. */
static void put_utf8(struct buf *b, unsigned cp)
{
	char *o;

	if (b->len + 5 > b->cap)
		b->p = xgrow(b->p, &b->cap, b->len + 5, 1);
	o = b->p + b->len;
	if (cp < 0x80) {
		o[0] = (char)cp;
		b->len += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		b->len += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		b->len += 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		b->len += 4;
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
		tr->out.st.bad_units++;
		tr->hi_surrogate = 0;
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		tr->hi_surrogate = u;
	} else if (u >= 0xdc00 && u <= 0xdfff) {
		put_utf8(&tr->u8, 0xfffd);
		tr->out.st.bad_units++;
	} else {
		put_utf8(&tr->u8, u);
	}
}

#ifdef __SSE2__
/* The eight UTF-16 units at p, when all are ASCII, as eight bytes at o: a Windows export is
 * nearly all ASCII, and a unit at a time costs more than the lines it makes. Returns 0, writing
 * nothing, when one of them is not ASCII. */
static int ascii_units(const unsigned char *p, int le, char *o)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i zero = _mm_setzero_si128();

	if (!le)
		v = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
	if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xff80)), zero)) != 0xffff)
		return 0;
	v = _mm_packus_epi16(v, v);
	_mm_storel_epi64((__m128i *)(void *)o, v);
	return 1;
}
#endif

static void decode_utf16(struct text_reader *tr, const unsigned char *p, size_t n)
{
	int le = tr->out.st.encoding == ENC_UTF16LE;
	size_t i = 0, wide_from = 0; /* eight units at a time are tried again from wide_from */

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
		unsigned u;

#ifdef __SSE2__
		if (i >= wide_from) {
			while (i + 16 <= n && !tr->hi_surrogate &&
			       ascii_units(p + i, le, tr->u8.p + tr->u8.len)) {
				tr->u8.len += 8;
				i += 16;
			}
			/* the eight that were not all ASCII go a unit at a time: text in another script
			 * is not tried again at every unit */
			wide_from = i + 16;
			if (i + 1 >= n)
				break;
		}
#endif
		u = le ? (unsigned)(p[i] | p[i + 1] << 8) : (unsigned)(p[i] << 8 | p[i + 1]);
		if (u < 0x80 && !tr->hi_surrogate) {
			tr->u8.p[tr->u8.len++] = (char)u; /* a U+0000 is a NUL byte, which split_lines counts */
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

static void decode(struct text_reader *tr, const unsigned char *p, size_t n)
{
	if (tr->out.st.encoding == ENC_UTF16LE || tr->out.st.encoding == ENC_UTF16BE) {
		decode_utf16(tr, p, n);
	} else {
		split_lines(tr, (const char *)p, n); /* it counts the NULs */
	}
}

static void decide(struct text_reader *tr)
{
	size_t skip;

	tr->out.st.encoding = guess_encoding((const unsigned char *)tr->sniff.p, tr->sniff.len, &skip);
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

		while (pp->count == 0 && !pp->done) {
			pp->take_waits = 1;
			pthread_cond_wait(&pp->can_take, &pp->mu);
		}
		if (pp->count == 0)
			break;
		b = &pp->slot[pp->head];
		pthread_mutex_unlock(&pp->mu);
		if (!tr->out.stop)
			decode(tr, (const unsigned char *)b->p, b->len);
		pthread_mutex_lock(&pp->mu);
		pp->stopped = tr->out.stop;
		pp->head = (pp->head + 1) % PIPE_SLOTS;
		pp->count--;
		if (pp->put_waits && (pp->count <= PIPE_SLOTS - PIPE_LOW || pp->stopped)) {
			pp->put_waits = 0;
			/* outside the lock: a feeder woken under it would sleep again on the mutex */
			pthread_mutex_unlock(&pp->mu);
			pthread_cond_signal(&pp->can_put);
			pthread_mutex_lock(&pp->mu);
		}
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

/* The free slot the next block goes into, once there is one; NULL when the helper has stopped. */
static struct buf *free_slot(struct pipe *pp)
{
	struct buf *b;

	pthread_mutex_lock(&pp->mu);
	while (pp->count == PIPE_SLOTS && !pp->stopped) {
		pp->put_waits = 1;
		pthread_cond_wait(&pp->can_put, &pp->mu);
	}
	b = pp->stopped ? NULL : &pp->slot[(pp->head + pp->count) % PIPE_SLOTS];
	pthread_mutex_unlock(&pp->mu);
	return b;
}

/* Room for n bytes and the closing NUL in slot b. */
static void slot_room(struct buf *b, size_t n)
{
	if (b->cap < n + 1) { /* a slot's first block: written whole, and every block after it */
		b->p = xgrow(b->p, &b->cap, n + 1, 1);
		populate(b->p, n + 1); /* not the whole capacity: xgrow may double it */
	}
}

void *text_reader_room(struct text_reader *tr, size_t n)
{
	struct buf *b = tr->pipe ? free_slot(tr->pipe) : NULL;

	if (b)
		slot_room(b, n);
	return b ? b->p : NULL;
}

/* Queues the block for the helper: a copy, unless it was written in place (text_reader_room);
 * waits while the queue is full. */
static int pipe_put(struct text_reader *tr, const void *p, size_t n)
{
	struct pipe *pp = tr->pipe;
	struct buf *b = free_slot(pp);
	int wake;

	if (b == NULL)
		return 1;
	if (p != b->p) {
		slot_room(b, n);
		memcpy(b->p, p, n);
	}
	b->len = n;
	b->p[n] = '\0';
	pthread_mutex_lock(&pp->mu);
	pp->count++;
	wake = pp->take_waits && pp->count >= PIPE_LOW;
	if (wake)
		pp->take_waits = 0;
	pthread_mutex_unlock(&pp->mu);
	if (wake) /* outside the lock, as in pipe_main */
		pthread_cond_signal(&pp->can_take);
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
	pp->take_waits = 0;
	pthread_cond_signal(&pp->can_take); /* whatever count is: the last blocks may be fewer than PIPE_LOW */
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
	if (tr->out.stop)
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
	if (tr->pipe_after && tr->fed >= tr->pipe_after && !tr->out.stop)
		pipe_start(tr);
	return tr->out.stop;
}

int text_reader_finish(struct text_reader *tr)
{
	pipe_stop(tr);
	if (!tr->decided && tr->sniff.len)
		decide(tr);
	if (tr->have_odd) {
		tr->out.st.bad_units++;
		tr->have_odd = 0;
	}
	if (tr->hi_surrogate) {
		tr->u8.len = 0;
		put_utf8(&tr->u8, 0xfffd);
		tr->u8.p[tr->u8.len] = '\0';
		tr->out.st.bad_units++;
		tr->hi_surrogate = 0;
		split_lines(tr, tr->u8.p, tr->u8.len);
	}
	if (tr->carry.len || tr->carry_cut) {
		on_line(tr, tr->carry.p ? tr->carry.p : "", tr->carry.len, tr->carry_cut);
		tr->carry.len = 0;
		tr->carry_cut = 0;
	}
	if (tr->framer->finish)
		tr->framer->finish(&tr->out, tr->frame_state);
	return tr->out.stop;
}
