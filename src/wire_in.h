/* wire_in: the byte codec wire.c writes and reads scan results with, private to wire*.c. A reader
 * keeps the first check that failed; after it every read gives zero or NULL. */
#ifndef DARTSCAN_WIRE_IN_H
#define DARTSCAN_WIRE_IN_H

#include <stddef.h>
#include <stdint.h>

#include "timefmt.h"
#include "util.h"

#define WIRE_MAGIC 0x31575344u /* "DSW1", before and after a result */

struct rd {
	const unsigned char *p;
	size_t n, off;
	const char *bad; /* the first check that failed */
};

void wire_put_u32(struct buf *b, uint32_t v);
void wire_put_u64(struct buf *b, uint64_t v);
/* n bytes of s, or a NULL (s NULL). */
void wire_put_bytes(struct buf *b, const char *s, size_t n);
void wire_put_str(struct buf *b, const char *s);
void wire_put_stamp(struct buf *b, const struct stamp *s);

/* Records why (the first reason only); returns -1. */
int wire_fail(struct rd *r, const char *why);
uint32_t wire_get_u32(struct rd *r);
uint64_t wire_get_u64(struct rd *r);
/* A value that must lie in [0, max]. */
uint32_t wire_get_max(struct rd *r, uint32_t max, const char *what);
/* Bytes as a NUL-terminated copy the caller frees (NULL for none); *len gets their count. */
char *wire_get_bytes(struct rd *r, size_t *len);
/* The same, refusing a NUL inside. */
char *wire_get_str(struct rd *r);
void wire_get_stamp(struct rd *r, struct stamp *s);

#endif
