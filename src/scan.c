/* scan: wires the stages for one bundle. Entries are routed by base name: kept whole for the
 * context (small JSON/XML), streamed through the text decoder to the matcher (logs a rule reads),
 * opened as a nested archive, or skipped without being decompressed. */
#include "scan.h"
#include "times.h"
#include "sniff.h"

#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "readahead.h"
#include "text.h"

const char *scan_status_name(int st)
{
	return st == SCAN_OK ? "ok" : st == SCAN_PARTIAL ? "partial" : st == SCAN_EMPTY ? "empty" : "error";
}

int scan_read_nothing(const struct scan_result *res)
{
	return res->status == SCAN_ERROR || res->status == SCAN_EMPTY;
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
	o->read_ahead = 32u << 20;   /* less inflates in a blink */
	o->ahead_pipeline = cpu_count() > 2;
	o->unexplained = 5;
}

/* Adds a problem of kind PROBLEM_DAMAGE; returns it (its caller may say another kind). */
static struct problem *add_problem(struct scan_result *res, const char *entry, const char *msg)
{
	struct problem *p;

	res->problems = xgrow(res->problems, &res->capproblems, res->nproblems + 1, sizeof *res->problems);
	p = &res->problems[res->nproblems++];
	p->entry = entry ? xstrdup(entry) : NULL;
	p->msg = xstrdup(msg);
	p->kind = PROBLEM_DAMAGE;
	return p;
}

/* What a failed read of the current entry was: its encryption, or damage. */
static int read_failure_kind(const struct bundle *b)
{
	return bundle_entry_locked(b) ? PROBLEM_ENCRYPTED : PROBLEM_DAMAGE;
}

const char *scan_entry_name(const struct scan_result *res, unsigned entry)
{
	return entry < res->nentries ? res->entries[entry].name : "?";
}

struct feed {
	struct scan_result *res;
	struct matcher *m;
	struct stamp first, last; /* the earliest and latest wall clocks */
	struct stamp head, tail;  /* the first and last record as written */
	const struct correlate_opts *win; /* --since/--until, or NULL */
	int in_window;                    /* a record inside it was seen */
	int explain; /* the explained rule reads this entry */
	struct ux_collect col;
	struct probe *probe; /* the probed entry: its probe, else NULL */
	const struct probe_spec *pspec;
};

