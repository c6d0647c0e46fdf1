/* fuzz_text: the text decoder and record splitter, fed in chunk sizes taken from the input itself
 * (so a UTF-16 pair, a CRLF or a multi-byte sequence lands across every possible boundary). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_record(void *ctx, const struct record *r)
{
	unsigned long *sum = ctx;
	size_t i;

	/* touch every byte the record claims, so ASan sees an out-of-bounds view */
	for (i = 0; i < r->len; i++)
		*sum += (unsigned char)r->text[i];
	for (i = 0; i < r->msg_len; i++)
		*sum += (unsigned char)r->msg[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long sum = 0;
	struct text_reader *tr;
	size_t max_record, off = 0, seed;

	if (size < 2)
		return 0;
	/* first byte: the record limit (small ones exercise cutting); second: the chunk pattern */
	max_record = 64 + (size_t)data[0] * 16;
	seed = data[1];
	data += 2;
	size -= 2;
	tr = text_reader_new(max_record, on_record, &sum);
	while (off < size) {
		size_t n = 1 + (seed * 31 + off) % 97;

		if (n > size - off)
			n = size - off;
		text_reader_feed(tr, data + off, n);
		off += n;
	}
	text_reader_finish(tr);
	text_reader_stats(tr);
	text_reader_free(tr);
	return 0;
}
