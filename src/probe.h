/* probe: the records a rule author points at, kept by the reading worker -- the record at an
 * entry's line with its neighbours, and the first records the rules matched in that entry. */
#ifndef DARTSCAN_PROBE_H
#define DARTSCAN_PROBE_H

#include <stddef.h>

#include "text.h"

#define PROBE_AROUND 3       /* neighbours kept on each side of the record at the line */
#define PROBE_MATCHED 32     /* matched records kept */
#define PROBE_TEXT_MAX 4096  /* bytes kept of a record: enough for a test line */
#define PROBE_MAX (2 * PROBE_AROUND + 1 + PROBE_MATCHED)

enum probe_role { PR_BEFORE = 0, PR_TARGET, PR_AFTER, PR_MATCHED };

/* What to keep: the entry (its name in the bundle, its base name, or a tail of its path), the
 * line (0: none) and whether to keep the records a rule matched. */
struct probe_spec {
	const char *entry;
	unsigned long line;
	int keep_matched;
};

struct probe_record {
	int role;
	unsigned long line;
	struct stamp ts;
	char *text;     /* NUL-terminated, at most PROBE_TEXT_MAX bytes */
	size_t msg_off; /* where the record's message begins in text */
	int cut;        /* text is the record's first PROBE_TEXT_MAX bytes */
	int matched;    /* a rule matched the record */
};

/* A record kept while reading, in a fixed slot: every record before the line passes through. */
struct probe_slot {
	unsigned long line;
	struct stamp ts;
	size_t len, msg_off;
	int cut, matched;
	char text[PROBE_TEXT_MAX + 1];
};

struct probe {
	char *entry_name;  /* the entry read for it, or NULL when none was found */
	struct probe_record v[PROBE_MAX];
	size_t n;
	/* while reading: the last records at or before the line (a ring, oldest first at pos) */
	struct probe_slot ring[PROBE_AROUND + 1];
	size_t ring_n, ring_pos;
	int decided;       /* the target is chosen */
	int after_left;    /* neighbours still to keep after the target */
	int reading;       /* the entry being read is the probed one */
	size_t nmatched;
};

void probe_init(struct probe *p);
void probe_reset(struct probe *p);
/* Whether the entry is the one asked for (only the first entry that fits is). */
int probe_wants(const struct probe *p, const struct probe_spec *s, const char *name, const char *base);
void probe_begin_entry(struct probe *p, const char *name);
/* One record of the probed entry; matched: a rule matched it. */
void probe_record(struct probe *p, const struct probe_spec *s, const struct record *r, int matched);
void probe_end_entry(struct probe *p);
/* The record at the line, or NULL. */
const struct probe_record *probe_target(const struct probe *p);
/* Copies a decoded record into the probe's array (the wire's reader uses it too); 0 when full. */
int probe_add(struct probe *p, int role, unsigned long line, const struct stamp *ts, const char *text, size_t len,
              size_t msg_off, int cut, int matched);

#endif
