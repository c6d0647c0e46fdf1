/* prefilter: the matcher's multi-literal pass. Each literal is anchored on a run of three
 * adjacent bytes: first the rarest by a fixed ranking of how common bytes are in log text, then,
 * once a sample of the log's records is counted, the run the log itself holds least. A fixed
 * ranking is not enough: these logs are full of "DNS", "proxy" and "network". Where the CPU has
 * SSSE3, every anchor is looked for in one pass, 16 positions a step: each byte's two nibbles look
 * up 16-byte tables (pshufb) whose bits say, per group of anchors, "a first byte could be this",
 * "a second that", "a third that" (the Teddy idea from Hyperscan). Past 8 anchors, the groups that
 * share a bit are chosen so that their mixed nibbles let through the least of the sample. On the
 * bench bundle that cut the table hits from 2.3 to 0.38 million, for 0.33 million true ones.
 * Elsewhere a record is searched once per distinct anchor byte with memchr. Every hit is checked
 * against the literals anchored on that byte. Exact either way: a literal is reported if and only
 * if the record contains it (a table hit is only a place to check). */
#include "prefilter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if (defined(__x86_64__) || defined(__i386__)) && !defined(PREFILTER_PORTABLE_ONLY)
#include <immintrin.h>
#define HAVE_NIBBLE_SCAN 1
#ifndef PREFILTER_NO_AVX2
#define HAVE_WIDE_SCAN 1
#ifndef PREFILTER_NO_AVX512
#define HAVE_WIDE512_SCAN 1
#endif
#endif
#endif

#include "util.h"

struct lit {
	const char *s;
	size_t len;
	size_t run_off, byte_off; /* the rarest run of three bytes (or two, or one), the rarest byte */
	size_t off;               /* the one the scan uses: where the anchor byte is */
	unsigned id;
	unsigned char run[3];     /* the anchor byte (run[0]) and the ones after it, ... */
	unsigned char run_len;    /* ... of which the literal has 1 to 3 */
	unsigned char group;      /* its bit in the one-pass scan's tables */
	unsigned char same_prev;        /* the literal before it in lits[] is the same text, same anchor */
};

