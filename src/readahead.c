/* readahead: inflating is most of a large bundle's cost, and one entry inflates on one core. With
 * a second core, a helper thread opens the same file with a reader of its own and reads the last
 * large log entries while the scan reads the first ones; the scan takes each result when it
 * reaches that entry. A scan that arrives while the helper is still busy reads the helper's later
 * entries itself (with a third reader) instead of waiting: a bytes split is no cost split (an
 * event export costs three times a plugin log a byte), and one core idled at a bundle's end.
 * A result is handed over only when its reader saw the entry whole and undamaged; scan then
 * decides whether it is what reading in place would have given. */
#include "readahead.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Scaled from scan_opts.read_ahead (the log bytes worth a thread): a file too small to hold that
 * much at any usual ratio is not walked; an entry below this share is not worth the hand-over. */
#define AHEAD_FILE_SHARE 16
#define AHEAD_ENTRY_SHARE 32
#define AHEAD_MAX_ENTRIES 4096 /* the plan walks the headers once: a huge list is no log bundle */

enum { JOB_FREE, JOB_HELPER, JOB_SCAN }; /* who reads a job */

struct ahead_job {
	unsigned long ordinal; /* bundle_entries_seen() when the entry is current */
	char *name;
	struct scan_result part;
	int owner; /* JOB_*: claimed under the lock, once */
	int state; /* 0 waiting, 1 read whole, -1 not usable */
};

/* A reader and matcher of one side: the helper's, or the scan's for the jobs it takes over; both
 * made at the side's first job (m non-NULL from then on, b NULL when the file would not open). */
struct ahead_side {
	struct bundle *b;
	struct matcher *m;
};

struct readahead {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *path;
	struct scan_opts opts;
	readahead_fn read;
	struct ahead_job *jobs; /* set by the helper's plan, under the lock, before planned */
	size_t njobs, next; /* next: the first job the scan has not taken */
	int planned;
	int stop;
	int held;            /* scan_opts.ahead_hold: the helper waits before its first job's reading */
	struct ahead_side own; /* the scan's side, opened at its first stolen job */
	unsigned long stolen;
};

struct ahead_cand {
	unsigned long ordinal;
	char *name;
	uint64_t size;
};

