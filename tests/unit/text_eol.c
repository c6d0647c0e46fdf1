/* The line-end scans of eol.c, byte, SSE2 and AVX2 (the last only where the CPU has it), run on
 * the same inputs: an end of line at every offset of buffers of every length up to 100 (so across
 * 16- and 32-byte steps and buffers that end on them), '\r' and '\n', none at all, at every
 * alignment, each buffer ending where its allocation ends; the 64-byte masks (SSE2, and AVX-512
 * where the CPU has it) against the byte scan the same way. Then a whole reader, by either path,
 * must split mixed CRLF/CR/LF text into exactly the lines it was made of. text.c compiled again
 * under other names, as prefilter_portable.c does, so that the test can choose the reader's path. */
#define text_encoding_name eol_text_encoding_name
#define text_reader_new eol_text_reader_new
#define text_reader_free eol_text_reader_free
#define text_reader_entry_time eol_text_reader_entry_time
#define text_reader_stats eol_text_reader_stats
#define text_client_log eol_text_client_log
#define text_reader_pipeline eol_text_reader_pipeline
#define text_reader_room eol_text_reader_room
#define text_reader_feed eol_text_reader_feed
#define text_reader_finish eol_text_reader_finish
#include "../../src/text.c"

#include "check.h"

#define MAXLEN 100

/* A byte where no scan stops, of any value: high bytes, and the neighbours of '\r', '\n' and NUL. */
static char filler(unsigned *seed)
{
	static const char near[] = {0x01, 0x0b, 0x0c, 0x0e, 0x09, 0x2d, 0x8a, 0x8d, (char)0xff};
	unsigned r = (unsigned)rand_r(seed);
	char c = r & 1 ? near[(r >> 1) % sizeof near] : (char)(r >> 8);

	return c == '\r' || c == '\n' || c == '\0' ? 'x' : c;
}

/* Every path finds the same stop ('\r', '\n' or NUL) in [p, p + len); want is the offset, or -1
 * for none. */
static int paths_agree(const char *p, size_t len, long want, int avx2)
{
	const char *end = p + len, *w = want < 0 ? NULL : p + want;

	if (eol_bytes(p, end) != w || eol_sse2(p, end) != w)
		return 0;
#ifdef __SSE2__
	if (avx2 && eol_avx2(p, end) != w)
		return 0;
#else
	(void)avx2;
#endif
	return 1;
}

static void check_scans(int avx2)
{
	unsigned seed = 28, bad = 0, runs = 0;
	size_t len, align, k, i;

	for (align = 0; align < 32; align += 3) {
		for (len = 0; len <= MAXLEN; len++) {
			char *m = malloc(align + len + 1), *p = m + align + 1; /* p + len: the allocation's end */
			int eol;

			for (k = 0; k <= len; k++) { /* k == len: no end of line in the buffer */
				for (eol = 0; eol < 3; eol++) {
					for (i = 0; i < len; i++)
						p[i] = filler(&seed);
					if (k < len) {
						p[k] = "\r\n"[eol];
						if (k + 1 < len && rand_r(&seed) % 2) /* a later stop must not be taken */
							p[k + 1 + (size_t)rand_r(&seed) % (len - k - 1)] = "\n\r"[eol];
					}
					bad += !paths_agree(p, len, k < len ? (long)k : -1, avx2);
					runs++;
				}
			}
			free(m);
		}
	}
	CHECK("text/eol-paths-agree", bad == 0 && runs > 100000);
}

/* eol_mask64 marks exactly the stops eol_bytes finds one after another, among the 64 bytes at p or
 * those before the end: every length from 0 to 80 (so windows that end inside the buffer and past
 * it), every alignment, a stop at every offset and random ones besides, each buffer ending where
 * its allocation ends (a read past it is an error under ASan). */
