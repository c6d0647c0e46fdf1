/* prefilter: the matcher's multi-literal pass. Each literal is anchored on its rarest pair of
 * adjacent bytes, by a fixed ranking of how common bytes are in log text: one rare byte is common
 * enough in logs ("DNS", "->"), two in a row are not. Where the CPU has SSSE3, every pair is looked
 * for in one pass, 16 positions a step: each byte's two nibbles look up 16-byte tables (pshufb)
 * whose bits say, per group of anchors, "a first byte could be this" and "a second byte could be
 * that" (the Teddy idea from Hyperscan). Elsewhere a record is searched once per distinct anchor
 * byte with memchr. Every hit is checked against the literals anchored on that byte. Rules that
 * vary a phrase tend to share its rare bytes, so ten times the rules means more checks on the rare
 * hits, not more passes over every record. Exact either way: a literal is reported if and only if
 * the record contains it (a table hit is only a place to check). */
#include "prefilter.h"

#include <stdlib.h>
#include <string.h>
#if (defined(__x86_64__) || defined(__i386__)) && !defined(PREFILTER_PORTABLE_ONLY)
#include <immintrin.h>
#define HAVE_NIBBLE_SCAN 1
#ifndef PREFILTER_NO_AVX2
#define HAVE_WIDE_SCAN 1
#endif
#endif

#include "util.h"

struct lit {
	const char *s;
	size_t len;
	size_t pair_off, byte_off; /* the rarest pair of bytes, the rarest byte */
	size_t off;                /* the one the scan uses: where the anchor byte is */
	unsigned id;
	unsigned char anchor;
	unsigned char anchor2; /* the byte after it, for the one-pass scan (len >= 2) */
};

struct prefilter {
	struct lit *lits; /* sorted by anchor byte once the set is complete */
	size_t nlits, caplits;
	int ready;
	unsigned char anchors[256]; /* distinct anchor bytes */
	size_t nanchors;
	size_t first[256], count[256]; /* the literals of each anchor byte in lits[] */
	unsigned char lo[16], hi[16];   /* nibble tables of the one-pass scan: first byte of a pair */
	unsigned char lo2[16], hi2[16]; /* and second byte */
	int nibbles;                   /* the CPU can do it (SSSE3) */
	int wide;                      /* and 32 positions a step (AVX2) */
	size_t min_len;
	unsigned *seen; /* seen[id] == gen: the last scan found literal id */
	size_t capseen;
	unsigned *found; /* those ids, in the order found: at most one per id, capseen of them */
	size_t nfound;
	unsigned gen;
};

/* Bytes of log text, most common first (English letter order, digits and the punctuation of
 * timestamps and key/value lines early). Bytes not listed -- control bytes, UTF-8 continuation
 * bytes, rare punctuation -- count as rarest. A guess, not a measurement: it only decides which
 * bytes anchor a literal, never whether it is found. */
static const char common_bytes[] =
    " e0t1a2o3i4n5s6r7:8l9d.c-uhm/p[]gf_=ybI,wSDTNCEARLkPvOx()<>GHMUFBW|'\"V+*;K#Yjqz";

static unsigned byte_rank(unsigned char c)
{
	const char *p = c ? strchr(common_bytes, c) : NULL;

	return p ? (unsigned)(sizeof common_bytes - (size_t)(p - common_bytes)) : 0;
}

static unsigned pair_rank(const char *p)
{
	return byte_rank((unsigned char)p[0]) + byte_rank((unsigned char)p[1]);
}

struct prefilter *prefilter_new(void)
{
	return xcalloc(1, sizeof(struct prefilter));
}

void prefilter_free(struct prefilter *pf)
{
	if (pf == NULL)
		return;
	free(pf->lits);
	free(pf->seen);
	free(pf->found);
	free(pf);
}

void prefilter_reset(struct prefilter *pf)
{
	pf->nlits = 0;
	pf->ready = 0;
}