struct prefilter {
	struct lit *lits; /* sorted by anchor byte once the set is complete */
	size_t nlits, caplits;
	int ready;
	unsigned char anchors[256]; /* distinct anchor bytes */
	size_t nanchors;
	size_t first[256], count[256]; /* the literals of each anchor byte in lits[] */
	/* the one-pass scan's nibble tables: low and high nibble of a run's first, second and third
	 * byte (struct nibset's six places), a bit per group */
	unsigned char nib[6][16];
	int nibbles;                   /* the CPU can do it (SSSE3) */
	int wide;                      /* and 32 positions a step (AVX2) */
	int wide512;                   /* or 64, with masked loads to the record's end (AVX-512BW) */
	size_t min_len;
	/* what the log holds: runs of three bytes counted (hashed) in every SAMPLE_EVERY-th of the
	 * first LEARN_AT records, to anchor each literal on its run the log holds least */
	uint16_t *runs;
	size_t scans; /* counted up to LEARN_AT: the anchors are learned */
	size_t checks; /* places compared since the reset (prefilter_checks) */
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

/* The rank of the run of (at most three) bytes at lit[i]. */
static unsigned run_rank(const char *lit, size_t len, size_t i)
{
	unsigned r = 0;
	size_t k;

	for (k = i; k < len && k < i + 3; k++)
		r += byte_rank((unsigned char)lit[k]);
	return r;
}

#define RUN_SLOTS (1u << 14)
#define SAMPLE_EVERY 64
#define SAMPLES 256
#define LEARN_AT (SAMPLE_EVERY * SAMPLES)

static unsigned run_slot(const char *p)
{
	uint32_t v = (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[1] << 8 | (unsigned char)p[2];

	return (v * 2654435761u) >> 18; /* 14 bits */
}

/* Counts the record's runs of three bytes (a count stops at its top: only the order matters). */
static void sample_runs(struct prefilter *pf, const char *s, size_t n)
{
	size_t i;

	if (pf->runs == NULL)
		pf->runs = xcalloc(RUN_SLOTS, sizeof *pf->runs);
	for (i = 0; i + 3 <= n; i++) {
		uint16_t *c = &pf->runs[run_slot(s + i)];

		if (*c != UINT16_MAX)
			(*c)++;
	}
}

/* The cost of anchoring lit on its run at i: how often the sample held it, then the fixed rank. */
static unsigned long run_cost(const struct prefilter *pf, const char *lit, size_t len, size_t i)
{
	unsigned long seen = pf->runs && i + 3 <= len ? pf->runs[run_slot(lit + i)] : 0;

	return seen << 10 | run_rank(lit, len, i);
}

static size_t rarest_run(const struct prefilter *pf, const char *lit, size_t len)
{
	size_t i, best = 0;

	for (i = 1; i + 2 < len; i++)
		if (run_cost(pf, lit, len, i) < run_cost(pf, lit, len, best))
			best = i;
	return best;
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
	free(pf->runs);
	free(pf->seen);
	free(pf->found);
	free(pf);
}

void prefilter_reset(struct prefilter *pf)
{
	pf->nlits = 0;
	pf->ready = 0;
	pf->scans = 0;
	pf->checks = 0;
	if (pf->runs)
		memset(pf->runs, 0, RUN_SLOTS * sizeof *pf->runs);
}

void prefilter_add(struct prefilter *pf, const char *lit, size_t len, unsigned id)
{
	struct lit *l;
	size_t i;

	pf->lits = xgrow(pf->lits, &pf->caplits, pf->nlits + 1, sizeof *pf->lits);
	l = &pf->lits[pf->nlits++];
	memset(l, 0, sizeof *l);
	/* the rarest run of three adjacent bytes (until a sample is counted: the sum of their ranks
	 * is the smallest), for the one-pass scan; the rarest single byte, for memchr */
	l->run_off = rarest_run(pf, lit, len);
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

	if (x->run[0] != y->run[0])
		return x->run[0] < y->run[0] ? -1 : 1;
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

/* The nibbles a group of anchors takes at each of the six places: low and high, three bytes. */
struct nibset {
	uint16_t at[6];
};

/* Adds a literal's run; past its end (a literal shorter than three bytes) it takes any byte. */
static void nibset_add(struct nibset *g, const struct lit *l)
{
	size_t k;

	for (k = 0; k < 3; k++) {
		g->at[2 * k] |= (uint16_t)(k < l->run_len ? 1u << (l->run[k] & 15) : 0xffff);
		g->at[2 * k + 1] |= (uint16_t)(k < l->run_len ? 1u << (l->run[k] >> 4) : 0xffff);
	}
}

/* The bytes a group takes at place k (0..2): those whose two nibbles it takes. */
static size_t nibset_bytes(const struct nibset *g, size_t k, unsigned char *out)
{
	size_t n = 0;
	unsigned lo, hi;

	for (hi = 0; hi < 16; hi++)
		if (g->at[2 * k + 1] >> hi & 1)
			for (lo = 0; lo < 16; lo++)
				if (g->at[2 * k] >> lo & 1)
					out[n++] = (unsigned char)(hi << 4 | lo);
	return n;
}

#define RUNS_WEIGHED 4096
/* How much a group lets through: the runs of three bytes it takes, its own and those its nibbles
 * mix into, each weighed by how often the sample held it (plus one: fewer runs are better even
 * where the sample is silent). Unweighed (and so larger) when there are too many to count. */
static double nibset_runs(const struct prefilter *pf, const struct nibset *g)
{
	unsigned char b[3][256];
	size_t nb[3], i, j, k;
	double r = 1, w = 0;
	char run[3];

	for (k = 0; k < 3; k++)
		r *= (double)(nb[k] = nibset_bytes(g, k, b[k]));
	if (pf->runs == NULL || r > RUNS_WEIGHED)
		return r * (SAMPLES + 1);
	for (i = 0; i < nb[0]; i++)
		for (j = 0; j < nb[1]; j++)
			for (k = 0; k < nb[2]; k++) {
				run[0] = (char)b[0][i], run[1] = (char)b[1][j], run[2] = (char)b[2][k];
				w += 1 + pf->runs[run_slot(run)];
			}
	return w;
}

static struct nibset nibset_union(const struct nibset *a, const struct nibset *b)
{
	struct nibset u;
	size_t k;

	for (k = 0; k < 6; k++)
		u.at[k] = a->at[k] | b->at[k];
	return u;
}

/* What merging groups a and b would let through that neither lets through alone. */
static double merge_cost(const struct prefilter *pf, const struct nibset *g, const double *w, size_t a, size_t b)
{
	struct nibset u = nibset_union(&g[a], &g[b]);

	return nibset_runs(pf, &u) - w[a] - w[b];
}

#define GROUPS_WEIGHED 64
/* Past 8 anchors, groups of them must share the 8 bits. Each anchor (its run of three bytes)
 * starts as a group -- all of a byte's in one when there are too many to weigh -- and the two
 * groups whose union lets through the fewest runs that neither let through alone are merged, until
 * 8 are left. A bit per anchor byte instead let "rip" through for "ryp" and "rk ". Sets each
 * literal's group; g[0..returned) are the groups' nibbles, the scan's tables. */
static size_t share_bits(struct prefilter *pf, struct nibset *g)
{
	double w[GROUPS_WEIGHED];                  /* nibset_runs of each group */
	double cost[GROUPS_WEIGHED][GROUPS_WEIGHED]; /* merge_cost of a < b, kept across merges */
	unsigned char of[GROUPS_WEIGHED];          /* first group -> the one it is merged into */
	size_t n = 0, n0, i, a, b, k;
	int by_byte = pf->nanchors >= GROUPS_WEIGHED;

	for (i = 0; i < pf->nlits; i++) {
		struct lit *l = &pf->lits[i];

		for (k = 0; k < i; k++) /* the same anchor as an earlier literal: its group */
			if (by_byte ? l->run[0] == pf->lits[k].run[0]
			            : l->run_len == pf->lits[k].run_len && memcmp(l->run, pf->lits[k].run, 3) == 0)
				break;
		if (k < i)
			l->group = pf->lits[k].group;
		else if (n < GROUPS_WEIGHED) {
			memset(&g[n], 0, sizeof g[n]);
			l->group = (unsigned char)n++;
		} else
			l->group = (unsigned char)(n - 1);
		nibset_add(&g[l->group], l);
	}
	for (n0 = n, i = 0; i < n; i++) {
		of[i] = (unsigned char)i;
		w[i] = nibset_runs(pf, g + i);
	}
	for (a = 0; a < n; a++)
		for (b = a + 1; b < n; b++)
			cost[a][b] = merge_cost(pf, g, w, a, b);
	while (n > 8) {
		size_t ba = 0, bb = 1;

		for (a = 0; a < n; a++)
			for (b = a + 1; b < n; b++)
				if (cost[a][b] < cost[ba][bb])
					ba = a, bb = b;
		/* ba takes bb in; the last group moves into bb's place, its costs with it */
		g[ba] = nibset_union(&g[ba], &g[bb]);
		w[ba] = nibset_runs(pf, g + ba);
		n--;
		g[bb] = g[n];
		w[bb] = w[n];
		for (k = 0; k < n; k++)
			if (k != bb)
				cost[k < bb ? k : bb][k < bb ? bb : k] = cost[k < n ? k : n][k < n ? n : k];
		for (k = 0; k < n; k++)
			if (k != ba)
				cost[k < ba ? k : ba][k < ba ? ba : k] = merge_cost(pf, g, w, k < ba ? k : ba, k < ba ? ba : k);
		for (k = 0; k < n0; k++)
			if (of[k] == bb)
				of[k] = (unsigned char)ba;
			else if (of[k] == n)
				of[k] = (unsigned char)bb;
	}
	for (i = 0; i < pf->nlits; i++)
		pf->lits[i].group = of[pf->lits[i].group];
	return n;
}

/* One bit per group of anchors: the first-byte tables say which groups a byte may open, the
 * second- and third-byte tables which groups may go on with it. */
static void fill_nibble_tables(struct prefilter *pf)
{
	struct nibset g[GROUPS_WEIGHED];
	size_t n = share_bits(pf, g), b, k, x;

	memset(pf->nib, 0, sizeof pf->nib);
	for (b = 0; b < n; b++)
		for (k = 0; k < 6; k++)
			for (x = 0; x < 16; x++)
				if (g[b].at[k] >> x & 1)
					pf->nib[k][x] |= (unsigned char)(1u << b);
}

/* Anchors each literal for the scan the CPU can do and groups the literals by anchor byte: done
 * on the first scan of a set, and again once the anchors are learned. */
static void prepare(struct prefilter *pf)
{
	size_t i;

#ifdef HAVE_NIBBLE_SCAN
	pf->nibbles = __builtin_cpu_supports("ssse3");
#endif
#ifdef HAVE_WIDE_SCAN
	pf->wide = pf->nibbles && __builtin_cpu_supports("avx2");
#endif
#ifdef HAVE_WIDE512_SCAN
	pf->wide512 = pf->wide && __builtin_cpu_supports("avx512bw");
#endif
	for (i = 0; i < pf->nlits; i++) {
		struct lit *l = &pf->lits[i];

		l->off = pf->nibbles ? l->run_off : l->byte_off;
		l->run_len = (unsigned char)(l->len - l->off < 3 ? l->len - l->off : 3);
		memset(l->run, 0, sizeof l->run);
		memcpy(l->run, l->s + l->off, l->run_len);
	}
	sort_array(pf->lits, pf->nlits, sizeof *pf->lits, by_anchor);
	memset(pf->count, 0, sizeof pf->count);
	pf->nanchors = 0;
	pf->min_len = (size_t)-1;
	for (i = 0; i < pf->nlits; i++) {
		unsigned char a = pf->lits[i].run[0];

		pf->lits[i].same_prev = i > 0 && pf->lits[i - 1].run[0] == a && same_lit(&pf->lits[i - 1], &pf->lits[i]);
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
	const struct lit *l = pf->lits + pf->first[a], *end = l + pf->count[a];
	size_t found = 0;
	int hit = 0;

	pf->checks++;
	for (; l < end; l++) {
		const char *at_lit;

		if (l->same_prev) {
			/* hit as the one before: rule variants share literals */
		} else if (at < l->off || n - (at - l->off) < l->len) {
			hit = 0;
		} else { /* the anchor's next bytes, then the two ends: most near hits differ there */
			at_lit = s + at - l->off;
			hit = (l->run_len < 2 || s[at + 1] == (char)l->run[1]) &&
			      (l->run_len < 3 || s[at + 2] == (char)l->run[2]) && at_lit[0] == l->s[0] &&
			      at_lit[l->len - 1] == l->s[l->len - 1] && memcmp(at_lit, l->s, l->len) == 0;
		}
		if (hit && pf->seen[l->id] != pf->gen) {
			pf->seen[l->id] = pf->gen;
			pf->found[pf->nfound++] = l->id;
			found++;
		}
	}
	return found;
}

#ifdef HAVE_NIBBLE_SCAN
/* The bits of the groups a byte may be the first, second or third of (lo, hi: those tables), for
 * the 16 bytes of c. */
__attribute__((target("ssse3"))) static __m128i nibble_groups(__m128i c, const unsigned char *lo,
                                                              const unsigned char *hi)
{
	const __m128i low = _mm_set1_epi8(15);
	__m128i l = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)lo), _mm_and_si128(c, low));
	__m128i h = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)hi),
	                             _mm_and_si128(_mm_srli_epi16(c, 4), low));

	return _mm_and_si128(l, h);
}

