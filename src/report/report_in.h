/* report_in: what the renderers share and nothing outside src/report/ may use -- the summary
 * rows and groups (report_rows.c) and the wording helpers (report_common.c). Private to the folder. */
#ifndef DARTSCAN_REPORT_IN_H
#define DARTSCAN_REPORT_IN_H

#include "report.h"

/* A bundle's line in a summary (text, HTML, JSON "summary", CSV): copied strings that outlive the
 * scan result. A duplicate's row repeats the states and findings of the row it duplicates. */
struct report_row {
	char *path;                 /* as reported: the bundle's section is headed by it */
	char *shown;                /* below the -r root (path when there is none) */
	char *host, *org, *client, *collected; /* NULL when the bundle does not say; collected to the
	                                        minute (" UTC" after a tar's time no zone moved) */
	char *collected_iso;        /* the same in ISO 8601 to the second, as every time in the CSV */
	char *states[COMPONENT_MAX]; /* component_table's lanes; NULL when the bundle could not be read */
	char *top;                  /* the top finding's id, or NULL */
	char *verdict;              /* report_verdict's */
	int verdict_class;          /* enum verdict_class */
	char *since;                /* the top finding's first failure (ISO), or NULL */
	char *lasted;               /* from it to its recovery or last failure ("12 min"), or NULL */
	int64_t lasted_ms;          /* the same in ms (when lasted is not NULL) */
	int ongoing;                /* the top finding's: 1, 0, or -1 when it has no course */
	char *sha256, *duplicate_of, *error;
	char *network;              /* what names its site: the context value network (default gateway
	                               and DNS servers), else the failing proxy addresses; or NULL */
	size_t original;            /* a duplicate's: the index of the row it repeats */
	char *before;               /* how long before the collection the last failure was ("90 s before"), or NULL */
	int sev;
	int status;
	unsigned long problems;
};

struct report_rows {
	struct report_row *v;
	size_t n, cap;
};

void report_rows_add(struct report_rows *rows, const struct scan_result *res);
void report_rows_reset(struct report_rows *rows);
/* The rows gathered by --group-by's key (root-cause: the top finding's id, which is one at or
 * above warning; org: the organisation id; network: the row's network; a bundle that could not
 * be read: REPORT_NOT_READ, whatever the key); duplicates count once. */
#define REPORT_NOT_READ "not read"
void report_groups(struct groups *g, const struct report_rows *rows, int by);
/* A group's key as a reader sees it: "-" for the group of bundles without one. */
const char *report_group_key(const struct group *gr);

/* The bundle as the JSON document's object, for json and ndjson (a new reference). */
struct json_t;
struct json_t *report_bundle_json(const struct scan_result *res, const struct report_opts *o);
/* What a report says of an entry's date order (enum date_order), or NULL when nothing needs saying;
 * report_date_order_key is JSON's short form. */
const char *report_date_order_note(int order);
const char *report_date_order_key(int order);
/* label and the time to b; nothing for TP_NONE. */
void report_add_time(struct buf *b, const char *label, const struct stamp *st);
/* A time as JSON, or null: a new reference. */
struct json_t *report_jtime(const struct stamp *st);
/* How a finding stands at the end of its log, appended to b (times for humans or ISO):
 * ", ongoing", ", ongoing as of the cut (T)", ", failing until T, nothing since for D",
 * ", recovered T"; nothing for a finding without a course (finding_has_course). */
void report_add_course(struct buf *b, const struct finding *f, int human);
/* A finding's incidents: "89 min" for one, "21, failing 2 h 18 min in all; the last since T for
 * 6 min" for several; NULL when it has none. The caller frees it. */
char *report_incidents(const struct finding *f);
/* "since T" or "since at least T (the log starts failing)", for humans; nothing without a time. */
void report_add_since(struct buf *b, const struct finding *f);
/* Whether next step i of finding g[k] is already said, at the same place, by an earlier one of
 * the group (a rule's findings on both stacks share their steps). */
int report_next_repeats(const struct finding *const *g, size_t k, size_t i);
/* The window the bundle was read in: "2024-10-02 10:05:00 .. 2024-10-02 10:30:00", "from T",
 * "until T"; NULL without --since/--until. The caller frees it. */
char *report_window(const struct scan_result *res);
/* The bundle's verdict in one line: its top finding (root cause first) with since when and how
 * it stands, or that nothing at or above warning was found and which states were seen. The
 * caller frees it. */
char *report_verdict(const struct scan_result *res);
/* How many findings from i on are one rule's about several state components (IPv4 and IPv6,
 * ranked together): text and HTML show them as one block. */
size_t report_group_len(const struct diagnosis *d, size_t i);
/* The n findings of a group from i (report_group_len) in the lanes' table order, to g (room for
 * COMPONENT_MAX): the first speaks for the group's fix (IPv4's names both stacks' resolvers).
 * Returns 0, g untouched, when they do not map one to one onto the lanes (show them apart). */
int report_group_sorted(const struct diagnosis *d, size_t i, size_t n, const struct finding **g);
/* One title for a group's findings: the words their titles share around what differs ("OpenDNS
 * resolvers unreachable over IPv4 and IPv6: DNS protection off"); the first title when they share
 * nothing. The caller frees it. */
char *report_group_title(const struct finding *const *g, size_t n);
/* A bundle's name for a reader outside the engineer's machine (the HTML page, the case note): its
 * path below the -r root when -r found it, else the argument as given when it is a relative path
 * that does not climb out of the working directory (no "..", not absolute), else its base name;
 * "bundle N" (N from 1, the bundle's place in the run) under --redact. The caller frees it. */
char *report_bundle_name(const struct scan_result *res, int redact, size_t n);
/* The state a finding's component is in at the end of the bundle, or NULL. */
const struct comp_state *report_comp_state(const struct scan_result *res, const struct finding *f);

/* The text report's summary (report_text_summary.c): fed each result, it ends the report of a
 * batch with the table, the totals per finding id and the groups. Owns its rows and tally. */
struct report_text_tally {
	const char *id; /* borrowed from the rule set */
	unsigned long n;
};
struct report_text_summary {
	FILE *out;
	const struct report_opts *o; /* borrowed from the text renderer */
	struct report_rows rows;
	struct report_text_tally *tally;
	size_t ntally, captally;
	unsigned long errors;   /* bundles not read */
	unsigned long dups;     /* bundles with the bytes of an earlier one */
	unsigned long with_new; /* bundles with templates the baseline does not know */
};
void report_text_summary_add(struct report_text_summary *s, const struct scan_result *res);
void report_text_summary_emit(struct report_text_summary *s);
void report_text_summary_reset(struct report_text_summary *s);

/* The HTML page's summary table and groups (report_html_summary.c), before the bundles' sections:
 * names[i] is row i's bundle as the page names it. */
void report_html_summary_emit(FILE *out, const struct report_rows *rows, char *const *names, int group_by);

#endif