static int mask_agrees(const char *p, size_t len, int wide)
{
	uint64_t want = 0;
	const char *e = p, *end = p + len;

	while ((e = eol_bytes(e, end)) != NULL && e < p + 64) {
		want |= (uint64_t)1 << (e - p);
		e++;
	}
	return eol_mask64(wide, p, end) == want;
}

static void check_masks(int wide)
{
	unsigned seed = 64, bad = 0, runs = 0;
	size_t len, align, k, i;

	for (align = 0; align < 64; align += 5) {
		for (len = 0; len <= 80; len++) {
			char *m = malloc(align + len + 1), *p = m + align + 1;

			for (k = 0; k <= len; k++) {
				for (i = 0; i < len; i++)
					p[i] = rand_r(&seed) % 9 ? filler(&seed) : "\r\n"[rand_r(&seed) % 3];
				if (k < len)
					p[k] = "\r\n"[k % 3];
				bad += !mask_agrees(p, len, wide);
				runs++;
			}
			free(m);
		}
	}
	CHECK(wide ? "text/eol-mask64-avx512-agrees" : "text/eol-mask64-agrees", bad == 0 && runs > 40000);
}

struct lines {
	size_t n;
	unsigned long sum; /* of each line's length and bytes, weighted by its place */
};

static void fold_line(struct lines *l, const char *s, size_t len);

static int add_line(void *ctx, const struct record *r)
{
	fold_line(ctx, r->text, r->len);
	return 0;
}

/* The reader's lines from text of every line end and line lengths from 0 to 80, fed in blocks of
 * odd sizes, by the path chosen. */
static struct lines read_lines(const char *text, size_t n, int avx2)
{
	struct lines l = {0, 0};
	struct text_reader *tr = text_reader_new(0, add_line, &l);
	size_t at, step;

	tr->avx2 = avx2;
	for (at = 0; at < n; at += step) {
		step = 1 + (at * 7919) % 4099;
		if (step > n - at)
			step = n - at;
		text_reader_feed(tr, text + at, step);
	}
	text_reader_finish(tr);
	text_reader_free(tr);
	return l;
}

static void fold_line(struct lines *l, const char *s, size_t len)
{
	size_t i;

	l->n++;
	l->sum = l->sum * 31 + len;
	for (i = 0; i < len; i++)
		l->sum = l->sum * 7 + (unsigned char)s[i];
}

static void check_reader(int avx2)
{
	static const char *const ends[] = {"\n", "\r\n", "\r"};
	size_t cap = 1 << 20, n = 0, len, i;
	char *text = malloc(cap);
	unsigned seed = 7;
	struct lines made = {0, 0}, a, b;

	while (n + 90 < cap) {
		const char *e = ends[rand_r(&seed) % 3];

		len = (size_t)rand_r(&seed) % 81;
		if (len == 0 && n && text[n - 1] == '\r' && e[0] == '\n')
			e = "\r"; /* "\r" then an empty line's "\n" is one CRLF */
		for (i = 0; i < len; i++)
			text[n + i] = (char)('a' + rand_r(&seed) % 26);
		fold_line(&made, text + n, len);
		n += len;
		memcpy(text + n, e, strlen(e));
		n += strlen(e);
	}
	a = read_lines(text, n, 0);
	b = read_lines(text, n, avx2);
	CHECK("text/eol-reader-reads-the-lines-made", a.n == made.n && a.sum == made.sum && made.n > 20000);
	CHECK("text/eol-reader-paths-agree", b.n == made.n && b.sum == made.sum);
	free(text);
}

int main(void)
{
	int avx2 = 0;

#ifdef __SSE2__
	avx2 = __builtin_cpu_supports("avx2");
#endif
	if (!avx2)
		printf("note: this CPU has no AVX2: only the byte and SSE2 paths are compared\n");
	check_scans(avx2);
	check_reader(avx2);
	check_masks(0);
	if (eol_has_avx512())
		check_masks(1);
	else
		printf("note: this CPU has no AVX-512BW: eol_mask64 is checked by SSE2 only\n");
	return check_failed != 0;
}