/* Bits of the 16 positions at p where an anchor may start (p[16] and p[17] are read too). */
__attribute__((target("ssse3"))) static unsigned nibble_hits(const struct prefilter *pf, const char *p)
{
	__m128i first = nibble_groups(_mm_loadu_si128((const __m128i *)(const void *)p), pf->nib[0], pf->nib[1]);
	__m128i second = nibble_groups(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)), pf->nib[2], pf->nib[3]);
	__m128i third = nibble_groups(_mm_loadu_si128((const __m128i *)(const void *)(p + 2)), pf->nib[4], pf->nib[5]);
	__m128i none = _mm_cmpeq_epi8(_mm_and_si128(_mm_and_si128(first, second), third), _mm_setzero_si128());

	return ~(unsigned)_mm_movemask_epi8(none) & 0xffffu;
}

/* Checks the table hits in bits, for the bytes at s[base]. */
static size_t check_bits(struct prefilter *pf, uint64_t bits, const char *s, size_t n, size_t base)
{
	size_t found = 0;

	for (; bits; bits &= bits - 1) {
		size_t at = base + (size_t)__builtin_ctzll(bits);
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

/* Bits of the 32 positions at p where an anchor may start (p[32] and p[33] are read too). */
__attribute__((target("avx2"))) static unsigned nibble_hits32(const struct prefilter *pf, const char *p)
{
	__m256i first = nibble_groups32(_mm256_loadu_si256((const __m256i *)(const void *)p), pf->nib[0], pf->nib[1]);
	__m256i second =
	    nibble_groups32(_mm256_loadu_si256((const __m256i *)(const void *)(p + 1)), pf->nib[2], pf->nib[3]);
	__m256i third =
	    nibble_groups32(_mm256_loadu_si256((const __m256i *)(const void *)(p + 2)), pf->nib[4], pf->nib[5]);
	__m256i none =
	    _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_and_si256(first, second), third), _mm256_setzero_si256());

	return ~(unsigned)_mm256_movemask_epi8(none);
}

