/* bundle: libarchive for archives (format and compression sniffed from content, never from the
 * name), a plain walk for extracted directories. Symbolic links are never followed. Limits on
 * total bytes, bytes and ratio per entry, entry count and nesting stop bombs early. */
#include "bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LEVELS 8
#define DIR_BLOCK (256 * 1024)
#define RATIO_GRACE (16u << 20) /* decompressed bytes before the ratio limit is checked */

struct level {
	struct archive *a;
	char *prefix;       /* "outer/inner.zip/" for nested levels */
	int64_t raw_start;  /* compressed bytes consumed when the entry started */
	uint64_t entry_bytes;
	int in_entry;
	struct bundle *owner; /* for libarchive's read callback of a nested level */
	int idx;
};

struct bundle {
	char *path;
	struct bundle_limits lim;
	struct level lv[MAX_LEVELS];
	int depth; /* levels in use; 0 for a directory bundle */

	/* directory bundles */
	int is_dir;
	char **files;
	size_t nfiles, ifile;
	int fd;
	char *dirbuf;

	struct buf name;
	uint64_t total;
	uint64_t entry_bytes;
	unsigned long entries;
	int in_entry;
	int dead; /* the total limit was hit: no more bytes from this bundle */

	struct bundle_problem *probs;
	size_t nprobs, capprobs;
};

void bundle_limits_default(struct bundle_limits *l)
{
	l->max_total = 16ull << 30;
	l->max_entry = 8ull << 30;
	l->max_ratio = 500;
	l->max_entries = 200000;
	l->max_depth = 2;
}