static void free_cands(struct ahead_cand *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

/* Lists the large log entries of a plain archive (no nested archives, every log's size known).
 * Returns how many, with *total the bytes of every log entry; 0 when there is no plan to make. */
static size_t list_candidates(const char *path, const struct scan_opts *o,
                              struct ahead_cand **out, uint64_t *total)
{
	struct ds_error err;
	struct bundle_entry e;
	struct bundle *b = bundle_open(path, &o->blim, &err);
	struct ahead_cand *c = NULL;
	size_t n = 0, cap = 0;
	int rc, ok = b != NULL;

	*total = 0;
	while (ok && (rc = bundle_next(b, &e, &err)) == 1) {
		int is_log = !context_wants(o->rs, e.base) && rules_reading(o->rs, e.base) > 0;

		if (bundle_entries_seen(b) > AHEAD_MAX_ENTRIES || (!is_log && bundle_name_is_archive(e.base)) ||
		    (is_log && e.size < 0))
			ok = 0;
		else if (is_log) {
			*total += (uint64_t)e.size;
			if ((uint64_t)e.size >= o->read_ahead / AHEAD_ENTRY_SHARE) {
				c = xgrow(c, &cap, n + 1, sizeof *c);
				c[n].ordinal = bundle_entries_seen(b);
				c[n].name = xstrdup(e.name);
				c[n++].size = (uint64_t)e.size;
			}
		}
	}
	if (ok && rc < 0)
		ok = 0;
	bundle_close(b);
	if (!ok || *total < o->read_ahead || *total > o->blim.max_total) {
		free_cands(c, n);
		return 0;
	}
	*out = c;
	return n;
}

/* The helper takes the candidates from k on; k balances its bytes against the scan's. Returns
 * k, or n when sharing is not worth it. */
static size_t split_candidates(const struct ahead_cand *c, size_t n, uint64_t total)
{
	uint64_t suffix = 0, best = total;
	size_t k = n, i;

	for (i = n; i-- > 0;) {
		uint64_t worst;

		suffix += c[i].size;
		worst = suffix > total - suffix ? suffix : total - suffix;
		if (worst < best) {
			best = worst;
			k = i;
		}
	}
	return best <= total - total / 8 ? k : n;
}

/* Reads job j with side's reader, which is before it or at it: 1 when read whole, else -1. */
static int read_job(struct readahead *ra, struct ahead_side *sd, struct ahead_job *j)
{
	struct ds_error err;
	struct bundle_entry e;
	int state = -1;

	if (sd->m == NULL) {
		sd->b = bundle_open(ra->path, &ra->opts.blim, &err);
		sd->m = matcher_new(ra->opts.rs, &ra->opts.mlim);
	}
	while (sd->b != NULL && bundle_next(sd->b, &e, &err) == 1) {
		size_t before, after;

		if (bundle_entries_seen(sd->b) < j->ordinal)
			continue;
		/* the plan's reader saw this file the same way: anything else is not used */
		if (bundle_entries_seen(sd->b) == j->ordinal && strcmp(e.name, j->name) == 0) {
			bundle_problems(sd->b, &before);
			matcher_begin_bundle(sd->m);
			scan_result_init(&j->part, ra->path);
			state = ra->read(&j->part, sd->b, &e, &ra->opts, sd->m);
			bundle_problems(sd->b, &after);
			state = state == 0 && after == before ? 1 : -1;
		}
		break;
	}
	return state;
}

static void close_side(struct ahead_side *sd)
{
	bundle_close(sd->b);
	matcher_free(sd->m);
	memset(sd, 0, sizeof *sd);
}

/* Marks job j read (state) and wakes the scan. Called with the lock held. */
static void finish_job(struct readahead *ra, struct ahead_job *j, int state)
{
	j->state = state;
	pthread_cond_broadcast(&ra->cv);
}

/* The helper's first work, while the scan opens the bundle: which entries are its jobs. */
static void plan(struct readahead *ra)
{
	struct ahead_cand *c = NULL;
	struct ahead_job *jobs = NULL;
	uint64_t total;
	size_t n = list_candidates(ra->path, &ra->opts, &c, &total), k = split_candidates(c, n, total), i;

	if (k < n) {
		jobs = xcalloc(n - k, sizeof *jobs);
		for (i = k; i < n; i++) {
			jobs[i - k].ordinal = c[i].ordinal;
			jobs[i - k].name = c[i].name;
			c[i].name = NULL;
		}
	}
	free_cands(c, n);
	pthread_mutex_lock(&ra->mu);
	ra->jobs = jobs;
	ra->njobs = k < n ? n - k : 0;
	if (ra->njobs) /* its first job is its own before the scan can look: the scan is at the bundle's start */
		jobs[0].owner = JOB_HELPER;
	ra->planned = 1;
	pthread_cond_broadcast(&ra->cv);
	pthread_mutex_unlock(&ra->mu);
}

static void *run_ahead(void *vp)
{
	struct readahead *ra = vp;
	struct ahead_side sd = {0};
	size_t i;

	plan(ra);

	for (i = 0; i < ra->njobs; i++) {
		struct ahead_job *j = &ra->jobs[i];
		int state;

		pthread_mutex_lock(&ra->mu);
		if (j->owner == JOB_SCAN) { /* the scan reads it */
			pthread_mutex_unlock(&ra->mu);
			continue;
		}
		j->owner = JOB_HELPER;
		while (ra->held && !ra->stop)
			pthread_cond_wait(&ra->cv, &ra->mu);
		if (ra->stop) {
			finish_job(ra, j, -1);
			pthread_mutex_unlock(&ra->mu);
			continue;
		}
		pthread_mutex_unlock(&ra->mu);
		state = read_job(ra, &sd, j);
		pthread_mutex_lock(&ra->mu);
		finish_job(ra, j, state);
		pthread_mutex_unlock(&ra->mu);
	}
	close_side(&sd);
	return NULL;
}

/* Frees what readahead_start made; the helper has ended or never started. */
static void release(struct readahead *ra)
{
	size_t i;

	for (i = 0; i < ra->njobs; i++) {
		free(ra->jobs[i].name);
		scan_result_reset(&ra->jobs[i].part);
	}
	free(ra->jobs);
	close_side(&ra->own);
	pthread_cond_destroy(&ra->cv);
	pthread_mutex_destroy(&ra->mu);
	free(ra->path);
	free(ra);
}

void readahead_free(struct readahead *ra)
{
	if (ra == NULL)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->stop = 1;
	pthread_cond_broadcast(&ra->cv);
	pthread_mutex_unlock(&ra->mu);
	pthread_join(ra->thread, NULL);
	release(ra);
}

/* Does the file start as a zip does? Only a zip's entries can be reached without inflating the
 * ones before them (its central directory): in a tar.gz the plan's walk and the helper would
 * each inflate the whole stream again. */
static int starts_as_zip(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), ok;

	if (fd < 0)
		return 0;
	ok = read(fd, magic, sizeof magic) == (ssize_t)sizeof magic && memcmp(magic, "PK\3\4", 4) == 0;
	close(fd);
	return ok;
}