/* The 32-position steps of a record: where they stop, for scan_nibbles to go on from. */
__attribute__((target("avx2"))) static size_t scan_wide(struct prefilter *pf, const char *s, size_t n,
                                                        size_t *found)
{
	size_t i;

	for (i = 0; i + 34 <= n; i += 32)
		*found += check_bits(pf, nibble_hits32(pf, s + i), s, n, i);
	return i;
}
#endif

#ifdef HAVE_WIDE512_SCAN
/* nibble_groups for the 64 bytes of c, the tables repeated in each 16-byte lane. */
__attribute__((target("avx512bw"))) static __m512i nibble_groups64(__m512i c, const unsigned char *lo,
                                                                   const unsigned char *hi)
{
	const __m512i low = _mm512_set1_epi8(15);
	__m512i lt = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)lo));
	__m512i ht = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)hi));
	__m512i l = _mm512_shuffle_epi8(lt, _mm512_and_si512(c, low));
	__m512i h = _mm512_shuffle_epi8(ht, _mm512_and_si512(_mm512_srli_epi16(c, 4), low));

	return _mm512_and_si512(l, h);
}

/* The first k of 64 bytes. */
static uint64_t first_bytes(size_t k)
{
	return k >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1;
}

/* The whole record, 64 positions a step. Loads are masked at the record's end -- a masked-off
 * byte is neither read nor faulted on, and reads as 0 -- so no step is repeated or copied: the
 * last one is as short as the record. A zero past the end cannot complete a literal that would not
 * fit, and a short literal's group takes any byte there. */
