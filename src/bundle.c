/* bundle: libarchive for archives (format and compression sniffed from content, never from the
 * name); extracted directories are bundledir.c's. Symbolic links are never followed. The limits on
 * total bytes, bytes and ratio per entry (bundlelimits.c), entry count and nesting stop bombs
 * early. The data of the outer zip's plain deflated entries is bundlezip.c's (ISA-L) rather than
 * libarchive's, which still finds every entry and skips those without inflating them. */
#include "bundle_in.h"
#include "zipdir.h"
#include "zipinflate.h"
#include "escape.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(BUNDLE_ROOM == ZIPINFLATE_BLOCK, "a block read into room is a block as ISA-L hands it out");

/* ---- what libarchive says, in plain words ---- */

/* libarchive's message for a's last error, or fallback, without the newline some of its messages
 * end in (it would print as \x0a): every library message goes through here before it is kept. */
static const char *lib_why(struct archive *a, const char *fallback, char *out, size_t n)
{
	const char *s = archive_error_string(a);
	size_t len;

	if (s == NULL || *s == '\0')
		s = fallback;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n\v\f", s[len - 1]) != NULL)
		len--;
	/* "Unable to allocate copy buffer" alone does not say that a limit was reached */
	snprintf(out, n, "%.*s%s", (int)(len < n ? len : n - 1), s,
	         archive_errno(a) == ENOMEM ? " (out of memory: the bundle needs more than --max-memory)" : "");
	return out;
}

/* Said of an encrypted entry that no passphrase opened: given none, or none of those given. The
 * passphrases themselves are never part of any message. */
#define LOCKED_NONE_GIVEN "encrypted, and no passphrase was given (--passphrase-file or DARTSCAN_PASSPHRASE)"
#define LOCKED_NONE_OPENS "encrypted, and no passphrase given opens it (--passphrase-file)"

/* What a failed read of an entry's data means, then libarchive's words: a reader must know whether
 * the bytes are missing (damaged, truncated) or were never readable here (method, encryption).
 * Returns 1 when it was the encryption (libarchive asked for a passphrase, refused every one given,
 * or cannot undo this kind of encryption). ZipCrypto checks a passphrase against one byte: a wrong
 * one passes 1 time in 256 and the entry then inflates to garbage, so an encrypted entry that
 * fails to inflate is said to be either. */
static int data_problem(struct archive *a, int fatal, int encrypted, char *out, size_t n)
{
	char why[400];
	const char *meaning = "damaged or truncated data";

	lib_why(a, fatal ? "cannot read entry data" : "entry data damaged", why, sizeof why);
	if (fatal && strstr(why, "assphrase") != NULL) { /* "Incorrect passphrase", "Passphrase required" */
		snprintf(out, n, "%s", LOCKED_NONE_OPENS);
		return 1;
	}
	if (fatal && encrypted && strstr(why, "ncrypt") == NULL) {
		snprintf(out, n, "%s, or its data is damaged (%s)", LOCKED_NONE_OPENS, why);
		return 1;
	}
	if (!fatal)
		meaning = "damaged data, read as it is";
	else if (strstr(why, "ncrypt") != NULL) /* "Unsupported encryption format", "Encrypted ..." */
		meaning = "encrypted in a way dartscan cannot read, not read";
	else if (strstr(why, "nsupported") != NULL || strstr(why, "not supported") != NULL)
		meaning = "unsupported compression or format, not read";
	snprintf(out, n, "%s (%s)", meaning, why);
	return fatal && strstr(why, "ncrypt") != NULL;
}

/* ---- archives ---- */

/* Only what a DART bundle needs. archive_read_support_filter_all would also take grzip, lrzip and
 * lzop, which libarchive decodes by running a program found on PATH (a bundle's bytes must never
 * start a program), so each filter is enabled only when libarchive has it built in; and the
 * formats are those a bundle comes in, no others. */
static struct archive *new_reader(const struct bundle_limits *lim)
{
	struct archive *a = archive_read_new();
	size_t i;

	for (i = 0; i < lim->npassphrases; i++) /* libarchive copies them, and wipes its copies when freed */
		archive_read_add_passphrase(a, lim->passphrases[i]);