static int on_record(void *vp, const struct record *r)
{
	struct feed *f = vp;
	int sev, at;

	if (r->ts.prov != TP_NONE) {
		if (f->head.prov == TP_NONE)
			f->head = r->ts;
		f->tail = r->ts;
		if (f->first.prov == TP_NONE || r->ts.ms < f->first.ms)
			f->first = r->ts;
		if (f->last.prov == TP_NONE || r->ts.ms > f->last.ms)
			f->last = r->ts;
	}
	if (f->explain)
		explain_record(f->res->explain, r);
	/* outside the window a record is not counted: after it, not read at all; before it, matched
	 * only for the states the window opens with (its runs end where the window begins, and
	 * correlation keeps them out of the findings) */
	at = f->win ? timefmt_window_place(&f->win->since, &f->win->until, &r->ts) : 0;
	if (at > 0)
		return 0;
	if (at < 0) {
		matcher_record(f->m, r, &f->res->events);
		return 0;
	}
	if (f->win && !f->in_window) {
		matcher_close_runs(f->m, &f->res->events);
		f->in_window = 1;
	}
	sev = matcher_record(f->m, r, &f->res->events);
	ux_collect_record(&f->col, r, sev);
	if (f->probe)
		probe_record(f->probe, f->pspec, r, sev >= 0);
	return 0;
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
	if (st->bad_json) {
		msg = xasprintf("%lu JSON record(s) bad, too deep or outside any object, read as text (first at line %lu)",
		                st->bad_json, st->first_bad_json_line);
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

/* A log whose records carry no time dartscan reads (another version's stamp, a date form it does
 * not know) still matches, but its findings have no since, no rate and no place among the other
 * logs: the reader is told rather than shown timeless findings as whole ones. Only where a rule
 * that makes findings matched: systeminfo.txt has no times and needs none. */
static void note_untimed(struct scan_result *res, const char *entry, unsigned idx, size_t ev_from,
                         unsigned long records)
{
	size_t k;

	for (k = ev_from; k < res->events.n; k++)
		if (res->events.v[k].entry == idx && res->events.v[k].rule->severity > SEV_NONE) {
			char *msg = xasprintf("none of its %lu records has a time dartscan reads: findings from it have "
			                      "no since, no rate and no order against the other logs", records);

			add_problem(res, entry, msg);
			free(msg);
			return;
		}
}

/* Where the entry's clock jumped (as read: times_place settles their date order with the rest). */
static void note_jumps(struct entry_info *ei, const struct text_stats *st)
{
	memcpy(ei->jumps, st->jumps, sizeof ei->jumps);
	ei->njumps = st->njumps;
	ei->clock_disordered = st->clock_disordered;
}

/* Streams one entry through the decoder and the matcher (ISA-L inflating into the decoder's queue
 * once it decodes on a thread: no copy). Returns -1 when its bytes could not all be read. */
static int read_log(struct scan_result *res, struct bundle *b, const struct bundle_entry *e,
                     const struct scan_opts *o, struct matcher *m, const char *prefix, size_t plen,
                     const char *const *as)
{
	struct feed f;
	struct text_reader *tr;
	struct entry_info *ei;
	const struct text_stats *st;
	struct ds_error err;
	const void *p;
	ssize_t n;
	unsigned idx = (unsigned)res->nentries;
	size_t ev_from;

	res->entries = xgrow(res->entries, &res->capentries, res->nentries + 1, sizeof *res->entries);
	ei = &res->entries[res->nentries++];
	memset(ei, 0, sizeof *ei);
	ei->name = xstrdup(e->name);
	{
		char log[256];

		log_part_name(e->base, log, sizeof log);
		ei->log = xstrdup(log);
	}
	memset(&f, 0, sizeof f);
	f.res = res;
	f.m = m;
	if (o->copts.since.prov != TP_NONE || o->copts.until.prov != TP_NONE)
		f.win = &o->copts;
	ux_collect_init(&f.col, o->unexplained > 0, o->unexplained_all);
	if (as)
		matcher_begin_logs(m, as, idx);
	else
		matcher_begin_entry(m, e->base, idx);
	ev_from = res->events.n;
	if (res->explain && (rule_reads(res->explain->rule, e->base) || (as && rule_reads_any(res->explain->rule, as)))) {
		f.explain = 1;
		explain_begin_entry(res->explain, e->name);
	}
	if (res->probe && probe_wants(res->probe, o->probe, e->name, e->base)) {
		f.probe = res->probe;
		f.pspec = o->probe;
		probe_begin_entry(f.probe, e->name);
	}
	tr = text_reader_new(o->max_record, on_record, &f);
	if (e->mtime_kind != BT_NONE)
		text_reader_entry_time(tr, e->mtime);
	if (o->pipeline_after)
		text_reader_pipeline(tr, o->pipeline_after);
	if (plen)
		text_reader_feed(tr, prefix, plen);
	while ((n = bundle_read_into(b, text_reader_room(tr, BUNDLE_ROOM), BUNDLE_ROOM, &p, &err)) > 0) {
		ei->bytes += (unsigned long long)n;
		text_reader_feed(tr, p, (size_t)n);
	}
	if (n < 0)
		add_problem(res, e->name, err.msg)->kind = read_failure_kind(b);
	text_reader_finish(tr);
	st = text_reader_stats(tr);
	ei->bytes += plen;
	ei->records = st->records;
	ei->truncated = st->truncated;
	ei->encoding = st->encoding;
	/* its stamps stay as read, month first; times_place settles them by this order */
	ei->date_order = timefmt_date_order(st->day_first, st->ambiguous_dates, st->month_first_proven, &f.last,
	                                    e->mtime_kind != BT_NONE ? &e->mtime : NULL);
	note_jumps(ei, st);
	matcher_end_entry(m, &res->events);
	if (f.probe)
		probe_end_entry(f.probe);
	unexplained_take(&res->unx, &f.col, idx);
	ei->first = f.first;
	ei->last = f.last;
	ei->head = f.head;
	ei->tail = f.tail;
	if (f.first.prov == TP_NONE && st->records)
		note_untimed(res, e->name, idx, ev_from, st->records);
	ei->cut = n < 0;
	if (st->truncated) {
		char *msg = xasprintf("%lu record(s) longer than %zu bytes were cut (--max-record; first at line %lu)",
		                      st->truncated, o->max_record, st->first_truncated_line);

		add_problem(res, e->name, msg);
		free(msg);
	}
	note_damage(res, e->name, st);
	context_note_log(&res->ctx, e->name, ei->log, ei->bytes, n < 0 ? FS_UNREADABLE : FS_OK, n < 0 ? err.msg : NULL);
	for (; as && *as; as++) /* a client's log stands for the module's own logs */
		context_note_log(&res->ctx, e->name, *as, ei->bytes, n < 0 ? FS_UNREADABLE : FS_OK, n < 0 ? err.msg : NULL);
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
		add_problem(res, e->name, err.msg)->kind = read_failure_kind(b);
	}
	if (status == FS_OK && data.len == 0)
		status = FS_EMPTY;
	context_add_file(&res->ctx, e->name, data.p, data.len, status, why);
	if (status == FS_OK && rules_reading(o->rs, e->base) > 0) {
		read_log(res, b, e, o, m, data.p, data.len, NULL);
	} else {
		context_note_entry(&res->ctx, e->name, data.len, status, why);
	}
	buf_reset(&data);
}

/* What the read-ahead's thread does with each of its entries: what read_log does here. */
static int read_ahead_entry(struct scan_result *part, struct bundle *b, const struct bundle_entry *e,
                            const struct scan_opts *o, struct matcher *m)
{
	return read_log(part, b, e, o, m, NULL, 0, NULL);
}

/* Takes an entry read ahead into res as read_log would have left it there. Returns -1, taking
 * nothing, when reading it in place could have gone otherwise (the bundle's limits). */
static int adopt_part(struct scan_result *res, struct scan_result *part, struct bundle *b, struct matcher *m)
{
	struct entry_info *ei = &part->entries[0];
	size_t i;

	if (!bundle_fits(b, ei->bytes) ||
	    matcher_adopt(m, &part->events, &res->events, (unsigned)res->nentries) != 0)
		return -1;
	bundle_account(b, ei->bytes);
	unexplained_adopt(&res->unx, &part->unx, (unsigned)res->nentries);
	res->entries = xgrow(res->entries, &res->capentries, res->nentries + 1, sizeof *res->entries);
	res->entries[res->nentries++] = *ei;
	ei->name = NULL;
	ei->log = NULL;
	for (i = 0; i < part->nproblems; i++)
		add_problem(res, part->problems[i].entry, part->problems[i].msg)->kind = part->problems[i].kind;
	context_note_log(&res->ctx, res->entries[res->nentries - 1].name, res->entries[res->nentries - 1].log, ei->bytes,
	                 FS_OK, NULL);
	res->ahead_taken++;
	return 0;
}

/* A name with DART's time in it ("DARTBundle_0827_0641.zip"): the first one seen is kept. */
static void note_name(struct scan_result *res, const char *base)
{
	struct stamp st;

	if (res->named == NULL && timefmt_parse_bundle_name(base, 2000, &st) == 0)
		res->named = xstrdup(base);
}

/* How many archives deep an entry lies: "case.zip/DARTBundle.zip/x" -> 2. */
static int archive_depth(const char *name)
{
	char part[256];
	const char *p = name, *slash;
	int depth = 0;

	while ((slash = strchr(p, '/')) != NULL) {
		snprintf(part, sizeof part, "%.*s", (int)(slash - p), p);
		depth += bundle_name_is_archive(part);
		p = slash + 1;
	}
	return depth;
}

/* The newest entry time: DART writes files of its own (systeminfo, ipconfig) when it runs, so the
 * newest entry is about when it collected the bundle. The innermost archive's entries win: a case
 * upload that holds the DART zip beside a note has the upload's times, not DART's. An archive
 * inside is a container, not DART's file. */
static void note_mtime(struct scan_result *res, const struct bundle_entry *e)
{
	int depth;

	/* before 2000: a zip writer's zero DOS date (1980) or no time at all, never DART's */
	if (e->mtime_kind == BT_NONE || e->mtime < 946684800 || bundle_name_is_archive(e->base))
		return;
	depth = archive_depth(e->name);
	if (res->newest_kind == BT_NONE || depth > res->newest_depth ||
	    (depth == res->newest_depth && e->mtime > res->newest_mtime)) {
		res->newest_mtime = e->mtime;
		res->newest_kind = e->mtime_kind;
		res->newest_depth = depth;
	}
}

/* Reads one entry by what it is: a kept file, a log, an archive inside, or a name to note. A
 * nested archive that cannot be opened leaves why the rest is unread in *unread. */
/* A text entry no rule reads: if its records carry the lines the lane rules know, it is a log of the
 * roaming module in a format (or under a name) dartscan does not read, and the bundle says so. */
static void sniff_log(struct scan_result *res, struct bundle *b, const struct bundle_entry *e,
                      const struct scan_opts *o, struct matcher *m, const char *prefix, size_t plen)
{
	struct sniff sn;
	struct ds_error err;
	int rc = sniff_entry(&sn, b, m, o->max_record, prefix, plen, &err);

	if (sn.hits) {
		char *msg = xasprintf("%lu of its %lu records mention the roaming module's state, in a format dartscan "
		                      "does not read (looks like, line %lu: %s)", sn.hits, sn.records, sn.line, sn.sample);

		add_problem(res, e->name, msg)->kind = PROBLEM_FOREIGN_FORMAT;
		free(msg);
		context_put(&res->ctx, CTX_MODULE_LOG_UNREAD, e->name);
	}
	if (rc != 0 && (sn.hits || bundle_entry_locked(b))) /* an encrypted entry is listed as the others are */
		add_problem(res, e->name, err.msg)->kind = read_failure_kind(b);
	context_note_entry(&res->ctx, e->name, e->size > 0 ? (unsigned long long)e->size : 0, FS_OK, NULL);
}

/* A text entry no rule reads by name: a client's whole log (unified log, journal: its first lines
 * tell) is read by the rules of the module's own logs and gives the OS; any other is sniffed. */
static void peek_log(struct scan_result *res, struct bundle *b, const struct bundle_entry *e,
                     const struct scan_opts *o, struct matcher *m)
{
	struct buf head;
	struct ds_error err;
	const void *p;
	ssize_t n = 0;
	const char *os;

	buf_init(&head); /* the first bytes, kept: the reader is fed them first */
	while (head.len < TEXT_CLIENT_PEEK && (n = bundle_read(b, &p, &err)) > 0)
		buf_add(&head, p, (size_t)n);
	if (n < 0) /* the first bytes did not come: as a sniff says it */
		sniff_log(res, b, e, o, m, NULL, 0);
	else if ((os = text_client_log(head.p ? head.p : "", head.len)) != NULL) {
		context_put(&res->ctx, CTX_OS, os);
		read_log(res, b, e, o, m, head.p, head.len, context_module_logs);
	} else
		sniff_log(res, b, e, o, m, head.p, head.len);
	buf_reset(&head);
}

static void scan_entry(struct scan_result *res, struct bundle *b, const struct bundle_entry *e,
                       const struct scan_opts *o, struct matcher *m, char **unread)
{
	struct ds_error err;

	if (context_wants(o->rs, e->base))
		read_small(res, b, e, o, m);
	else if (rules_reading(o->rs, e->base) > 0)
		read_log(res, b, e, o, m, NULL, 0, NULL);
	else if (bundle_name_is_archive(e->base)) {
		note_name(res, e->base);
		if (bundle_descend(b, &err) != 0) {
			add_problem(res, e->name, err.msg);
			free(*unread);
			*unread = xasprintf("%s: %s", e->name, err.msg);
		}
	} else if (sniff_wanted(e->base))
		peek_log(res, b, e, o, m);
	else
		context_note_entry(&res->ctx, e->name, e->size > 0 ? (unsigned long long)e->size : 0, FS_OK, NULL);
}

/* Reads every entry, ra's read ahead (NULL: none; freed here); returns why part of the bundle
 * could not be read (caller frees), or NULL. */
static char *scan_entries(struct scan_result *res, struct bundle *b, const struct scan_opts *o, struct matcher *m,
                          struct readahead *ra)
{
	struct bundle_entry e;
	struct ds_error err;
	char *unread = NULL;
	int rc;

	while ((rc = bundle_next(b, &e, &err)) == 1) {
		struct scan_result *part = readahead_take(ra, bundle_entries_seen(b));

		note_mtime(res, &e);
		if (part != NULL && adopt_part(res, part, b, m) == 0)
			continue;
		if (o->at_entry)
			snprintf(o->at_entry, o->at_entry_size, "%s", e.name);
		scan_entry(res, b, &e, o, m, &unread);
		if (o->at_entry)
			o->at_entry[0] = '\0'; /* between entries, a failure is the bundle's */
	}
	res->ahead_stolen = readahead_stolen(ra);
	readahead_free(ra);
	if (rc < 0) {
		add_problem(res, NULL, err.msg);
		free(unread);
		unread = xstrdup(err.msg);
	} else if (bundle_stopped(b) && unread == NULL) {
		unread = xstrdup("reading stopped at the --max-total limit");
	}
	{
		size_t np, i;
		const struct bundle_problem *bp = bundle_problems(b, &np);

		for (i = 0; i < np; i++)
			add_problem(res, bp[i].entry, bp[i].msg)->kind = bp[i].locked ? PROBLEM_ENCRYPTED : PROBLEM_DAMAGE;
	}
	res->entries_seen = bundle_entries_seen(b);
	res->bytes = bundle_bytes_read(b);
	return unread;
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
	const char *proxy = context_get(&res->ctx, CTX_SWG_PROXY_IP);
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
		for (k = 0; k < res->events.v[i].ncaps; k++) {
			const struct named_capture *nc = &res->events.v[i].caps[k];

			if (strncmp(nc->name, "ctx_", 4) == 0)
				context_set(&res->ctx, nc->name + 4, nc->value);
			else if (strncmp(nc->name, "ctxlist_", 8) == 0)
				context_add_list(&res->ctx, nc->name + 8, nc->value);
		}
	context_derive(&res->ctx);
}

/* Correlates with what each entry read says of its log: its span, its part, a cut. */
static void diagnose(struct scan_result *res, const struct scan_opts *o)
{
	struct log_span *logs = xcalloc(res->nentries + 1, sizeof *logs);
	struct correlate_opts co;
	size_t i;

	for (i = 0; i < res->nentries; i++) {
		logs[i].log = res->entries[i].log;
		logs[i].first = res->entries[i].first;
		logs[i].last = res->entries[i].last;
		logs[i].cut = res->entries[i].cut;
		logs[i].dates_in_doubt = res->entries[i].date_order == DATES_UNPROVEN ||
		                         res->entries[i].date_order == DATES_UNPROVEN_DM;
	}
	co = o->copts;
	co.captured = res->capture != NULL;
	correlate(&res->diag, &res->events, o->rs, &res->ctx, logs, res->nentries, res->start, res->end, &res->frame,
	          &res->collected, &co);
	free(logs);
}

/* Read in full and clean: ok; any problem: partial; nothing read, or nothing of a DART bundle in
 * what was read: error (a bundle with problems listed is never ok). An upload whose encryption
 * kept every byte unread (no passphrase given opens it) is an error too: nothing in it was read,
 * and a check such as "OrgInfo.json missing" would only contradict that. */
static int settle_status(const struct scan_result *res)
{
	size_t i;

	if (res->entries_seen == 0 || !context_is_dart(&res->ctx))
		return SCAN_ERROR;
	for (i = 0; i < res->nproblems && res->bytes == 0; i++)
		if (res->problems[i].kind == PROBLEM_ENCRYPTED)
			return SCAN_ERROR;
	return res->nproblems ? SCAN_PARTIAL : SCAN_OK;
}

/* Entries the bundle reader skipped (encrypted, unsupported) are in the problems only: noted as
 * unreadable files, so that a bundle of encrypted DART entries is said to be one, not "not a DART
 * bundle". */
static void note_skipped(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++)
		if (res->problems[i].entry)
			context_note_entry(&res->ctx, res->problems[i].entry, 0, FS_UNREADABLE, res->problems[i].msg);
}

