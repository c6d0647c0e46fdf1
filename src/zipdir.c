/* zipdir: overlapping zip entries (D. Fifield's "better zip bomb": each entry's data holds the
 * next entry's header, or every name points at one header) make a few MB inflate to many GiB while
 * each entry stays under any ratio limit. No zip writer makes entries share bytes, so any overlap
 * is refused before a byte is inflated. Only the end of each entry's data is estimated, from below
 * (its local header's fixed part and its compressed size: the local name may differ from the
 * directory's, and in the full-overlap bomb it does): an overlap found is certain.
 * An entry that claims to run past the start of the directory is a lie of another kind (a
 * damaged or cut zip): it cannot be read more than once, and libarchive reports it.
 * A self-extractor's zip comes after the program: its offsets may count from the file's start (as
 * WinZip's and "zip -A" write them) or from the zip's own (a stub put before a zip). The directory
 * is found where the end record says, else right before the end record; the offsets are compared
 * with one another as written, so the shift never matters.
 * The same directory, listed, tells bundle.c where each entry's deflate data is, so that it can be
 * inflated outside libarchive (zipinflate.c); bytes come from a file or from memory alike. */
#include "zipdir.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EOCD_MIN 22
#define EOCD_SEARCH (EOCD_MIN + 65535)      /* the record plus the longest comment */
#define CD_MAX (64u << 20)                  /* a directory larger than this is left to libarchive */
#define CD_ENTRY_MIN 46
#define LOCAL_MIN 30

struct span {
	uint64_t start, end; /* local header offset; lower bound of the end of its data */
};

