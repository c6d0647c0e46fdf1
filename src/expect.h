/* expect: CI regression expectations -- per sample bundle, the finding ids it must produce,
 * those it must not, and optionally its end states -- compared with a scan, or rewritten from
 * one (--update-expect). The set owns its strings. */
#ifndef DARTSCAN_EXPECT_H
#define DARTSCAN_EXPECT_H

#include "scan.h"

struct expect_bundle {
	char *path;     /* as written in the file */
	char *resolved; /* relative to the file's directory */
	char **want, **want_not, **states; /* states as "dns_ipv4=unprotected" */
	size_t nwant, nnot, nstates;
	size_t capwant, capnot, capstates;
};

struct expect_set {
	char *file;
	struct expect_bundle *b;
	size_t n, cap;
};

int expect_load(struct expect_set *es, const char *file, struct ds_error *err);
void expect_reset(struct expect_set *es);
struct expect_bundle *expect_find(const struct expect_set *es, const char *path);

/* One expectation's outcome: name like "expect dns.resolvers-unreachable", ok, and when not ok
 * what drifted. */
typedef void (*expect_fn)(void *ctx, const char *name, int ok, const char *msg);
/* Compares a scan with its expectations; returns the number that drifted. */
int expect_compare(const struct expect_bundle *eb, const struct scan_result *res, expect_fn fn, void *ctx);
/* Replaces eb's expectations by what res shows (expect-not lines that still hold are kept). */
void expect_record(struct expect_bundle *eb, const struct scan_result *res);
int expect_save(const struct expect_set *es, struct ds_error *err);

#endif
