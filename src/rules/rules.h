/* rules: rule files (rules/ *.rules) -> one compiled rule set (PCRE2, JIT when available), with
 * each rule's own test lines. The rule set owns every string and compiled pattern in it. */
#ifndef DARTSCAN_RULES_H
#define DARTSCAN_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "util.h"

enum severity { SEV_NONE = 0, SEV_INFO, SEV_WARNING, SEV_ERROR, SEV_CRITICAL };

const char *severity_name(int sev);
/* Returns the severity for a name, or -1. "none" is SEV_NONE. */
int severity_parse(const char *s);

struct pattern {
	char *src;
	pcre2_code *code;
	int jit;            /* JIT compiled */
	char *literal;      /* alts[0], or NULL when the pattern has no prefilter literal */
	size_t literal_len;
	char **alts;        /* every match holds one of these (one per top-level branch) */
	size_t nalts;
	int lists;          /* has ctxlist_ groups: every distinct value of a run is kept, not the first */
	long line;
};

struct rule_test {
	char *text;   /* the record, lines joined by '\n' */
	int positive; /* 1 must match, 0 must not */
	char *expect; /* "name=value ..." captures a positive test must produce, or NULL */
	long line;
};

/* A bundle check: "file GLOB missing" or "json GLOB PATH OP [VALUE]" or "xml GLOB XPATH OP [VALUE]",
 * "stale GLOB[,GLOB...] HOURS" (the logs end that long before the bundle was collected), or
 * "adapter [dns] ~ REGEX" (a network adapter of ipconfig named so, with DNS servers of its own), or
 * "module missing|present" (the roaming module's files or logs, in any format, are in the bundle), or
 * "flaps LANE-GLOB N" (a lane went bad and back at least N times, whatever the spacing). */
enum check_kind { CHECK_FILE = 0, CHECK_JSON, CHECK_XML, CHECK_STALE, CHECK_ADAPTER, CHECK_MODULE, CHECK_FLAPS };
enum check_op { OP_MISSING = 0, OP_EMPTY, OP_ABSENT, OP_PRESENT, OP_EQ, OP_NE, OP_MATCH };

struct check {
	int kind;
	char *file;  /* base-name glob */
	char *path;  /* JSON dotted path or XPath; NULL for file checks */
	int op;
	char *value; /* for OP_EQ/OP_NE/OP_MATCH */
	long line;
	long hours;  /* stale */
	int dns;     /* adapter: it must hold a DNS server other than the loopback */
	long times;  /* flaps: bad periods at least */
};

/* "severity at most SEV when COMP=STATE at the end of the bundle" */
struct limit {
	int sev;
	char *comp;  /* a component, or "any" */
	char *state;
	int ever;    /* at any time during the logs, not only at their end */
	char *why;   /* said in the finding's why when the limit lowers it, or NULL */
};

/* A cross-finding rule: when findings a and b overlap within window seconds. */
struct relation {
	char *a, *b;                  /* the rule ids, as written */
	const struct rule *ra, *rb;   /* those rules, once ruleset_link has run (rb NULL with b) */
	long window;
	int caused_by; /* 1: this rule's finding is marked caused by a (b unused) */
	int unless;    /* 1: this rule's runs do not count where a run of rule a overlaps them (b unused) */
	int pattern;   /* unless: the pattern it follows (only that pattern's runs), or -1 for all */
	int skew;      /* 1: a and b record the same moments in two files; fire when they drift apart */
};