void scan_read(const char *path, const struct scan_opts *o, struct matcher *m, struct scan_result *res)
{
	struct ds_error err;
	struct readahead *ra;
	struct bundle *b;
	char *unread;

	scan_result_init(res, path);
	matcher_begin_bundle(m);
	if (o->explain)
		res->explain = explain_new(o->explain);
	if (o->probe) {
		res->probe = xmalloc(sizeof *res->probe);
		probe_init(res->probe);
	}
	/* the helper plans its entries while the bundle is opened here */
	ra = readahead_start(path, o, read_ahead_entry);
	b = bundle_open(path, &o->blim, &err);
	if (b == NULL) {
		readahead_free(ra);
		res->status = SCAN_ERROR;
		add_problem(res, NULL, err.msg);
		if (res->explain)
			explain_checks(res->explain, &res->ctx);
		return;
	}
	unread = scan_entries(res, b, o, m, ra);
	bundle_close(b);
	if (unread)
		context_mark_unread(&res->ctx, unread);
	free(unread);
	if (!context_is_dart(&res->ctx)) /* entries skipped unread (encrypted) still name what they are */
		note_skipped(res);
	if (res->entries_seen == 0 && res->nproblems == 0)
		add_problem(res, NULL, "no files in the bundle");
	else if (res->entries_seen > 0 && !context_is_dart(&res->ctx)) {
		char *why = context_not_dart_why();

		add_problem(res, NULL, why);
		free(why);
	}
	context_parse(&res->ctx);
	if (res->explain)
		explain_checks(res->explain, &res->ctx);
	take_context_captures(res);
	times_place(res);
	unexplained_mine(&res->unx);
	times_collect(res);
	if (o->pcap)
		read_capture(res, o);
	res->status = settle_status(res);
}

void scan_diagnose(struct scan_result *res, const struct scan_opts *o)
{
	res->since = o->copts.since;
	res->until = o->copts.until;
	if (res->status != SCAN_ERROR)
		diagnose(res, o);
	/* an unread bundle has no incidents: what was kept for being near one goes, the rest is ranked */
	unexplained_rank(&res->unx, &res->diag, o->baseline);
}

void scan_bundle(const char *path, const struct scan_opts *o, struct matcher *m, struct scan_result *res)
{
	scan_read(path, o, m, res);
	scan_diagnose(res, o);
}
