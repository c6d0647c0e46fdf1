/* batch: discovery sorts names so output never depends on readdir order; workers take bundles
 * in list order and the caller's thread reports them in that same order, holding at most a small
 * window of finished results, so -j changes speed, never output. A worker digests its bundle in
 * this process (reading bytes, parsing nothing) before the sandboxed scan, and waits for every
 * earlier digest, so which bundle is a duplicate of which does not depend on -j either. A single
 * bundle has nothing to be a duplicate of: its digest is taken only for a report that prints it,
 * and then by the caller's thread while the scan runs (it would only wait), not before the scan;
 * without one the caller's thread scans it itself. */
#include "batch.h"

#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DISCOVER_DEPTH 32

void bundle_list_init(struct bundle_list *l)
{
	memset(l, 0, sizeof *l);
}

void bundle_list_reset(struct bundle_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->rel);
	free(l->empty);
	bundle_list_init(l);
}

static void add_below(struct bundle_list *l, const char *path, size_t rel)
{
	l->paths = xgrow(l->paths, &l->cap, l->n + 1, sizeof *l->paths);
	l->rel = xgrow(l->rel, &l->caprel, l->n + 1, sizeof *l->rel);
	l->empty = xgrow(l->empty, &l->capempty, l->n + 1, 1);
	l->rel[l->n] = rel;
	l->empty[l->n] = 0;
	l->paths[l->n++] = xstrdup(path);
}

void bundle_list_add(struct bundle_list *l, const char *path)
{
	add_below(l, path, 0);
}

/* An archive by its first bytes, whatever its name. */
static int looks_like_archive(const char *path)
{
	unsigned char m[264];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, m, sizeof m);
	close(fd);
	if (n >= 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4)
		return 1;
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return 1;
	if (n >= 6 && memcmp(m, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return 1;
	if (n >= 262 && memcmp(m + 257, "ustar", 5) == 0)
		return 1;
	return 0;
}

/* An extracted bundle: a product folder or one of the Umbrella logs directly inside. */
static int looks_like_bundle_dir(const char *path)
{
	static const char *const marks[] = {"Cisco Secure Client", "Cisco AnyConnect Secure Mobility Client",
	                                    "cscumbrellaplugin.txt", "Umbrella.txt", NULL};
	DIR *d = opendir(path);
	struct dirent *de;
	int found = 0, i;

	if (d == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		for (i = 0; marks[i]; i++)
			if (strcasecmp(de->d_name, marks[i]) == 0)
				found = 1;
	closedir(d);
	return found;
}

/* root: how many bytes of each name are the -r root and its slash */
static void walk(struct bundle_list *l, const char *dir, int depth, size_t root)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (depth > DISCOVER_DEPTH || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xgrow(names, &cap, n + 1, sizeof *names);
		/* "cases/" given: "cases/R1.zip", never "cases//R1.zip" */
		names[n++] = xasprintf("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
	}
	closedir(d);
	sort_strings_natural(names, n); /* case-2 before case-10, as a person numbers cases */
	for (i = 0; i < n; i++) {
		struct stat st;

		if (lstat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				size_t had = l->n;

				if (looks_like_bundle_dir(names[i]))
					add_below(l, names[i], root);
				else
					walk(l, names[i], depth + 1, root);
				if (depth == 0 && l->n == had) { /* a case folder the upload has not reached yet */
					add_below(l, names[i], root);
					l->empty[l->n - 1] = 1;
					l->nempty++;
				}
			} else if (S_ISREG(st.st_mode) && (looks_like_archive(names[i]) || bundle_name_is_archive(names[i]))) {
				/* a damaged upload named .zip is reported, not silently passed over */
				add_below(l, names[i], root);
			}
		}
		free(names[i]);
	}
	free(names);
}

int batch_discover(struct bundle_list *l, const char *dir, struct ds_error *err)
{
	struct stat st;
	size_t before = l->n, empties = l->nempty;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ds_error_set(err, dir, 0, "%s", errno ? strerror(errno) : "not a directory");
		return -1;
	}
	if (looks_like_bundle_dir(dir))
		bundle_list_add(l, dir);
	else
		walk(l, dir, 0, strlen(dir) + (dir[0] && dir[strlen(dir) - 1] == '/' ? 0 : 1));
	/* a mistyped path in a cron job must not pass as "nothing wrong": case folders alone are not
	 * bundles */
	if (l->n - before == l->nempty - empties) {
		ds_error_set(err, NULL, 0, "no bundle found below %s", dir);
		return -1;
	}
	return 0;
}

/* ---- digests: which bundles are byte-identical ---- */

