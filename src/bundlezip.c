/* bundlezip: the outer zip's plain deflated entries read outside libarchive, by zipinflate.c
 * (ISA-L). libarchive still walks the headers; where its position after one is the data of a
 * directory entry zipinflate takes, the data is inflated here and libarchive skips it. An entry
 * zipinflate gives back (damaged, or not what the directory says) is read by libarchive from its
 * start; bundle.c drops the bytes already handed out. */
#include "bundle_in.h"
#include "zipinflate.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* Lists the zip's directory for zipinflate.c: from the file (fd -1: opened here) or memory. */
void bundlezip_list(struct bundle *b, const char *path, const void *mem, uint64_t size)
{
	if (b->lim.libarchive_only)
		return;
	b->zsrc.mem = mem;
	b->zsrc.size = size;
	if (mem == NULL && (b->zsrc.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	b->nzents = zipdir_list(&b->zsrc, &b->zents);
	if (b->nzents == 0 && b->zsrc.fd >= 0) {
		close(b->zsrc.fd);
		b->zsrc.fd = -1;
	}
}

/* Compressed bytes used so far, on the outer file: libarchive's and zipinflate's. */
int64_t bundle_raw_bytes(const struct bundle *b)
{
	return archive_filter_bytes(b->lv[0].a, -1) + (int64_t)b->zi_raw;
}

/* Does zipinflate.c read the current entry of the outer zip? Its data starts where libarchive
 * stands after the header; the directory entry whose local header leads there is the one. */
int bundlezip_take(struct bundle *b, struct level *l)
{
	int64_t data = archive_filter_bytes(l->a, -1);
	size_t lo = 0, hi = b->nzents;

	if (b->depth != 1 || b->nzents == 0 || l->encrypted || data <= 0 ||
	    (archive_format(l->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP)
		return 0;
	while (lo < hi) { /* the first entry whose header is at or past the data */
		size_t mid = lo + (hi - lo) / 2;

		if (b->zents[mid].header < (uint64_t)data)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || !zipinflate_takes(&b->zsrc, &b->zents[lo - 1], (uint64_t)data))
		return 0;
	if (b->zi == NULL)
		b->zi = zipinflate_new();
	zipinflate_begin(b->zi, &b->zsrc, &b->zents[lo - 1], (uint64_t)data);
	return 1;
}

int bundle_entry_isal(const struct bundle *b)
{
	return b->depth > 0 && b->lv[0].in_entry && b->lv[0].isal;
}

ssize_t bundlezip_read(struct bundle *b, struct level *l, void *room, size_t cap, const void **p, size_t *size)
{
	uint64_t used = zipinflate_used(b->zi);
	int rc = zipinflate_read(b->zi, room, cap, p, size);

	b->zi_raw += zipinflate_used(b->zi) - used;
	if (rc == ZIPINFLATE_BACK) {
		/* libarchive inflates it again from its start and uses those compressed bytes in place
		 * of these (the ratio counts them once); it says what is wrong */
		l->isal = 0;
		l->skip = zipinflate_given(b->zi);
		b->zi_raw -= zipinflate_used(b->zi);
	}
	return rc;
}
