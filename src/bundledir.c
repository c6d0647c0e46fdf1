/* bundledir: a bundle that is an extracted directory -- its regular files listed once, sorted,
 * and each opened beneath the directory one component at a time, never through a symbolic link,
 * a FIFO or a device: a tree swapped under dartscan cannot lead it out of the bundle. */
#include "bundle_in.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_BLOCK (256 * 1024)

/* Opens rel below the directory rootfd one component at a time, none of them followed if it is a
 * symbolic link: a directory swapped for a link after the walk cannot lead out of the bundle. */
static int open_beneath(int rootfd, const char *rel, int flags)
{
	char *copy = xstrdup(rel), *part = copy, *slash;
	int dfd = rootfd, fd;

	while ((slash = strchr(part, '/')) != NULL) {
		int next;

		*slash = '\0';
		next = openat(dfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd != rootfd)
			close(dfd);
		if (next < 0) {
			free(copy);
			return -1;
		}
		dfd = next;
		part = slash + 1;
	}
	fd = openat(dfd, part, flags | O_NOFOLLOW | O_CLOEXEC);
	if (dfd != rootfd) {
		int saved = errno;

		close(dfd);
		errno = saved;
	}
	free(copy);
	return fd;
}

/* Lists the regular files below the directory dfd (owned here, closed on return). */
static void walk_dir(struct bundle *b, int dfd, const char *rel, size_t *cap, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (d == NULL) {
		char m[300];

		snprintf(m, sizeof m, "cannot read directory: %s", strerror(errno));
		bundle_add_problem(b, rel[0] ? rel : ".", m);
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *r;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (b->nfiles >= b->lim.max_entries) {
			bundle_add_problem(b, rel[0] ? rel : ".", "entry limit reached; the rest of the tree was not read");
			break;
		}
		r = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			bundle_add_problem(b, r, strerror(errno));
			free(r);
		} else if (S_ISLNK(st.st_mode)) {
			/* a link could lead out of the bundle: never followed */
			bundle_add_problem(b, r, "symbolic link not followed");
			free(r);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = depth < 32 ? openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;

			if (depth >= 32)
				bundle_add_problem(b, r, "directory nested deeper than 32 levels, not read");
			else if (sub < 0)
				bundle_add_problem(b, r, strerror(errno));
			else
				walk_dir(b, sub, r, cap, depth + 1);
			free(r);
		} else if (S_ISREG(st.st_mode)) {
			b->files = xgrow(b->files, cap, b->nfiles + 1, sizeof *b->files);
			b->files[b->nfiles++] = r;
		} else {
			/* a FIFO or device could block or never end: never opened */
			bundle_add_problem(b, r, "not a regular file, not read");
			free(r);
		}
	}
	closedir(d); /* closes dfd */
}

int bundledir_open(struct bundle *b, const char *path, struct ds_error *err)
{
	size_t cap = 0;
	int dfd;

	b->is_dir = 1;
	b->rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dfd = b->rootfd < 0 ? -1 : dup(b->rootfd);
	if (dfd < 0) {
		ds_error_set(err, path, 0, "cannot open directory: %s", strerror(errno));
		return -1;
	}
	walk_dir(b, dfd, "", &cap, 0);
	sort_strings(b->files, b->nfiles);
	b->dirbuf = xmalloc(DIR_BLOCK);
	return 0;
}

int bundledir_next(struct bundle *b, struct bundle_entry *e)
{
	if (b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
	while (b->ifile < b->nfiles) {
		const char *rel = b->files[b->ifile++];
		/* O_NONBLOCK: a FIFO swapped in since the walk must not hang the open */
		int fd = open_beneath(b->rootfd, rel, O_RDONLY | O_NONBLOCK);
		struct stat st;

		if (fd < 0) {
			bundle_add_problem(b, rel, strerror(errno));
			continue;
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			bundle_add_problem(b, rel, "no longer a regular file");
			continue;
		}
		b->fd = fd;
		b->name.len = 0;
		buf_adds(&b->name, rel);
		e->name = b->name.p;
		e->base = base_name(b->name.p);
		e->size = st.st_size;
		e->mtime = 0;
		e->mtime_kind = BT_NONE; /* an extracted file's time is when it was extracted */
		b->entries++;
		b->entry_bytes = 0;
		b->in_entry = 1;
		return 1;
	}
	return 0;
}

ssize_t bundledir_read(struct bundle *b, const void **p, struct ds_error *err)
{
	ssize_t n = read(b->fd, b->dirbuf, DIR_BLOCK);

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
	if (bundle_check_limits(b, b->name.p, &b->entry_bytes, 0, (size_t)n, err) != 0) {
		b->in_entry = 0;
		return -1;
	}
	return n;
}