static int hash_file(struct sha256 *c, const char *path)
{
	unsigned char b[65536];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, b, sizeof b)) > 0)
		sha256_update(c, b, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* The regular files below dir, as names relative to base, into names (unsorted). */
static void list_files(const char *base, const char *rel, int depth, char ***names, size_t *n, size_t *cap)
{
	char *dir = rel[0] ? xasprintf("%s/%s", base, rel) : xstrdup(base);
	DIR *d = depth > DISCOVER_DEPTH ? NULL : opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		char *r, *full;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		r = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		full = xasprintf("%s/%s", base, r);
		if (lstat(full, &st) != 0) {
			free(r);
		} else if (S_ISDIR(st.st_mode)) {
			list_files(base, r, depth + 1, names, n, cap);
			free(r);
		} else if (S_ISREG(st.st_mode)) {
			*names = xgrow(*names, cap, *n + 1, sizeof **names);
			(*names)[(*n)++] = r;
		} else {
			free(r);
		}
		free(full);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* A directory's digest: its files in name order, each as its name, a NUL, its size in 8 bytes
 * and its bytes, so that moving bytes from one file to the next changes it. */
static int hash_dir(struct sha256 *c, const char *path)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	list_files(path, "", 0, &names, &n, &cap);
	sort_strings(names, n);
	for (i = 0; i < n; i++) {
		char *full = xasprintf("%s/%s", path, names[i]);
		unsigned char len[8];
		struct stat st;
		int k;

		if (rc == 0 && lstat(full, &st) == 0) {
			for (k = 0; k < 8; k++)
				len[k] = (unsigned char)((uint64_t)st.st_size >> (56 - 8 * k));
			sha256_update(c, names[i], strlen(names[i]) + 1);
			sha256_update(c, len, sizeof len);
			rc = hash_file(c, full);
		} else {
			rc = -1;
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The bundle's digest into out; -1 when it cannot be read (the scan then says why). */
static int digest_bundle(const char *path, unsigned char out[SHA256_LEN])
{
	struct sha256 c;
	struct stat st;
	int rc;

	if (lstat(path, &st) != 0)
		return -1;
	sha256_init(&c);
	rc = S_ISDIR(st.st_mode) ? hash_dir(&c, path) : S_ISREG(st.st_mode) ? hash_file(&c, path) : -1;
	sha256_final(&c, out);
	return rc;
}

/* ---- workers ---- */

struct slot {
	struct scan_result res;
	int done;
	int hashed;          /* digest tried */
	int has_digest;
	unsigned char digest[SHA256_LEN];
	size_t dup_of;       /* the first earlier bundle with the same digest, or SIZE_MAX */
	int status;          /* once reported: its status, for a duplicate of it */
};

struct pool {
	const struct bundle_list *l;
	const struct scan_opts *so;
	const struct sandbox_opts *sb;
	struct slot *slots;
	size_t next_take;   /* next bundle a worker takes */
	size_t next_emit;   /* next bundle the caller reports */
	size_t hashed;      /* bundles [0, hashed) have their digest tried */
	size_t window;      /* finished-but-unreported results held at most */
	unsigned long errors;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* One thread's own: its matcher and the cell (worker process) it scans through. */
struct job {
	struct pool *p;
	struct matcher *m;
	struct cell *c;
};

/* Digests bundle i and waits for every earlier one's (workers take bundles in order and digest
 * first, so the wait is short): a duplicate is then the same whatever -j is. Returns the first
 * earlier bundle with the same bytes, or SIZE_MAX. */
static size_t find_duplicate(struct pool *p, size_t i)
{
	struct slot *s = &p->slots[i];
	size_t k;

	s->has_digest = digest_bundle(p->l->paths[i], s->digest) == 0;
	pthread_mutex_lock(&p->mu);
	s->hashed = 1;
	while (p->hashed < p->l->n && p->slots[p->hashed].hashed)
		p->hashed++;
	pthread_cond_broadcast(&p->cv);
	while (p->hashed < i)
		pthread_cond_wait(&p->cv, &p->mu);
	s->dup_of = SIZE_MAX;
	for (k = 0; s->has_digest && k < i && s->dup_of == SIZE_MAX; k++)
		if (p->slots[k].has_digest && p->slots[k].dup_of == SIZE_MAX && memcmp(p->slots[k].digest, s->digest, SHA256_LEN) == 0)
			s->dup_of = k;
	pthread_mutex_unlock(&p->mu);
	return s->dup_of;
}

/* An empty case folder: a result that says so, with nothing read (and no digest to wait on). */
static void mark_empty(struct pool *p, size_t i)
{
	struct slot *s = &p->slots[i];

	scan_result_init(&s->res, p->l->paths[i]);
	s->res.status = SCAN_EMPTY;
	pthread_mutex_lock(&p->mu);
	s->hashed = 1;
	s->dup_of = SIZE_MAX;
	while (p->hashed < p->l->n && p->slots[p->hashed].hashed)
		p->hashed++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *worker(void *vp)
{
	struct job *j = vp;
	struct pool *p = j->p;
	struct cell *c = j->c;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->mu);
		while (p->next_take < p->l->n && p->next_take >= p->next_emit + p->window)
			pthread_cond_wait(&p->cv, &p->mu);
		i = p->next_take;
		if (i < p->l->n)
			p->next_take++;
		if (p->next_take == p->l->n) /* no bundle is left for this thread after this one */
			cell_last(c);
		pthread_mutex_unlock(&p->mu);
		if (i >= p->l->n)
			break;
		if (p->l->empty && p->l->empty[i]) {
			mark_empty(p, i);
		} else if (p->l->n == 1 || find_duplicate(p, i) == SIZE_MAX)
			cell_scan(c, p->l->paths[i], &p->slots[i].res);
		pthread_mutex_lock(&p->mu);
		p->slots[i].done = 1;
		if (p->slots[i].res.status == SCAN_ERROR)
			p->errors++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

static void show_progress(struct pool *p, double t0)
{
	double el = mono_seconds() - t0, rate = el > 0 ? (double)p->next_emit / el : 0;
	double eta = rate > 0 ? (double)(p->l->n - p->next_emit) / rate : 0;

	fprintf(stderr, "\r\033[Kdartscan: %zu/%zu bundles, %.1f/s, ETA %.0f s, %lu error%s", p->next_emit,
	        p->l->n, rate, eta, p->errors, p->errors == 1 ? "" : "s");
	fflush(stderr);
}

/* What the batch knows of bundle i that its scan does not: where it lies below its root, its
 * digest, and, for a duplicate (not scanned), the bundle it repeats and how that one was read. */
static void describe(struct pool *p, size_t i)
{
	struct slot *s = &p->slots[i];
	char hex[SHA256_HEX];

	if (s->dup_of != SIZE_MAX) {
		s->res.path = xstrdup(p->l->paths[i]);
		s->res.status = p->slots[s->dup_of].status;
		s->res.duplicate_of = xstrdup(p->l->paths[s->dup_of]);
	}
	if (p->l->rel[i])
		s->res.rel_path = xstrdup(p->l->paths[i] + p->l->rel[i]);
	if (s->has_digest) {
		sha256_hex(s->digest, hex);
		s->res.sha256 = xstrdup(hex);
	}
}

void batch_run(const struct bundle_list *l, const struct scan_opts *so, const struct batch_opts *bo,
               batch_fn fn, void *ctx)
{
	struct pool p;
	pthread_t *th;
	struct job *jb;
	int jobs = bo->jobs > 0 ? bo->jobs : 1, t, here;
	double t0 = mono_seconds();
	struct scan_opts one = *so;

	/* the threads a bundle may use inside it: with several workers the cores are taken (one
	 * thread per bundle); a single bundle may read two entries at once if there is a core */
	if (l->n > 1 && jobs > 1)
		one.pipeline_after = 0;
	if (l->n != 1 || jobs < 2)
		one.read_ahead = 0;
	if ((size_t)jobs > l->n)
		jobs = l->n ? (int)l->n : 1;
	memset(&p, 0, sizeof p);
	p.l = l;
	p.so = &one;
	p.sb = &bo->sandbox;
	p.slots = xcalloc(l->n + 1, sizeof *p.slots);
	p.window = (size_t)jobs * 4;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	th = xcalloc((size_t)jobs, sizeof *th);
	jb = xcalloc((size_t)jobs, sizeof *jb);
	/* every worker process is forked here, before any thread starts: a fork from a process with
	 * other threads copies whatever lock one of them held at that instant (an allocator's, the
	 * C library's), and the worker could wait on it for ever */
	for (t = 0; t < jobs; t++) {
		jb[t].p = &p;
		jb[t].m = matcher_new(one.rs, &one.mlim);
		jb[t].c = cell_new(&one, &bo->sandbox, jb[t].m);
		cell_start(jb[t].c);
	}
	p.slots[0].dup_of = SIZE_MAX; /* one bundle: no duplicate to look for (the workers skip it) */
	/* one bundle and no digest to take meanwhile: scanned on this thread, since handing its result
	 * to this thread at the end waits for a sleeping thread's wake-up (0.1-0.3 ms here, by uprobes) */
	here = l->n == 1 && !bo->digest;
	if (here) {
		worker(&jb[0]);
	} else {
		for (t = 0; t < jobs; t++)
			pthread_create(&th[t], NULL, worker, &jb[t]);
		if (l->n == 1 && !(l->empty && l->empty[0])) /* the digest a report prints */
			p.slots[0].has_digest = digest_bundle(l->paths[0], p.slots[0].digest) == 0;
	}
	pthread_mutex_lock(&p.mu);
	while (p.next_emit < l->n) {
		size_t i = p.next_emit;

		while (!p.slots[i].done)
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		describe(&p, i);
		fn(ctx, &p.slots[i].res);
		p.slots[i].status = p.slots[i].res.status;
		scan_result_reset(&p.slots[i].res);
		pthread_mutex_lock(&p.mu);
		p.next_emit++;
		pthread_cond_broadcast(&p.cv);
		if (bo->progress)
			show_progress(&p, t0);
	}
	pthread_mutex_unlock(&p.mu);
	for (t = 0; t < jobs; t++) {
		if (!here)
			pthread_join(th[t], NULL);
		cell_free(jb[t].c);
		matcher_free(jb[t].m);
	}
	free(jb);
	if (bo->progress)
		fputs("\r\033[K", stderr);
	free(th);
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
}
