/* check.h: the unit tests' assert macros. Each CHECK prints PASS or FAIL with file:line. */
#ifndef DARTSCAN_CHECK_H
#define DARTSCAN_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed;

#define CHECK(name, cond)                                                                          \
	do {                                                                                       \
		if (cond)                                                                          \
			printf("PASS %s\n", name);                                                 \
		else {                                                                             \
			printf("FAIL %s: %s:%d: %s\n", name, __FILE__, __LINE__, #cond);             \
			check_failed++;                                                            \
		}                                                                                  \
	} while (0)

#define CHECK_STR(name, got, want)                                                                 \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (g_ && w_ && strcmp(g_, w_) == 0)                                               \
			printf("PASS %s\n", name);                                                 \
		else {                                                                             \
			printf("FAIL %s: %s:%d: got '%s', want '%s'\n", name, __FILE__, __LINE__,    \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");                            \
			check_failed++;                                                            \
		}                                                                                  \
	} while (0)

#endif
