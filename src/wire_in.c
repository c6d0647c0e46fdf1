/* wire_in: the byte codec under wire.c -- fixed-width little-endian integers, strings as a length
 * plus one (0 for NULL) and their bytes, a time -- and the reader that stops at the first bad value. */
#include <stdlib.h>
#include <string.h>

#include "wire_in.h"

void wire_put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};

	buf_add(b, c, 4);
}

void wire_put_u64(struct buf *b, uint64_t v)
{
	wire_put_u32(b, (uint32_t)v);
	wire_put_u32(b, (uint32_t)(v >> 32));
}

void wire_put_bytes(struct buf *b, const char *s, size_t n)
{
	if (s == NULL) {
		wire_put_u32(b, 0);
		return;
	}
	wire_put_u32(b, (uint32_t)n + 1);
	buf_add(b, s, n);
}

void wire_put_str(struct buf *b, const char *s)
{
	wire_put_bytes(b, s, s ? strlen(s) : 0);
}

void wire_put_stamp(struct buf *b, const struct stamp *s)
{
	wire_put_u64(b, (uint64_t)s->ms);
	wire_put_u32(b, (uint32_t)s->shift_ms);
	wire_put_u32(b, (uint32_t)(uint16_t)s->off_min | (uint32_t)s->prov << 16 | (uint32_t)s->flags << 24);
}

int wire_fail(struct rd *r, const char *why)
{
	if (r->bad == NULL)
		r->bad = why;
	return -1;
}

uint32_t wire_get_u32(struct rd *r)
{
	const unsigned char *c;

	if (r->bad || r->n - r->off < 4) {
		wire_fail(r, "cut short");
		return 0;
	}
	c = r->p + r->off;
	r->off += 4;
	return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
}

uint64_t wire_get_u64(struct rd *r)
{
	uint64_t lo = wire_get_u32(r);

	return lo | (uint64_t)wire_get_u32(r) << 32;
}

/* A value that must lie in [0, max]. */
uint32_t wire_get_max(struct rd *r, uint32_t max, const char *what)
{
	uint32_t v = wire_get_u32(r);

	if (v > max)
		wire_fail(r, what);
	return r->bad ? 0 : v;
}

/* Bytes as a NUL-terminated copy (NULL for none); *len gets their count. */
char *wire_get_bytes(struct rd *r, size_t *len)
{
	uint32_t n = wire_get_u32(r);
	char *s;

	*len = 0;
	if (r->bad || n == 0)
		return NULL;
	if (n - 1 > r->n - r->off) {
		wire_fail(r, "a string runs past the end");
		return NULL;
	}
	s = xmalloc(n);
	memcpy(s, r->p + r->off, n - 1);
	s[n - 1] = '\0';
	r->off += n - 1;
	*len = n - 1;
	return s;
}

char *wire_get_str(struct rd *r)
{
	size_t len;
	char *s = wire_get_bytes(r, &len);

	if (s && strlen(s) != len) {
		free(s);
		wire_fail(r, "a NUL inside a string");
		return NULL;
	}
	return s;
}

void wire_get_stamp(struct rd *r, struct stamp *s)
{
	uint32_t rest;

	s->ms = (int64_t)wire_get_u64(r);
	s->shift_ms = (int32_t)wire_get_u32(r);
	s->seg = 0;
	rest = wire_get_u32(r);
	s->off_min = (int16_t)(uint16_t)rest;
	s->prov = (uint8_t)(rest >> 16);
	s->flags = (uint8_t)(rest >> 24);
}

