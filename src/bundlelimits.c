/* bundlelimits: the bundle reader's bookkeeping, below its rooms (bundle.c, bundledir.c,
 * bundlename.c), which all call it and which it never calls: the problems recorded per entry, the
 * bytes and entries counted, and the limits on total bytes, bytes and ratio per entry that stop
 * bombs early. */
#include "bundle_in.h"

#include <stdlib.h>
#include <string.h>

#define RATIO_GRACE (16u << 20) /* decompressed bytes before the ratio limit is checked */
/* Compressed bytes an entry may have used before its start was measured: a decompressor takes a
 * whole read block at once, so a small entry (or a whole small nested archive) is consumed before
 * its first byte comes out. Counting them as used keeps the ratio a lower bound: a real log is
 * never cut, and a bomb still is, a little later. */
#define RATIO_SLACK READ_BLOCK

void bundle_limits_default(struct bundle_limits *l)
{
	l->max_total = 16ull << 30;
	l->max_entry = 8ull << 30;
	l->max_ratio = 500;
	l->max_entries = 200000;
	l->max_depth = 2;
	l->passphrases = NULL;
	l->npassphrases = 0;
	l->libarchive_only = 0;
}

void bundle_add_problem(struct bundle *b, const char *entry, const char *msg)
{
	b->probs = xgrow(b->probs, &b->capprobs, b->nprobs + 1, sizeof *b->probs);
	b->probs[b->nprobs].entry = xstrdup(entry ? entry : "");
	b->probs[b->nprobs].msg = xstrdup(msg ? msg : "unknown error");
	b->probs[b->nprobs].locked = 0;
	b->nprobs++;
}

void bundle_add_locked(struct bundle *b, const char *entry, const char *msg)
{
	bundle_add_problem(b, entry, msg);
	b->probs[b->nprobs - 1].locked = 1;
}

int bundle_entry_locked(const struct bundle *b)
{
	return b->locked;
}

const struct bundle_problem *bundle_problems(const struct bundle *b, size_t *n)
{
	*n = b->nprobs;
	return b->probs;
}

uint64_t bundle_bytes_read(const struct bundle *b)
{
	return b->total;
}

unsigned long bundle_entries_seen(const struct bundle *b)
{
	return b->entries;
}

int bundle_stopped(const struct bundle *b)
{
	return b->dead;
}

int bundle_check_limits(struct bundle *b, const char *name, uint64_t *entry_bytes, int64_t raw_start, size_t got,
                        struct ds_error *err)
{
	*entry_bytes += got;
	b->total += got;
	if (b->total > b->lim.max_total) {
		ds_error_set(err, name, 0, "bundle decompresses to more than %llu bytes (--max-total); reading stopped",
		             (unsigned long long)b->lim.max_total);
		b->dead = 1;
		return -1;
	}
	if (*entry_bytes > b->lim.max_entry) {
		ds_error_set(err, name, 0, "entry decompresses to more than %llu bytes (--max-entry); cut there",
		             (unsigned long long)b->lim.max_entry);
		return -1;
	}
	if (!b->is_dir && b->lim.max_ratio && *entry_bytes > RATIO_GRACE) {
		/* compressed bytes are counted on the outer file: a nested bomb shows there too */
		int64_t raw = bundle_raw_bytes(b) - raw_start;
		uint64_t denom = (uint64_t)(raw > 0 ? raw : 0) + RATIO_SLACK;

		if (*entry_bytes / denom > b->lim.max_ratio) {
			ds_error_set(err, name, 0,
			             "compression ratio above %u:1 (--max-ratio; a zip bomb?); entry cut after %llu bytes",
			             b->lim.max_ratio, (unsigned long long)*entry_bytes);
			return -1;
		}
	}
	return 0;
}

int bundle_fits(const struct bundle *b, uint64_t bytes)
{
	return b->total + bytes <= b->lim.max_total; /* check_limits' test, for bytes read elsewhere */
}

void bundle_account(struct bundle *b, uint64_t bytes)
{
	b->total += bytes;
}