	if (archive_zlib_version())
		archive_read_support_filter_gzip(a);
	if (archive_bzlib_version())
		archive_read_support_filter_bzip2(a);
	if (archive_liblzma_version()) {
		archive_read_support_filter_xz(a);
		archive_read_support_filter_lzma(a);
	}
	if (archive_libzstd_version())
		archive_read_support_filter_zstd(a);
	if (archive_liblz4_version())
		archive_read_support_filter_lz4(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_cpio(a);
	return a;
}

#define SNIFF_BYTES 36864 /* an ISO 9660 volume descriptor sits at 32769 */

static int has_magic(const unsigned char *h, size_t n, size_t off, const char *m, size_t mlen)
{
	return n >= off + mlen && memcmp(h + off, m, mlen) == 0;
}

/* What a file that is not a bundle is, from its first bytes: named so the engineer knows what was
 * uploaded instead ("not a DART bundle format: ISO 9660 disc image"); NULL for anything that may
 * be a bundle (zip, tar, 7z, cpio, or a compressed stream) or is not known. */
static const char *foreign_format(const unsigned char *h, size_t n)
{
	static const struct {
		size_t off;
		const char *magic;
		size_t len;
		const char *name;
	} known[] = {
	    {0, "\x89LZO\0\r\n\x1a\n", 9, "lzop-compressed data (dartscan runs no external decompressor)"},
	    {0, "LRZI", 4, "lrzip-compressed data (dartscan runs no external decompressor)"},
	    {0, "GRZipII", 7, "grzip-compressed data (dartscan runs no external decompressor)"},
	    {0, "Rar!\x1a\x07", 6, "RAR archive"},
	    {0, "MSCF", 4, "Microsoft cabinet"},
	    {0, "!<arch>\n", 8, "ar archive"},
	    {0, "xar!", 4, "xar archive"},
	    {0, "%PDF-", 5, "PDF document"},
	    {0, "\x1f\x9d", 2, "compress (.Z) data"},
	    {32769, "CD001", 5, "ISO 9660 disc image"},
	};
	size_t i;

	if (has_magic(h, n, 0, "PK", 2) || has_magic(h, n, 0, "\x1f\x8b", 2) || has_magic(h, n, 0, "BZh", 3) ||
	    has_magic(h, n, 0, "\xfd" "7zXZ", 5) || has_magic(h, n, 0, "7z\xbc\xaf", 4) ||
	    has_magic(h, n, 0, "\x28\xb5\x2f\xfd", 4) || has_magic(h, n, 257, "ustar", 5))
		return NULL;
	for (i = 0; i < sizeof known / sizeof *known; i++)
		if (has_magic(h, n, known[i].off, known[i].magic, known[i].len))
			return known[i].name;
	for (i = 0; i < n && h[i] == 0; i++)
		;
	return n > 0 && i == n ? "zero-filled data" : NULL;
}

/* Fails with "not a DART bundle format" when the head of the file says it is something else. */
static int refuse_foreign(const char *path, const unsigned char *h, size_t n, struct ds_error *err)
{
	const char *what = foreign_format(h, n);

	if (what == NULL)
		return 0;
	ds_error_set(err, path, 0, "not a DART bundle format: %s", what);
	return -1;
}

static int sniff_file(const char *path, struct ds_error *err)
{
	unsigned char *h = xmalloc(SNIFF_BYTES);
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t n = fd < 0 ? -1 : read(fd, h, SNIFF_BYTES);

	struct stat st;

	if (n > 0)
		rc = refuse_foreign(path, h, (size_t)n, err);
	/* a zip, or a self-extractor: a program (Windows' "MZ", unzipsfx's ELF) with the zip after it,
	 * which libarchive reads from its end all the same, so it is held to the same check */
	if (rc == 0 && n >= 4 && (memcmp(h, "PK\3\4", 4) == 0 || memcmp(h, "MZ", 2) == 0 || memcmp(h, "\177ELF", 4) == 0) &&
	    fstat(fd, &st) == 0)
		rc = zipdir_check(fd, (uint64_t)st.st_size, path, err);
	if (fd >= 0)
		close(fd);
	free(h);
	return rc;
}

static struct bundle *bundle_new(const char *path, const struct bundle_limits *lim)
{
	struct bundle *b = xcalloc(1, sizeof *b);

	b->path = xstrdup(path);
	b->lim = *lim;
	b->fd = -1;
	b->rootfd = -1;
	b->zsrc.fd = -1;
	buf_init(&b->name);
	return b;
}

/* Sets up the next level with a new reader; the caller opens it. */
static struct level *push_level(struct bundle *b, const char *prefix)
{
	struct level *l = &b->lv[b->depth];

	memset(l, 0, sizeof *l);
	l->a = new_reader(&b->lim);
	l->prefix = xstrdup(prefix);
	buf_init(&l->name);
	l->owner = b;
	l->idx = b->depth;
	b->depth++;
	return l;
}

struct bundle *bundle_open(const char *path, const struct bundle_limits *lim, struct ds_error *err)
{
	struct bundle *b;
	struct stat st;