void prefilter_add(struct prefilter *pf, const char *lit, size_t len, unsigned id)
{
	struct lit *l;
	size_t i;

	pf->lits = xgrow(pf->lits, &pf->caplits, pf->nlits + 1, sizeof *pf->lits);
	l = &pf->lits[pf->nlits++];
	memset(l, 0, sizeof *l);
	/* the rarest pair of adjacent bytes (the sum of their ranks is the smallest), for the
	 * one-pass scan; the rarest single byte, for memchr */
	for (i = 1; i + 1 < len; i++)
		if (pair_rank(lit + i) < pair_rank(lit + l->pair_off))
			l->pair_off = i;
	for (i = 1; i < len; i++)
		if (byte_rank((unsigned char)lit[i]) < byte_rank((unsigned char)lit[l->byte_off]))
			l->byte_off = i;
	l->s = lit;
	l->len = len;
	l->id = id;
	if (id >= pf->capseen) {
		size_t old = pf->capseen;

		pf->seen = xgrow(pf->seen, &pf->capseen, (size_t)id + 1, sizeof *pf->seen);
		memset(pf->seen + old, 0, (pf->capseen - old) * sizeof *pf->seen);
		pf->found = xrealloc(pf->found, pf->capseen * sizeof *pf->found);
	}
	pf->ready = 0;
}

static int by_anchor(const void *a, const void *b)
{
	const struct lit *x = a, *y = b;

	int c;

	if (x->anchor != y->anchor)
		return x->anchor < y->anchor ? -1 : 1;
	/* equal literals side by side: a hit compares each text once (rule variants share them) */
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if ((c = memcmp(x->s, y->s, x->len)) != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int same_lit(const struct lit *a, const struct lit *b)
{
	return a->len == b->len && a->off == b->off && memcmp(a->s, b->s, a->len) == 0;
}

/* One bit per anchor byte (shared round-robin past 8 of them): the first-byte tables say which
 * groups a byte may open, the second-byte tables which groups it may close. A literal of one byte
 * has no second byte: its group accepts any. */
static void fill_nibble_tables(struct prefilter *pf)
{
	int bit_of[256];
	unsigned nbits = 0;
	size_t i, k;

	memset(pf->lo, 0, sizeof pf->lo);
	memset(pf->hi, 0, sizeof pf->hi);
	memset(pf->lo2, 0, sizeof pf->lo2);
	memset(pf->hi2, 0, sizeof pf->hi2);
	for (k = 0; k < pf->nanchors; k++)
		bit_of[pf->anchors[k]] = (int)(nbits++ % 8);
	for (i = 0; i < pf->nlits; i++) {
		const struct lit *l = &pf->lits[i];
		unsigned char bit = (unsigned char)(1u << bit_of[l->anchor]);

		pf->lo[l->anchor & 15] |= bit;
		pf->hi[l->anchor >> 4] |= bit;
		if (l->len < 2) {
			for (k = 0; k < 16; k++)
				pf->lo2[k] |= bit, pf->hi2[k] |= bit;
		} else {
			pf->lo2[l->anchor2 & 15] |= bit;
			pf->hi2[l->anchor2 >> 4] |= bit;
		}
	}
}

/* Anchors each literal for the scan the CPU can do and groups the literals by anchor byte: done
 * once per set, on the first scan. */
static void prepare(struct prefilter *pf)
{
	size_t i;

#ifdef HAVE_NIBBLE_SCAN
	pf->nibbles = __builtin_cpu_supports("ssse3");
#endif
#ifdef HAVE_WIDE_SCAN
	pf->wide = pf->nibbles && __builtin_cpu_supports("avx2");
#endif
	for (i = 0; i < pf->nlits; i++) {
		struct lit *l = &pf->lits[i];

		l->off = pf->nibbles ? l->pair_off : l->byte_off;
		l->anchor = (unsigned char)l->s[l->off];
		l->anchor2 = l->len >= 2 ? (unsigned char)l->s[l->off + 1] : 0;
	}
	sort_array(pf->lits, pf->nlits, sizeof *pf->lits, by_anchor);
	memset(pf->count, 0, sizeof pf->count);
	pf->nanchors = 0;
	pf->min_len = (size_t)-1;
	for (i = 0; i < pf->nlits; i++) {
		unsigned char a = pf->lits[i].anchor;

		if (pf->count[a]++ == 0) {
			pf->first[a] = i;
			pf->anchors[pf->nanchors++] = a;
		}
		if (pf->lits[i].len < pf->min_len)
			pf->min_len = pf->lits[i].len;
	}
	fill_nibble_tables(pf);
	pf->ready = 1;
}

/* Checks the literals anchored on byte a against the record at the hit s[at]. */
static size_t check_hit(struct prefilter *pf, unsigned char a, const char *s, size_t n, size_t at)
{
	const struct lit *l = pf->lits + pf->first[a], *end = l + pf->count[a], *prev = NULL;
	size_t found = 0;
	int prev_hit = 0;

	for (; l < end; l++) {
		const char *at_lit;
		int hit;

		if (at < l->off || n - (at - l->off) < l->len)
			continue;
		at_lit = s + at - l->off;
		if (prev && same_lit(prev, l))
			hit = prev_hit;
		else /* the two ends first: most near hits differ there, without a call */
			hit = at_lit[0] == l->s[0] && at_lit[l->len - 1] == l->s[l->len - 1] &&
			      memcmp(at_lit, l->s, l->len) == 0;
		prev = l;
		prev_hit = hit;
		if (hit && pf->seen[l->id] != pf->gen) {
			pf->seen[l->id] = pf->gen;
			pf->found[pf->nfound++] = l->id;
			found++;
		}
	}
	return found;
}

#ifdef HAVE_NIBBLE_SCAN
/* The bits of a group's first or second bytes, for the 16 bytes of c. */
__attribute__((target("ssse3"))) static __m128i nibble_groups(__m128i c, const unsigned char *lo,
                                                              const unsigned char *hi)
{
	const __m128i low = _mm_set1_epi8(15);
	__m128i l = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)lo), _mm_and_si128(c, low));
	__m128i h = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)hi),
	                             _mm_and_si128(_mm_srli_epi16(c, 4), low));

	return _mm_and_si128(l, h);
}

