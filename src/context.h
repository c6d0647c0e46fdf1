/* context: what the bundle says about itself -- OrgInfo.json and SWGConfig.json (Jansson), the
 * SWG debug flag, profiles and module XML (libxml2), which expected files are there -- and the
 * bundle checks of rules evaluated on it. The context owns copies of the small files it keeps. */
#ifndef DARTSCAN_CONTEXT_H
#define DARTSCAN_CONTEXT_H

#include <stddef.h>

#include "ctxkey.h"
#include "netinfo.h"
#include "rules/rules.h"

#define CONTEXT_FILE_MAX (1u << 20)

enum file_status { FS_MISSING = 0, FS_OK, FS_EMPTY, FS_UNREADABLE, FS_TOO_BIG, FS_UNREAD };
const char *file_status_name(int st);

struct ctx_file {
	char *name;
	char *data;  /* NUL-terminated copy, BOM removed; NULL unless kept */
	size_t len;
	int status;
	char *why;   /* for FS_UNREADABLE */
};

/* The files every Umbrella diagnosis leans on; the report lists each with its status. */
struct expected_file {
	const char *base;
	int status;
	char *entry;  /* where it was found (of a rotated log: the current part when there is one) */
	unsigned long long bytes;
	char *why;
	char **parts; /* of a log: every entry read as a part of it, in bundle order */
	size_t nparts;
};

#define N_EXPECTED 5
/* The roaming module's own logs, the first expected files (NULL-terminated): what a client's
 * unified log or journal is read as, since it carries the lines of both. */
extern const char *const context_module_logs[];

/* A named value the logs give about the bundle (the first one found wins). */
struct ctx_value {
	char *name;
	char *value;
};

struct context {
	struct ctx_file *files;
	size_t n, cap;
	struct expected_file expected[N_EXPECTED];
	char *org_id;
	char *fail_open;  /* as written: "1", "0", or NULL */
	char *swg_domain;
	char *swg_anycast;
	char *swg_honor_tnd;
	int swg_maxdebug; /* -1 unknown */
	char *product;    /* from the bundle's folder names */
	struct ctx_value *vals; /* values read from logs (ctx_NAME captures): os, client_version, ... */
	size_t nvals, capvals;
	struct netinfo net;     /* from ipconfig output; no entry when the bundle has none */
};

void context_init(struct context *c);
void context_reset(struct context *c);
/* Drops libxml2's own messages, in this thread and every thread started after. */
void context_quiet_xml(void);
/* Should an entry with this base name be kept whole for the context or a rule's check? */
int context_wants(const struct ruleset *rs, const char *base);
/* Keeps a small file (data copied, NUL bytes too -- ipconfig may be UTF-16 --, and a UTF-8 BOM
 * dropped). */
void context_add_file(struct context *c, const char *name, const char *data, size_t len, int status,
                      const char *why);
/* Notes that an entry was seen, for the expected-file list and the product name. */
void context_note_entry(struct context *c, const char *name, unsigned long long bytes, int status,
                        const char *why);
/* The same for an entry read as a part of a log (log: the log's name, see log_part_name). */
void context_note_log(struct context *c, const char *name, const char *log, unsigned long long bytes, int status,
                      const char *why);
/* Sets a named context value read from a log (ctx_NAME captures, by the name a rule gave); the
 * first value wins. dartscan's own code uses context_put. */
void context_set(struct context *c, const char *name, const char *value);
/* The bundle could not be read in full (why): expected files not found may lie in the rest, so
 * they are unread, not missing. */
void context_mark_unread(struct context *c, const char *why);
/* Why an expected file matching glob is unread, or NULL when it is not. */
const char *context_unread_why(const struct context *c, const char *glob);
/* Does the bundle hold anything of a DART bundle (an expected file, a product folder)? */
int context_is_dart(const struct context *c);
/* Why a bundle is not one: "not a DART bundle: none of cscumbrellaplugin.txt, ...". Caller frees. */
char *context_not_dart_why(void);
/* Adds value to the ", "-separated list named name, once (ctxlist_NAME captures). */
void context_add_list(struct context *c, const char *name, const char *value);
/* Values computed from the others once the logs are read: swg_proxy_addresses (the failing
 * proxy addresses, then the resolved one, then the anycast) and swg_capture_filter. */
void context_derive(struct context *c);
/* Reads the fields above from the kept files; the network from the ipconfig output with the
 * most adapter descriptions (ipconfig /all over plain ipconfig). */
void context_parse(struct context *c);
/* A named value for fix texts: orgId, failOpen, swgDomain, swgAnycast, swgHonorTND, product,
 * client_version, os, and any value set with context_set: for names rules give (${ctx.NAME}); dartscan's
 * own code uses context_get. */
const char *context_value(const struct context *c, const char *name);
/* The value of a key dartscan's code knows (ctxkey.h): typed, so a name cannot be misspelt. */
const char *context_get(const struct context *c, enum ctx_key k);
/* Sets it; the first value wins, as with context_set. */
void context_put(struct context *c, enum ctx_key k, const char *value);
/* Evaluates one check. Returns 1 when it holds and sets *why (caller frees) to the reason. */
int context_check(const struct context *c, const struct check *ck, char **why);

#endif