	if (stat(path, &st) != 0) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		return NULL;
	}
	b = bundle_new(path, lim);
	if (S_ISDIR(st.st_mode)) {
		if (bundledir_open(b, path, err) != 0) {
			bundle_close(b);
			return NULL;
		}
		return b;
	}
	if (!S_ISREG(st.st_mode)) {
		ds_error_set(err, path, 0, "not a regular file or directory");
		bundle_close(b);
		return NULL;
	}
	if (st.st_size == 0) {
		ds_error_set(err, path, 0, "empty file, not a bundle");
		bundle_close(b);
		return NULL;
	}
	if (sniff_file(path, err) != 0) {
		bundle_close(b);
		return NULL;
	}
	push_level(b, "");
	bundlezip_list(b, path, NULL, (uint64_t)st.st_size);
	if (archive_read_open_filename(b->lv[0].a, path, READ_BLOCK) != ARCHIVE_OK) {
		char why[400];

		ds_error_set(err, path, 0, "not a readable archive: %s",
		             lib_why(b->lv[0].a, "unknown format", why, sizeof why));
		bundle_close(b);
		return NULL;
	}
	return b;
}

struct bundle *bundle_open_memory(const char *name, const void *p, size_t n, const struct bundle_limits *lim,
                                  struct ds_error *err)
{
	struct bundle *b;

	if (n == 0) {
		ds_error_set(err, name, 0, "empty file, not a bundle");
		return NULL;
	}
	if (refuse_foreign(name, p, n < SNIFF_BYTES ? n : SNIFF_BYTES, err) != 0)
		return NULL;
	b = bundle_new(name, lim);
	push_level(b, "");
	bundlezip_list(b, name, p, n);
	/* in blocks, as from a file, so the ratio limit sees compressed bytes being used */
	if (archive_read_open_memory2(b->lv[0].a, p, n, READ_BLOCK) != ARCHIVE_OK) {
		char why[400];

		ds_error_set(err, name, 0, "not a readable archive: %s",
		             lib_why(b->lv[0].a, "unknown format", why, sizeof why));
		bundle_close(b);
		return NULL;
	}
	return b;
}

static void pop_level(struct bundle *b)
{
	struct level *l = &b->lv[b->depth - 1];

	archive_read_free(l->a);
	free(l->prefix);
	buf_reset(&l->name);
	l->a = NULL;
	l->prefix = NULL;
	b->depth--;
}

void bundle_close(struct bundle *b)
{
	size_t i;

	if (b == NULL)
		return;
	while (b->depth > 0)
		pop_level(b);
	if (b->fd >= 0)
		close(b->fd);
	if (b->rootfd >= 0)
		close(b->rootfd);
	if (b->zsrc.fd >= 0)
		close(b->zsrc.fd);
	free(b->zents);
	zipinflate_free(b->zi);
	for (i = 0; i < b->nfiles; i++)
		free(b->files[i]);
	free(b->files);
	free(b->dirbuf);
	for (i = 0; i < b->nprobs; i++) {
		free(b->probs[i].entry);
		free(b->probs[i].msg);
	}
	free(b->probs);
	free(b->seen);
	buf_reset(&b->name);
	free(b->path);
	free(b);
}

/* libarchive turns a zip's DOS time (the writer's wall clock, no zone) into an epoch with the
 * reader's mktime; localtime undoes exactly that, giving the wall clock back. A tar's mtime is
 * UTC and stays so. An extended-timestamp field (UTC) in a zip is then shown in this machine's
 * zone: a documented limit (dartscan(1)); DART's own zip writer is not known to write one. */
static void take_mtime(struct archive *a, struct archive_entry *ae, struct bundle_entry *e)
{
	time_t t;
	struct tm tm;

	e->mtime = 0;
	e->mtime_kind = BT_NONE;
	if (!archive_entry_mtime_is_set(ae) || (t = archive_entry_mtime(ae)) <= 0)
		return;
	if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP) {
		e->mtime = (int64_t)t;
		e->mtime_kind = BT_UTC;
		return;
	}
	if (localtime_r(&t, &tm) == NULL)
		return;
	e->mtime = (int64_t)t + tm.tm_gmtoff;
	e->mtime_kind = BT_LOCAL;
}

/* FNV-1a: duplicates are found by a 64-bit hash of the name, so memory stays at 8 bytes an entry
 * however long the names are. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1; /* 0 marks an empty slot */
}

