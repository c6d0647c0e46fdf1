/* Unit tests for sha256: the FIPS 180-4 / NIST example vectors, whole and fed in odd pieces. */
#include <stdlib.h>

#include "check.h"
#include "sha256.h"

static void digest(const void *p, size_t n, size_t piece, char out[SHA256_HEX])
{
	struct sha256 c;
	unsigned char d[SHA256_LEN];
	size_t i;

	sha256_init(&c);
	for (i = 0; i < n; i += piece)
		sha256_update(&c, (const char *)p + i, n - i < piece ? n - i : piece);
	sha256_final(&c, d);
	sha256_hex(d, out);
}

static void vectors(const char *how);

/* "how/what" for the check names (a static buffer: one check at a time) */
static const char *name(const char *how, const char *what)
{
	static char n[64];

	snprintf(n, sizeof n, "%s/%s", how, what);
	return n;
}

int main(void)
{
	vectors("sha256");
	if (sha256_accelerated(0) == 0)
		vectors("sha256-portable");
	if (sha256_accelerated(1))
		printf("note: the first run above used the SHA extensions\n");
	return check_failed ? 1 : 0;
}

static void vectors(const char *how)
{
	static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[SHA256_HEX], *mil = malloc(1000000);
	size_t p;

	digest("abc", 3, 3, hex);
	CHECK_STR(name(how, "abc"), hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest("", 0, 1, hex);
	CHECK_STR(name(how, "empty"), hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest(m448, sizeof m448 - 1, sizeof m448, hex);
	CHECK_STR(name(how, "448-bit"), hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	for (p = 1; p <= 65; p += 7) { /* every split of the padding boundary feeds the same digest */
		digest(m448, sizeof m448 - 1, p, hex);
		if (strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") != 0)
			break;
	}
	CHECK(name(how, "448-bit-in-pieces"), p > 65);
	memset(mil, 'a', 1000000);
	digest(mil, 1000000, 1000000, hex);
	CHECK_STR(name(how, "million-a"), hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	digest(mil, 1000000, 4093, hex);
	CHECK_STR(name(how, "million-a-pieces"), hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(mil);
}