struct rule {
	char *id;
	char *title;
	int severity;
	char *component;
	char **files;
	size_t nfiles;
	struct pattern *pats;
	size_t npats;
	char *state;      /* "dns_${stack}=unprotected (note)" template, or NULL */
	struct limit *limits;
	size_t nlimits;
	char *fix;
	char *why;        /* a pattern finding's why, a template; NULL: none */
	unsigned long repeats; /* a finding needs a run of at least this many matches; 0: any */
	char **refs;
	size_t nrefs;
	char **next;      /* next steps (a capture to ask for, a test to run), templates */
	size_t nnext;
	char *applies;    /* free text: versions / platforms */
	struct rule_test *tests;
	size_t ntests;
	struct check *checks;
	size_t nchecks;
	struct relation *rels;
	size_t nrels;
	int capture;      /* a capture verdict (enum cap_verdict) this rule reports, or -1 */
	char *confirms;   /* the finding a capture verdict confirms (evidence goes there), or NULL */
	const struct rule *confirmed; /* that rule, once ruleset_link has run */
	char *file;       /* the rule file it came from (owned) */
	long line;
	int disabled;
	int runs_by_pattern; /* an unless scoped to one pattern: runs are kept apart per pattern */
};

struct ruleset {
	struct rule *rules;
	size_t n;
	size_t cap;
	char **files; /* rule files loaded, in order */
	size_t nfiles;
	int untested_ok; /* rules try: the pattern being tried has no test line yet */
	char **notes;    /* what loading layers said: a rule replaced by a later directory's */
	size_t nnotes, capnotes;
	int linked;      /* ruleset_link has resolved every reference (correlation needs it) */
};

struct ruleset *ruleset_new(void);
void ruleset_free(struct ruleset *rs);
/* Frees what one rule owns (a layer's rule replacing it takes its place). */
void rule_reset(struct rule *r);
/* Loads every *.rules file of dir (sorted by name). On error fills err (file:line:column) and
 * returns -1: a broken rule is never skipped. */
int rules_load_dir(struct ruleset *rs, const char *dir, struct ds_error *err);
/* Loads the directories in order, as layers: a later rule with the id of an earlier one replaces
 * it (noted in rs->notes), the others are added; references and context values
 * (ruleset_check_context) are checked once all are in. */
int rules_load_dirs(struct ruleset *rs, const char *const *dirs, size_t n, struct ds_error *err);
/* Loads one rule file (path) or parses text given as memory (name is used in errors). */
int rules_load_file(struct ruleset *rs, const char *path, struct ds_error *err);
int rules_parse(struct ruleset *rs, const char *name, const char *text, size_t len, struct ds_error *err);
/* Resolves what rules name of one another (relations, confirms) into pointers, once every rule
 * is in: an unknown name is an error. rules_load_dirs does it; after rules_parse, the caller. */
int ruleset_link(struct ruleset *rs, struct ds_error *err);
/* Each ctx_NAME capture is read (by dartscan, ctxkey.h, or a template) and each ${ctx.NAME} is set
 * (by a capture or dartscan): a misspelt name is an error when rule directories load, not an empty
 * value (rulectx.c). */
int ruleset_check_context(const struct ruleset *rs, struct ds_error *err);
const struct rule *rules_find(const struct ruleset *rs, const char *id);
/* Does a match of r only explain its record? Severity none, no state, check, limit, relation or
 * named capture, and no rule refers to it: the matcher keeps no event for it. */
int rules_explain_only(const struct ruleset *rs, const struct rule *r);
/* Does the rule read the entry with this base name (or the log it is a rotated part of)? */
int rule_reads(const struct rule *r, const char *base);
/* The same for any of several base names (NULL-terminated). */
int rule_reads_any(const struct rule *r, const char *const *bases);
/* Will the matcher run the rule's patterns on this entry (enabled, with patterns, reads it)? */
int rule_matches_entry(const struct rule *r, const char *base);
/* How many rules match lines of this entry: 0 means it need not be read for them. */
size_t rules_reading(const struct ruleset *rs, const char *base);

/* Runs every rule's test lines. Prints one line per failure to out; returns failures and sets
 * *ran to the number of test lines run. */
int rules_selftest(const struct ruleset *rs, FILE *out, int *ran);

/* Applies a local tuning file: "disable ID" and "severity ID LEVEL" lines. */
int rules_apply_config(struct ruleset *rs, const char *path, struct ds_error *err);

#endif
