/* scan: wires the stages for one bundle. Entries are routed by base name: kept whole for the
 * context (small JSON/XML), streamed through the text decoder to the matcher (logs a rule reads),
 * opened as a nested archive, or skipped without being decompressed. */
#include "scan.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

const char *scan_status_name(int st)
{
	return st == SCAN_OK ? "ok" : st == SCAN_PARTIAL ? "partial" : "error";
}

void scan_opts_default(struct scan_opts *o, const struct ruleset *rs)
{
	memset(o, 0, sizeof *o);
	o->rs = rs;
	bundle_limits_default(&o->blim);
	match_limits_default(&o->mlim);
	correlate_opts_default(&o->copts);
	o->max_record = 1 << 20;
	cap_limits_default(&o->caplim);
	o->pipeline_after = 1 << 20; /* smaller entries are not worth a thread and its hand-offs */
}

static void add_problem(struct scan_result *res, const char *entry, const char *msg)
{
	res->problems = xgrow(res->problems, &res->capproblems, res->nproblems + 1, sizeof *res->problems);
	res->problems[res->nproblems].entry = entry ? xstrdup(entry) : NULL;
	res->problems[res->nproblems].msg = xstrdup(msg);
	res->nproblems++;
}

const char *scan_entry_name(const struct scan_result *res, unsigned entry)
{
	return entry < res->nentries ? res->entries[entry].name : "?";
}

struct feed {
	struct scan_result *res;
	struct matcher *m;
	struct stamp first, last;
	int explain; /* the explained rule reads this entry */
};

static int on_record(void *vp, const struct record *r)
{
	struct feed *f = vp;

	if (r->ts.prov != TP_NONE) {
		if (f->first.prov == TP_NONE || r->ts.ms < f->first.ms)
			f->first = r->ts;
		if (f->last.prov == TP_NONE || r->ts.ms > f->last.ms)
			f->last = r->ts;
	}
	matcher_record(f->m, r, &f->res->events);
	if (f->explain)
		explain_record(f->res->explain, r);
	return 0;
}

static void widen(struct scan_result *res, const struct stamp *first, const struct stamp *last)
{
	if (first->prov != TP_NONE && (res->start.prov == TP_NONE || first->ms < res->start.ms))
		res->start = *first;
	if (last->prov != TP_NONE && (res->end.prov == TP_NONE || last->ms > res->end.ms))
		res->end = *last;
}

static void fix_day_first(struct stamp *s, int day_first)
{
	if (day_first)
		timefmt_swap_day_month(s);
}

/* Damage the decoder worked around is still damage: the reader should know the log is not whole. */
static void note_damage(struct scan_result *res, const char *entry, const struct text_stats *st)
{
	char *msg;

	if (st->nul_bytes) {
		msg = xasprintf("%lu NUL byte(s) in the text (a log cut short by a crash?)", st->nul_bytes);
		add_problem(res, entry, msg);
		free(msg);
	}
	if (st->bad_units) {
		msg = xasprintf("%lu invalid %s code unit(s) (unpaired surrogates, odd length) replaced with U+FFFD",
		                st->bad_units, text_encoding_name(st->encoding));
		add_problem(res, entry, msg);
		free(msg);
	}
}

/* Streams one entry through the decoder and the matcher. Returns -1 when its bytes could not all
 * be read (the problem is listed). */
