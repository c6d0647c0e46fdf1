/* text_in: what the text reader and its framers share, private to them. A framer turns the lines
 * of one log format into records; adding a log format is a frame_*.c file and a row in text.c. */
#ifndef DARTSCAN_TEXT_IN_H
#define DARTSCAN_TEXT_IN_H

#include "text.h"

/* The first lines of an entry are offered to every framer's bid; the first line some framer
 * claims decides the entry's format, and lines before it are plain lines. Deciding early keeps
 * one crafted line deep in a plugin log from reframing everything after it. */
#define BID_LINES 64
#define BID_FIRST_LINE (-1) /* a bid that claims the line only as an entry's first (a bare "[{") */

/* Where a framer's records go, and what it may know of the entry: the record limit, the stats. */
struct text_sink {
	size_t max_record;
	record_fn fn;
	void *ctx;
	struct text_stats st;
	struct stamp last_ts;
	struct stamp entry_time; /* when the entry was written (TP_NONE: unknown): the year of a
	                            timestamp written without one */
	int stop; /* the callback asked to stop */
};

struct framer {
	const char *name;
	size_t state_size; /* zeroed state the reader allocates for the entry */
	/* How surely line s opens a record of this format: 0 not at all; the highest bid wins. */
	int (*bid)(const char *s, size_t n);
	/* One line without its end of line; cut: it was longer than the record limit. */
	void (*line)(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut);
	/* The end of the entry: the record being assembled, if any. May be NULL. */
	void (*finish)(struct text_sink *out, void *state);
	/* Frees what the state owns (not the state). May be NULL. */
	void (*free)(void *state);
	/* A log of the whole client (macOS's unified log, Linux's journal): given the entry's first
	 * bytes, the client's OS ("macOS", "Linux"), or NULL when they are not such a log after all.
	 * The roaming module's rules read such an entry whatever its name (text_client_log). NULL for
	 * a log of the module's own (the plugin log, the event exports). */
	const char *(*client_os)(const char *p, size_t n);
};

/* Helpers of the client-log framers (frame_oslog.c, frame_journal.c, frame_json.c), in text.c. */
/* After a record's head at s[i]: "process[pid]: ", "process[pid:tid] " or "process: " (a process
 * name has no blank). Returns where the message starts, 0 when s[i] opens none of them; *proc and
 * *plen get the process name. */
size_t text_after_process(const char *s, size_t n, size_t i, size_t *proc, size_t *plen);
/* Skips an os_log message's "(library) " and "[subsystem:category] " prefixes from s[i]. */
size_t text_skip_oslog_prefix(const char *s, size_t n, size_t i);
/* Blanks from s[i]. */
static inline size_t text_skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}
/* A non-blank word from s[i]: its end. */
static inline size_t text_word_end(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	return i;
}
/* Emits one line as a record: its time, its message from s[msg] (the whole line is the text a
 * rule matches, the process with it). */
void text_emit_line(struct text_sink *out, const char *s, size_t n, unsigned long lineno, int cut,
                    const struct stamp *ts, size_t msg);

/* Passes a finished record on: untimed records take the time of the one before. Inline: it runs
 * once a record, and framers live in files of their own. */
/* Notes a clock jump between two records (text.c): rare, so not inline. */
void text_note_jump(struct text_sink *out, const struct stamp *before, const struct stamp *after);

#define HOUR_MS 3600000LL

static inline void text_emit(struct text_sink *out, struct record *r)
{
	if (r->ts.prov == TP_NONE)
		r->ts = out->last_ts; /* an untimed record belongs to the moment before it */
	else {
		if (out->last_ts.prov != TP_NONE) {
			/* stamps written with their offset are compared as instants: a DST change is no jump */
			int64_t d = r->ts.ms - out->last_ts.ms -
			            (r->ts.prov == TP_OFFSET ? (r->ts.off_min - out->last_ts.off_min) * 60000LL : 0);

			if (d < -TEXT_JITTER_MS || (d >= HOUR_MS && d < HOUR_MS + HOUR_MS / 6))
				text_note_jump(out, &out->last_ts, &r->ts);
		}
		r->ts.seg = (uint16_t)out->st.njumps;
		out->last_ts = r->ts;
	}
	out->st.records++;
	if (r->truncated)
		out->st.truncated++;
	if (!out->stop && out->fn(out->ctx, r) != 0)
		out->stop = 1;
}

#endif
