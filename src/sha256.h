/* sha256: SHA-256 (FIPS 180-4) of a byte stream, for telling byte-identical bundles apart without
 * a new dependency. The context is the caller's (no allocation); feed it, then take the digest. */
#ifndef DARTSCAN_SHA256_H
#define DARTSCAN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define SHA256_HEX (2 * SHA256_LEN + 1)

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;      /* message length so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Pads, writes the 32-byte digest to out; c must be initialised again before reuse. */
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);
/* Whether the processor's SHA extensions are used: allow 0 forces the portable rounds (the unit
 * test runs both). Returns 1 when they are used. Without a call, they are when present. */
int sha256_accelerated(int allow);
/* The digest as 64 lower-case hex digits and a NUL. */
void sha256_hex(const unsigned char d[SHA256_LEN], char out[SHA256_HEX]);

#endif