static int read_log(struct scan_result *res, struct bundle *b, const struct bundle_entry *e,
                     const struct scan_opts *o, struct matcher *m, const char *prefix, size_t plen)
{
	struct feed f;
	struct text_reader *tr;
	struct entry_info *ei;
	const struct text_stats *st;
	struct ds_error err;
	const void *p;
	ssize_t n;
	unsigned idx = (unsigned)res->nentries;

	res->entries = xgrow(res->entries, &res->capentries, res->nentries + 1, sizeof *res->entries);
	ei = &res->entries[res->nentries++];
	memset(ei, 0, sizeof *ei);
	ei->name = xstrdup(e->name);
	memset(&f, 0, sizeof f);
	f.res = res;
	f.m = m;
	matcher_begin_entry(m, e->base, idx);
	if (res->explain && rule_reads(res->explain->rule, e->base)) {
		f.explain = 1;
		explain_begin_entry(res->explain, e->name);
	}
	tr = text_reader_new(o->max_record, on_record, &f);
	if (o->pipeline_after)
		text_reader_pipeline(tr, o->pipeline_after);
	if (plen)
		text_reader_feed(tr, prefix, plen);
	while ((n = bundle_read(b, &p, &err)) > 0) {
		ei->bytes += (unsigned long long)n;
		text_reader_feed(tr, p, (size_t)n);
	}
	if (n < 0)
		add_problem(res, e->name, err.msg);
	text_reader_finish(tr);
	st = text_reader_stats(tr);
	ei->bytes += plen;
	ei->records = st->records;
	ei->truncated = st->truncated;
	ei->encoding = st->encoding;
	ei->day_first = st->day_first;
	matcher_end_entry(m, st->day_first, &res->events);
	fix_day_first(&f.first, st->day_first);
	fix_day_first(&f.last, st->day_first);
	widen(res, &f.first, &f.last);
	if (st->truncated) {
		char *msg = xasprintf("%lu record(s) longer than %zu bytes were cut (--max-record; first at line %lu)",
		                      st->truncated, o->max_record, st->first_truncated_line);

		add_problem(res, e->name, msg);
		free(msg);
	}
	note_damage(res, e->name, st);
	context_note_entry(&res->ctx, e->name, ei->bytes, n < 0 ? FS_UNREADABLE : FS_OK, n < 0 ? err.msg : NULL);
	text_reader_free(tr);
	{
		size_t nw, i;
		char **w = matcher_take_warnings(m, &nw);

		for (i = 0; i < nw; i++) {
			add_problem(res, e->name, w[i]);
			free(w[i]);
		}
		free(w);
	}
	return n < 0 ? -1 : 0;
}

/* Reads a small file whole for the context; if rules read it too, it goes on to them. */
static void read_small(struct scan_result *res, struct bundle *b, const struct bundle_entry *e,
                       const struct scan_opts *o, struct matcher *m)
{
	struct buf data;
	struct ds_error err;
	const void *p;
	ssize_t n;
	int status = FS_OK;
	const char *why = NULL;

	buf_init(&data);
	while ((n = bundle_read(b, &p, &err)) > 0) {
		if (data.len + (size_t)n > CONTEXT_FILE_MAX) {
			status = FS_TOO_BIG;
			why = "larger than the 1 MiB allowed for a settings file";
			break;
		}
		buf_add(&data, p, (size_t)n);
	}
	if (n < 0) {
		status = FS_UNREADABLE;
		why = err.msg;
		add_problem(res, e->name, err.msg);
	}
	if (status == FS_OK && data.len == 0)
		status = FS_EMPTY;
	context_add_file(&res->ctx, e->name, data.p, data.len, status, why);
	if (status == FS_OK && matcher_rules_for(m, e->base) > 0) {
		read_log(res, b, e, o, m, data.p, data.len);
	} else {
		context_note_entry(&res->ctx, e->name, data.len, status, why);
	}
	buf_reset(&data);
}

/* ---- read-ahead: two entries inflating at once ----
 * Inflating is most of a large bundle's cost and one entry inflates on one core. With a second
 * core, a helper thread opens the same file with a reader of its own and reads the last large log
 * entries while the scan reads the first ones; the scan takes each result when it reaches that
 * entry. A result is used only when it is what reading the entry in place would have given (read
 * whole, no damage, within the bundle's limits as they stand there); otherwise the entry is read
 * in place. Either way the output is the same. */

/* Scaled from scan_opts.read_ahead (the log bytes worth a thread): a file too small to hold that
 * much at any usual ratio is not walked; an entry below this share is not worth the hand-over. */
#define AHEAD_FILE_SHARE 16
#define AHEAD_ENTRY_SHARE 32
#define AHEAD_MAX_ENTRIES 4096     /* the plan walks the headers once; a huge list is not a log bundle */