/* Bits of the 16 positions at p where an anchor pair may start (p[16] is read too). */
__attribute__((target("ssse3"))) static unsigned nibble_hits(const struct prefilter *pf, const char *p)
{
	__m128i first = nibble_groups(_mm_loadu_si128((const __m128i *)(const void *)p), pf->lo, pf->hi);
	__m128i second = nibble_groups(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)), pf->lo2, pf->hi2);
	__m128i none = _mm_cmpeq_epi8(_mm_and_si128(first, second), _mm_setzero_si128());

	return ~(unsigned)_mm_movemask_epi8(none) & 0xffffu;
}

/* Checks the table hits in bits, for the 16 bytes at s[base]. */
static size_t check_bits(struct prefilter *pf, unsigned bits, const char *s, size_t n, size_t base)
{
	size_t found = 0;

	for (; bits; bits &= bits - 1) {
		size_t at = base + (size_t)__builtin_ctz(bits);
		unsigned char a = (unsigned char)s[at];

		if (pf->count[a]) /* a group's shared bits can flag a byte no literal is anchored on */
			found += check_hit(pf, a, s, n, at);
	}
	return found;
}

#ifdef HAVE_WIDE_SCAN
/* nibble_groups for the 32 bytes of c: pshufb looks up within each 16-byte lane, so the tables
 * are repeated in both. */
__attribute__((target("avx2"))) static __m256i nibble_groups32(__m256i c, const unsigned char *lo,
                                                               const unsigned char *hi)
{
	const __m256i low = _mm256_set1_epi8(15);
	__m256i lt = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)lo));
	__m256i ht = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)hi));
	__m256i l = _mm256_shuffle_epi8(lt, _mm256_and_si256(c, low));
	__m256i h = _mm256_shuffle_epi8(ht, _mm256_and_si256(_mm256_srli_epi16(c, 4), low));

	return _mm256_and_si256(l, h);
}