__attribute__((target("avx512bw"))) static size_t scan_wide512(struct prefilter *pf, const char *s, size_t n)
{
	size_t i, found = 0;

	for (i = 0; i < n; i += 64) {
		size_t left = n - i;
		__m512i a = _mm512_maskz_loadu_epi8(first_bytes(left), s + i);
		__m512i b = _mm512_maskz_loadu_epi8(first_bytes(left - 1), s + i + 1);
		__m512i c = _mm512_maskz_loadu_epi8(first_bytes(left > 2 ? left - 2 : 0), s + i + 2);
		__m512i g = _mm512_and_si512(_mm512_and_si512(nibble_groups64(a, pf->nib[0], pf->nib[1]),
		                                              nibble_groups64(b, pf->nib[2], pf->nib[3])),
		                             nibble_groups64(c, pf->nib[4], pf->nib[5]));

		found += check_bits(pf, _mm512_test_epi8_mask(g, g) & first_bytes(left), s, n, i);
	}
	return found;
}
#endif

/* All anchors in one pass. Each step reads 18 bytes (34 with AVX2). The positions left at the
 * end are covered by one more step that overlaps the last one, read inside the record (the bits
 * already checked are dropped); only a record under 18 bytes is copied, zero-padded, to read past
 * its end. The last two bytes cannot start a run of three: they are checked on their own when a
 * literal that short exists. */