struct ahead_job {
	unsigned long ordinal; /* bundle_entries_seen() when the entry is current */
	char *name;
	struct scan_result part;
	int state; /* 0 waiting, 1 read whole, -1 not usable */
};

struct readahead {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *path;
	struct scan_opts opts;
	struct matcher *m;
	struct ahead_job *jobs;
	size_t njobs, next; /* next: the first job the scan has not taken */
	int stop;
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
static size_t list_candidates(const char *path, const struct scan_opts *o, const struct matcher *m,
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
		int is_log = !context_wants(o->rs, e.base) && matcher_rules_for(m, e.base) > 0;

		if (bundle_entries_seen(b) > AHEAD_MAX_ENTRIES || (!is_log && bundle_entry_is_archive(&e)) ||
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

static void *run_ahead(void *vp)
{
	struct readahead *ra = vp;
	struct ds_error err;
	struct bundle_entry e;
	struct bundle *b = bundle_open(ra->path, &ra->opts.blim, &err);
	size_t i;

	for (i = 0; i < ra->njobs; i++) {
		struct ahead_job *j = &ra->jobs[i];
		int state = -1, stop;

		pthread_mutex_lock(&ra->mu);
		stop = ra->stop;
		pthread_mutex_unlock(&ra->mu);
		while (!stop && b != NULL && bundle_next(b, &e, &err) == 1) {
			size_t before, after;

			if (bundle_entries_seen(b) < j->ordinal)
				continue;
			/* the plan's reader saw this file the same way: anything else is not used */
			if (bundle_entries_seen(b) == j->ordinal && strcmp(e.name, j->name) == 0) {
				bundle_problems(b, &before);
				matcher_begin_bundle(ra->m);
				j->part.path = xstrdup(ra->path);
				events_init(&j->part.events);
				context_init(&j->part.ctx);
				state = read_log(&j->part, b, &e, &ra->opts, ra->m, NULL, 0);
				bundle_problems(b, &after);
				state = state == 0 && after == before ? 1 : -1;
			}
			break;
		}
		pthread_mutex_lock(&ra->mu);
		j->state = state;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
	}
	bundle_close(b);
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
	matcher_free(ra->m);
	pthread_cond_destroy(&ra->cv);
	pthread_mutex_destroy(&ra->mu);
	free(ra->path);
	free(ra);
}

static void readahead_free(struct readahead *ra)
{
	if (ra == NULL)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->stop = 1;
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

/* Starts the helper when the bundle is worth it; NULL otherwise. */
static struct readahead *readahead_start(const char *path, const struct scan_opts *o, const struct matcher *m)
{
	struct stat st;
	struct ahead_cand *c = NULL;
	struct readahead *ra;
	uint64_t total;
	size_t n, k, i;

	if (!o->read_ahead || o->explain || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < o->read_ahead / AHEAD_FILE_SHARE || !starts_as_zip(path))
		return NULL;
	n = list_candidates(path, o, m, &c, &total);
	k = split_candidates(c, n, total);
	if (k >= n) {
		free_cands(c, n);
		return NULL;
	}
	ra = xcalloc(1, sizeof *ra);
	ra->path = xstrdup(path);
	ra->opts = *o;
	ra->m = matcher_new(o->rs, &o->mlim);
	ra->njobs = n - k;
	ra->jobs = xcalloc(ra->njobs, sizeof *ra->jobs);
	for (i = k; i < n; i++) {
		ra->jobs[i - k].ordinal = c[i].ordinal;
		ra->jobs[i - k].name = c[i].name;
		c[i].name = NULL;
	}
	free_cands(c, n);
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->cv, NULL);
	if (pthread_create(&ra->thread, NULL, run_ahead, ra) != 0) {
		release(ra); /* every entry is read in place */
		return NULL;
	}
	return ra;
}

/* The helper's whole reading of the current entry, once it is done; NULL when the entry is not
 * one of the helper's or its reading is not usable. */
static struct scan_result *readahead_take(struct readahead *ra, unsigned long ordinal)
{
	struct ahead_job *j;

	if (ra == NULL || ra->next >= ra->njobs || ra->jobs[ra->next].ordinal != ordinal)
		return NULL;
	j = &ra->jobs[ra->next++];
	pthread_mutex_lock(&ra->mu);
	while (j->state == 0)
		pthread_cond_wait(&ra->cv, &ra->mu);
	pthread_mutex_unlock(&ra->mu);
	return j->state == 1 ? &j->part : NULL;
}

/* Takes an entry read ahead into res as read_log would have left it there. Returns -1, taking
 * nothing, when reading it in place could have gone otherwise (the bundle's limits). */
static int adopt_part(struct scan_result *res, struct scan_result *part, struct bundle *b, struct matcher *m,
                      const struct scan_opts *o)
{
	struct entry_info *ei = &part->entries[0];
	size_t i;

	if (bundle_bytes_read(b) + ei->bytes > o->blim.max_total ||
	    matcher_adopt(m, &part->events, &res->events, (unsigned)res->nentries) != 0)
		return -1;
	bundle_account(b, ei->bytes);
	res->entries = xgrow(res->entries, &res->capentries, res->nentries + 1, sizeof *res->entries);
	res->entries[res->nentries++] = *ei;
	ei->name = NULL;
	for (i = 0; i < part->nproblems; i++)
		add_problem(res, part->problems[i].entry, part->problems[i].msg);
	context_note_entry(&res->ctx, res->entries[res->nentries - 1].name, ei->bytes, FS_OK, NULL);
	widen(res, &part->start, &part->end);
	res->ahead_taken++;
	return 0;
}

static void scan_entries(struct scan_result *res, struct bundle *b, const struct scan_opts *o, struct matcher *m)
{
	struct bundle_entry e;
	struct ds_error err;
	int rc;

	struct readahead *ra = readahead_start(res->path, o, m);

	while ((rc = bundle_next(b, &e, &err)) == 1) {
		struct scan_result *part = readahead_take(ra, bundle_entries_seen(b));

		if (part != NULL && adopt_part(res, part, b, m, o) == 0)
			continue;
		if (context_wants(o->rs, e.base))
			read_small(res, b, &e, o, m);
		else if (matcher_rules_for(m, e.base) > 0)
			read_log(res, b, &e, o, m, NULL, 0);
		else if (bundle_entry_is_archive(&e)) {
			if (bundle_descend(b, &err) != 0)
				add_problem(res, e.name, err.msg);
		} else
			context_note_entry(&res->ctx, e.name, e.size > 0 ? (unsigned long long)e.size : 0, FS_OK, NULL);
	}
	readahead_free(ra);
	if (rc < 0)
		add_problem(res, NULL, err.msg);
	{
		size_t np, i;
		const struct bundle_problem *bp = bundle_problems(b, &np);

		for (i = 0; i < np; i++)
			add_problem(res, bp[i].entry, bp[i].msg);
	}
	res->entries_seen = bundle_entries_seen(b);
	res->bytes = bundle_bytes_read(b);
}

/* An event for each capture rule whose verdict the capture shows; its frames are the evidence,
 * as lines of a pseudo-entry named after the capture file. */
static void capture_events(struct scan_result *res, const struct ruleset *rs, unsigned entry)
{
	const struct capture *c = res->capture;
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		struct event *e;

		if (r->disabled || r->capture < 0 || !c->holds[r->capture] || c->nev[r->capture] == 0)
			continue;
		res->events.v = xgrow(res->events.v, &res->events.cap, res->events.n + 1, sizeof *res->events.v);
		e = &res->events.v[res->events.n++];
		memset(e, 0, sizeof *e);
		e->rule = r;
		e->entry = entry;
		e->seq = res->events.n + 1000000000ul;
		e->caps = xcalloc(1, sizeof *e->caps);
		e->caps[0].name = xstrdup("summary");
		e->caps[0].value = xstrdup(c->summary[r->capture]);
		e->ncaps = 1;
		for (k = 0; k < c->nev[r->capture]; k++) {
			const struct cap_frame *fr = &c->ev[r->capture][k];
			struct evidence *ev = &e->head[e->nhead++];

			ev->entry = entry;
			ev->line = fr->frame;
			timefmt_from_epoch(fr->utc_ms / 1000, &ev->ts);
			ev->ts.ms = fr->utc_ms;
			ev->text = xstrdup(fr->text);
		}
		e->first = e->head[0].ts;
		e->last = e->head[e->nhead - 1].ts;
		e->count = r->capture == CV_DNS_UNANSWERED ? c->dns_q[0] + c->dns_q[1]
		           : r->capture == CV_DNS_ANSWERED ? c->dns_a[0] + c->dns_a[1]
		           : r->capture == CV_PROXY_RST    ? c->rst
		           : r->capture == CV_PROXY_SILENT ? c->syn
		                                           : c->synack;
	}
}

/* Reads --pcap with the proxy address the bundle gave (else the SWG ranges are looked for). */
static void read_capture(struct scan_result *res, const struct scan_opts *o)
{
	struct ds_error err;
	struct capture *c = xcalloc(1, sizeof *c);
	const char *proxy = context_value(&res->ctx, "swg_proxy_ip");
	struct entry_info *ei;

	if (proxy == NULL)
		proxy = res->ctx.swg_anycast;
	if (capture_read(o->pcap, proxy, &o->caplim, c, &err) != 0) {
		add_problem(res, o->pcap, err.msg);
		res->capture_failed = 1;
		capture_reset(c);
		free(c);
		return;
	}
	res->capture = c;
	if (c->problem)
		add_problem(res, o->pcap, c->problem);
	res->entries = xgrow(res->entries, &res->capentries, res->nentries + 1, sizeof *res->entries);
	ei = &res->entries[res->nentries++];
	memset(ei, 0, sizeof *ei);
	ei->name = xstrdup(o->pcap);
	ei->records = c->frames;
	capture_events(res, o->rs, (unsigned)(res->nentries - 1));
}

/* ctx_NAME captures of any rule become context values (the OS, the client version, ...). */
static void take_context_captures(struct scan_result *res)
{
	size_t i, k;

	for (i = 0; i < res->events.n; i++)
		for (k = 0; k < res->events.v[i].ncaps; k++)
			if (strncmp(res->events.v[i].caps[k].name, "ctx_", 4) == 0)
				context_set(&res->ctx, res->events.v[i].caps[k].name + 4, res->events.v[i].caps[k].value);
}

void scan_bundle(const char *path, const struct scan_opts *o, struct matcher *m, struct scan_result *res)
{
	struct ds_error err;
	struct bundle *b;

	memset(res, 0, sizeof *res);
	res->path = xstrdup(path);
	events_init(&res->events);
	context_init(&res->ctx);
	matcher_begin_bundle(m);
	if (o->explain)
		res->explain = explain_new(o->explain);
	b = bundle_open(path, &o->blim, &err);
	if (b == NULL) {
		res->status = SCAN_ERROR;
		add_problem(res, NULL, err.msg);
		return;
	}
	scan_entries(res, b, o, m);
	bundle_close(b);
	if (res->entries_seen == 0 && res->nproblems == 0)
		add_problem(res, NULL, "no files in the bundle");
	if (res->nproblems == 0)
		res->status = SCAN_OK;
	else if (res->entries_seen == 0)
		res->status = SCAN_ERROR;
	else
		res->status = SCAN_PARTIAL;
	context_parse(&res->ctx);
	take_context_captures(res);
	if (o->pcap)
		read_capture(res, o);
	correlate(&res->diag, &res->events, o->rs, &res->ctx, res->start, res->end, &o->copts);
}

void scan_result_reset(struct scan_result *res)
{
	size_t i;

	diagnosis_reset(&res->diag);
	explain_free(res->explain);
	if (res->capture) {
		capture_reset(res->capture);
		free(res->capture);
	}
	events_reset(&res->events);
	context_reset(&res->ctx);
	for (i = 0; i < res->nproblems; i++) {
		free(res->problems[i].entry);
		free(res->problems[i].msg);
	}
	free(res->problems);
	for (i = 0; i < res->nentries; i++)
		free(res->entries[i].name);
	free(res->entries);
	free(res->path);
	memset(res, 0, sizeof *res);
}