/* Bits of the 32 positions at p where an anchor pair may start (p[32] is read too). */
__attribute__((target("avx2"))) static unsigned nibble_hits32(const struct prefilter *pf, const char *p)
{
	__m256i first = nibble_groups32(_mm256_loadu_si256((const __m256i *)(const void *)p), pf->lo, pf->hi);
	__m256i second =
	    nibble_groups32(_mm256_loadu_si256((const __m256i *)(const void *)(p + 1)), pf->lo2, pf->hi2);
	__m256i none = _mm256_cmpeq_epi8(_mm256_and_si256(first, second), _mm256_setzero_si256());

	return ~(unsigned)_mm256_movemask_epi8(none);
}

/* The 32-position steps of a record: where they stop, for scan_nibbles to go on from. */
__attribute__((target("avx2"))) static size_t scan_wide(struct prefilter *pf, const char *s, size_t n,
                                                        size_t *found)
{
	size_t i;

	for (i = 0; i + 33 <= n; i += 32)
		*found += check_bits(pf, nibble_hits32(pf, s + i), s, n, i);
	return i;
}
#endif

/* All anchor pairs in one pass. Each step reads 17 bytes (33 with AVX2). The positions left at
 * the end are covered by one more step that overlaps the last one, read inside the record (the
 * bits already checked are dropped); only a record under 17 bytes is copied, zero-padded, to read
 * past its end. The last byte is never the first of a pair: it is checked on its own when a
 * literal of one byte exists. */
__attribute__((target("ssse3"))) static size_t scan_nibbles(struct prefilter *pf, const char *s, size_t n)
{
	size_t i = 0, found = 0;

#ifdef HAVE_WIDE_SCAN
	if (pf->wide)
		i = scan_wide(pf, s, n, &found);
#endif
	for (; i + 17 <= n; i += 16)
		found += check_bits(pf, nibble_hits(pf, s + i), s, n, i);
	if (i == n)
		return found;
	if (n >= 17) {
		size_t base = n - 17;

		found += check_bits(pf, nibble_hits(pf, s + base) & (0xffffu << (i - base)) & 0xffffu, s, n, base);
		if (pf->min_len == 1 && pf->count[(unsigned char)s[n - 1]])
			found += check_hit(pf, (unsigned char)s[n - 1], s, n, n - 1);
	} else {
		char pad[17] = {0};

		memcpy(pad, s + i, n - i);
		found += check_bits(pf, nibble_hits(pf, pad) & ((1u << (n - i)) - 1), s, n, i);
	}
	return found;
}

#endif

size_t prefilter_scan(struct prefilter *pf, const char *s, size_t n)
{
	size_t k, found = 0;

	if (!pf->ready)
		prepare(pf);
	if (++pf->gen == 0) { /* wrapped: forget stale marks */
		memset(pf->seen, 0, pf->capseen * sizeof *pf->seen);
		pf->gen = 1;
	}
	pf->nfound = 0;
	if (pf->nlits == 0 || n < pf->min_len)
		return 0;
#ifdef HAVE_NIBBLE_SCAN
	if (pf->nibbles)
		return scan_nibbles(pf, s, n);
#endif
	for (k = 0; k < pf->nanchors; k++) {
		unsigned char a = pf->anchors[k];
		const char *p = s, *end = s + n, *q;

		while (p < end && (q = memchr(p, a, (size_t)(end - p))) != NULL) {
			found += check_hit(pf, a, s, n, (size_t)(q - s));
			p = q + 1;
		}
	}
	return found;
}

int prefilter_has(const struct prefilter *pf, unsigned id)
{
	return id < pf->capseen && pf->seen[id] == pf->gen;
}

size_t prefilter_found(const struct prefilter *pf, const unsigned **ids)
{
	*ids = pf->found;
	return pf->nfound;
}
