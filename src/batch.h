/* batch: many bundles -- discovery below directories (natural order), a digest of each to find
 * duplicates, parallel scans with one matcher per worker, results handed to the reporter in a
 * deterministic order, a progress line. */
#ifndef DARTSCAN_BATCH_H
#define DARTSCAN_BATCH_H

#include "report/report.h"
#include "sandbox.h"
#include "scan.h"

struct bundle_list {
	char **paths;
	size_t *rel;  /* where each path's part below its -r root begins (0: the path as given) */
	unsigned char *empty; /* a case folder (a -r root's child) holding no bundle: listed, not scanned */
	size_t n, cap, caprel, capempty;
	size_t nempty;
};

void bundle_list_init(struct bundle_list *l);
void bundle_list_reset(struct bundle_list *l);
void bundle_list_add(struct bundle_list *l, const char *path);
/* Adds every bundle found below dir, sorted: archives by content (zip, gzip, tar, 7z), and
 * extracted bundle directories. Symbolic links are not followed. Returns -1 if dir is unreadable or
 * holds no bundle at all. */
int batch_discover(struct bundle_list *l, const char *dir, struct ds_error *err);

struct batch_opts {
	int jobs;
	int progress; /* a progress line on stderr */
	int digest;   /* the report prints every bundle's sha256: take it even where no duplicate can be */
	struct sandbox_opts sandbox;
};

/* Callback for each finished bundle, in list order, from the calling thread; it may change the
 * result (redaction) before it is freed, or take it whole (moving it out and zeroing it). The
 * result carries the bundle's sha256 (when the list has more than one bundle, or digest is set)
 * and, for one with the bytes of an earlier bundle of the list, duplicate_of: such a bundle is not
 * scanned (no findings, the first one's status). */
typedef void (*batch_fn)(void *ctx, struct scan_result *res);

/* Scans every bundle of l and calls fn for each in order. */
void batch_run(const struct bundle_list *l, const struct scan_opts *so, const struct batch_opts *bo,
               batch_fn fn, void *ctx);

#endif