static int seen_before(struct bundle *b, const char *name)
{
	uint64_t h = name_hash(name);
	size_t i;

	if (2 * (b->seen_n + 1) > b->seen_cap) {
		uint64_t *old = b->seen;
		size_t oldcap = b->seen_cap, k;

		b->seen_cap = oldcap ? oldcap * 2 : 1024;
		b->seen = xcalloc(b->seen_cap, sizeof *b->seen);
		b->seen_n = 0;
		for (k = 0; k < oldcap; k++)
			if (old[k]) {
				for (i = old[k] & (b->seen_cap - 1); b->seen[i]; i = (i + 1) & (b->seen_cap - 1))
					;
				b->seen[i] = old[k];
				b->seen_n++;
			}
		free(old);
	}
	for (i = h & (b->seen_cap - 1); b->seen[i]; i = (i + 1) & (b->seen_cap - 1))
		if (b->seen[i] == h)
			return 1;
	b->seen[i] = h;
	b->seen_n++;
	return 0;
}

/* The entry that holds a nested level: its prefix without the trailing '/'. */
static void holder_name(const struct level *l, char *out, size_t n)
{
	size_t len = strlen(l->prefix);

	snprintf(out, n, "%.*s", (int)(len ? len - 1 : 0), l->prefix);
}

/* Leaves a nested level at its end or on damage, reporting once why it ended early. */
static void end_nested(struct bundle *b, const char *why)
{
	struct level *l = &b->lv[b->depth - 1];
	char holder[512];

	holder_name(l, holder, sizeof holder);
	if (l->feed_failed)
		bundle_add_problem(b, holder, l->cause.msg);
	else if (why != NULL)
		bundle_add_problem(b, holder, why);
	pop_level(b);
}

int bundle_next(struct bundle *b, struct bundle_entry *e, struct ds_error *err)
{
	struct archive_entry *ae;

	b->in_entry = 0;
	if (b->dead)
		return 0;
	if (b->is_dir)
		return bundledir_next(b, e);
	while (b->depth > 0) {
		struct level *l = &b->lv[b->depth - 1];
		int rc = archive_read_next_header(l->a, &ae);

		l->in_entry = 0;
		if (rc == ARCHIVE_EOF) {
			if (b->depth == 1)
				return 0;
			end_nested(b, NULL);
			continue;
		}
		if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY) {
			char why[400], m[900];

			lib_why(l->a, "unreadable header", why, sizeof why);
			if (b->depth == 1 && b->entries == 0) {
				ds_error_set(err, b->path, 0, "not a readable archive: %s", why);
				return -1;
			}
			if (b->depth == 1) {
				ds_error_set(err, b->path, 0,
				             "archive damaged or truncated after %lu %s (the last: %s); the rest was not read (%s)",
				             b->entries, b->entries == 1 ? "entry" : "entries", b->name.p, why);
				return -1;
			}
			snprintf(m, sizeof m, "nested archive damaged or truncated; the rest of it was not read (%s)", why);
			end_nested(b, m);
			continue;
		}
		l->headers++;
		bundle_take_name(b, l, ae);
		if (rc == ARCHIVE_WARN) {
			char why[400], m[500];

			lib_why(l->a, "damaged header", why, sizeof why);
			snprintf(m, sizeof m, "%s (%s)",
			         strstr(why, "convert") ? "entry name lost: libarchive cannot decode it" :
			                                  "entry header damaged or inconsistent",
			         why);
			bundle_add_problem(b, l->name.p, m);
		}
		if (archive_entry_filetype(ae) != AE_IFREG)
			continue;
		if (++b->entries > b->lim.max_entries) {
			ds_error_set(err, b->path, 0, "more than %lu entries (--max-entries); the rest was not read",
			             b->lim.max_entries);
			return -1;
		}
		if (bundle_mac_metadata(bundle_archive_name(ae)))
			continue;
		if (seen_before(b, l->name.p))
			bundle_add_problem(b, l->name.p, "duplicate entry name: an earlier entry has the same name (both read)");
		/* with passphrases, an encrypted entry is read like any other: libarchive tries them in turn */
		if (archive_entry_is_encrypted(ae) && b->lim.npassphrases == 0) {
			bundle_add_locked(b, l->name.p, LOCKED_NONE_GIVEN);
			continue;
		}
		b->locked = 0;
		l->encrypted = archive_entry_is_encrypted(ae);
		e->name = l->name.p;
		e->base = base_name(l->name.p);
		e->size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : -1;
		take_mtime(l->a, ae, e);
		l->raw_start = bundle_raw_bytes(b);
		l->isal = bundlezip_take(b, l);
		l->skip = 0;
		l->entry_bytes = 0;
		l->warned = 0;
		l->in_entry = 1;
		b->in_entry = 1;
		return 1;
	}
	return 0;
}

