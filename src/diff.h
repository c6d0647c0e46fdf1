/* diff: "dartscan diff OLD NEW" -- two bundles of one host, before and after a change (the
 * customer's firewall), scanned as one run and compared: states, findings new, resolved and
 * changed. The diff owns copies of everything it shows; the scans are freed once it is built. */
#ifndef DARTSCAN_DIFF_H
#define DARTSCAN_DIFF_H

#include <stdio.h>

#include "batch.h"

/* One rule's findings in one bundle, its state components taken together: the worst severity,
 * ongoing when any is, the matches summed. */
struct diff_side {
	int present;
	int severity;
	int ongoing;
	int stateful;  /* has a course (finding_has_course): ongoing or ended means something */
	unsigned long count;
};

struct diff_item {
	char *id;
	struct diff_side old, new;
};

struct diff_bundle {
	char *path;
	int status;   /* scan.h's SCAN_*; SCAN_ERROR: not read (why says why) */
	char *why;
	char *host, *org;
	char *states[COMPONENT_MAX]; /* component_table's lanes */
};

struct diff {
	struct diff_bundle b[2]; /* old, new */
	struct diff_item *items; /* NEW's rules in its ranking, then those only OLD has */
	size_t n, cap;
};

/* Scans both bundles (a byte-identical NEW is OLD again) and compares them. Returns 0, or -1
 * when either could not be read (its why is set; the diff is still filled as far as it goes). */
int diff_bundles(struct diff *d, const char *old, const char *new, const struct scan_opts *so,
                 const struct batch_opts *bo);
/* Is an item new, resolved, changed (severity, ongoing or count), or the same? */
int diff_is_new(const struct diff_item *it);
int diff_is_resolved(const struct diff_item *it);
int diff_is_changed(const struct diff_item *it);
/* How many of NEW's findings at or above fail_on OLD did not have, or has lower or not ongoing. */
size_t diff_worse(const struct diff *d, int fail_on);
/* What OLD and NEW disagree on about whose they are ("different hosts: A, B"), or NULL. Caller frees. */
char *diff_mismatch(const struct diff *d);
void diff_emit_text(const struct diff *d, int fail_on, FILE *out);
void diff_emit_json(const struct diff *d, FILE *out);
void diff_reset(struct diff *d);

#endif