static void add_problem(struct bundle *b, const char *entry, const char *msg)
{
	b->probs = xgrow(b->probs, &b->capprobs, b->nprobs + 1, sizeof *b->probs);
	b->probs[b->nprobs].entry = xstrdup(entry ? entry : "");
	b->probs[b->nprobs].msg = xstrdup(msg);
	b->nprobs++;
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

int bundle_is_directory(const struct bundle *b)
{
	return b->is_dir;
}

/* ---- directories ---- */

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void walk_dir(struct bundle *b, const char *rel, size_t *cap, int depth)
{
	char *full = rel[0] ? xasprintf("%s/%s", b->path, rel) : xstrdup(b->path);
	DIR *d = opendir(full);
	struct dirent *de;

	if (d == NULL) {
		char m[300];

		snprintf(m, sizeof m, "cannot read directory: %s", strerror(errno));
		add_problem(b, rel[0] ? rel : ".", m);
		free(full);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *r, *f;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (b->nfiles >= b->lim.max_entries) {
			add_problem(b, rel[0] ? rel : ".", "entry limit reached; the rest of the tree was not read");
			break;
		}
		r = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		f = xasprintf("%s/%s", full, de->d_name);
		if (lstat(f, &st) != 0) {
			add_problem(b, r, strerror(errno));
			free(r);
		} else if (S_ISLNK(st.st_mode)) {
			/* a link could lead out of the bundle: never followed */
			add_problem(b, r, "symbolic link not followed");
			free(r);
		} else if (S_ISDIR(st.st_mode) && depth < 32) {
			walk_dir(b, r, cap, depth + 1);
			free(r);
		} else if (S_ISREG(st.st_mode)) {
			b->files = xgrow(b->files, cap, b->nfiles + 1, sizeof *b->files);
			b->files[b->nfiles++] = r;
		} else {
			free(r);
		}
		free(f);
	}
	closedir(d);
	free(full);
}

/* ---- archives ---- */

static struct archive *new_reader(void)
{
	struct archive *a = archive_read_new();

	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_cpio(a);
	return a;
}

static struct bundle *bundle_new(const char *path, const struct bundle_limits *lim)
{
	struct bundle *b = xcalloc(1, sizeof *b);

	b->path = xstrdup(path);
	b->lim = *lim;
	b->fd = -1;
	buf_init(&b->name);
	return b;
}

/* The outer level; the reader is opened by the caller. */
static void push_outer(struct bundle *b)
{
	b->lv[0].a = new_reader();
	b->lv[0].prefix = xstrdup("");
	b->lv[0].owner = b;
	b->depth = 1;
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
		size_t cap = 0;

		b->is_dir = 1;
		walk_dir(b, "", &cap, 0);
		qsort(b->files, b->nfiles, sizeof *b->files, cmp_str);
		b->dirbuf = xmalloc(DIR_BLOCK);
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
	push_outer(b);
	if (archive_read_open_filename(b->lv[0].a, path, 64 * 1024) != ARCHIVE_OK) {
		ds_error_set(err, path, 0, "not a readable archive: %s", archive_error_string(b->lv[0].a));
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
	b = bundle_new(name, lim);
	push_outer(b);
	if (archive_read_open_memory(b->lv[0].a, p, n) != ARCHIVE_OK) {
		ds_error_set(err, name, 0, "not a readable archive: %s", archive_error_string(b->lv[0].a));
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
	for (i = 0; i < b->nfiles; i++)
		free(b->files[i]);
	free(b->files);
	free(b->dirbuf);
	for (i = 0; i < b->nprobs; i++) {
		free(b->probs[i].entry);
		free(b->probs[i].msg);
	}
	free(b->probs);
	buf_reset(&b->name);
	free(b->path);
	free(b);
}

static int next_dir(struct bundle *b, struct bundle_entry *e, struct ds_error *err)
{
	(void)err;
	if (b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
	while (b->ifile < b->nfiles) {
		const char *rel = b->files[b->ifile++];
		char *full = xasprintf("%s/%s", b->path, rel);
		int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;

		free(full);
		if (fd < 0) {
			add_problem(b, rel, strerror(errno));
			continue;
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			add_problem(b, rel, "no longer a regular file");
			continue;
		}
		b->fd = fd;
		b->name.len = 0;
		buf_adds(&b->name, rel);
		e->name = b->name.p;
		e->base = base_name(b->name.p);
		e->size = st.st_size;
		e->depth = 1;
		b->entries++;
		b->entry_bytes = 0;
		b->in_entry = 1;
		return 1;
	}
	return 0;
}

int bundle_next(struct bundle *b, struct bundle_entry *e, struct ds_error *err)
{
	struct archive_entry *ae;

	b->in_entry = 0;
	if (b->dead)
		return 0;
	if (b->is_dir)
		return next_dir(b, e, err);
	while (b->depth > 0) {
		struct level *l = &b->lv[b->depth - 1];
		int rc = archive_read_next_header(l->a, &ae);
		const char *name;

		if (rc == ARCHIVE_EOF) {
			if (b->depth == 1)
				return 0;
			pop_level(b);
			continue;
		}
		if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY) {
			const char *why = archive_error_string(l->a);

			if (b->depth == 1) {
				ds_error_set(err, b->path, 0, "archive damaged after %lu entries: %s", b->entries,
				             why ? why : "unreadable header");
				return -1;
			}
			add_problem(b, l->prefix, why ? why : "nested archive damaged");
			pop_level(b);
			continue;
		}
		name = archive_entry_pathname(ae);
		if (name == NULL)
			name = "(unnamed)";
		b->name.len = 0;
		buf_adds(&b->name, l->prefix);
		buf_adds(&b->name, name);
		if (rc == ARCHIVE_WARN)
			add_problem(b, b->name.p, archive_error_string(l->a));
		if (archive_entry_filetype(ae) != AE_IFREG)
			continue;
		if (++b->entries > b->lim.max_entries) {
			ds_error_set(err, b->path, 0, "more than %lu entries; the rest was not read",
			             b->lim.max_entries);
			return -1;
		}
		if (archive_entry_is_encrypted(ae)) {
			add_problem(b, b->name.p, "encrypted entry, not read");
			continue;
		}
		e->name = b->name.p;
		e->base = base_name(b->name.p);
		e->size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : -1;
		e->depth = b->depth;
		l->raw_start = archive_filter_bytes(b->lv[0].a, -1);
		l->entry_bytes = 0;
		l->in_entry = 1;
		b->in_entry = 1;
		return 1;
	}
	return 0;
}

static int check_limits(struct bundle *b, uint64_t *entry_bytes, int64_t raw_start, size_t got,
                        struct ds_error *err)
{
	*entry_bytes += got;
	b->total += got;
	if (b->total > b->lim.max_total) {
		ds_error_set(err, b->name.p, 0, "bundle decompresses to more than %llu bytes; reading stopped",
		             (unsigned long long)b->lim.max_total);
		b->dead = 1;
		return -1;
	}
	if (*entry_bytes > b->lim.max_entry) {
		ds_error_set(err, b->name.p, 0, "entry decompresses to more than %llu bytes; cut there",
		             (unsigned long long)b->lim.max_entry);
		return -1;
	}
	if (!b->is_dir && b->lim.max_ratio && *entry_bytes > RATIO_GRACE) {
		/* compressed bytes are counted on the outer file: a nested bomb shows there too */
		int64_t raw = archive_filter_bytes(b->lv[0].a, -1) - raw_start;

		if (raw > 0 && *entry_bytes / (uint64_t)raw > b->lim.max_ratio) {
			ds_error_set(err, b->name.p, 0,
			             "compression ratio above %u:1 (zip bomb?); entry cut after %llu bytes",
			             b->lim.max_ratio, (unsigned long long)*entry_bytes);
			return -1;
		}
	}
	return 0;
}

static ssize_t read_level(struct bundle *b, int idx, const void **p, struct ds_error *err)
{
	struct level *l = &b->lv[idx];
	size_t size;
	la_int64_t off;
	int rc;

	if (!l->in_entry || b->dead)
		return 0;
	for (;;) {
		rc = archive_read_data_block(l->a, p, &size, &off);
		if (rc == ARCHIVE_EOF) {
			l->in_entry = 0;
			return 0;
		}
		if (rc < ARCHIVE_WARN) {
			const char *why = archive_error_string(l->a);

			ds_error_set(err, b->name.p, 0, "%s", why ? why : "cannot read entry data");
			l->in_entry = 0;
			return -1;
		}
		if (size > 0)
			break;
	}
	if (check_limits(b, &l->entry_bytes, l->raw_start, size, err) != 0) {
		l->in_entry = 0;
		return -1;
	}
	return (ssize_t)size;
}

ssize_t bundle_read(struct bundle *b, const void **p, struct ds_error *err)
{
	ssize_t n;

	if (!b->in_entry || b->dead)
		return 0;
	if (!b->is_dir)
		return read_level(b, b->depth - 1, p, err);
	n = read(b->fd, b->dirbuf, DIR_BLOCK);
	if (n < 0) {
		ds_error_set(err, b->name.p, 0, "read error: %s", strerror(errno));
		b->in_entry = 0;
		return -1;
	}
	if (n == 0) {
		b->in_entry = 0;
		return 0;
	}
	*p = b->dirbuf;
	if (check_limits(b, &b->entry_bytes, 0, (size_t)n, err) != 0) {
		b->in_entry = 0;
		return -1;
	}
	return n;
}

int bundle_entry_is_archive(const struct bundle_entry *e)
{
	static const char *const ext[] = {"*.zip", "*.tar.gz", "*.tgz", "*.tar", NULL};
	int i;

	for (i = 0; ext[i]; i++)
		if (glob_match_ci(ext[i], e->base))
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
	/* the nested archive's bytes are the current entry of the level below it */
	n = read_level(b, l->idx - 1, p, &err);
	if (n < 0) {
		add_problem(b, err.where, err.msg);
		return 0; /* end the nested stream; the nested reader reports it truncated */
	}
	return n;
}

int bundle_descend(struct bundle *b, struct ds_error *err)
{
	struct level *l;

	if (b->is_dir || !b->in_entry || !b->lv[b->depth - 1].in_entry) {
		ds_error_set(err, b->name.p, 0, "not an archive entry");
		return -1;
	}
	if (b->depth >= b->lim.max_depth || b->depth >= MAX_LEVELS) {
		ds_error_set(err, b->name.p, 0, "archive nested deeper than %d levels, not opened",
		             b->lim.max_depth);
		return -1;
	}
	l = &b->lv[b->depth];
	l->a = new_reader();
	l->prefix = xasprintf("%s/", b->name.p);
	l->raw_start = 0;
	l->owner = b;
	l->idx = b->depth;
	l->in_entry = 0;
	b->depth++;
	if (archive_read_open(l->a, l, NULL, nested_read, NULL) != ARCHIVE_OK) {
		ds_error_set(err, b->name.p, 0, "nested archive unreadable: %s", archive_error_string(l->a));
		pop_level(b);
		return -1;
	}
	return 0;
}