/* The next block of level idx's current entry, its bytes counted against the limits (-1 with err
 * once one is passed). An ISA-L reader inflates it into room when given one (only the top level's
 * reader is: the caller's buffer). */
static ssize_t read_level(struct bundle *b, int idx, void *room, size_t cap, const void **p, struct ds_error *err)
{
	struct level *l = &b->lv[idx];
	size_t size;
	la_int64_t off;
	int rc;

	if (!l->in_entry || b->dead)
		return 0;
	for (;;) {
		if (l->isal) {
			rc = bundlezip_read(b, l, room, cap, p, &size);
			if (rc == ZIPINFLATE_END) {
				l->in_entry = 0;
				return 0;
			}
			if (rc == ZIPINFLATE_OK)
				break;
			continue; /* given back: libarchive reads it */
		}
		rc = archive_read_data_block(l->a, p, &size, &off);
		if (rc == ARCHIVE_EOF) {
			l->in_entry = 0;
			return 0;
		}
		if (rc < ARCHIVE_WARN) {
			char m[500];

			b->locked = data_problem(l->a, 1, l->encrypted, m, sizeof m);
			ds_error_set(err, l->name.p, 0, "%s", m);
			l->in_entry = 0;
			return -1;
		}
		if (rc == ARCHIVE_WARN && !l->warned) {
			/* a bad CRC and the like: the bytes are used, the damage is said */
			char m[500];

			data_problem(l->a, 0, l->encrypted, m, sizeof m);
			l->warned = 1;
			bundle_add_problem(b, l->name.p, m);
		}
		if (l->skip > 0 && size > 0) {
			size_t k = size < l->skip ? size : (size_t)l->skip;

			*p = (const char *)*p + k;
			size -= k;
			l->skip -= k;
		}
		if (size > 0)
			break;
	}
	if (bundle_check_limits(b, l->name.p, &l->entry_bytes, l->raw_start, size, err) != 0) {
		l->in_entry = 0;
		return -1;
	}
	return (ssize_t)size;
}

ssize_t bundle_read(struct bundle *b, const void **p, struct ds_error *err)
{
	return bundle_read_into(b, NULL, 0, p, err);
}

ssize_t bundle_read_into(struct bundle *b, void *room, size_t cap, const void **p, struct ds_error *err)
{
	if (!b->in_entry || b->dead)
		return 0;
	if (!b->is_dir)
		return read_level(b, b->depth - 1, room, cap, p, err);
	return bundledir_read(b, p, err);
}

int bundle_name_is_archive(const char *name)
{
	static const char *const ext[] = {"*.zip", "*.tar.gz", "*.tgz", "*.tar", NULL};
	const char *base = base_name(name);
	int i;

	for (i = 0; ext[i]; i++)
		if (glob_match_ci(ext[i], base))
			return 1;
	return 0;
}

static la_ssize_t nested_read(struct archive *a, void *ud, const void **p)
{
	struct level *l = ud;
	struct bundle *b = l->owner;
	struct ds_error err;
	ssize_t n;

	(void)a;
	if (l->feed_failed)
		return 0;
	/* the nested archive's bytes are the current entry of the level below it */
	n = read_level(b, l->idx - 1, NULL, 0, p, &err);
	if (n < 0) {
		/* kept, not reported yet: the nested reader's own error will say "truncated", and the
		 * entry holding it is reported once, with this cause, when the level ends */
		l->feed_failed = 1;
		l->cause = err;
		return 0;
	}
	return n;
}

int bundle_descend(struct bundle *b, struct ds_error *err)
{
	struct level *l;
	char *prefix;

	if (b->is_dir || !b->in_entry || !b->lv[b->depth - 1].in_entry) {
		ds_error_set(err, b->name.p, 0, "not an archive entry");
		return -1;
	}
	if (b->depth >= b->lim.max_depth || b->depth >= BUNDLE_MAX_DEPTH) {
		ds_error_set(err, b->name.p, 0, "archive nested deeper than %d levels (--max-depth), not opened",
		             b->lim.max_depth);
		return -1;
	}
	prefix = xasprintf("%s/", b->lv[b->depth - 1].name.p);
	l = push_level(b, prefix);
	free(prefix);
	if (archive_read_open(l->a, l, NULL, nested_read, NULL) != ARCHIVE_OK) {
		if (l->feed_failed)
			ds_error_set(err, b->name.p, 0, "nested archive not opened: %s", l->cause.msg);
		else {
			char why[400];

			ds_error_set(err, b->name.p, 0, "nested archive unreadable: %s",
			             lib_why(l->a, "unknown format", why, sizeof why));
		}
		pop_level(b);
		return -1;
	}
	return 0;
}
