/* scan: one bundle through every stage -- bundle, text, match, context, correlate -- into one
 * result that reports read. main.c and batch.c both call it. The result owns everything in it
 * except the rules, which the caller's rule set keeps. */
#ifndef DARTSCAN_SCAN_H
#define DARTSCAN_SCAN_H

#include "bundle.h"
#include "capture/capture.h"
#include "context.h"
#include "explain.h"
#include "instant.h"
#include "correlate/correlate.h"
#include "match.h"
#include "unexplained.h"

/* SCAN_EMPTY: a case folder of a -r batch holding no bundle yet, listed, never scanned. */
enum scan_status { SCAN_OK = 0, SCAN_PARTIAL, SCAN_ERROR, SCAN_EMPTY };
const char *scan_status_name(int st);
struct scan_result;
/* Whether nothing of the bundle was read: an error, or an empty case folder. */
int scan_read_nothing(const struct scan_result *res);

struct scan_opts {
	const struct ruleset *rs;
	struct bundle_limits blim;
	struct match_limits mlim;
	struct correlate_opts copts;
	size_t max_record;
	const struct rule *explain; /* --explain: also trace this rule */
	const char *pcap;           /* --pcap: a capture to read with the bundle */
	struct cap_limits caplim;
	size_t pipeline_after; /* entries larger than this are decoded and matched on a second
	                          thread while the next blocks inflate (0: never) */
	uint64_t read_ahead;   /* bundles with at least this many bytes of logs read their last large
	                          log entries on a second thread, with a reader of their own; the
	                          output is the same (0: never) */
	int ahead_pipeline;    /* the read-ahead helper's reader decodes on a thread of its own too
	                          (pipeline_after): only with more than two CPUs, since on two the
	                          scan's pipeline and the helper already keep both busy, and a fourth
	                          thread's hand-offs cost more than they balance */
	int ahead_hold;        /* tests: the helper waits before reading its first entry until the
	                          scan, there, has taken every later one it may (readahead.c) */
	int unexplained;       /* gather unexplained templates (--unexplained N > 0) */
	int unexplained_all;   /* every record no rule matched is a candidate (dartscan baseline) */
	const struct baseline *baseline; /* --baseline: templates it lacks are new, or NULL */
	const struct probe_spec *probe; /* rules draft: the records to keep, or NULL (no reading ahead
	                          then: the probed entry must be read by this result) */
	char *at_entry;        /* the name of the entry being read is kept here (a worker's parent
	                          names it when the worker dies), or NULL */
	size_t at_entry_size;
};
void scan_opts_default(struct scan_opts *o, const struct ruleset *rs);

struct entry_info {
	char *name;
	char *log;  /* for a log: the log's name, its own base name unless a rotated part; else NULL */
	struct stamp first, last; /* its first and last timestamped record */
	int cut;    /* its bytes could not all be read */
	unsigned long long bytes;
	unsigned long records;
	unsigned long truncated;
	int encoding;
	int date_order; /* enum date_order */
	/* read in the worker only (not carried): its first and last record as written (first and
	 * last are the earliest and latest wall clocks), where its clock jumped */
	struct stamp head, tail;
	struct clock_jump jumps[TEXT_JUMPS];
	unsigned njumps;
	int clock_disordered;
};

/* What a problem is about: the verdict names a log in a foreign format apart from a damaged read. */
enum problem_kind {
	PROBLEM_DAMAGE = 0,    /* an entry or the bundle damaged, cut, skipped or left unread */
	PROBLEM_FOREIGN_FORMAT, /* a log carries the roaming module's lines in a format no rule reads */
	PROBLEM_ENCRYPTED       /* an entry encrypted, and no passphrase given opened it */
};

struct problem {
	char *entry; /* NULL for the bundle as a whole */
	char *msg;
	int kind;    /* enum problem_kind */
};

/* One thing that stands between a bundle and a healthy verdict (verdict.c settles them). */
struct reason {
	int code;      /* enum verdict_reason */
	char *subject; /* the lane or entry it is about, or NULL for the bundle */
	char *text;    /* one line for a reader */
};

struct scan_result {
	char *path;
	char *rel_path;     /* the path below its -r root (set by batch), or NULL: path */
	char *sha256;       /* hex digest of the bundle's bytes (batch), or NULL when not read */
	char *duplicate_of; /* a byte-identical earlier bundle of the run (its path): this one was
	                       not scanned again, its findings are that one's; else NULL */
	int status;
	struct problem *problems;
	size_t nproblems, capproblems;
	struct entry_info *entries; /* entries that were read */
	size_t nentries, capentries;
	unsigned long entries_seen;
	unsigned long long bytes;
	struct events events;
	struct context ctx;
	struct diagnosis diag;
	struct unexplained unx;   /* what no rule explains: candidates, then templates, then ranked */
	struct stamp start, end;  /* first and last record time of the bundle */
	struct explain *explain;  /* with scan_opts.explain */
	struct capture *capture;  /* with scan_opts.pcap, when it could be read */
	int capture_failed;       /* the capture asked for could not be read */
	unsigned long ahead_taken; /* entries whose reading ahead was used (tests look) */
	unsigned long ahead_stolen; /* of the helper's entries, those the scan read meanwhile */
	struct probe *probe;      /* with scan_opts.probe */
	int utc;                  /* scan_result_to_utc moved its times to UTC */
	struct clock_frame frame; /* the line of time its stamps are on (instant.c) */
	struct stamp since, until; /* --since/--until it was read in (TP_NONE: open), local wall clock */
	/* what says when DART wrote the bundle, gathered while reading (see collect_time) */
	int64_t newest_mtime;     /* the newest entry time, as struct bundle_entry gives it */
	int newest_kind;          /* enum bundle_time */
	int newest_depth;         /* archives it lies in: the innermost entries win */
	char *named;              /* the first name (the bundle's or a nested archive's) with a time */
	struct collected collected; /* when DART wrote the bundle, from those (times_collect): crosses the
	                               wire, and correlation takes it as a time */
	/* set by verdict_settle in the parent, once the diagnosis is made */
	int verdict;              /* enum verdict_class */
	struct reason *reasons;
	size_t nreasons, capreasons;
};

/* Scans one bundle. Always fills res (status error when nothing could be read). m is the
 * caller's matcher (one per thread). */
void scan_bundle(const char *path, const struct scan_opts *o, struct matcher *m, struct scan_result *res);
/* scan_bundle in its two halves: reading (every stage that touches the bundle's bytes: the
 * part a sandboxed worker runs) and diagnosing what was read (correlate: the parent's part). */
void scan_read(const char *path, const struct scan_opts *o, struct matcher *m, struct scan_result *res);
void scan_diagnose(struct scan_result *res, const struct scan_opts *o);
/* An empty result of the bundle at path (copied; NULL: none yet), and every part of it freed
 * (result.c: made and freed apart from the stages, so that readahead.c and wire.c call no stage). */
void scan_result_init(struct scan_result *res, const char *path);
void scan_result_reset(struct scan_result *res);
/* --utc: every time of the result moved to UTC by the client's offset, when the bundle gives it
 * (an EPOC anchor, else the time zone in systeminfo). Returns 1 when it did, 0 when the times stay
 * local. The prose of rules' texts is not rewritten. */
int scan_result_to_utc(struct scan_result *res);
const char *scan_entry_name(const struct scan_result *res, unsigned entry);

#endif
