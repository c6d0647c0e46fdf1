/* fuzz_text: the text decoder and record splitter, fed in chunk sizes taken from the input itself
 * (so a UTF-16 pair, a CRLF or a multi-byte sequence lands across every possible boundary), then
 * whole in one block (so a framer's run of whole lines takes all it can): aborts when the two
 * readings differ in any record or count. */
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sum {
	unsigned long n, all;
};

static int on_record(void *ctx, const struct record *r)
{
	struct sum *s = ctx;
	size_t i;

	/* touch every byte the record claims, so ASan sees an out-of-bounds view */
	s->n++;
	s->all = s->all * 31 + r->line * 7 + (unsigned long)r->ts.ms + (unsigned long)r->truncated;
	for (i = 0; i < r->len; i++)
		s->all = s->all * 7 + (unsigned char)r->text[i];
	for (i = 0; i < r->msg_len; i++)
		s->all += (unsigned char)r->msg[i];
	return 0;
}

/* One reading: chunks of sizes from seed, or the whole input at once (seed 0). */
static struct sum read_text(const uint8_t *data, size_t size, size_t max_record, size_t seed)
{
	struct sum sum = {0, 0};
	struct text_reader *tr = text_reader_new(max_record, on_record, &sum);
	const struct text_stats *st;
	size_t off = 0;

	while (off < size) {
		size_t n = seed ? 1 + (seed * 31 + off) % 97 : size;

		if (n > size - off)
			n = size - off;
		text_reader_feed(tr, data + off, n);
		off += n;
	}
	text_reader_finish(tr);
	st = text_reader_stats(tr);
	sum.all = sum.all * 31 + st->lines + st->nul_bytes * 3 + st->truncated * 5 + st->first_truncated_line * 7;
	text_reader_free(tr);
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sum chunked, whole;
	size_t max_record;

	if (size < 2)
		return 0;
	/* first byte: the record limit (small ones exercise cutting); second: the chunk pattern */
	max_record = 64 + (size_t)data[0] * 16;
	chunked = read_text(data + 2, size - 2, max_record, (size_t)data[1] + 1);
	whole = read_text(data + 2, size - 2, max_record, 0);
	if (chunked.n != whole.n || chunked.all != whole.all)
		abort();
	return 0;
}
