/* fuzz_draft: rules draft on any record. The first byte says where its message begins; the stanza
 * drafted must parse and pass its own tests whatever the bytes (the escaping of constant words,
 * the captures, the test lines), or be refused with a reason -- never fail as a bug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ruledraft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *stanza, *why;
	size_t off;
	int rc;

	if (size < 1 || size > 8192)
		return 0;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	off = size > 1 ? data[0] % size : 0;
	rc = ruledraft_record("cscumbrellaplugin.txt", 1, text, off, &stanza, &why);
	if (rc < 0) {
		fprintf(stderr, "fuzz_draft: %s\n", why);
		abort();
	}
	free(stanza);
	free(why);
	free(text);
	return 0;
}