__attribute__((target("ssse3"))) static size_t scan_nibbles(struct prefilter *pf, const char *s, size_t n)
{
	size_t i = 0, found = 0, done; /* the positions before done are checked */

#ifdef HAVE_WIDE512_SCAN
	if (pf->wide512)
		return scan_wide512(pf, s, n);
#endif
#ifdef HAVE_WIDE_SCAN
	if (pf->wide)
		i = scan_wide(pf, s, n, &found);
#endif
	for (; i + 18 <= n; i += 16)
		found += check_bits(pf, nibble_hits(pf, s + i), s, n, i);
	if (i == n)
		return found;
	if (n >= 18) {
		size_t base = n - 18;

		found += check_bits(pf, nibble_hits(pf, s + base) & (0xffffu << (i - base)) & 0xffffu, s, n, base);
		done = n - 2;
	} else {
		char pad[18] = {0};

		memcpy(pad, s + i, n - i);
		found += check_bits(pf, nibble_hits(pf, pad) & ((1u << (n - i)) - 1), s, n, i);
		done = i + 16;
	}
	for (; pf->min_len < 3 && done < n; done++)
		if (pf->count[(unsigned char)s[done]])
			found += check_hit(pf, (unsigned char)s[done], s, n, done);
	return found;
}

#endif

/* Counts a sample of the first LEARN_AT records; once it is whole, anchors each literal anew on
 * the run of three bytes the sample held least. Exact either way: only the table hits change. */
static void learn(struct prefilter *pf, const char *s, size_t n)
{
	size_t i;

	if (pf->scans % SAMPLE_EVERY == 0)
		sample_runs(pf, s, n);
	if (++pf->scans < LEARN_AT)
		return;
	for (i = 0; i < pf->nlits; i++)
		pf->lits[i].run_off = rarest_run(pf, pf->lits[i].s, pf->lits[i].len);
	pf->ready = 0;
}

size_t prefilter_scan(struct prefilter *pf, const char *s, size_t n)
{
	size_t k, found = 0;

	if (pf->scans < LEARN_AT && pf->nibbles)
		learn(pf, s, n);
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

size_t prefilter_checks(const struct prefilter *pf)
{
	return pf->checks;
}

size_t prefilter_found(const struct prefilter *pf, const unsigned **ids)
{
	*ids = pf->found;
	return pf->nfound;
}
