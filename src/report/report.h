/* report: renders scan results. One renderer per format (text, json, ndjson, junit, sarif, ...)
 * behind one table keyed by the format's name; each has a _new/_bundle/_end/_free set. The
 * reporter borrows the results it is shown and writes only to the FILE it was given. */
#ifndef DARTSCAN_REPORT_H
#define DARTSCAN_REPORT_H

#include <stdio.h>

#include "expect.h"
#include "group.h"
#include "scan.h"

struct report_opts {
	int color;
	int timeline;
	int fail_on;
	const struct ruleset *rs;
	const struct expect_set *expect; /* --expect: renderers may show one testcase per expectation */
	int unexplained;                 /* --unexplained N: templates shown (all in JSON); 0: the stage is off */
	int unexplained_all;             /* JSON's own: every template, not the first N */
	int baseline;                    /* --baseline given: templates carry a meaningful "new" */
	int group_by;                    /* --group-by: group.h's GROUP_*, GROUP_NONE without it */
	int utc;                         /* --utc asked: renderers say which bundles' times stayed local */
	int redact;                      /* --redact: pages and notes a customer reads name no bundle path */
};

struct report_ops {
	const char *name;
	void *(*new)(FILE *out, const struct report_opts *o);
	void (*bundle)(void *st, const struct scan_result *res);
	void (*end)(void *st);
	void (*free)(void *st);
	int digest; /* prints every bundle's sha256, not only a duplicate's: the batch must take it */
};

struct reporter;

/* NULL when the format is unknown. */
struct reporter *report_new(const char *format, FILE *out, const struct report_opts *o);
void report_bundle(struct reporter *r, const struct scan_result *res);
void report_end(struct reporter *r);
void report_free(struct reporter *r);
/* Is there a renderer of this name? (checked before any output is opened) */
int report_format_known(const char *format);
/* Whether the format prints a bundle's sha256 when no other bundle repeats it (the batch takes the
 * digest for that, or to find duplicates, and only then). */
int report_format_digest(const char *format);
/* "text, json, ..." for usage messages. */
const char *report_formats(void);

/* Helpers code outside the renderers uses too (diff, rules try); the renderers' own are report_in.h's. */
struct json_t;
/* "2024-08-27T03:07:43" or NULL for TP_NONE, in buf. */
const char *report_time(const struct stamp *st, char *buf, size_t n);
/* "label entry: message" lines, one per problem of res, escaped for the terminal. */
void report_print_problems(FILE *out, const struct scan_result *res, const char *label);
/* A JSON string of s made safe (escape.h's ESC_TEXT; JSON null for NULL): a new reference. */
struct json_t *report_jstr(const char *s);

#endif