int zipsrc_read(const struct zipsrc *s, uint64_t off, void *p, size_t n)
{
	size_t got = 0;

	if (off > s->size || n > s->size - off)
		return -1;
	if (s->mem != NULL) {
		memcpy(p, s->mem + off, n);
		return 0;
	}
	while (got < n) {
		ssize_t r = pread(s->fd, (char *)p + got, n - got, (off_t)(off + got));

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Where the central directory is, as written, and how long: from the end record, or its zip64
 * twin; *end is where in the file the directory ends (the record that follows it). */
static int find_directory(const struct zipsrc *s, uint64_t *cd_off, uint64_t *cd_len, uint64_t *end)
{
	uint64_t size = s->size;
	size_t n = size < EOCD_SEARCH ? (size_t)size : EOCD_SEARCH, i;
	unsigned char *tail = xmalloc(n), z[56];
	uint64_t base = size - n;
	int rc = -1;

	if (zipsrc_read(s, base, tail, n) != 0)
		goto out;
	for (i = n - EOCD_MIN + 1; i-- > 0;) {
		if (le32(tail + i) != 0x06054b50)
			continue;
		*cd_len = le32(tail + i + 12);
		*cd_off = le32(tail + i + 16);
		*end = base + i;
		rc = 0;
		if ((*cd_len == 0xffffffffu || *cd_off == 0xffffffffu) && i >= 20 && le32(tail + i - 20) == 0x07064b50) {
			uint64_t z_off = le64(tail + i - 20 + 8), here = base + i - 20 - sizeof z;

			/* as written, else right before its locator (a stub before the zip) */
			if (z_off > size - sizeof z || zipsrc_read(s, z_off, z, sizeof z) != 0 || le32(z) != 0x06064b50)
				z_off = here;
			if (base + i < 20 + sizeof z || zipsrc_read(s, z_off, z, sizeof z) != 0 || le32(z) != 0x06064b50)
				rc = -1;
			else {
				*cd_len = le64(z + 40);
				*cd_off = le64(z + 48);
				*end = z_off;
			}
		}
		break;
	}
out:
	free(tail);
	return rc;
}

/* The zip64 extra field gives the 64-bit values of the fields set to all ones, in this order. */
static int apply_zip64(const unsigned char *x, size_t n, uint32_t usize, uint32_t csize, uint64_t *u, uint64_t *c,
                       uint64_t *off, uint32_t off32)
{
	size_t i = 0;

	while (i + 4 <= n) {
		uint32_t id = le16(x + i), len = le16(x + i + 2);
		const unsigned char *v = x + i + 4, *end = v + (len <= n - i - 4 ? len : n - i - 4);

		if (id == 0x0001) {
			if (usize == 0xffffffffu && v + 8 <= end)
				*u = le64(v), v += 8;
			if (csize == 0xffffffffu && v + 8 <= end)
				*c = le64(v), v += 8;
			if (off32 == 0xffffffffu && v + 8 <= end)
				*off = le64(v);
			return 1;
		}
		i += 4 + len;
	}
	return 0;
}

/* Every entry of the directory cd (len bytes) as written, up to the first that does not parse. */
static size_t read_entries(const unsigned char *cd, size_t len, struct zipdir_entry **out)
{
	size_t i = 0, n = 0, cap = 0;
	struct zipdir_entry *v = NULL;

	while (i + CD_ENTRY_MIN <= len && le32(cd + i) == 0x02014b50) {
		const unsigned char *e = cd + i;
		uint32_t csize = le32(e + 20), usize = le32(e + 24), off32 = le32(e + 42);
		size_t name = le16(e + 28), extra = le16(e + 30), comment = le16(e + 32);

		if (i + CD_ENTRY_MIN + name + extra + comment > len)
			break;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].csize = csize;
		v[n].usize = usize;
		v[n].header = off32;
		v[n].crc = le32(e + 16);
		v[n].method = le16(e + 10);
		v[n].flags = le16(e + 8);
		v[n].zip64 = apply_zip64(e + CD_ENTRY_MIN + name, extra, usize, csize, &v[n].usize, &v[n].csize,
		                         &v[n].header, off32);
		n++;
		i += CD_ENTRY_MIN + name + extra + comment;
	}
	*out = v;
	return n;
}

static size_t read_spans(const unsigned char *cd, size_t len, uint64_t cd_off, struct span **out)
{
	struct zipdir_entry *e;
	size_t ne = read_entries(cd, len, &e), i, n = 0;
	struct span *v = xmalloc((ne ? ne : 1) * sizeof *v);

	for (i = 0; i < ne; i++) {
		uint64_t c = e[i].csize, off = e[i].header;

		if (off > cd_off || c > cd_off - off || LOCAL_MIN > cd_off - off - c)
			continue;
		v[n].start = off;
		v[n].end = off + LOCAL_MIN + c;
		n++;
	}
	free(e);
	*out = v;
	return n;
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The central directory's bytes, into *cd (the caller frees it), with where it says it starts. */
static int load_directory(const struct zipsrc *s, unsigned char **cd, uint64_t *cd_len, uint64_t *cd_off)
{
	uint64_t end;
	unsigned char *p;

	if (s->size < EOCD_MIN || find_directory(s, cd_off, cd_len, &end) != 0 || *cd_len > CD_MAX ||
	    *cd_len < CD_ENTRY_MIN || *cd_len > end)
		return -1;
	p = xmalloc((size_t)*cd_len);
	/* where the end record says, else where it ends: right before that record */
	if ((*cd_off > s->size || *cd_len > s->size - *cd_off || zipsrc_read(s, *cd_off, p, (size_t)*cd_len) != 0 ||
	     le32(p) != 0x02014b50) &&
	    (zipsrc_read(s, end - *cd_len, p, (size_t)*cd_len) != 0 || le32(p) != 0x02014b50)) {
		free(p);
		return -1;
	}
	*cd = p;
	return 0;
}

static int by_header(const void *a, const void *b)
{
	const struct zipdir_entry *x = a, *y = b;

	return x->header < y->header ? -1 : x->header > y->header;
}

size_t zipdir_list(const struct zipsrc *s, struct zipdir_entry **out)
{
	uint64_t cd_off, cd_len;
	unsigned char *cd;
	size_t n;

	*out = NULL;
	if (load_directory(s, &cd, &cd_len, &cd_off) != 0)
		return 0;
	n = read_entries(cd, (size_t)cd_len, out);
	free(cd);
	sort_array(*out, n, sizeof **out, by_header);
	return n;
}

int zipdir_check(int fd, uint64_t size, const char *path, struct ds_error *err)
{
	struct zipsrc s = {fd, NULL, size};
	uint64_t cd_off, cd_len;
	unsigned char *cd;
	struct span *v;
	size_t n, i, shared = 0;

	if (load_directory(&s, &cd, &cd_len, &cd_off) != 0)
		return 0;
	n = read_spans(cd, (size_t)cd_len, cd_off, &v);
	free(cd);
	sort_array(v, n, sizeof *v, by_start);
	for (i = 0; i + 1 < n; i++)
		if (v[i].end > v[i + 1].start)
			shared++;
	free(v);
	if (shared == 0)
		return 0;
	ds_error_set(err, path, 0, "overlapping entries: a zip bomb (%zu of %zu entries share their bytes with the next), not read",
	             shared, n);
	return -1;
}