struct readahead *readahead_start(const char *path, const struct scan_opts *o, readahead_fn read)
{
	struct stat st;
	struct readahead *ra;

	if (!o->read_ahead || o->explain || o->probe || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < o->read_ahead / AHEAD_FILE_SHARE || !starts_as_zip(path))
		return NULL;
	ra = xcalloc(1, sizeof *ra);
	ra->path = xstrdup(path);
	ra->opts = *o;
	if (!o->ahead_pipeline)
		ra->opts.pipeline_after = 0;
	ra->read = read;
	ra->held = o->ahead_hold;
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->cv, NULL);
	if (pthread_create(&ra->thread, NULL, run_ahead, ra) != 0) {
		release(ra); /* every entry is read in place */
		return NULL;
	}
	return ra;
}

/* The first job after j nobody has claimed, or NULL. Called with the lock held. */
static struct ahead_job *free_job_after(struct readahead *ra, const struct ahead_job *j)
{
	size_t i;

	for (i = (size_t)(j - ra->jobs) + 1; i < ra->njobs; i++)
		if (ra->jobs[i].owner == JOB_FREE)
			return &ra->jobs[i];
	return NULL;
}

struct scan_result *readahead_take(struct readahead *ra, unsigned long ordinal)
{
	struct ahead_job *j, *k;

	if (ra == NULL)
		return NULL;
	pthread_mutex_lock(&ra->mu);
	while (!ra->planned)
		pthread_cond_wait(&ra->cv, &ra->mu);
	if (ra->next >= ra->njobs || ra->jobs[ra->next].ordinal != ordinal) {
		pthread_mutex_unlock(&ra->mu);
		return NULL;
	}
	j = &ra->jobs[ra->next++];
	if (j->owner == JOB_FREE) { /* the helper is not there yet: read it in place */
		j->owner = JOB_SCAN;
		pthread_mutex_unlock(&ra->mu);
		return NULL;
	}
	/* while the helper reads it, the scan reads the helper's later jobs (results stay in job
	 * order: each is taken when the scan reaches its entry) */
	while (j->state == 0) {
		if ((k = free_job_after(ra, j)) != NULL) {
			int state;

			k->owner = JOB_SCAN;
			pthread_mutex_unlock(&ra->mu);
			state = read_job(ra, &ra->own, k);
			pthread_mutex_lock(&ra->mu);
			finish_job(ra, k, state);
			ra->stolen++;
			continue;
		}
		if (ra->held) { /* a test's hold ends once nothing is left to take */
			ra->held = 0;
			pthread_cond_broadcast(&ra->cv);
		}
		pthread_cond_wait(&ra->cv, &ra->mu);
	}
	pthread_mutex_unlock(&ra->mu);
	return j->state == 1 ? &j->part : NULL;
}

unsigned long readahead_stolen(const struct readahead *ra)
{
	return ra ? ra->stolen : 0;
}
