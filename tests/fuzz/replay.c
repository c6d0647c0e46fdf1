/* replay: runs a fuzz target's entry point on files, without libFuzzer, so `make check` (and its
 * sanitizer and valgrind runs) replays every saved crash input -- confined by the worker's seccomp
 * filter (stdout and stderr writable), as dartscan reads bundles. usage: replay FILE... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	static const int wfds[] = {1, 2};
	struct ds_error err;
	int i;

	/* not in the sanitizers' build: LeakSanitizer checks at exit from a process it clones and
	 * traces, which the filter (rightly) forbids; the plain build replays confined */
	if (!SANITIZED && sandbox_confine(wfds, 2, NULL, &err) != 0 && sandbox_filter_possible()) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *p = NULL;
		size_t len = 0, cap = 0, n;

		if (f == NULL) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len + 65536 > cap) {
				cap = (len + 65536) * 2;
				p = realloc(p, cap);
				if (p == NULL)
					return 2;
			}
			n = fread(p + len, 1, 65536, f);
			len += n;
		} while (n > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(p, len);
		free(p);
	}
	return 0;
}
