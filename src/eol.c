/* eol: the scans for line ends, byte, SSE2, AVX2 and AVX-512 (each only where the CPU has it). */
#include "eol.h"

#ifdef __SSE2__ /* every x86-64; a 32-bit x86 build has the byte scans only */
#include <immintrin.h>
#define HAVE_X86_SCANS 1
#endif

const char *eol_bytes(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == '\r' || *p == '\n' || *p == '\0')
			return p;
	return NULL;
}

#ifdef HAVE_X86_SCANS
/* The stops among the 16 bytes at p as bits. One pass for all three bytes: two memchr calls per
 * line cost more than the line itself when lines are as short as an export's "Time : ..." */
static unsigned stops16(const char *p)
{
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'), nul = _mm_setzero_si128();
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(
	    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, nul)));
}
#endif

const char *eol_sse2(const char *p, const char *end)
{
#ifdef HAVE_X86_SCANS
	for (; end - p >= 16; p += 16) {
		unsigned m = stops16(p);

		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	return eol_bytes(p, end);
}

#ifdef HAVE_X86_SCANS
/* A plugin log's line of about a hundred bytes is four steps, not seven. */
__attribute__((target("avx2"))) const char *eol_avx2(const char *p, const char *end)
{
	const __m256i cr = _mm256_set1_epi8('\r'), lf = _mm256_set1_epi8('\n'), nul = _mm256_setzero_si256();

	while (end - p >= 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
		    _mm256_or_si256(_mm256_cmpeq_epi8(v, cr), _mm256_cmpeq_epi8(v, lf)), _mm256_cmpeq_epi8(v, nul)));

		if (m)
			return p + __builtin_ctz(m);
		p += 32;
	}
	return eol_sse2(p, end);
}

int eol_has_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}

/* A masked load reads nothing past end (a masked-off byte is not read, cannot fault, and reads as
 * 0: a NUL, cleared again by the same mask). */
__attribute__((target("avx512bw"))) uint64_t eol_mask64_avx512(const char *w, const char *end)
{
	size_t left = (size_t)(end - w);
	__mmask64 in = left >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << left) - 1;
	__m512i v = _mm512_maskz_loadu_epi8(in, w);

	return (uint64_t)((_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')) |
	                   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')) |
	                   _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512())) &
	                  in);
}

int eol_has_avx512(void)
{
	return __builtin_cpu_supports("avx512bw");
}
#else
const char *eol_avx2(const char *p, const char *end)
{
	return eol_sse2(p, end);
}

uint64_t eol_mask64_avx512(const char *w, const char *end)
{
	return eol_mask64_sse2(w, end);
}

int eol_has_avx2(void)
{
	return 0;
}

int eol_has_avx512(void)
{
	return 0;
}
#endif

uint64_t eol_mask64_sse2(const char *w, const char *end)
{
	size_t left = (size_t)(end - w);
	uint64_t m = 0;
	const char *e;

#ifdef HAVE_X86_SCANS
	if (left >= 64) {
		size_t i;

		for (i = 0; i < 4; i++)
			m |= (uint64_t)stops16(w + 16 * i) << (16 * i);
		return m;
	}
#endif
	/* the last bytes of a block (or no SSE2): one stop after another */
	if (left > 64)
		end = w + 64;
	for (e = w; (e = eol_bytes(e, end)) != NULL; e++)
		m |= (uint64_t)1 << (e - w);
	return m;
}
