/* eol: where the lines of decoded text end -- '\r', '\n', and NUL, which stops a scan too so that
 * the pass that finds the lines counts the NULs -- one at a time (text.c), or all of those among
 * 64 bytes at once for a framer that takes a run of whole lines (textsink.h's text_take_lines). */
#ifndef DARTSCAN_EOL_H
#define DARTSCAN_EOL_H

#include <stddef.h>
#include <stdint.h>

/* The first stop in [p, end), or NULL: a byte at a time, 16 bytes a step, 32 a step (a CPU with
 * AVX2 only: eol_has_avx2). */
const char *eol_bytes(const char *p, const char *end);
const char *eol_sse2(const char *p, const char *end);
const char *eol_avx2(const char *p, const char *end);
int eol_has_avx2(void);

/* The first stop in [p, end), or NULL, 32 bytes a step when avx2 (eol_has_avx2) says so. */
static inline const char *eol_find(int avx2, const char *p, const char *end)
{
	return avx2 ? eol_avx2(p, end) : eol_sse2(p, end);
}

/* Bit i set when w[i] is a stop, for the 64 bytes at w, or those before end when it comes first
 * (the bits past it clear); nothing past end is read. By AVX-512BW (a CPU that has it only:
 * eol_has_avx512), or by SSE2 where there is one. */
uint64_t eol_mask64_avx512(const char *w, const char *end);
uint64_t eol_mask64_sse2(const char *w, const char *end);
int eol_has_avx512(void);

/* The same, by AVX-512BW when wide says so: one call a window, the run's only one. */
static inline uint64_t eol_mask64(int wide, const char *w, const char *end)
{
	return wide ? eol_mask64_avx512(w, end) : eol_mask64_sse2(w, end);
}

#endif
