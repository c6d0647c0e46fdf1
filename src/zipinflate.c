/* zipinflate: inflating is most of a large bundle's cost, and ISA-L's inflate is about three times
 * zlib's speed on this data. bundle.c still finds every entry through libarchive (names, formats,
 * encryption, nesting); for a plain deflated entry of the outer zip whose local header agrees with
 * the directory it reads the data here instead, from the offsets zipdir.c lists, and libarchive
 * then skips the entry without inflating it. Like libarchive's seekable zip reader, the input
 * stops at the directory's compressed size. Only a whole, sound entry is finished here: when the
 * data cannot be inflated, or its sizes or CRC-32 (ISA-L's crc32_gzip_refl) are not the
 * directory's, the entry goes back to libarchive, which inflates it again from its start and says
 * what is wrong in its own words -- bundle.c drops the bytes already handed out -- so a report
 * never depends on which reader read an entry. But for one thing: in the middle of a damaged
 * stream, zlib and ISA-L notice the damage at different places, each after whole blocks of its own
 * size, so how much of the garbage after it is read first may differ (the problem said does not). */
#include "zipinflate.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define IN_BLOCK (64 * 1024) /* compressed bytes read at a time: bundle.c's READ_BLOCK */
#define LOCAL_MIN 30
#define FLAG_ENCRYPTED 0x0001
#define FLAG_LENGTH_AT_END 0x0008
#define FLAG_STRONG 0x0040

struct zipinflate {
	struct inflate_state st;
	const struct zipsrc *src;
	struct zipdir_entry e;
	uint64_t data_off;
	uint64_t in_off, in_left; /* where the next compressed bytes are, and how many remain */
	uint64_t used, out_total;
	uint32_t crc;
	int ended;
	unsigned char in[IN_BLOCK];
	unsigned char out[ZIPINFLATE_BLOCK];
};

struct zipinflate *zipinflate_new(void)
{
	return xcalloc(1, sizeof(struct zipinflate));
}

void zipinflate_free(struct zipinflate *z)
{
	free(z);
}

/* The zip64 field of the extra field x (n bytes), or NULL; *len its length. */
static const unsigned char *zip64_field(const unsigned char *x, size_t n, size_t *len)
{
	size_t i = 0;

	while (i + 4 <= n) {
		size_t k = le16(x + i + 2);

		if (le16(x + i) == 0x0001) {
			*len = k <= n - i - 4 ? k : n - i - 4;
			return x + i + 4;
		}
		i += 4 + k;
	}
	return NULL;
}

/* A local header's size as libarchive takes it: the 32-bit value, or, when that is all ones, the
 * next 8 bytes of the zip64 field (*z, *zlen move past them). 0 when it is not there. */
static int local_size(uint32_t v32, const unsigned char **z, size_t *zlen, uint64_t *v)
{
	*v = v32;
	if (v32 != 0xffffffffu)
		return 1;
	if (*z == NULL || *zlen < 8)
		return 0;
	*v = le64(*z);
	*z += 8;
	*zlen -= 8;
	return 1;
}

int zipinflate_takes(const struct zipsrc *s, const struct zipdir_entry *e, uint64_t data_off)
{
	unsigned char h[LOCAL_MIN], x[65536];
	const unsigned char *z;
	unsigned flags;
	size_t xlen, zlen = 0;
	uint64_t usize, csize;

	if (e->method != 8 || (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG)) ||
	    zipsrc_read(s, e->header, h, sizeof h) != 0 || le32(h) != 0x04034b50 || le16(h + 8) != e->method ||
	    data_off != e->header + LOCAL_MIN + le16(h + 26) + le16(h + 28) || data_off > s->size ||
	    e->csize > s->size - data_off)
		return 0;
	flags = le16(h + 6);
	xlen = le16(h + 28);
	if (((flags ^ e->flags) & (FLAG_ENCRYPTED | FLAG_LENGTH_AT_END | FLAG_STRONG)) ||
	    zipsrc_read(s, e->header + LOCAL_MIN + le16(h + 26), x, xlen) != 0)
		return 0;
	z = zip64_field(x, xlen, &zlen);
	/* libarchive weighs the local values against the directory's and says so in its own way:
	 * only entries where they agree are taken (a length-at-end entry's may also be zeros) */
	if (!local_size(le32(h + 22), &z, &zlen, &usize) || !local_size(le32(h + 18), &z, &zlen, &csize))
		return 0;
	if (flags & FLAG_LENGTH_AT_END)
		return (le32(h + 14) == 0 || le32(h + 14) == e->crc) && (usize == 0 || usize == e->usize) &&
		       (csize == 0 || csize == e->csize);
	return le32(h + 14) == e->crc && usize == e->usize && csize == e->csize;
}

void zipinflate_begin(struct zipinflate *z, const struct zipsrc *s, const struct zipdir_entry *e, uint64_t data_off)
{
	if (e->usize >= sizeof z->out) /* its buffers are about to be written whole (once mapped, a no-op) */
		populate(z, sizeof *z);
	isal_inflate_init(&z->st);
	z->st.crc_flag = ISAL_DEFLATE;
	z->src = s;
	z->e = *e;
	z->data_off = data_off;
	z->in_off = data_off;
	z->in_left = e->csize;
	z->used = 0;
	z->out_total = 0;
	z->crc = 0;
	z->ended = 0;
}

uint64_t zipinflate_used(const struct zipinflate *z)
{
	return z->used;
}

int zipinflate_read(struct zipinflate *z, void *room, size_t cap, const void **p, size_t *size)
{
	unsigned char *out = room ? room : z->out;
	size_t outcap = room && cap < sizeof z->out ? cap : sizeof z->out;

	*p = out;
	*size = 0;
	if (z->ended)
		return ZIPINFLATE_END;
	z->st.next_out = out;
	z->st.avail_out = (uint32_t)outcap;
	while (!z->ended && z->st.avail_out > 0) {
		uint32_t before, left;

		if (z->st.avail_in == 0 && z->in_left > 0) {
			size_t k = z->in_left < IN_BLOCK ? (size_t)z->in_left : IN_BLOCK;

			if (zipsrc_read(z->src, z->in_off, z->in, k) != 0)
				return ZIPINFLATE_BACK;
			z->in_off += k;
			z->in_left -= k;
			z->st.next_in = z->in;
			z->st.avail_in = (uint32_t)k;
		}
		before = z->st.avail_in;
		left = z->st.avail_out;
		if (isal_inflate(&z->st) < 0)
			return ZIPINFLATE_BACK;
		z->used += before - z->st.avail_in;
		if (z->st.block_state == ISAL_BLOCK_FINISH)
			z->ended = 1;
		else if (z->st.avail_in == 0 && z->in_left == 0 && z->st.avail_out == left)
			return ZIPINFLATE_BACK; /* the compressed size ran out before the stream's end */
	}
	*size = outcap - z->st.avail_out;
	z->crc = crc32_gzip_refl(z->crc, out, *size);
	/* whole and as the directory says: else libarchive reads it again, to say what is wrong */
	if (z->ended && (z->used != z->e.csize || z->out_total + *size != z->e.usize || z->crc != z->e.crc)) {
		*size = 0;
		return ZIPINFLATE_BACK;
	}
	z->out_total += *size;
	return ZIPINFLATE_OK;
}

uint64_t zipinflate_given(const struct zipinflate *z)
{
	return z->out_total;
}
